/**
 * The secret that signs admin session cookies: SESSION_SECRET, or one generated once and kept in
 * DATA_DIR so sessions survive restarts. Processes that share no DATA_DIR (api processes on
 * several machines) need SESSION_SECRET set to one value.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SESSION_SECRET_FILE = 'session-secret';

/** Returns `configured` when set; otherwise reads DATA_DIR/session-secret, creating it (mode 0600) on first use. */
export async function resolveSessionSecret(dataDir: string, configured?: string): Promise<string> {
  if (configured) return configured;
  const file = join(dataDir, SESSION_SECRET_FILE);
  await mkdir(dataDir, { recursive: true });
  // Written aside, then linked into place: link() fails on an existing name, so of processes
  // starting at once one secret wins, and nobody reads a file still being written.
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(draft, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(draft);
  }
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32) throw new Error(`session secret in ${file} is shorter than 32 characters; delete the file to generate a new one`);
  return secret;
}
