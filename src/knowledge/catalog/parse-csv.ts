/**
 * CSV catalogs: one offer a row, a header naming the columns (English or Russian: `id`, `name`
 * or `название`, `url`, `price` or `цена`, `category` as a path "Пленки / Для резки", `vendor`,
 * `available`, `description`…). Every other column is a parameter; "Толщина, мм" gives the
 * parameter "Толщина" in "мм". The delimiter (`,` `;` or tab) is taken from the header line.
 */
import { parse, type CsvError } from 'csv-parse';
import { KnowledgeInvalidError } from '../errors.js';
import { plainText, type Catalog, type OfferParam, type RawOffer } from './offer.js';
import { validateOffers } from './validate-offers.js';

const COLUMN_ALIASES: Record<string, keyof RawOffer> = {
  id: 'id', код: 'id', 'offer id': 'id',
  name: 'name', название: 'name', наименование: 'name', товар: 'name',
  url: 'url', ссылка: 'url', link: 'url',
  price: 'price', цена: 'price',
  currency: 'currency', currencyid: 'currency', валюта: 'currency',
  category: 'categoryPath', categories: 'categoryPath', категория: 'categoryPath', раздел: 'categoryPath',
  vendor: 'vendor', brand: 'vendor', бренд: 'vendor', производитель: 'vendor',
  model: 'model', модель: 'model',
  vendorcode: 'vendorCode', sku: 'vendorCode', артикул: 'vendorCode',
  available: 'available', наличие: 'available', 'в наличии': 'available',
  description: 'description', описание: 'description',
};

/** Characters fed to the parser before the event loop gets a turn. */
const SLICE = 256 * 1024;

/** Parses a CSV catalog. Throws `KnowledgeInvalidError` naming `file`, line and offer id. */
export async function parseCsv(text: string, file: string): Promise<Catalog> {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const delimiter = [';', '\t', ','].map((d) => ({ d, n: firstLine.split(d).length })).sort((a, b) => b.n - a.n)[0]!.d;
  const parser = parse({ delimiter, bom: true, columns: true, info: true, skip_empty_lines: true, trim: true });
  const raw: Array<{ offer: RawOffer; line: number }> = [];
  parser.on('readable', () => {
    let item: { record: Record<string, string>; info: { lines: number } } | null;
    while ((item = parser.read() as typeof item) !== null) raw.push({ offer: toRawOffer(item.record), line: item.info.lines });
  });
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  try {
    for (let i = 0; i < text.length; i += SLICE) {
      parser.write(text.slice(i, i + SLICE));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    parser.end();
    await finished;
  } catch (error) {
    const line = (error as CsvError).lines as number | undefined;
    throw new KnowledgeInvalidError({ file, line }, `malformed CSV: ${(error as Error).message}`, error);
  }
  if (raw.length > 0 && !raw[0]!.offer.id && !raw[0]!.offer.name) {
    throw new KnowledgeInvalidError({ file, line: 1 }, 'the header has neither an "id" nor a "name" column');
  }
  return { shop: {}, offers: await validateOffers(raw, file) };
}

function toRawOffer(record: Record<string, string>): RawOffer {
  const offer: Record<string, unknown> = {};
  const params: OfferParam[] = [];
  for (const [column, value] of Object.entries(record)) {
    const key = COLUMN_ALIASES[column.trim().toLowerCase()];
    if (key === 'categoryPath') offer.categoryPath = value.split(/\s*[/>|]\s*/).filter(Boolean);
    else if (key) offer[key] = value === '' ? undefined : value;
    else if (column.trim().toLowerCase() === 'params') params.push(...parseParamList(value));
    else if (value !== '') params.push(paramFromColumn(column, value));
  }
  offer.description = plainText(String(offer.description ?? ''));
  offer.params = params;
  offer.id = String(offer.id ?? '');
  offer.name = String(offer.name ?? '');
  offer.url = String(offer.url ?? '');
  offer.currency ??= 'RUB';
  offer.categoryPath ??= [];
  return offer as unknown as RawOffer;
}

function paramFromColumn(column: string, value: string): OfferParam {
  const match = /^(.*?),\s*([^,]+)$/.exec(column.trim());
  return match ? { name: match[1]!, value, unit: match[2]! } : { name: column.trim(), value };
}

/** A "params" column: "Цвет=синий; Толщина=3 мм". */
function parseParamList(value: string): OfferParam[] {
  return value
    .split(';')
    .map((pair) => pair.split('='))
    .filter((pair) => pair.length === 2 && pair[0]!.trim() && pair[1]!.trim())
    .map(([name, v]) => ({ name: name!.trim(), value: v!.trim() }));
}
