/**
 * A browser-less client of the admin panel over a real socket: keeps the session cookie, reads
 * the CSRF token out of the last form it saw, and never follows redirects (tests look at them).
 */
import { createOrm } from '../../src/db/orm.js';
import { createAdminUser } from '../../src/http/admin/admin-users.js';

export interface AdminResponse {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

export class AdminClient {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(
    readonly baseUrl: string,
    /** Sent as X-Forwarded-For (the app trusts loopback proxies): a client address of its own for the login limiter. */
    readonly address = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  ) {}

  async request(method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<AdminResponse> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        'x-forwarded-for': this.address,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? null;
    const body = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrf = token;
    return { status: response.status, location: response.headers.get('location'), body, headers: response.headers };
  }

  get(path: string, headers?: Record<string, string>): Promise<AdminResponse> {
    return this.request('GET', path, undefined, headers);
  }

  /** Posts a form with the CSRF token of the last page seen. */
  post(path: string, form: Record<string, string>): Promise<AdminResponse> {
    return this.request('POST', path, { _csrf: this.csrf ?? '', ...form });
  }

  /** Opens the login form and logs in; returns the login POST's response. */
  async login(username: string, password: string): Promise<AdminResponse> {
    await this.get('/admin/login');
    return this.post('/admin/login', { username, password });
  }
}

/** Creates an admin user directly in the database at `url` (migrations already applied). */
export async function seedAdmin(url: string, username: string, password: string): Promise<void> {
  const orm = await createOrm({ url, poolMax: 1 });
  try {
    await createAdminUser(orm.em.fork(), username, password);
  } finally {
    await orm.close(true);
  }
}
