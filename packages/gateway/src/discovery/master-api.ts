import { readFile } from 'node:fs/promises';

/**
 * Where a compute-plane master is and how to authenticate to it. The gateway talks to the
 * master over its public, Marathon-compatible HTTP API only.
 */
export interface MasterLocation {
  readonly url: string;
  /** The bearer token, read at each connection so a rotated token file is picked up. */
  token(): Promise<string | undefined>;
  /** Identifies the master and its credentials: one resolver per key. */
  readonly key: string;
}

/** A token given as a value, a file to read, or an environment variable to read. */
export type TokenSource =
  { readonly value: string } | { readonly file: string } | { readonly env: string };

export function masterLocation(url: string, token: TokenSource | undefined): MasterLocation {
  const base = url.replace(/\/+$/, '');
  return {
    url: base,
    key: JSON.stringify([base, token && 'value' in token ? 'value' : (token ?? null)]),
    async token() {
      if (!token) return undefined;
      if ('value' in token) return token.value;
      if ('env' in token) return process.env[token.env] || undefined;
      return (await readFile(token.file, 'utf8')).trim() || undefined;
    },
  };
}

/** Bounds on one answer from the master. */
export interface RequestLimits {
  readonly timeoutMs: number;
  readonly bytesMax: number;
}

/**
 * `GET /v2/apps/{id}?embed=app.tasks`: the app's definition (for its health checks) and its
 * tasks in one answer. Resolves to undefined when the app does not exist (404).
 */
export async function fetchAppWithTasks(
  master: MasterLocation,
  appId: string,
  limits: RequestLimits & { readonly signal: AbortSignal },
): Promise<Record<string, unknown> | undefined> {
  const path = appId
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
  const response = await fetch(`${master.url}/v2/apps/${path}?embed=app.tasks`, {
    headers: await headers(master, 'application/json'),
    signal: AbortSignal.any([limits.signal, AbortSignal.timeout(limits.timeoutMs)]),
  });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  const text = await readText(response, limits.bytesMax);
  if (!response.ok) throw new Error(`GET /v2/apps${appId} answered ${response.status}: ${text}`);
  const body = JSON.parse(text) as { app?: unknown };
  if (typeof body.app !== 'object' || body.app === null)
    throw new Error(`GET /v2/apps${appId} answered without an app`);
  return body.app as Record<string, unknown>;
}

/**
 * Opens `GET /v2/events` (server-sent events) for the given event types; resolves once the
 * master has answered 200, with the body still streaming.
 */
export async function openEventStream(
  master: MasterLocation,
  options: { types: readonly string[]; signal: AbortSignal; connectTimeoutMs: number },
): Promise<ReadableStream<Uint8Array>> {
  const query = options.types.map((type) => `event_type=${encodeURIComponent(type)}`).join('&');
  // The connect timeout bounds the wait for the answer's head only; once the head arrives the
  // stream lives until the caller's signal aborts it, so it cannot be a fetch timeout signal.
  const controller = new AbortController();
  const abort = (): void => controller.abort(options.signal.reason);
  if (options.signal.aborted) abort();
  else options.signal.addEventListener('abort', abort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${options.connectTimeoutMs} ms`)),
    options.connectTimeoutMs,
  );
  try {
    const response = await fetch(`${master.url}/v2/events?${query}`, {
      headers: await headers(master, 'text/event-stream'),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      const text = await readText(response, 4096).catch(() => '');
      throw new Error(`GET /v2/events answered ${response.status}: ${text}`);
    }
    return response.body;
  } finally {
    clearTimeout(timer);
  }
}

async function headers(master: MasterLocation, accept: string): Promise<Record<string, string>> {
  const token = await master.token();
  return { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

async function readText(response: Response, bytesMax: number): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > bytesMax) {
      await reader.cancel();
      throw new Error(`the master's answer is larger than ${bytesMax} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
