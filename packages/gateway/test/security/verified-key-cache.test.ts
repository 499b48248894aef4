import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VerifiedKeyCache } from '../../src/policies/security/verified-key-cache.js';

describe('verified key cache', () => {
  test('holds at most its bound and drops the least recently used first', () => {
    const cache = new VerifiedKeyCache<number>(4);
    for (let i = 0; i < 4; i++) cache.set(`key-${i}`, i);
    // Using key-0 makes key-1 the least recently used.
    assert.equal(cache.get('key-0'), 0);
    cache.set('key-4', 4);
    assert.equal(cache.size, 4);
    assert.equal(cache.get('key-1'), undefined);
    assert.equal(cache.get('key-0'), 0);
    assert.equal(cache.get('key-4'), 4);
    for (let i = 5; i < 100; i++) cache.set(`key-${i}`, i);
    assert.equal(cache.size, 4);
  });

  test('finds an entry only by the exact key', () => {
    const cache = new VerifiedKeyCache<string>(8);
    cache.set('id.secret', 'application');
    assert.equal(cache.get('id.secret'), 'application');
    assert.equal(cache.get('id.secreT'), undefined);
    assert.equal(cache.get('id.secret '), undefined);
  });
});
