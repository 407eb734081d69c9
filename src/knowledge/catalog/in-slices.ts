/**
 * Work over a large byte array (a 40 MB feed) in slices, giving the event loop a turn between
 * them: hashing or copying it in one call held the loop for hundreds of milliseconds on a busy
 * machine.
 */
import { createHash } from 'node:crypto';

/** Bytes handled between two turns of the event loop. */
const SLICE = 1 << 20;

/** Resolves after the event loop has had a turn (I/O, timers): a break between two pieces of work. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The SHA-1 of byte arrays (and strings) in order, as hex. */
export async function sha1InSlices(parts: Array<Uint8Array | string>): Promise<string> {
  const hash = createHash('sha1');
  for (const part of parts) {
    if (typeof part === 'string') {
      hash.update(part);
      continue;
    }
    for (let at = 0; at < part.length; at += SLICE) {
      hash.update(part.subarray(at, at + SLICE));
      if (at + SLICE < part.length) await turn();
    }
  }
  return hash.digest('hex');
}

/** A copy of `bytes` with its own memory. */
export async function copyInSlices(bytes: Uint8Array): Promise<Uint8Array> {
  const copy = new Uint8Array(bytes.length);
  for (let at = 0; at < bytes.length; at += SLICE) {
    copy.set(bytes.subarray(at, at + SLICE), at);
    if (at + SLICE < bytes.length) await turn();
  }
  return copy;
}
