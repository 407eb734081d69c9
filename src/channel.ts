/**
 * The one shape every channel has for the composition root, so app.ts wires them in a loop:
 * what it offers the core (an outbox to customers), the HTTP app (routes), and the lifecycle.
 */
import type { Router } from 'express';
import type { ChannelOutbox } from './core/ports.js';
import type { FastRoute } from './http/fast-lane.js';
import type { JobBackend } from './queue/job-backend.js';

export interface Channel {
  /** For logs and the start-up banner: `web`, `telegram`, `operators`. */
  name: string;
  /** Delivers the core's messages to customers; a channel that talks to operators has none. */
  outbox?: ChannelOutbox;
  /** Routes for the HTTP app of the api and all roles (chat API, webhooks). */
  routers: Router[];
  /** Routes the HTTP server answers before Express (src/http/fast-lane.ts); each also has a router's route. */
  fastRoutes?: FastRoute[];
  /** Queues the channel owns, for metrics and shutdown (closed by the composition root). */
  queues: Array<{ name: string; backend: JobBackend<never> }>;
  /**
   * Starts this role's part: `send` for roles that run workers, `receive` for the role that gets
   * updates (the webhook's api role, or the poller's worker role).
   */
  start(parts: { send: boolean; receive: boolean }): Promise<void>;
  /** Stops receiving; idempotent. */
  stop(): Promise<void>;
}

/** Makes a job queue for a channel: BullMQ when Redis is configured, in this process otherwise. */
export type JobBackendFactory = <T extends object>(name: string, retries: { attempts: number; backoffMs: number }) => JobBackend<T>;
