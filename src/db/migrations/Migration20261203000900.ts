import { Migration } from '@mikro-orm/migrations';

/**
 * The admin panel: its users (argon2id hashes) and its sessions. `admin_session` has the shape
 * connect-pg-simple reads and writes (sid, sess, expire), so sessions survive restarts and are
 * shared by every api process.
 */
export class Migration20261203000900 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table admin_user (
        id bigint generated always as identity primary key,
        username text not null,
        password_hash text not null,
        created_at timestamptz not null default now(),
        last_login_at timestamptz,
        constraint admin_user_username_unique unique (username)
      )`);
    this.addSql(`
      create table admin_session (
        sid text primary key,
        sess json not null,
        expire timestamptz not null
      )`);
    // connect-pg-simple prunes expired sessions by this column.
    this.addSql('create index admin_session_expire_idx on admin_session (expire)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists admin_session');
    this.addSql('drop table if exists admin_user');
  }
}
