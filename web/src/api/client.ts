/**
 * The one HTTP client: openapi-fetch typed by the generated schema.
 * Owns the CSRF token (memory only), the redirects on 401/403 and the error toast.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, toErrorBody } from './errors';
import { notifyError } from '../lib/notify';
import { goTo } from '../lib/navigation';
import i18n from '../i18n';

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Called when the session is gone (401): lets the auth layer drop its cached user. */
let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

/** Endpoints whose failures the calling page shows itself (no toast, no redirect on 401). */
const QUIET_PATHS = new Set(['/api/auth/login', '/api/auth/me', '/api/auth/password', '/api/auth/logout']);

/** Requests whose error the calling component shows inline (no toast); see `quiet`. */
const quietRequests = new WeakSet<Request>();

/** Per-request middleware: `api.PUT(url, { ..., middleware: [quiet] })` shows no toast on error. */
export const quiet: Middleware = {
  onRequest({ request }) {
    quietRequests.add(request);
    return request;
  },
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function readBody(response: Response): Promise<unknown> {
  const text = await response.clone().text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method.toUpperCase()) && csrfToken) {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    // The server answers its messages in the language the user picked (not the browser's default).
    request.headers.set('Accept-Language', i18n.language || 'zh-CN');
    return request;
  },
};

export const errorMiddleware: Middleware = {
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    const path = new URL(request.url).pathname;
    const quiet = QUIET_PATHS.has(path);
    const body = toErrorBody(response.status, await readBody(response));
    if (response.status === 401) {
      if (!quiet) {
        setCsrfToken(null);
        onUnauthorized?.();
        goTo('/login');
      }
      return undefined;
    }
    if (response.status === 403 && body.code === 'password_change_required') {
      goTo('/password');
      return undefined;
    }
    if (!quiet && !quietRequests.has(request)) notifyError(body.message);
    return undefined;
  },
};

function baseUrl(): string {
  return typeof window !== 'undefined' ? window.location.origin : 'http://localhost';
}

export const api = createClient<paths>({
  baseUrl: baseUrl(),
  credentials: 'same-origin',
  // Looked up per call (not captured once), so tests can stub the global fetch.
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(csrfMiddleware, errorMiddleware);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError with the server's body. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    throw new ApiError(response.status, toErrorBody(response.status, error));
  }
  return data as T;
}

/** Same as unwrap for endpoints answering 204. */
export async function unwrapVoid(call: Promise<FetchResult<unknown>>): Promise<void> {
  await unwrap(call);
}
