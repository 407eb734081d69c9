/** Configuration for tests: the environment's defaults plus overrides, never the developer's .env. */
import { loadConfig, type Config } from '../../src/config.js';

/** Builds a validated Config from CONTRACT.md names; unset values take the schema's defaults. */
export function testConfig(overrides: Record<string, string | number | boolean | undefined> = {}): Config {
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PROMPTS_DIR: 'prompts',
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9', // never the real API, even by accident
    YANDEX_GPT_BASE_URL: 'http://127.0.0.1:9',
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = String(value);
  }
  return loadConfig(env);
}
