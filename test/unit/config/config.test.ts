import { describe, expect, it } from 'vitest';
import { ConfigError, hasLlmCredentials, loadConfig } from '../../../src/config.js';

describe('configuration', () => {
  it('an empty environment gives the documented defaults', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      PORT: 8000,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      PROMPTS_DIR: './prompts',
      YANDEX_GPT_MODEL: 'yandexgpt-lite/latest',
      YANDEX_GPT_TEMPERATURE: 0.6,
      YANDEX_GPT_MAX_TOKENS: 2000,
      LLM_CONCURRENCY: 10,
      LLM_TIMEOUT_MS: 30000,
      YANDEX_DATA_LOGGING: false,
      RATE_LIMIT_MESSAGES_PER_MINUTE: 20,
      RATE_LIMIT_ADDRESS_PER_MINUTE: 3000,
      RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE: 60,
      RATE_LIMIT_TELEGRAM_PER_MINUTE: 20,
      MAX_MESSAGE_CHARS: 4000,
      MAX_BODY_BYTES: 65536,
      CORS_ORIGINS: '*',
      TRUST_PROXY: 'loopback',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.LLM_CALLS_PER_MINUTE).toBeUndefined();
    expect(config.METRICS_TOKEN).toBeUndefined();
  });

  it('every problem is reported together', () => {
    const load = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LLM_CONCURRENCY: '0' });

    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(
        expect.arrayContaining(['PORT', 'DATABASE_URL', 'LLM_CONCURRENCY']),
      );
    }
  });

  it('credentials without a folder are refused', () => {
    expect(() => loadConfig({ YANDEX_API_KEY: 'key' })).toThrow(/YANDEX_FOLDER_ID/);
  });

  it('webhook mode without a secret is refused', () => {
    expect(() => loadConfig({ TELEGRAM_WEBHOOK_BASE_URL: 'https://bot.example.com' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it('empty strings count as unset', () => {
    const config = loadConfig({ DATABASE_URL: '', REDIS_URL: '', PORT: '' });

    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(8000);
  });

  it('the model is configured only with credentials and a folder', () => {
    expect(hasLlmCredentials(loadConfig({}))).toBe(false);
    expect(hasLlmCredentials(loadConfig({ YANDEX_IAM_TOKEN: 't', YANDEX_FOLDER_ID: 'f' }))).toBe(true);
  });
});
