import type { FieldError } from '@exosphere/common';

/**
 * Marathon's normalization of deprecated and alternative app fields, applied to a copy of the
 * raw JSON before validation (Marathon does the same in AppNormalization before its canonical
 * validation):
 *
 * - `uris` (deprecated) becomes `fetch`; giving both non-empty is an error, as in Marathon.
 * - `ports` (deprecated) is dropped when `portDefinitions` is also given, because a GET returns
 *   both and users PUT that result back; `portDefinitions` wins, as in Marathon.
 * - Environment variables that reference a secret (`{"secret": "name"}`) are rejected with a
 *   clear sentence rather than a type error: secrets are not supported yet.
 * - A custom `executor` is rejected: tasks run as plain processes, so a definition that relies
 *   on its own executor would run differently. "" and "//cmd" (the command executor) are fine.
 */
export function normalizeAppInput(input: Record<string, unknown>, errors: FieldError[]): void {
  normalizeUris(input, errors);
  if (input.ports != null && input.portDefinitions != null) delete input.ports;
  if (input.ports === null) delete input.ports;
  if (input.portDefinitions === null) delete input.portDefinitions;
  normalizeEnv(input, errors);
  const executor = input.executor;
  if (executor === null) delete input.executor;
  else if (typeof executor === 'string' && executor !== '' && executor !== '//cmd') {
    errors.push({
      path: '/executor',
      errors: [
        `custom executors are not supported; tasks run as plain processes (use "" or "//cmd"), got '${executor}'`,
      ],
    });
  }
}

/**
 * A Mesos container with no image, volumes or port mappings runs the command as a plain
 * process, which is what every task here is; DC/OS examples often carry one. It is dropped
 * (with a warning), so only containers that need an image or volumes are refused.
 */
export function dropEmptyContainer(input: Record<string, unknown>): void {
  const container = input.container;
  if (typeof container !== 'object' || container === null || Array.isArray(container)) return;
  const { type, volumes, portMappings, docker, appc, ...rest } = container as Record<
    string,
    unknown
  >;
  const empty = (list: unknown): boolean =>
    list == null || (Array.isArray(list) && list.length === 0);
  if (
    (type === undefined || type === 'MESOS') &&
    docker == null &&
    appc == null &&
    empty(volumes) &&
    empty(portMappings) &&
    Object.keys(rest).length === 0
  ) {
    delete input.container;
  }
}

/** Archive suffixes the Mesos fetcher extracts (Marathon's FetchUri.isExtract). */
const archiveSuffixes = ['.tgz', '.tar.gz', '.tbz2', '.tar.bz2', '.txz', '.tar.xz', '.zip'];

function normalizeUris(input: Record<string, unknown>, errors: FieldError[]): void {
  const uris = input.uris;
  delete input.uris;
  if (uris == null) return;
  if (!Array.isArray(uris) || uris.some((uri) => typeof uri !== 'string')) {
    errors.push({ path: '/uris', errors: ['uris must be an array of strings'] });
    return;
  }
  if (uris.length === 0) return;
  if (Array.isArray(input.fetch) && input.fetch.length > 0) {
    errors.push({ path: '/uris', errors: ['cannot specify both uris and fetch fields'] });
    return;
  }
  input.fetch = (uris as string[]).map((uri) => ({
    uri,
    extract: archiveSuffixes.some((suffix) => uri.toLowerCase().endsWith(suffix)),
    executable: false,
    cache: false,
  }));
}

function normalizeEnv(input: Record<string, unknown>, errors: FieldError[]): void {
  const env = input.env;
  if (env === null) {
    delete input.env;
    return;
  }
  if (typeof env !== 'object' || Array.isArray(env)) return;
  const copy: Record<string, unknown> = { ...(env as Record<string, unknown>) };
  for (const [name, value] of Object.entries(copy)) {
    if (typeof value === 'object' && value !== null && 'secret' in value) {
      errors.push({
        path: `/env/${name}`,
        errors: [
          'environment variables that reference a secret are not supported yet (secrets are not supported)',
        ],
      });
      delete copy[name];
    }
  }
  input.env = copy;
}
