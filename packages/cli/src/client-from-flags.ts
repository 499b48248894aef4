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

/** One service's URL, from its flag, its environment variable, an endpoints.json key, or a default. */
export interface ServiceEndpointSource {
  /** Human name for messages ("master", "gateway admin"). */
  readonly what: string;
  readonly flag: string | undefined;
  readonly envName: string;
  readonly fileKey: string;
  readonly defaultUrl: string;
}

/**
 * A service's URL and the token to send. Each comes from, in order: the flag, the environment
 * (the service's variable, EXO_TOKEN), the endpoints.json that `exo up` writes in its home
 * ($EXO_HOME or ~/.exosphere), and for the URL the default.
 */
export async function resolveServiceEndpoint(
  source: ServiceEndpointSource,
  token: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Endpoint> {
  const file = await readEndpoints(
    join(env.EXO_HOME ?? join(homedir(), '.exosphere'), 'endpoints.json'),
  );
  const url =
    source.flag ?? nonEmpty(env[source.envName]) ?? file[source.fileKey] ?? source.defaultUrl;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `the ${source.what} URL must look like ${source.defaultUrl}, got '${url}'`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(
      `the ${source.what} URL must start with http:// or https://, got '${url}'`,
    );
  }
  return { url, token: token ?? nonEmpty(env.EXO_TOKEN) ?? file.token };
}

/** Where the master is and which token to send (EXO_MASTER, endpoints.json `master`). */
export function resolveEndpoint(
  flags: { readonly master?: string | undefined; readonly token?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<Endpoint> {
  return resolveServiceEndpoint(
    {
      what: 'master',
      flag: flags.master,
      envName: 'EXO_MASTER',
      fileKey: 'master',
      defaultUrl: defaultMasterUrl,
    },
    flags.token,
    env,
  );
}

export async function clientFromFlags(flags: {
  readonly master?: string | undefined;
  readonly token?: string | undefined;
}): Promise<ExosphereClient> {
  const endpoint = await resolveEndpoint(flags);
  return new ExosphereClient({ url: endpoint.url, token: endpoint.token });
}

/** The string entries of endpoints.json; a missing file is no error, a broken one is. */
async function readEndpoints(path: string): Promise<Record<string, string | undefined>> {
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
  const record = typeof parsed === 'object' && parsed !== null ? parsed : {};
  return Object.fromEntries(
    Object.entries(record).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
