import assert from 'node:assert/strict';

/**
 * A response body as the assertions read it, field by field; a declared shape per endpoint
 * would only restate what the assertions check.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = any;

export interface Reply<T = Body> {
  status: number;
  headers: Headers;
  body: T;
}

/** One JSON request to the master, with the response headers kept. */
export async function request<T = Body>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply<T>> {
  const response = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

/**
 * Asserts that `actual` holds every field of `expected`: objects match field by field (extra
 * fields allowed), arrays match element by element with the same length, values exactly.
 */
export function assertIncludes(actual: unknown, expected: unknown, path = ''): void {
  if (Array.isArray(expected)) {
    assert.ok(
      Array.isArray(actual),
      `${path || '/'}: expected an array, got ${JSON.stringify(actual)}`,
    );
    assert.equal(actual.length, expected.length, `${path || '/'}: array length`);
    expected.forEach((item, index) => assertIncludes(actual[index], item, `${path}/${index}`));
    return;
  }
  if (typeof expected === 'object' && expected !== null) {
    assert.ok(
      typeof actual === 'object' && actual !== null,
      `${path || '/'}: expected an object, got ${JSON.stringify(actual)}`,
    );
    for (const [key, value] of Object.entries(expected)) {
      assertIncludes((actual as Record<string, unknown>)[key], value, `${path}/${key}`);
    }
    return;
  }
  assert.deepEqual(actual, expected, `${path || '/'}`);
}

/** Asserts a Marathon/Metronome validation error: `{message, details: [{path, errors}]}` naming each path. */
export function assertInvalid(reply: Reply, paths: readonly string[]): void {
  assert.equal(reply.status, 422, JSON.stringify(reply.body));
  assert.equal(typeof reply.body.message, 'string');
  assert.ok(Array.isArray(reply.body.details), 'details is an array');
  for (const detail of reply.body.details as { path: unknown; errors: unknown }[]) {
    assert.equal(typeof detail.path, 'string');
    assert.ok(Array.isArray(detail.errors) && detail.errors.length > 0, 'each detail has errors');
  }
  const named = (reply.body.details as { path: string }[]).map((d) => d.path);
  for (const path of paths) {
    assert.ok(named.includes(path), `the error names ${path}; it names ${named.join(', ')}`);
  }
}

/** The configuration part of a Marathon app view (what must survive a GET → PUT round trip). */
export function appConfig(app: Record<string, unknown>): Record<string, unknown> {
  const {
    version: _version,
    versionInfo: _versionInfo,
    tasksStaged: _staged,
    tasksRunning: _running,
    tasksHealthy: _healthy,
    tasksUnhealthy: _unhealthy,
    deployments: _deployments,
    tasks: _tasks,
    lastTaskFailure: _failure,
    taskStats: _stats,
    tasksStats: _stats2,
    readinessCheckResults: _readiness,
    ...config
  } = app;
  return config;
}
