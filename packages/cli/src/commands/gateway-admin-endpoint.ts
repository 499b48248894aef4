import { GatewayAdminClient } from '@exosphere/client';
import { resolveServiceEndpoint } from '../client-from-flags.js';

/** Flags of every command that talks to the gateway admin API. */
export const gatewayAdminFlags = {
  json: { type: 'boolean' },
  'gateway-admin': { type: 'string' },
  token: { type: 'string' },
} as const;

export const defaultGatewayAdminUrl = 'http://127.0.0.1:8001';

/**
 * The gateway admin API and its token, each from, in order: the flag, the environment
 * (EXO_GATEWAY_ADMIN, EXO_TOKEN), the endpoints.json that `exo up` writes in its home
 * ($EXO_HOME or ~/.exosphere; keys `gateway_admin` and `token`), and the default of
 * `exo gateway`.
 */
export async function gatewayAdminFromFlags(
  flags: { readonly 'gateway-admin'?: string | undefined; readonly token?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<GatewayAdminClient> {
  const endpoint = await resolveServiceEndpoint(
    {
      what: 'gateway admin',
      flag: flags['gateway-admin'],
      envName: 'EXO_GATEWAY_ADMIN',
      fileKey: 'gateway_admin',
      defaultUrl: defaultGatewayAdminUrl,
    },
    flags.token,
    env,
  );
  return new GatewayAdminClient(endpoint);
}
