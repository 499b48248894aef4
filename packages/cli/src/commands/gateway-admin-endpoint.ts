import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GatewayAdminClient } from '@exosphere/client';
import { UsageError } from '../command.js';

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
  const path = join(env.EXO_HOME ?? join(homedir(), '.exosphere'), 'endpoints.json');
  const file = await readEndpoints(path);
  const url =
    flags['gateway-admin'] ??
    nonEmpty(env.EXO_GATEWAY_ADMIN) ??
    file.gateway_admin ??
    defaultGatewayAdminUrl;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `the gateway admin URL must look like ${defaultGatewayAdminUrl}, got '${url}'`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UsageError(`the gateway admin URL must start with http:// or https://, got '${url}'`);
  return new GatewayAdminClient({
    url,
    token: flags.token ?? nonEmpty(env.EXO_TOKEN) ?? file.token,
  });
}

async function readEndpoints(path: string): Promise<{ gateway_admin?: string; token?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  return {
    ...(typeof record.gateway_admin === 'string' ? { gateway_admin: record.gateway_admin } : {}),
    ...(typeof record.token === 'string' ? { token: record.token } : {}),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
