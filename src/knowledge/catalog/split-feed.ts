/**
 * A large YML feed read by two threads: the first reads it up to the end of an offer near the
 * middle, the second reads the rest. The second gets the feed's head (shop and categories) and
 * then its own offers, with the lines between stood in for by line breaks, so that everything it
 * reports names the same lines as a reader of the whole feed would, and it reads that as a feed.
 */
import { turn } from './in-slices.js';

/** Bytes handled between two turns of the event loop. */
const SLICE = 1 << 20;


/** Where a feed is cut: bytes [0, offersAt) are its head, [at, end) the second part's offers. */
export interface FeedSplit {
  offersAt: number;
  at: number;
}

/**
 * Where to cut a YML feed's bytes in two, or undefined when it is under `minBytes`, not YML, or has no
 * offer end past its middle. Native byte searches only: this runs on the main thread.
 */
export function splitFeed(bytes: Uint8Array, minBytes: number): FeedSplit | undefined {
  if (bytes.length < minBytes) return undefined;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offersTag = buffer.indexOf('<offers');
  if (offersTag === -1) return undefined;
  const offersAt = buffer.indexOf('>', offersTag) + 1;
  // The parser finds an offer's end by the first "</offer>" after its start: so does this.
  const close = buffer.indexOf('</offer>', Math.max(offersAt, bytes.length >> 1));
  if (offersAt === 0 || close === -1) return undefined;
  const at = close + '</offer>'.length;
  return buffer.indexOf('<offer', at) === -1 ? undefined : { offersAt, at };
}

/**
 * The bytes the second thread reads, made on the main thread in slices: the head, as many line
 * breaks as the first part has, then the rest. Only these are copied, and the thread decodes them
 * in one piece.
 */
export async function tailBytes(bytes: Uint8Array, split: FeedSplit): Promise<Uint8Array> {
  let lines = 0;
  for (let from = split.offersAt; from < split.at; from += SLICE) {
    // A line break is byte 0x0A in UTF-8 and in the single-byte charsets feeds use.
    for (let i = from, end = Math.min(split.at, from + SLICE); i < end; i++) if (bytes[i] === 0x0a) lines++;
    await turn();
  }
  const rest = bytes.length - split.at;
  const out = new Uint8Array(split.offersAt + lines + rest);
  out.set(bytes.subarray(0, split.offersAt));
  out.fill(0x0a, split.offersAt, split.offersAt + lines);
  for (let at = 0; at < rest; at += SLICE) {
    out.set(bytes.subarray(split.at + at, split.at + Math.min(rest, at + SLICE)), split.offersAt + lines + at);
    await turn();
  }
  return out;
}
