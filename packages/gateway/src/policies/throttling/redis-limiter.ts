import { createHash } from 'node:crypto';
import type { LimitDecision, WindowLimiter, WindowState } from './decision.js';
import { defineScript, type RespClient } from './resp-client.js';
import type { RespValue } from './resp-protocol.js';
import type { WindowLimit } from './tiers.js';

/**
 * One atomic check of every window of a tier (the semantics of decision.ts). Redis runs a script
 * alone, so reading, deciding and counting cannot interleave with another gateway's check: the
 * count is exact whatever the number of gateways. Windows follow the server's clock (TIME), so
 * gateways whose clocks disagree still share the same windows.
 *
 * KEYS[i] is the counter of window i, a hash {s: window start ms, c: count}; ARGV[2i-1] and
 * ARGV[2i] are its limit and length in ms. A counter whose start is not the current window's
 * belongs to an ended window and counts as zero; keys expire a second after their window ends.
 * Reply: {allowed (1|0), count_1, resetMs_1, count_2, resetMs_2, …}.
 */
const checkScript = defineScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local allowed = 1
local starts, counts = {}, {}
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  local start = now - (now % window)
  local stored = redis.call('HMGET', KEYS[i], 's', 'c')
  local count = 0
  if tonumber(stored[1]) == start then count = tonumber(stored[2]) end
  starts[i] = start
  counts[i] = count
  if count >= limit then allowed = 0 end
end
local reply = { allowed }
for i = 1, #KEYS do
  local window = tonumber(ARGV[2 * i])
  if allowed == 1 then
    counts[i] = counts[i] + 1
    redis.call('HSET', KEYS[i], 's', string.format('%d', starts[i]), 'c', counts[i])
    redis.call('PEXPIREAT', KEYS[i], string.format('%d', starts[i] + window + 1000))
  end
  reply[#reply + 1] = counts[i]
  reply[#reply + 1] = starts[i] + window - now
end
return reply
`);

/** Identities longer than this are hashed, so a key stays small whatever a client sends. */
const identityCharactersMax = 200;

/** Fixed-window counters in Redis, shared by every gateway that names the same server. */
export class RedisWindowLimiter implements WindowLimiter {
  constructor(
    private readonly options: { readonly client: RespClient; readonly keyPrefix: string },
  ) {}

  async check(key: string, limits: readonly WindowLimit[]): Promise<LimitDecision> {
    const keys = limits.map((window) => storeKey(this.options.keyPrefix, key, window.windowMs));
    const args = limits.flatMap((window) => [window.limit, window.windowMs]);
    const reply = await this.options.client.evalScript(checkScript, keys, args);
    return decisionOf(reply, limits);
  }
}

/**
 * `<prefix>{<key>}:<windowMs>`: the braces make one hash tag of the identity, so every window
 * of one check lands on the same Redis Cluster slot, as a multi-key script requires.
 */
export function storeKey(prefix: string, key: string, windowMs: number): string {
  const identity =
    key.length <= identityCharactersMax && !/[{}]/.test(key)
      ? key
      : `sha256:${createHash('sha256').update(key).digest('base64url')}`;
  return `${prefix}{${identity}}:${windowMs}`;
}

function decisionOf(reply: RespValue, limits: readonly WindowLimit[]): LimitDecision {
  if (!Array.isArray(reply) || reply.length !== 1 + 2 * limits.length)
    throw new Error('the rate-limit script answered in an unexpected shape');
  const windows: WindowState[] = limits.map((window, index) => ({
    limit: window.limit,
    windowMs: window.windowMs,
    count: Number(reply[1 + 2 * index]),
    resetMs: Math.max(1, Number(reply[2 + 2 * index])),
  }));
  return { allowed: reply[0] === 1, windows };
}
