/** The server's error body `{code, message, details}` and the exception the front end throws for it. */

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Reads whatever the server sent into an ApiErrorBody; tolerant of FastAPI's 422 `{detail: [...]}`. */
export function toErrorBody(status: number, raw: unknown): ApiErrorBody {
  if (isRecord(raw)) {
    if (typeof raw.code === 'string' && typeof raw.message === 'string') {
      return { code: raw.code, message: raw.message, details: raw.details };
    }
    if ('detail' in raw) {
      const detail = raw.detail;
      const message =
        typeof detail === 'string'
          ? detail
          : Array.isArray(detail)
            ? detail
                .map((d) => (isRecord(d) && typeof d.msg === 'string' ? d.msg : JSON.stringify(d)))
                .join('; ')
            : `HTTP ${status}`;
      return { code: status === 422 ? 'validation_error' : `http_${status}`, message, details: detail };
    }
  }
  return { code: `http_${status}`, message: typeof raw === 'string' && raw ? raw : `HTTP ${status}` };
}

/** Strings from `details` when the server sent a list of them (e.g. password policy violations). */
export function detailStrings(err: unknown): string[] {
  if (err instanceof ApiError && Array.isArray(err.details)) {
    return err.details.filter((d): d is string => typeof d === 'string');
  }
  return [];
}
