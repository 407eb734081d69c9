/** Whether two words are at most one typo apart (one insertion, deletion or substitution). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  // The rest must agree after skipping one character of the longer word (or of both).
  return short.slice(i + (short.length === long.length ? 1 : 0)) === long.slice(i + 1);
}

/** Same word, or one typo apart when both are long enough for a typo to be told from a word. */
export function similarWord(query: string, known: string): boolean {
  return query === known || (query.length >= 5 && known.length >= 5 && /^[a-zа-я]+$/.test(query) && withinOneEdit(query, known));
}
