/** Prompt-folder texts for knowledge unit tests: a small catalog covering every query class. */
import { buildSnapshot, type PromptTexts } from '../../../src/knowledge/load-folder.js';
import type { KnowledgeSnapshot } from '../../../src/knowledge/snapshot.js';

interface FixtureOffer {
  id: string;
  name: string;
  category: number;
  price?: number;
  available?: boolean;
  vendor?: string;
  params?: Array<[string, string, string?]>;
  description?: string;
}

const OFFERS: FixtureOffer[] = [
  { id: 'ora-641-051', name: 'Пленка Oracal 641 051 синий глянцевая, 1,26x50 м', category: 11, price: 11160, vendor: 'Oracal', params: [['Цвет', 'синий'], ['Ширина рулона', '1,26', 'м']] },
  { id: 'ora-641-050', name: 'Пленка Oracal 641 050 темно-синий глянцевая, 1,26x50 м', category: 11, price: 10850, vendor: 'Oracal', params: [['Цвет', 'темно-синий'], ['Ширина рулона', '1,26', 'м']] },
  { id: 'ora-641-053', name: 'Пленка Oracal 641 053 голубой глянцевая, 1,00x50 м', category: 11, price: 7200, vendor: 'Oracal', params: [['Цвет', 'голубой'], ['Ширина рулона', '1,00', 'м']] },
  { id: 'ora-641-031', name: 'Пленка Oracal 641 031 красный глянцевая, 1,26x50 м', category: 11, price: 10920, vendor: 'Oracal', available: false, params: [['Цвет', 'красный']] },
  { id: 'ora-641-031-b', name: 'Пленка Oracal 641 031 красный матовая, 1,26x50 м', category: 11, price: 10700, vendor: 'Oracal', params: [['Цвет', 'красный']] },
  { id: 'ora-641-010', name: 'Пленка Oracal 641 010 белый глянцевая, 1,26x50 м', category: 11, price: 11880, vendor: 'Oracal', params: [['Цвет', 'белый']] },
  { id: 'avery-500-070', name: 'Пленка Avery Dennison 500 070 черный, 1,23x50 м', category: 11, price: 9080, vendor: 'Avery Dennison', params: [['Цвет', 'черный']] },
  { id: 'ora-8500-051', name: 'Пленка Oracal 8500 051 синий транслюцентная, 1,26x50 м', category: 14, price: 19900, vendor: 'Oracal', params: [['Цвет', 'синий']] },
  { id: 'banner-510', name: 'Баннер литой 510 г/м², рулон 3,20x50 м', category: 21, price: 210, vendor: 'Verseidag', params: [['Плотность', '510', 'г/м²']] },
  { id: 'banner-440', name: 'Баннер ламинированный Frontlit 440 г/м², рулон 1,60x50 м', category: 21, price: 95, vendor: 'Ultraflex', params: [['Плотность', '440', 'г/м²']] },
  { id: 'pvc-3', name: 'Вспененный ПВХ Unext 3 мм, белый, 2050x3050 мм', category: 41, price: 1900, vendor: 'Unext', params: [['Толщина', '3', 'мм']] },
  { id: 'pvc-5', name: 'Вспененный ПВХ Unext 5 мм, белый, 2050x3050 мм', category: 41, price: 2700, vendor: 'Unext', params: [['Толщина', '5', 'мм']] },
  { id: 'acryl-3', name: 'Акриловое стекло Plexiglas XT 3 мм, прозрачное, 2050x3050 мм', category: 42, price: 6200, vendor: 'Plexiglas', params: [['Толщина', '3', 'мм']] },
  { id: 'graphtec-ce7000-60', name: 'Режущий плоттер Graphtec CE7000-60', category: 62, price: 219000, vendor: 'Graphtec', params: [['Ширина резки', '0,60', 'м']] },
  { id: 'summa-d120', name: 'Режущий плоттер Summa S One D120', category: 62, price: 399000, vendor: 'Summa', available: false, params: [['Ширина резки', '1,20', 'м']] },
  { id: 'mimaki-cjv150-130', name: 'Экосольвентный принтер-каттер Mimaki CJV150-130', category: 61, price: 1790000, vendor: 'Mimaki', params: [['Ширина печати', '1,36', 'м']] },
  { id: 'rollup-eco', name: 'Мобильный стенд Roll-up эконом 85x200 см', category: 71, price: 2900, vendor: 'Vink Display' },
  { id: 'rollup-premium', name: 'Мобильный стенд Roll-up премиум 85x200 см', category: 71, price: 6900, vendor: 'Vink Display' },
  { id: 'ink-es3-cyan', name: 'Чернила Mimaki ES3 Cyan, 440 мл', category: 51, price: 6900, vendor: 'Mimaki', params: [['Цвет', 'голубой'], ['Объем', '440', 'мл']] },
];

const CATEGORIES: Array<[number, string, number?]> = [
  [1, 'Самоклеящиеся пленки'], [11, 'Пленки для плоттерной резки', 1], [14, 'Светорассеивающие пленки', 1],
  [2, 'Баннерные ткани'], [21, 'Баннер', 2], [4, 'Листовые пластики'], [41, 'Вспененный ПВХ', 4], [42, 'Акриловое стекло', 4],
  [5, 'Чернила'], [51, 'Экосольвентные чернила', 5], [6, 'Оборудование'], [61, 'Широкоформатные принтеры', 6], [62, 'Режущие плоттеры', 6],
  [7, 'Выставочные конструкции'], [71, 'Мобильные стенды Roll-up', 7],
];

function offerXml(o: FixtureOffer): string {
  const params = (o.params ?? []).map(([n, v, u]) => `<param name="${n}"${u ? ` unit="${u}"` : ''}>${v}</param>`).join('');
  const price = o.price === undefined ? '' : `<price>${o.price}</price>`;
  return `<offer id="${o.id}" available="${o.available ?? true}"><url>https://shop.example/${o.id}/</url>${price}<currencyId>RUB</currencyId>` +
    `<categoryId>${o.category}</categoryId><vendor>${o.vendor ?? ''}</vendor><name>${o.name}</name><description>${o.description ?? ''}</description>${params}</offer>`;
}

/** A YML catalog of the fixture offers (plus `extra` offers' XML). */
export function catalogYml(extra = ''): string {
  const categories = CATEGORIES.map(([id, name, parent]) => `<category id="${id}"${parent ? ` parentId="${parent}"` : ''}>${name}</category>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<yml_catalog date="2024-06-01 10:00">
<shop>
<name>Винк</name>
<company>ООО «Винк»</company>
<url>https://shop.example</url>
<categories>
${categories}
</categories>
<offers>
${OFFERS.map(offerXml).join('\n')}
${extra}
</offers>
</shop>
</yml_catalog>
`;
}

export const SYSTEM_MD = 'Ты консультант компании {{company}} ({{site}}). Сегодня {{date}}\nТовары:\n{{catalog}}\nОтветы:\n{{faq}}\n';

export const MESSAGES_YML = `greeting: "Здравствуйте!"
help: "Напишите вопрос."
accepted: "Сообщение получено"
connecting: "Соединяю с оператором."
no_operator: "Операторов нет."
finished: "Чат окончен."
fallback: "Не получается ответить."
rate_limited: "Слишком часто."
busy: "Сейчас много вопросов."
telegram_unsupported: "Только текст."
telegram_person_button: "Оператор"
telegram_command_start: "Начать"
telegram_command_help: "Помощь"
telegram_command_operator: "Оператор"
widget_title: "Чат"
widget_placeholder: "Вопрос"
widget_send: "Отправить"
widget_open: "Открыть чат с консультантом"
widget_close: "Свернуть чат"
widget_person: "Позвать оператора"
widget_person_message: "Хочу поговорить с сотрудником"
widget_typing: "Консультант печатает…"
widget_sending: "Отправляется…"
widget_send_failed: "Не отправлено. Проверьте связь и попробуйте ещё раз."
widget_wait: "Слишком много сообщений. Можно написать снова через {seconds} с."
widget_offline: "Нет связи. Переподключаюсь…"
widget_unread: "Новых сообщений: {count}"
operator_joined: "operator_joined"
handoff_expired: "handoff_expired"
operators_registered: "operators_registered"
operators_pending: "operators_pending"
operators_disabled: "operators_disabled"
operators_on_duty: "operators_on_duty"
operators_off_duty: "operators_off_duty"
operators_invite: "operators_invite"
operators_invite_button: "operators_invite_button"
operators_taken_by_you: "operators_taken_by_you"
operators_taken_by_you_short: "operators_taken_by_you_short"
operators_taken_by: "operators_taken_by"
operators_already_taken: "operators_already_taken"
operators_invite_closed: "operators_invite_closed"
operators_busy: "operators_busy"
operators_not_on_duty: "operators_not_on_duty"
operators_transcript: "operators_transcript"
operators_customer: "operators_customer"
operators_bot: "operators_bot"
operators_operator: "operators_operator"
operators_no_chat: "operators_no_chat"
operators_finished: "operators_finished"
operators_returned: "operators_returned"
operators_text_only: "operators_text_only"
operators_reason_customer_request: "operators_reason_customer_request"
operators_reason_out_of_depth: "operators_reason_out_of_depth"
operators_reason_model_decision: "operators_reason_model_decision"
operators_command_start: "operators_command_start"
operators_command_stop: "operators_command_stop"
operators_command_finish: "operators_command_finish"
offline_offers: "Вот что нашлось:"
offline_more: "Заказ оформят менеджеры."
in_stock: "в наличии"
on_order: "под заказ"
price_on_request: "цена по запросу"
`;

export const HANDOFF_YML = `customer:
  - оператор
  - живой человек
reply:
  - искусственного интеллекта
  - искусственный интеллект
  - я не могу
  - я бот
`;

export const FAQ_JSONL = [
  { question: 'Какой у вас адрес, для почтовых отправлений?', answer: '200961, г. Санкт-Петербург, ВОХ 1251.' },
  { question: 'Предоставляется ли гарантия?', answer: 'Мы предоставляем гарантию на все услуги сервис-центра.' },
  { question: 'Что такое самба?', answer: 'Ткань Самба — транслюцентный текстильный материал для лайтбоксов.' },
].map((entry) => JSON.stringify(entry)).join('\n');

export const SYNONYMS_YML = `- [самоклейка, самоклеящаяся пленка]
- [роллап, ролл ап, roll-up]
- [пвх, поливинилхлорид]
- [оргстекло, акриловое стекло, акрил]
`;

/** The fixture folder's texts; `overrides` replace or (with undefined) remove files. */
export function fixtureTexts(overrides: PromptTexts = {}): PromptTexts {
  return {
    'system.md': SYSTEM_MD,
    'messages.yml': MESSAGES_YML,
    'handoff.yml': HANDOFF_YML,
    'faq.jsonl': FAQ_JSONL,
    'synonyms.yml': SYNONYMS_YML,
    'catalog.yml': catalogYml(),
    ...overrides,
  };
}

/** A snapshot of the fixture folder. */
export function fixtureSnapshot(overrides: PromptTexts = {}): Promise<KnowledgeSnapshot> {
  return buildSnapshot('prompts', fixtureTexts(overrides));
}
