import type { AppInfo } from './app.js';

/** The start-up banner: where things are, what runs, and what is missing. Plain text for a terminal. */
export function renderBanner(info: AppInfo, promptsDir: string): string {
  const lines = [`support bot started (${info.role})`];
  if (info.url) {
    lines.push(
      `  try it        ${info.url}/  (a demo chat page)`,
      `  chat API      ${info.url}/api/v1/gpt  ·  ${info.url}/api/v1/message`,
      `  catalog       ${info.url}/api/v1/catalog/search?q=…`,
      `  swagger       ${info.url}/swagger/`,
      `  health        ${info.url}/healthz  ·  ${info.url}/readyz  ·  ${info.url}/metrics`,
    );
  }
  lines.push(
    `  database      ${info.database === 'embedded' ? 'embedded PostgreSQL (DATA_DIR)' : 'PostgreSQL at DATABASE_URL'}`,
    `  queue         ${info.queue === 'redis' ? 'BullMQ on Redis (REDIS_URL)' : 'in-process (no REDIS_URL)'}`,
    `  channels      ${info.channels.join(', ') || 'none'}`,
    `  prompts       ${promptsDir}`,
  );
  if (info.llm === 'offline') {
    lines.push(
      '',
      '  WARNING: YandexGPT is not configured (YANDEX_API_KEY or YANDEX_IAM_TOKEN, and YANDEX_FOLDER_ID).',
      '  The bot answers from the knowledge base only: FAQ answers and matching catalog offers.',
    );
  }
  return lines.join('\n');
}
