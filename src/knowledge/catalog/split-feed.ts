/**
 * A large YML feed read by two threads: the first reads it up to the end of an offer near the
 * middle, the second reads the rest. The second gets the feed's head (shop and categories) and
 * then its own offers, with the lines between stood in for by line breaks, so that everything it
 * reports names the same lines as a reader of the whole feed would.
 */
import { catalogCharset, decodeAs } from './decode.js';

/** Below this a second thread costs more to start than it saves. */
export const SPLIT_MIN_BYTES = 8 << 20;

/** Where a feed is cut: bytes [0, offersAt) are its head, [at, end) the second part's offers. */
export interface FeedSplit {
  offersAt: number;
  at: number;
}

/**
 * Where to cut a YML feed's bytes in two, or undefined when it is under `minBytes`, not YML, or has no
 * offer end past its middle. Native byte searches only: this runs on the main thread.
 */
export function splitFeed(bytes: Uint8Array, minBytes = SPLIT_MIN_BYTES): FeedSplit | undefined {
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

/** The text the second thread reads: the head, as many line breaks as the first part has, the rest. */
export function tailText(bytes: Uint8Array, split: FeedSplit, contentType?: string | null): string {
  const charset = catalogCharset(bytes, contentType);
  let lines = 0;
  // A line break is byte 0x0A in UTF-8 and in the single-byte charsets feeds use.
  for (let i = split.offersAt; i < split.at; i++) if (bytes[i] === 0x0a) lines++;
  return decodeAs(bytes.subarray(0, split.offersAt), charset) + '\n'.repeat(lines) + decodeAs(bytes.subarray(split.at), charset);
}
