/**
 * Group commit: concurrent calls of the store's hot writes share one SQL statement, and
 * concurrent `queue.enqueue` calls one Redis round trip (BullMQ `addBulk`), instead of one each.
 * The intake batches `accept`; the reply worker batches the three statements of a reply
 * (`beginRun`, `recordReply`, `nextTurn`) across its concurrent jobs.
 *
 * Batches form by themselves, adding no wait when the system is idle: a call starts a batch at
 * the next turn of the event loop (`setImmediate`, so every call made in the same I/O phase
 * joins it); while `maxInFlight` batches are already running, new calls gather until one ends.
 * Every caller is answered only with its own result, after the whole batch is durable — a caller
 * of `accept` hears back after the commit, exactly as with a single statement.
 *
 * DataLoader does the gathering and the per-caller answers (with its cache off: every call is a
 * new write). When a batch fails as a whole, each of its calls is retried alone through the
 * wrapped method, so one bad row cannot fail its neighbours and each caller gets its own error.
 */
import DataLoader from 'dataloader';
import type { AcceptedMessage, ConversationStore, JobQueue, NewReply, RunStart, Turn } from './core/ports.js';
import type { InboundMessage, StoredMessage } from './core/types.js';

export interface GroupCommitOptions {
  /** Batches of one kind running at once; more calls wait for the next batch. @defaultValue 4 */
  maxInFlight?: number;
  /** The largest batch; a burst beyond it is split. @defaultValue 256 */
  maxBatchSize?: number;
}

/**
 * DataLoader's `batchScheduleFn` with a cap on batches in flight: a batch is dispatched at the next
 * turn of the event loop when a slot is free, otherwise when a running batch releases its slot
 * (it keeps gathering calls until then). Each dispatched batch holds a slot until `release`.
 */
function inFlightScheduler(maxInFlight: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    schedule(dispatch: () => void) {
      if (running < maxInFlight) {
        running += 1;
        setImmediate(dispatch);
      } else waiting.push(dispatch);
    },
    release() {
      const next = waiting.shift();
      if (next) setImmediate(next);
      else running -= 1;
    },
  };
}

/** Runs `many` over a batch; on a failure of the whole batch, each item alone through `one`. */
function batchLoader<K, V>(many: (keys: K[]) => Promise<V[]>, one: (key: K) => Promise<V>, options: GroupCommitOptions) {
  const slots = inFlightScheduler(options.maxInFlight ?? 4);
  return new DataLoader<K, V>(
    async (keys) => {
      try {
        return await many([...keys]);
      } catch (error) {
        if (keys.length === 1) throw error;
        return Promise.all(keys.map((key) => one(key).catch((failure: unknown) => (failure instanceof Error ? failure : new Error(String(failure))))));
      } finally {
        slots.release();
      }
    },
    { cache: false, maxBatchSize: options.maxBatchSize ?? 256, batchScheduleFn: (dispatch) => slots.schedule(dispatch) },
  );
}

/** One call of `accept`: the message and its options. */
export interface AcceptCall {
  message: InboundMessage;
  options?: AcceptOptions;
}

type AcceptOptions = Parameters<ConversationStore['accept']>[1];

/** One call of `beginRun`. */
export interface BeginRunCall {
  conversationId: string;
  owner: string;
  ttlMs: number;
  historyLimit: number;
}

/** One call of `nextTurn`. */
export interface NextTurnCall {
  conversationId: string;
  historyLimit: number;
  owner: string;
}

/**
 * Store methods done for many calls in one statement: each must return one result per call, in
 * order, as the single method would for that call alone.
 */
export interface StoreBatches {
  accept?: (calls: AcceptCall[]) => Promise<AcceptedMessage[]>;
  beginRun?: (calls: BeginRunCall[]) => Promise<RunStart[]>;
  nextTurn?: (calls: NextTurnCall[]) => Promise<Array<Turn | null>>;
  recordReply?: (replies: NewReply[]) => Promise<Array<StoredMessage | null>>;
}

/** The store with the methods `batches` has batched through them; every other method is the store's own. */
export function batchStore(store: ConversationStore, batches: StoreBatches, options: GroupCommitOptions = {}): ConversationStore {
  const batched: Partial<ConversationStore> = {};
  if (batches.accept) {
    const loader = batchLoader(batches.accept, (call: AcceptCall) => store.accept(call.message, call.options), options);
    batched.accept = (message, acceptOptions) => loader.load({ message, options: acceptOptions });
  }
  if (batches.beginRun) {
    const loader = batchLoader(batches.beginRun, (c: BeginRunCall) => store.beginRun(c.conversationId, c.owner, c.ttlMs, c.historyLimit), options);
    batched.beginRun = (conversationId, owner, ttlMs, historyLimit) => loader.load({ conversationId, owner, ttlMs, historyLimit });
  }
  if (batches.nextTurn) {
    const loader = batchLoader(batches.nextTurn, (c: NextTurnCall) => store.nextTurn(c.conversationId, c.historyLimit, c.owner), options);
    batched.nextTurn = (conversationId, historyLimit, owner) => loader.load({ conversationId, historyLimit, owner });
  }
  if (batches.recordReply) {
    const loader = batchLoader(batches.recordReply, (reply: NewReply) => store.recordReply(reply), options);
    batched.recordReply = (reply) => loader.load(reply);
  }
  // A proxy rather than a copy of the methods: whatever the store gains later passes through as is.
  return new Proxy(store, {
    get(target, property) {
      const own = (batched as Record<string | symbol, unknown>)[property];
      if (own) return own;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** One job to add: the idempotency key and the job's data. */
export interface JobToAdd<T> {
  jobId: string;
  data: T;
}

/**
 * The queue with `enqueue` batched through `enqueueMany` (all jobs added, or a rejection);
 * `requeue` (recovery, rare) stays the queue's own.
 */
export function batchEnqueues<T>(queue: JobQueue<T>, enqueueMany: (jobs: Array<JobToAdd<T>>) => Promise<void>, options: GroupCommitOptions = {}): JobQueue<T> {
  const loader = batchLoader<JobToAdd<T>, void>(
    async (jobs) => {
      await enqueueMany(jobs);
      return jobs.map(() => undefined);
    },
    (job) => queue.enqueue(job.jobId, job.data),
    options,
  );
  return {
    enqueue: (jobId, data) => loader.load({ jobId, data }),
    requeue: (jobId, data) => queue.requeue(jobId, data),
  };
}
