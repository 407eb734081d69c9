/** A JobQueue that only records what was enqueued and requeued; `unreachable` makes both throw. */
import type { JobQueue, ReplyJob } from '../../src/core/ports.js';

export interface RecordedJob {
  jobId: string;
  data: ReplyJob;
}

export class InMemoryReplyQueue implements JobQueue<ReplyJob> {
  readonly enqueued: RecordedJob[] = [];
  readonly requeued: RecordedJob[] = [];
  unreachable = false;

  async enqueue(jobId: string, data: ReplyJob): Promise<void> {
    if (this.unreachable) throw new Error(`InMemoryReplyQueue: enqueue ${jobId}: queue unreachable`);
    this.enqueued.push({ jobId, data: { ...data } });
  }

  async requeue(jobId: string, data: ReplyJob): Promise<void> {
    if (this.unreachable) throw new Error(`InMemoryReplyQueue: requeue ${jobId}: queue unreachable`);
    this.requeued.push({ jobId, data: { ...data } });
  }
}
