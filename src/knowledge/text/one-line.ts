/**
 * Text from a feed or a file that goes into the system prompt: one line, so a field cannot start
 * a new section of the prompt (a line break and a fake heading in an offer name). Runs of white
 * space and control characters become one space, format characters (zero-width, soft hyphen)
 * are dropped. One regular-expression pass each: linear.
 */
const BREAKS = /[\s\p{Cc}]+/gu;
const FORMAT = /\p{Cf}/gu;

export function oneLine(text: string): string {
  return text.replace(FORMAT, '').replace(BREAKS, ' ').trim();
}
