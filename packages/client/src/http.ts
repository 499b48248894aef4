import { ClientError } from './client-error.js';
import { buildUrl, type QueryValues } from './query.js';
import type { ErrorBody } from './types/common.js';

export interface ClientOptions {
  /** The master's URL, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  /** Bearer token; not needed when the server listens on loopback only. */
  readonly token?: string | undefined;
  /** How long one request may take until its response headers (default 30 s). */
  readonly timeoutMs?: number | undefined;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the base URL, without a leading slash added twice (e.g. "v2/apps"). */
  readonly path: string;
  readonly query?: QueryValues;
  /** Sent as JSON when not undefined. */
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
  /** Another server than the master (an agent's URL, for task logs). */
  readonly baseUrl?: string;
}

export const defaultTimeoutMs = 30_000;

/** Sends requests with the token, a timeout, and API errors turned into ClientError. */
export class HttpTransport {
  readonly url: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: ClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  }

  /** A JSON request; resolves to the parsed body, or undefined for an empty one (202, 204). */
  async json<T>(options: RequestOptions): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const response = await this.send(options, signal, timeout);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw transportError(error, { url: response.url, timeout, timeoutMs: this.timeoutMs });
    }
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ClientError(
        'EXO_CLIENT_BAD_RESPONSE',
        response.status,
        `${response.url} answered with a body that is not JSON`,
        { cause: error },
      );
    }
  }

  /**
   * A request whose body is read as a stream (events, followed logs). The timeout covers only
   * the wait for the response headers: a stream may stay open for as long as it is read.
   */
  async stream(options: RequestOptions): Promise<Response> {
    const timeoutController = new AbortController();
    const timer = setTimeout(
      () => timeoutController.abort(new DOMException('timeout', 'TimeoutError')),
      this.timeoutMs,
    );
    const signals = [timeoutController.signal, ...(options.signal ? [options.signal] : [])];
    try {
      return await this.send(options, AbortSignal.any(signals), timeoutController.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private async send(
    options: RequestOptions,
    signal: AbortSignal,
    timeout: AbortSignal,
  ): Promise<Response> {
    const url = buildUrl(options.baseUrl ?? this.url, options.path, options.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method ?? 'GET',
        headers,
        signal,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      throw transportError(error, { url, timeout, timeoutMs: this.timeoutMs });
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }
}

/** Turns a failed fetch into a ClientError that says which server and why. */
function transportError(
  error: unknown,
  context: { url: string; timeout: AbortSignal; timeoutMs: number },
): Error {
  const { origin } = new URL(context.url);
  if (context.timeout.aborted) {
    return new ClientError(
      'EXO_CLIENT_TIMEOUT',
      0,
      `${origin} did not answer within ${context.timeoutMs} ms`,
      { cause: error },
    );
  }
  // A caller's own abort is not a failure to report as one: rethrow it as it is.
  if (error instanceof Error && error.name === 'AbortError') return error;
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return new ClientError('EXO_CLIENT_UNREACHABLE', 0, `cannot reach ${origin}: ${reason}`, {
    cause: error,
  });
}

/** The API's JSON error body as a ClientError; anything else as EXO_CLIENT_BAD_RESPONSE. */
async function errorFromResponse(response: Response): Promise<ClientError> {
  const text = await response.text().catch(() => '');
  let body: Partial<ErrorBody> | undefined;
  try {
    body = JSON.parse(text) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  if (body && typeof body.code === 'string' && typeof body.message === 'string') {
    const { code, message, details, ...data } = body;
    return new ClientError(code, response.status, message, {
      details: Array.isArray(details) ? details : undefined,
      data: Object.keys(data).length > 0 ? data : undefined,
    });
  }
  const snippet = text.trim().slice(0, 200);
  return new ClientError(
    'EXO_CLIENT_BAD_RESPONSE',
    response.status,
    `${response.status} ${response.statusText} from ${new URL(response.url).pathname}${snippet ? `: ${snippet}` : ''}`,
  );
}
