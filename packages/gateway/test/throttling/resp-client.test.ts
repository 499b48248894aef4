import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  RespClient,
  RespError,
  defineScript,
  parseRedisUrl,
  type RespClientState,
  type RespValue,
} from '../../src/policies/throttling/index.js';
import { RespParser, encodeCommand } from '../../src/policies/throttling/resp-protocol.js';
import { eventually } from '../helpers.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

describe('RESP2 encoding and parsing', () => {
  test('a command is an array of bulk strings', () => {
    assert.equal(
      encodeCommand(['SET', 'k', 12, Buffer.from('é')]).toString('utf8'),
      '*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n12\r\n$2\r\né\r\n',
    );
  });

  test('replies split at every byte are parsed once complete', () => {
    const wire = Buffer.from(
      '+OK\r\n-ERR wrong\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*3\r\n:1\r\n*1\r\n$0\r\n\r\n$-1\r\n*-1\r\n',
    );
    const parser = new RespParser({ bufferedBytesMax: 1024 });
    const replies: RespValue[] = [];
    for (let index = 0; index < wire.length; index++)
      replies.push(...parser.push(wire.subarray(index, index + 1)));
    assert.equal(replies.length, 7);
    assert.equal(replies[0], 'OK');
    assert.ok(replies[1] instanceof RespError);
    assert.equal(replies[1].code, 'ERR');
    assert.deepEqual(replies.slice(2), [42, 'hello', null, [1, [''], null], null]);
  });

  test('a malformed or oversized reply is a protocol error', () => {
    assert.throws(() => new RespParser({ bufferedBytesMax: 64 }).push(Buffer.from('?x\r\n')), {
      code: 'REDIS_PROTOCOL',
    });
    assert.throws(() => new RespParser({ bufferedBytesMax: 64 }).push(Buffer.from(':1x\r\n')), {
      code: 'REDIS_PROTOCOL',
    });
    assert.throws(
      () => new RespParser({ bufferedBytesMax: 64 }).push(Buffer.from(`$100\r\n${'x'.repeat(70)}`)),
      { code: 'REDIS_PROTOCOL' },
    );
  });

  test('redis URLs: TCP with password and database, unix sockets, and clear errors', () => {
    assert.deepEqual(parseRedisUrl('redis://:s%40cret@cache.internal:6380/2'), {
      address: { host: 'cache.internal', port: 6380 },
      password: 's@cret',
      database: 2,
    });
    assert.deepEqual(parseRedisUrl('redis://[::1]'), {
      address: { host: '::1', port: 6379 },
      password: undefined,
      database: 0,
    });
    assert.deepEqual(parseRedisUrl('unix:///run/redis/redis.sock'), {
      address: { path: '/run/redis/redis.sock' },
      password: undefined,
      database: 0,
    });
    assert.equal(typeof parseRedisUrl('http://x'), 'string');
    assert.equal(typeof parseRedisUrl('redis://x/abc'), 'string');
    assert.equal(typeof parseRedisUrl('not a url'), 'string');
  });
});

describe('RespClient against a real redis-server', () => {
  let redis: TestRedis;

  before(async () => {
    redis = await startTestRedis();
  });

  after(async () => {
    await redis.close();
  });

  function client(timeoutMs = 1000, onStateChange?: (state: RespClientState) => void): RespClient {
    const endpoint = parseRedisUrl(redis.url);
    assert.ok(typeof endpoint !== 'string');
    return new RespClient({
      endpoint,
      timeoutMs,
      reconnectDelayMs: { first: 20, last: 100 },
      ...(onStateChange ? { onStateChange } : {}),
    });
  }

  test('commands, error replies, and 2,000 pipelined commands answered in order', async () => {
    const redisClient = client();
    try {
      await eventually(() => redisClient.state === 'ready');
      assert.equal(await redisClient.command(['SET', 'resp:a', 'value']), 'OK');
      assert.equal(await redisClient.command(['GET', 'resp:a']), 'value');
      assert.equal(await redisClient.command(['GET', 'resp:missing']), null);
      await assert.rejects(redisClient.command(['INCR', 'resp:a']), (error: unknown) => {
        assert.ok(error instanceof RespError);
        assert.equal(error.code, 'ERR');
        return true;
      });
      const replies = await Promise.all(
        Array.from({ length: 2000 }, () => redisClient.command(['INCR', 'resp:counter'])),
      );
      assert.deepEqual(
        replies,
        Array.from({ length: 2000 }, (_, index) => index + 1),
      );
    } finally {
      redisClient.close();
    }
  });

  test('EVALSHA falls back to EVAL when the server lost the script', async () => {
    const redisClient = client();
    try {
      await eventually(() => redisClient.state === 'ready');
      const script = defineScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
      await redisClient.command(['SCRIPT', 'FLUSH']);
      assert.equal(await redisClient.evalScript(script, ['resp:script'], [5]), 5);
      assert.equal(await redisClient.command(['SCRIPT', 'EXISTS', script.sha1]).then(String), '1');
      assert.equal(await redisClient.evalScript(script, ['resp:script'], [2]), 7);
    } finally {
      redisClient.close();
    }
  });

  test('a slow reply times out, drops the connection, and the client reconnects', async () => {
    const states: RespClientState[] = [];
    const redisClient = client(50, (state) => states.push(state));
    try {
      await eventually(() => redisClient.state === 'ready');
      const startedMs = performance.now();
      // The server answers after 2 s; the client's 50 ms limit gives up long before (a wide
      // margin, so that a loaded machine's late timers cannot fail the test).
      await assert.rejects(redisClient.command(['DEBUG', 'SLEEP', '2']), {
        code: 'REDIS_TIMEOUT',
      });
      const waitedMs = performance.now() - startedMs;
      assert.ok(waitedMs < 1500, `gave up after ${Math.round(waitedMs)} ms, not at the server`);
      // While the connection is down, commands fail at once instead of waiting.
      if (redisClient.state === 'down')
        await assert.rejects(redisClient.command(['PING']), { code: 'REDIS_UNAVAILABLE' });
      await eventually(() => redisClient.state === 'ready', 10_000);
      assert.equal(await redisClient.command(['PING']), 'PONG');
      assert.deepEqual(states.slice(0, 3), ['ready', 'down', 'connecting']);
    } finally {
      redisClient.close();
    }
  });

  test('a killed server fails pending commands; a restarted one is reconnected', async () => {
    const redisClient = client();
    try {
      await eventually(() => redisClient.state === 'ready');
      await redisClient.command(['SET', 'resp:before', '1']);
      await redis.kill();
      await eventually(() => redisClient.state === 'down' || redisClient.state === 'connecting');
      await assert.rejects(redisClient.command(['PING']));
      await redis.start();
      await eventually(() => redisClient.state === 'ready', 5000);
      // The new server started empty (no persistence).
      assert.equal(await redisClient.command(['GET', 'resp:before']), null);
    } finally {
      redisClient.close();
    }
  });

  test('after close, commands are refused', async () => {
    const redisClient = client();
    await eventually(() => redisClient.state === 'ready');
    redisClient.close();
    assert.equal(redisClient.state, 'closed');
    await assert.rejects(redisClient.command(['PING']), { code: 'REDIS_UNAVAILABLE' });
  });
});
