/**
 * Whether two words are at most one typo apart (one insertion, deletion or substitution). By
 * character codes, without slices: a question's words are compared with every colour form and
 * synonym, and the slices were most of a search's garbage.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length - b.length > 1 || b.length - a.length > 1) return false;
  const short = a.length <= b.length ? a : b;
  const long = a.length <= b.length ? b : a;
  let i = 0;
  while (i < short.length && short.charCodeAt(i) === long.charCodeAt(i)) i++;
  // The rest must agree after skipping one character of the longer word (or of both).
  for (let s = i + (short.length === long.length ? 1 : 0), l = i + 1; s < short.length; s++, l++) {
    if (short.charCodeAt(s) !== long.charCodeAt(l)) return false;
  }
  return true;
}

/** Same word, or one typo apart when both are long enough for a typo to be told from a word. */
export function similarWord(query: string, known: string): boolean {
  return query === known || (query.length >= 5 && known.length >= 5 && /^[a-zа-я]+$/.test(query) && withinOneEdit(query, known));
}

/** Whether the Levenshtein distance of two words is at most `limit` (small limits only). */
export function withinEdits(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return false;
    previous = current;
  }
  return previous[b.length]! <= limit;
}
