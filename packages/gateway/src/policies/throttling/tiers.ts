import { z } from 'zod';

/**
 * Throttling tiers: named quotas that rate-limit policies refer to. A tier is one or several
 * fixed windows (per second, minute, hour); a request is allowed only when every window of the
 * tier still has room. `burst` caps any one second of a longer window, so a minute's quota cannot
 * arrive all at once (WSO2's "burst control").
 */
const requestCount = z.int().min(1).max(1_000_000_000);

export const tierSchema = z
  .strictObject({
    requestsPerSecond: requestCount.optional(),
    requestsPerMinute: requestCount.optional(),
    requestsPerHour: requestCount.optional(),
    /** The most requests accepted within one second, on top of the longer windows. */
    burst: requestCount.optional(),
    /** No limit at all: the policy neither counts nor answers 429 (WSO2's "Unlimited"). */
    unlimited: z.literal(true).optional(),
  })
  .refine(
    (tier) =>
      tier.unlimited === true ||
      tier.requestsPerSecond !== undefined ||
      tier.requestsPerMinute !== undefined ||
      tier.requestsPerHour !== undefined,
    {
      message: 'a tier needs requestsPerSecond, requestsPerMinute or requestsPerHour, or unlimited',
    },
  )
  .refine(
    (tier) =>
      tier.unlimited !== true ||
      (tier.requestsPerSecond ?? tier.requestsPerMinute ?? tier.requestsPerHour ?? tier.burst) ===
        undefined,
    { message: 'an unlimited tier has no other limits' },
  )
  .refine((tier) => tier.burst === undefined || tier.requestsPerSecond === undefined, {
    message: 'burst is a per-second limit; with requestsPerSecond set, lower that instead',
    path: ['burst'],
  });

export type TierConfig = z.output<typeof tierSchema>;

const tierName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a tier name: letters, digits, ".", "_" or "-"');

/** `tiers:` in the configuration; an entry with a built-in name replaces the built-in tier. */
export const tiersSchema = z.record(tierName, tierSchema);

/** The tiers every configuration has (WSO2 API Manager's default subscription tiers). */
export const defaultTiers: Readonly<Record<string, TierConfig>> = Object.freeze({
  Bronze: { requestsPerMinute: 1000 },
  Silver: { requestsPerMinute: 2000 },
  Gold: { requestsPerMinute: 5000 },
  Unlimited: { unlimited: true },
});

/** One fixed window: at most `limit` requests in each `windowMs` aligned to the Unix epoch. */
export interface WindowLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** The windows of a tier, shortest first; empty for an unlimited tier. */
export function tierWindows(tier: TierConfig): WindowLimit[] {
  const windows: WindowLimit[] = [];
  const perSecond = tier.requestsPerSecond ?? tier.burst;
  if (perSecond !== undefined) windows.push({ limit: perSecond, windowMs: 1000 });
  if (tier.requestsPerMinute !== undefined)
    windows.push({ limit: tier.requestsPerMinute, windowMs: 60_000 });
  if (tier.requestsPerHour !== undefined)
    windows.push({ limit: tier.requestsPerHour, windowMs: 3_600_000 });
  return windows;
}

/** Finds a tier among the configured ones first, then the built-in ones. */
export function findTier(
  name: string,
  configured: Readonly<Record<string, TierConfig>> | undefined,
): TierConfig | undefined {
  if (configured !== undefined && Object.hasOwn(configured, name)) return configured[name];
  return Object.hasOwn(defaultTiers, name) ? defaultTiers[name] : undefined;
}

/** Every tier name a policy may use, for error messages. */
export function tierNames(configured: Readonly<Record<string, TierConfig>> | undefined): string[] {
  return [...new Set([...Object.keys(defaultTiers), ...Object.keys(configured ?? {})])].sort();
}
