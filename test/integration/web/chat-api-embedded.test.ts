/** The web chat API contract on embedded PostgreSQL (a temporary DATA_DIR) and the in-process queue. */
import { chatApiContract } from './chat-api.contract.js';

chatApiContract('embedded');
