/**
 * Colours and their shades. A visitor asking for "синие" wants navy, azure and light blue too,
 * and a catalog may say "лазурный" or "Blue". Each word belongs to one or more families; an
 * offer matches a colour exactly when it has the same word, and as a shade when it shares a
 * family.
 */
import { withinOneEdit } from '../text/edit.js';
import { stemWord } from '../text/stem.js';

/**
 * The built-in colour families and the words (any form) that name them; `colors.yml` in the
 * prompts folder replaces them with the managers' own list.
 */
export const DEFAULT_COLOR_FAMILIES: Record<string, string[]> = {
  white: ['белый', 'white', 'молочный', 'опал', 'опаловый', 'снежный', 'перламутровый'],
  black: ['черный', 'black', 'эбони'],
  grey: ['серый', 'grey', 'gray', 'графитовый', 'графит', 'антрацит', 'антрацитовый', 'пепельный', 'стальной', 'мокрый асфальт'],
  silver: ['серебряный', 'серебристый', 'серебро', 'silver', 'металлик', 'хромированный', 'хром', 'chrome'],
  gold: ['золотой', 'золотистый', 'золото', 'gold', 'бронзовый', 'бронза', 'медный', 'латунный'],
  red: ['красный', 'red', 'алый', 'бордовый', 'бордо', 'вишневый', 'рубиновый', 'карминовый', 'кармин', 'малиновый', 'кирпичный', 'коралловый', 'терракотовый', 'гранатовый'],
  pink: ['розовый', 'pink', 'фуксия', 'маджента', 'magenta', 'пурпурный', 'малиновый'],
  orange: ['оранжевый', 'orange', 'апельсиновый', 'мандариновый', 'персиковый', 'коралловый', 'кирпичный', 'терракотовый'],
  yellow: ['желтый', 'yellow', 'лимонный', 'горчичный', 'охра', 'охристый', 'канареечный', 'песочно-желтый'],
  green: ['зеленый', 'green', 'салатовый', 'салатный', 'лайм', 'изумрудный', 'оливковый', 'хаки', 'мятный', 'травяной', 'фисташковый', 'бутылочный'],
  blue: ['синий', 'blue', 'голубой', 'лазурный', 'лазурь', 'ультрамарин', 'кобальтовый', 'кобальт', 'индиго', 'navy', 'сапфировый', 'васильковый', 'небесный', 'джинсовый', 'генциан'],
  cyan: ['бирюзовый', 'бирюза', 'циан', 'cyan', 'аквамарин', 'морской волны', 'голубой', 'turquoise'],
  violet: ['фиолетовый', 'violet', 'purple', 'сиреневый', 'лиловый', 'лавандовый', 'пурпурный', 'баклажановый', 'аметистовый'],
  brown: ['коричневый', 'brown', 'шоколадный', 'кофейный', 'каштановый', 'ореховый', 'терракотовый', 'венге'],
  beige: ['бежевый', 'beige', 'песочный', 'кремовый', 'слоновой кости', 'ivory', 'cream', 'крем'],
  transparent: ['прозрачный', 'transparent', 'clear', 'бесцветный'],
};

/** Words that refine a colour ("темно-синий"): kept so the exact shade ranks first. */
const MODIFIERS = new Set(['темн', 'светл', 'ярк', 'бледн', 'насыщен', 'глубок', 'пастельн', 'dark', 'light']);

/** A colour named in a text: the stems of its words and the families they belong to. */
export interface ColorMention {
  stem: string;
  families: string[];
  modifier?: string;
}

/** Families that are close enough for a shade to count half ("серебристый" for "серый"). */
export const DEFAULT_COLOR_NEIGHBOURS: Array<[string, string]> = [
  ['silver', 'grey'], ['gold', 'yellow'], ['red', 'pink'], ['red', 'orange'], ['violet', 'pink'], ['beige', 'brown'], ['beige', 'white'],
];

/** The colour data a palette is made from: plain data, so it can cross to the indexing worker. */
export interface PaletteSpec {
  families: Record<string, string[]>;
  neighbours: Array<[string, string]>;
}

/** Colour words by stem, their inflected forms, and which families neighbour. */
export class Palette {
  readonly byStem = new Map<string, { families: Set<string>; words: number }>();
  /** Inflected forms of one-word colours, to recognise a colour typed with a typo ("белыйй", "жолтый"). */
  readonly forms = new Map<string, string>();
  /** The keys of `forms` as an array, for the typo scan (a Map iterator allocates per step until optimised). */
  readonly formWords: string[];
  /** First stems of two-word colours ("темн" of "темн син"): only after one is a pair looked up. */
  readonly pairStarts = new Set<string>();

  constructor(readonly spec: PaletteSpec) {
    for (const [family, words] of Object.entries(spec.families)) {
      for (const raw of words) {
        const phrase = raw.toLowerCase().replace(/ё/g, 'е').trim();
        const key = phrase.split(/[\s-]+/).map(stemWord).join(' ');
        const entry = this.byStem.get(key) ?? { families: new Set<string>(), words: phrase.split(/[\s-]+/).length };
        entry.families.add(family);
        this.byStem.set(key, entry);
        if (key.includes(' ')) this.pairStarts.add(key.slice(0, key.indexOf(' ')));
        if (/[\s-]/.test(phrase)) continue;
        const ending = phrase.slice(-2);
        for (const form of ADJECTIVE_FORMS[ending]?.map((e) => phrase.slice(0, -2) + e) ?? [phrase]) this.forms.set(form, key);
      }
    }
    this.formWords = [...this.forms.keys()];
  }
}

const ADJECTIVE_FORMS: Record<string, string[]> = {
  ый: ['ый', 'ая', 'ое', 'ые', 'ую', 'ого', 'ой', 'ым', 'ых'],
  ий: ['ий', 'яя', 'ее', 'ие', 'юю', 'его', 'ей', 'им', 'их'],
  ой: ['ой', 'ая', 'ое', 'ые', 'ую', 'ого', 'ым', 'ых'],
};

/** The palette of the built-in colour words. */
export const DEFAULT_PALETTE = new Palette({ families: DEFAULT_COLOR_FAMILIES, neighbours: DEFAULT_COLOR_NEIGHBOURS });

/** The colour key of a word typed with one typo, for words long enough to tell a typo from another word. */
function typoColor(word: string, palette: Palette): string | undefined {
  if (word.length < 6 || !/^[а-я]+$/.test(word)) return undefined;
  for (const form of palette.formWords) if (withinOneEdit(word, form)) return palette.forms.get(form);
  return undefined;
}

/** Endings a colour word may have: adjective and noun inflections, nothing else. */
const ENDING = /^(|ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими|ей|а|ы|у|е|о|и|ю|я|ь|енький|енькая|енькие|еньк[а-я]{1,3}|оват[а-я]{1,3}|еват[а-я]{1,3})$/;

/** Whether `word` is a form of the colour word with stem `stem` ("черный"), not a lookalike ("чернила"). */
function isColorForm(word: string, stem: string): boolean {
  return /^[a-z]+$/.test(word) ? word === stem : word.startsWith(stem) && ENDING.test(word.slice(stem.length));
}

/**
 * The colours named in a list of normalised words, and the indexes of the words they used, so
 * a query can take them out of its free-text part. With `typos`, a colour word one typo away
 * counts too (for visitors' questions; catalogs are spelled right and large).
 */
export function findColors(words: string[], options: { typos?: boolean; palette?: Palette } = {}): { colors: ColorMention[]; used: Set<number> } {
  const palette = options.palette ?? DEFAULT_PALETTE;
  const BY_STEM = palette.byStem;
  const stems = words.map(stemWord);
  const colors: ColorMention[] = [];
  const used = new Set<number>();
  for (let i = 0; i < stems.length; i++) {
    // The pair is built only where one can start: a string per word of every offer name otherwise.
    const two = i + 1 < stems.length && palette.pairStarts.has(stems[i]!) ? `${stems[i]} ${stems[i + 1]}` : undefined;
    let key = two && BY_STEM.has(two) ? two : stems[i]!;
    let entry = BY_STEM.get(key);
    // A listed word as written ("опал", "бордо") is a colour even where Snowball cuts it oddly.
    const listed = palette.forms.get(words[i]!);
    if (key !== two && listed) {
      key = listed;
      entry = BY_STEM.get(key);
    }
    if (!entry || (!listed && !isColorForm(words[i]!, stems[i]!))) {
      const typo = options.typos ? typoColor(words[i]!, palette) : undefined;
      if (!typo) continue;
      key = typo;
      entry = BY_STEM.get(key)!;
    }
    const previous = i > 0 ? stems[i - 1] : undefined;
    const modifier = previous && MODIFIERS.has(previous) ? previous : undefined;
    if (modifier) used.add(i - 1);
    colors.push({ stem: key, families: [...entry.families], modifier });
    used.add(i);
    if (key === two) used.add(++i);
  }
  return { colors, used };
}

/** The families neighbouring any of `families`. */
export function neighbourFamilies(families: string[], palette: Palette = DEFAULT_PALETTE): string[] {
  const out: string[] = [];
  for (const [x, y] of palette.spec.neighbours) {
    if (families.includes(x)) out.push(y);
    if (families.includes(y)) out.push(x);
  }
  return out;
}

function neighbours(a: string[], b: string[]): boolean {
  return DEFAULT_COLOR_NEIGHBOURS.some(([x, y]) => (a.includes(x) && b.includes(y)) || (a.includes(y) && b.includes(x)));
}

/**
 * How well an offer's colours answer a query's colour: 1 the same word (and modifier, when the
 * query has one), 0.8 a shade of the same family, 0.4 a neighbouring family, 0 none.
 */
export function colorMatch(query: ColorMention, offer: ColorMention[]): number {
  let best = 0;
  for (const c of offer) {
    if (c.stem === query.stem && (!query.modifier || c.modifier === query.modifier)) return 1;
    if (c.stem === query.stem) best = Math.max(best, 0.9);
    else if (c.families.some((f) => query.families.includes(f))) best = Math.max(best, 0.8);
    else if (neighbours(c.families, query.families)) best = Math.max(best, 0.4);
  }
  return best;
}
