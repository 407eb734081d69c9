/**
 * Admin users: creation (the `create-admin` command) and password checks (the login form).
 * Passwords are hashed with argon2id (@node-rs/argon2: prebuilt binaries in optional
 * dependencies, no install script), with the library's defaults (OWASP's m=19 MiB, t=2, p=1).
 */
import { hash, verify } from '@node-rs/argon2';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { AdminUserEntity } from '../../db/entities.js';

/** A refused `create-admin`: a taken name or a name or password that does not qualify. */
export class AdminUserError extends Error {
  constructor(readonly code: 'admin.duplicate' | 'admin.invalid', message: string) {
    super(message);
    this.name = 'AdminUserError';
  }
}

export const USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{3,64}$/;
export const MIN_PASSWORD_LENGTH = 8;
/** argon2 hashes are slow on purpose; an absurd input is refused before hashing. */
const MAX_PASSWORD_LENGTH = 1024;

/** Creates an admin user; fails with `AdminUserError` for a duplicate or invalid name or password. */
export async function createAdminUser(em: EntityManager, username: string, password: string): Promise<{ id: string; username: string }> {
  if (!USERNAME_PATTERN.test(username)) {
    throw new AdminUserError('admin.invalid', 'username must be 3-64 characters of A-Z, a-z, 0-9, _ . @ -');
  }
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new AdminUserError('admin.invalid', `password must be ${MIN_PASSWORD_LENGTH}-${MAX_PASSWORD_LENGTH} characters`);
  }
  const user = em.create(AdminUserEntity, { username, passwordHash: await hash(password), createdAt: new Date(), lastLoginAt: null });
  try {
    await em.persistAndFlush(user);
  } catch (error) {
    // The unique constraint is the guard: two concurrent create-admin runs cannot both succeed.
    if (error instanceof UniqueConstraintViolationException) {
      throw new AdminUserError('admin.duplicate', `admin user "${username}" already exists`);
    }
    throw error;
  }
  return { id: user.id, username: user.username };
}

/** A hash of a random password: checked against when the name is unknown, so timing does not tell names apart. */
let decoyHash: Promise<string> | undefined;

/** The user when the name and password match, null otherwise; records the login time. */
export async function verifyAdminLogin(em: EntityManager, username: string, password: string): Promise<{ id: string; username: string } | null> {
  if (password.length > MAX_PASSWORD_LENGTH || username.length > 64) return null;
  const user = await em.findOne(AdminUserEntity, { username });
  decoyHash ??= hash(`decoy-${Math.random()}`);
  const ok = await verify(user?.passwordHash ?? (await decoyHash), password).catch(() => false);
  if (!user || !ok) return null;
  user.lastLoginAt = new Date();
  await em.flush();
  return { id: user.id, username: user.username };
}
