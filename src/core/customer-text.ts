/**
 * What counts as a customer's text, the same for every channel: U+0000 dropped (PostgreSQL's
 * `text` cannot hold it, and no one types it), surrounding whitespace trimmed, and a text of only
 * invisible characters (spaces, zero-width and other format or control characters) counted as
 * empty. Linear in the input: one regular-expression pass each, no backtracking patterns.
 */

/** White space, control (Cc) and format (Cf: zero-width space/joiners, BOM, soft hyphen…) characters. */
const INVISIBLE = /[\s\p{Cc}\p{Cf}]/gu;

/** Removes U+0000 from any text about to be stored. */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

/** The text a channel accepts: U+0000 removed, then trimmed. Limits are counted on this. */
export function cleanCustomerText(raw: string): string {
  return withoutNul(raw).trim();
}

/** True when nothing in `text` is visible: empty, spaces, zero-width or other format characters only. */
export function isBlankText(text: string): boolean {
  return text.replace(INVISIBLE, '').length === 0;
}
