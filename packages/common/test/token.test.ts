import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureToken, isLoopbackAddress, tokensEqual } from '../src/index.js';

test('the token is generated once, stored with mode 0600, and reused', async () => {
  const home = await mkdtemp(join(tmpdir(), 'exo-token-'));
  try {
    const first = await ensureToken(home);
    assert.equal(first.created, true);
    assert.ok(first.token.length >= 32);
    assert.equal((await stat(first.path)).mode & 0o777, 0o600);
    const second = await ensureToken(home);
    assert.equal(second.created, false);
    assert.equal(second.token, first.token);
    assert.ok(tokensEqual(first.token, second.token));
    assert.ok(!tokensEqual(first.token, first.token + 'x'));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test('a generated token is safe as a command-line argument (never starts with a dash)', async () => {
  const home = await mkdtemp(join(tmpdir(), 'exo-token-'));
  try {
    // Without care, one base64url token in 64 starts with '-': 300 tokens would show it.
    for (let index = 0; index < 300; index++) {
      const { token } = await ensureToken(join(home, String(index)));
      assert.ok(!token.startsWith('-'), token);
      assert.match(token, /^[A-Za-z0-9_-]{32,}$/);
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test('loopback addresses', () => {
  for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', 'localhost', '[::1]'])
    assert.ok(isLoopbackAddress(address), address);
  for (const address of ['0.0.0.0', '::', '198.18.0.1', 'example.com'])
    assert.ok(!isLoopbackAddress(address), address);
});
