/** SESSION_SECRET unset: one secret is generated in DATA_DIR and kept, so sessions survive restarts. */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSessionSecret, SESSION_SECRET_FILE } from '../../../src/http/admin/session-secret.js';

describe('resolveSessionSecret', () => {
  const dirs: string[] = [];
  const freshDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-secret-'));
    dirs.push(dir);
    return join(dir, 'data');
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('uses SESSION_SECRET when it is set and writes nothing', async () => {
    const dataDir = await freshDir();

    expect(await resolveSessionSecret(dataDir, 'configured-secret-0123456789')).toBe('configured-secret-0123456789');
    await expect(stat(join(dataDir, SESSION_SECRET_FILE))).rejects.toThrow();
  });

  it('generates a secret readable only by its owner and returns the same one on every later start, even when starts race', async () => {
    const dataDir = await freshDir();

    const racing = await Promise.all([resolveSessionSecret(dataDir), resolveSessionSecret(dataDir), resolveSessionSecret(dataDir)]);
    const later = await resolveSessionSecret(dataDir);

    expect(racing[0]!.length).toBeGreaterThanOrEqual(32);
    expect(new Set([...racing, later]).size).toBe(1);
    expect((await stat(join(dataDir, SESSION_SECRET_FILE))).mode & 0o777).toBe(0o600);
  });
});
