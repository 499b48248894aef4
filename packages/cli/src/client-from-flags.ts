import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ExosphereClient } from '@exosphere/client';
import { UsageError } from './command.js';

/** Flags every user command accepts. */
export const connectionFlags = {
  json: { type: 'boolean' },
  master: { type: 'string' },
  token: { type: 'string' },
} as const;

/** Flags of commands that start a deployment and wait for it. */
export const deploymentFlags = {
  'no-wait': { type: 'boolean' },
  'timeout-s': { type: 'string' },
  force: { type: 'boolean' },
} as const;

export const defaultMasterUrl = 'http://127.0.0.1:8080';

export interface Endpoint {
  readonly url: string;
  readonly token: string | undefined;
}

/**
 * Where the master is and which token to send. Each comes from, in order: the flag, the
 * environment (EXO_MASTER, EXO_TOKEN), the endpoints.json that `exo up` writes in its home
 * ($EXO_HOME or ~/.exosphere), and for the URL the default of `exo up`.
 */
export async function resolveEndpoint(
  flags: { readonly master?: string | undefined; readonly token?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<Endpoint> {
  const file = await readEndpoints(
    join(env.EXO_HOME ?? join(homedir(), '.exosphere'), 'endpoints.json'),
  );
  const url = flags.master ?? nonEmpty(env.EXO_MASTER) ?? file.master ?? defaultMasterUrl;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`the master URL must look like ${defaultMasterUrl}, got '${url}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`the master URL must start with http:// or https://, got '${url}'`);
  }
  return { url, token: flags.token ?? nonEmpty(env.EXO_TOKEN) ?? file.token };
}

export async function clientFromFlags(flags: {
  readonly master?: string | undefined;
  readonly token?: string | undefined;
}): Promise<ExosphereClient> {
  const endpoint = await resolveEndpoint(flags);
  return new ExosphereClient({ url: endpoint.url, token: endpoint.token });
}

/** The `master` and `token` keys of endpoints.json; a missing file is no error, a broken one is. */
async function readEndpoints(path: string): Promise<{ master?: string; token?: string }> {
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
    ...(typeof record.master === 'string' ? { master: record.master } : {}),
    ...(typeof record.token === 'string' ? { token: record.token } : {}),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
