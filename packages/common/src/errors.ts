/**
 * Errors with stable codes. Each package keeps one registry (a `defineErrors` call) and
 * every code in it is documented in docs/errors.md (a test checks this). Callers match on
 * `error.code`, never on the message or on `instanceof` across package versions.
 *
 * Three kinds of failure are handled differently:
 * - a user error (bad input, unknown id) is an ExoError with a 4xx status: clear message,
 *   nothing changed;
 * - an operating error (disk full, peer gone) is an ExoError with a 5xx status, retried or
 *   reported;
 * - a broken invariant is a bug: `invariant()` throws and the process should crash rather
 *   than continue with corrupt state.
 */
export interface ErrorSpec {
  /** HTTP status the error maps to. */
  readonly status: number;
  /** One sentence saying what happened; shown in docs/errors.md. */
  readonly description: string;
}

/** One invalid field: its JSON path (RFC 6901 style, e.g. "/healthChecks/0/protocol") and why. */
export interface FieldError {
  readonly path: string;
  readonly errors: readonly string[];
}

export class ExoError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: readonly FieldError[] | undefined;
  /** Extra machine-readable data returned with the error (for example a conflicting id). */
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    options: {
      details?: readonly FieldError[];
      data?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ExoError';
    this.code = code;
    this.status = status;
    this.details = options.details;
    this.data = options.data;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
      ...this.data,
    };
  }
}

export type ErrorRegistry<K extends string> = {
  readonly [code in K]: ErrorSpec;
} & {
  /** Builds the error for `code` with a specific message. */
  create(
    code: K,
    message: string,
    options?: { details?: readonly FieldError[]; data?: Record<string, unknown>; cause?: unknown },
  ): ExoError;
};

const registries: Array<Record<string, ErrorSpec>> = [];

export function defineErrors<K extends string>(specs: Record<K, ErrorSpec>): ErrorRegistry<K> {
  registries.push(specs);
  const create = (
    code: K,
    message: string,
    options?: { details?: readonly FieldError[]; data?: Record<string, unknown>; cause?: unknown },
  ): ExoError => new ExoError(code, specs[code].status, message, options);
  return Object.assign(Object.create(null) as object, specs, { create });
}

/** Every registry defined in this process (for the documentation test). */
export function allErrorRegistries(): ReadonlyArray<Record<string, ErrorSpec>> {
  return registries;
}

export function isExoError(error: unknown): error is ExoError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    'status' in error
  );
}

/** Asserts an internal invariant. A failure is a bug, never a user error. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}

/** The common package's own codes. */
export const CommonErrors = defineErrors({
  EXO_BAD_REQUEST: {
    status: 400,
    description: 'The request is malformed (bad JSON, bad query parameter).',
  },
  EXO_UNAUTHORIZED: { status: 401, description: 'No valid bearer token was presented.' },
  EXO_FORBIDDEN: { status: 403, description: 'The token is valid but not allowed to do this.' },
  EXO_NOT_FOUND: { status: 404, description: 'No route or resource at this path.' },
  EXO_METHOD_NOT_ALLOWED: {
    status: 405,
    description: 'The path exists but not with this HTTP method.',
  },
  EXO_BODY_TOO_LARGE: {
    status: 413,
    description: 'The request body is larger than the server accepts.',
  },
  EXO_UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The request body is not JSON.' },
  EXO_VALIDATION_FAILED: {
    status: 422,
    description: 'The input is well-formed but invalid; `details` lists each field path.',
  },
  EXO_CONFIG_INVALID: {
    status: 400,
    description: 'Configuration from file, environment or flags is invalid.',
  },
  EXO_INTERNAL: {
    status: 500,
    description: 'An unexpected server error; the server logged it and stays up.',
  },
  EXO_UNAVAILABLE: { status: 503, description: 'A dependency is unavailable; retry later.' },
});
