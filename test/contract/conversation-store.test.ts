/** The ConversationStore contract against PostgreSQL (the run's fresh database) and in memory. */
import pg from 'pg';
import { inject } from 'vitest';
import { createPgConversationStore } from '../../src/db/pg-conversation-store.js';
import { InMemoryConversationStore } from '../fakes/in-memory-conversation-store.js';
import { conversationStoreContract } from './conversation-store.contract.js';

conversationStoreContract('PgConversationStore (PostgreSQL)', async () => {
  // Migrations were applied by the global setup; the pool is big enough for the concurrency tests.
  const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 12 });
  return { store: createPgConversationStore(pool), close: () => pool.end() };
});

conversationStoreContract('InMemoryConversationStore', async () => ({
  store: new InMemoryConversationStore(),
  close: async () => undefined,
}));
