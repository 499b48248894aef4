import { z } from 'zod';

/**
 * Master settings as configuration (file `--config`, environment EXO_*, flags), validated
 * strictly: an unknown key is rejected with the closest known name.
 */
export const masterSettingsSchema = z.strictObject({
  heartbeatIntervalMs: z.coerce.number().int().min(50).max(60_000).default(500),
  agentTimeoutMs: z.coerce.number().int().min(200).max(3_600_000).default(3000),
  reconcileIntervalMs: z.coerce.number().int().min(10).max(60_000).default(250),
  launchTimeoutMs: z.coerce.number().int().min(1000).default(60_000),
  placementStrategy: z.enum(['binpack', 'spread']).default('binpack'),
  versionsMax: z.coerce.number().int().min(1).max(1000).default(50),
  jobHistoryMax: z.coerce.number().int().min(1).max(100_000).default(100),
});

export type MasterSettingsInput = z.input<typeof masterSettingsSchema>;
