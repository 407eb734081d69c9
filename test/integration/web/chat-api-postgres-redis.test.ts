/** The web chat API contract on the machine's PostgreSQL (the run's fresh database) and Redis (BullMQ). */
import { chatApiContract } from './chat-api.contract.js';

chatApiContract('postgres+redis');
