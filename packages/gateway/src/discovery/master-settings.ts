import { z } from 'zod';
import type { TokenSource } from './master-api.js';

/**
 * The gateway's master given outside its configuration file, through common's configuration
 * loader: flags `--master-url`, `--master-token-file`, or the environment `EXO_MASTER_URL`,
 * `EXO_MASTER_TOKEN_FILE`, `EXO_MASTER_TOKEN`. The file's `master` section wins over these.
 */
export const gatewayMasterSettingsSchema = z.strictObject({
  masterUrl: z
    .url({ protocol: /^https?$/ })
    .refine((url) => !/[?#]/.test(url), 'a master URL has no query or fragment')
    .optional(),
  masterToken: z.string().min(1).max(4096).optional(),
  masterTokenFile: z.string().min(1).max(4096).optional(),
});

export type GatewayMasterSettings = z.output<typeof gatewayMasterSettingsSchema>;

/** The default master of `startGateway` from loaded settings; undefined without a URL. */
export function defaultMasterOf(
  settings: GatewayMasterSettings,
): { readonly url: string; readonly token?: TokenSource } | undefined {
  if (!settings.masterUrl) return undefined;
  if (settings.masterTokenFile)
    return { url: settings.masterUrl, token: { file: settings.masterTokenFile } };
  if (settings.masterToken)
    return { url: settings.masterUrl, token: { value: settings.masterToken } };
  return { url: settings.masterUrl };
}
