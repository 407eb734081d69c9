/**
 * The head of a Russian noun phrase versus its modifiers: in "пленка для плоттера" the product is
 * a film, in "плоттер для резки пленки" a plotter. Words before the first preposition that opens
 * a modifier ("для", "под", "с"…) name the thing; the rest only describe it. Used on questions and
 * on offer names and category names alike.
 */

/** Prepositions that open a modifier after the head noun. */
const SPLITTING = new Set(['для', 'под', 'к', 'ко', 'от', 'из', 'с', 'со', 'на', 'без', 'по', 'в', 'во', 'при', 'через']);

/**
 * For each word, whether it belongs to the modifier part. Prepositions before the first content
 * word ("у вас", "в наличии") do not split; `isContent` tells content words from the rest.
 */
export function modifierFlags(words: string[], isContent: (word: string) => boolean): boolean[] {
  const flags = words.map(() => false);
  let seenContent = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (seenContent && SPLITTING.has(word)) {
      for (let j = i; j < words.length; j++) flags[j] = true;
      break;
    }
    if (isContent(word) && !SPLITTING.has(word)) seenContent = true;
  }
  return flags;
}

/** Splits a name into its head and modifier text: "Пленки для плоттерной резки" → ["Пленки", "для плоттерной резки"]. */
export function splitHead(words: string[]): { head: string[]; tail: string[] } {
  const flags = modifierFlags(words, (w) => /[a-zа-я0-9]/.test(w));
  return { head: words.filter((_, i) => !flags[i]), tail: words.filter((_, i) => flags[i]) };
}
