/**
 * A well-formedness check for a piece of XML: every tag closed in order, attributes quoted, no
 * stray "<" or "&". fast-xml-parser accepts broken markup silently (its validator is deprecated
 * and slow), and a feed with an unclosed tag must be refused, not guessed at.
 */

const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<|&(?!(?:[A-Za-z][\w.-]*|#\d+|#x[0-9a-fA-F]+);)/g;

/** The first problem in `xml` with its character offset, or null when it is well formed. */
export function findXmlProblem(xml: string): { offset: number; message: string } | null {
  // The open elements as two stacks of plain values, not an object per tag (a batch has thousands).
  const names: string[] = [];
  const offsets: number[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(xml); m; m = TOKEN.exec(xml)) {
    const [whole, close, name, , selfClosing] = m;
    if (whole === '<') return { offset: m.index, message: 'a "<" that starts no valid tag (unquoted attribute or stray "<")' };
    if (whole[0] === '&') return { offset: m.index, message: 'a stray "&" (write &amp;)' };
    if (!name) continue;
    if (close) {
      const open = names.pop();
      offsets.pop();
      if (open !== name) {
        return { offset: m.index, message: open !== undefined ? `</${name}> closes <${open}>` : `</${name}> closes nothing` };
      }
    } else if (!selfClosing) {
      names.push(name);
      offsets.push(m.index);
    }
  }
  const open = names.pop();
  return open !== undefined ? { offset: offsets.pop()!, message: `<${open}> is never closed` } : null;
}

/** The 1-based line of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
