import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { isExoError, loadConfig } from '../src/index.js';

const schema = z.strictObject({
  port: z.coerce.number().int().default(8080),
  heartbeatIntervalMs: z.coerce.number().int().min(10).default(500),
  mode: z.enum(['a', 'b']).default('a'),
});

test('file < environment < flags, defaults applied once, result frozen', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'exo-config-'));
  try {
    const file = join(directory, 'config.json');
    await writeFile(file, JSON.stringify({ port: 1, heartbeatIntervalMs: 100 }));
    const config = loadConfig(schema, {
      file,
      env: { EXO_HEARTBEAT_INTERVAL_MS: '200', EXO_OTHER: 'ignored' },
      flags: { port: '3' },
    });
    assert.deepEqual({ ...config }, { port: 3, heartbeatIntervalMs: 200, mode: 'a' });
    assert.ok(Object.isFrozen(config));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('an unknown key is rejected naming the closest known key', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'exo-config-'));
  try {
    const file = join(directory, 'config.json');
    await writeFile(file, JSON.stringify({ heartbeatIntervalMS: 100 }));
    assert.throws(
      () => loadConfig(schema, { file }),
      (error: unknown) =>
        isExoError(error) &&
        error.code === 'EXO_CONFIG_INVALID' &&
        /did you mean 'heartbeatIntervalMs'/.test(error.message),
    );
    assert.throws(() => loadConfig(schema, { flags: { prot: '1' } }), /did you mean 'port'/);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('invalid values are reported with their path; a bad file is a clear error', () => {
  assert.throws(
    () => loadConfig(schema, { flags: { heartbeatIntervalMs: '1', mode: 'c' } }),
    (error: unknown) => {
      assert.ok(isExoError(error));
      assert.deepEqual(error.details?.map((d) => d.path).sort(), ['/heartbeatIntervalMs', '/mode']);
      return true;
    },
  );
  assert.throws(
    () => loadConfig(schema, { file: '/nonexistent/config.json' }),
    /cannot read config file/,
  );
});
