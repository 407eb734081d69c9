/**
 * Text from a feed or a file that goes into the system prompt: one line, so a field cannot start
 * a new section of the prompt (a line break and a fake heading in an offer name). Runs of white
 * space and control characters become one space, format characters (zero-width, soft hyphen)
 * are dropped. One regular-expression pass each: linear.
 */
const BREAKS = /[\s\p{Cc}]+/gu;
const FORMAT = /\p{Cf}/gu;
/**
 * Text that is one line already: words of no white space, control or format character, one
 * space apart. Most feed fields are, and they are returned as they are: one test costs about
 * two thirds of two replaces and a trim, on each of a 50,000-offer feed's 750,000 fields.
 */
const ONE_LINE = /^(?:[^\s\p{Cc}\p{Cf}]+(?: [^\s\p{Cc}\p{Cf}]+)*)?$/u;

export function oneLine(text: string): string {
  return ONE_LINE.test(text) ? text : text.replace(FORMAT, '').replace(BREAKS, ' ').trim();
}
