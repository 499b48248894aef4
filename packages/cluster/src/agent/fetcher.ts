/**
 * Fetching a task's artifacts into its sandbox before the command starts, as the Mesos
 * fetcher does for Marathon's `fetch` and Metronome's `run.artifacts`: each URI is downloaded
 * (http, https) or copied (file URIs and absolute paths) to the sandbox under its last path
 * segment (or `outputFile`); then it is marked executable when asked, or else unpacked into the
 * sandbox when it is an archive and `extract` holds. The archive itself stays, as in Mesos.
 * A failure fails the launch with a message naming the URI.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, copyFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FetchUri } from '../core/protocol.js';
import { LaunchError } from './task-process.js';

const run = promisify(execFile);

export interface FetchLimits {
  /** The whole fetch of one task: downloads and extraction. */
  readonly timeoutMs: number;
  /** Each artifact as downloaded (before extraction). */
  readonly bytesMax: number;
}

export const defaultFetchLimits: FetchLimits = {
  timeoutMs: 10 * 60_000,
  bytesMax: 4 * 1024 ** 3,
};

/** The command that unpacks an archive into a folder, by the file's name as Mesos decides. */
type Unpack = (file: string, directory: string) => readonly [string, readonly string[]];

const unpackers: readonly (readonly [RegExp, Unpack])[] = [
  // GNU tar detects gzip, bzip2 and xz compression itself, and drops leading "/" and "../".
  [
    /\.(tar|tgz|tar\.gz|tbz2|tar\.bz2|txz|tar\.xz)$/i,
    (file, dir) => ['tar', ['-xf', file, '-C', dir]],
  ],
  [/\.zip$/i, (file, dir) => ['unzip', ['-o', '-q', file, '-d', dir]]],
  [/\.gz$/i, (file) => ['gzip', ['-d', '-k', '-f', file]]],
];

export async function fetchArtifacts(options: {
  readonly uris: readonly FetchUri[];
  readonly sandboxDir: string;
  readonly limits?: FetchLimits;
  readonly signal?: AbortSignal;
}): Promise<void> {
  const limits = options.limits ?? defaultFetchLimits;
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal =
    options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  for (const item of options.uris) {
    try {
      await fetchOne(item, options.sandboxDir, limits, signal);
    } catch (error) {
      const reason = timeout.aborted
        ? `took longer than ${limits.timeoutMs / 1000} s`
        : (error as Error).message;
      throw new LaunchError(`Failed to fetch '${item.uri}': ${reason}`);
    }
  }
}

async function fetchOne(
  item: FetchUri,
  sandboxDir: string,
  limits: FetchLimits,
  signal: AbortSignal,
): Promise<void> {
  const source = parseSource(item.uri);
  const name = item.outputFile ?? basename(source.path);
  if (name === '' || name === '.' || name === '..' || name.includes('/')) {
    throw new Error(`'${name}' is not a file name (give outputFile)`);
  }
  const target = join(sandboxDir, name);
  if (source.kind === 'http') await download(source.url, target, limits.bytesMax, signal);
  else {
    const size = (await stat(source.path)).size;
    if (size > limits.bytesMax) throw new Error(`larger than ${limits.bytesMax} bytes`);
    await copyFile(source.path, target);
  }
  if (item.executable) {
    await chmod(target, 0o755);
    return;
  }
  const unpacker = item.extract ? unpackers.find(([pattern]) => pattern.test(name)) : undefined;
  if (unpacker === undefined) return;
  const [command, args] = unpacker[1](target, sandboxDir);
  try {
    await run(command, [...args], { cwd: sandboxDir, signal, maxBuffer: 64 * 1024 });
  } catch (error) {
    const output = (error as { stderr?: unknown }).stderr;
    const stderr = typeof output === 'string' ? output.trim() : '';
    throw new Error(
      `could not extract ${name}: ${stderr.split('\n')[0] || (error as Error).message}`,
    );
  }
}

type Source =
  | { readonly kind: 'http'; readonly url: URL; readonly path: string }
  | { readonly kind: 'file'; readonly path: string };

/** http(s) URLs, file URLs and absolute paths; anything else is refused. */
export function parseSource(uri: string): Source {
  if (uri.startsWith('/')) return { kind: 'file', path: uri };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error('not an absolute path or URL');
  }
  if (url.protocol === 'file:') return { kind: 'file', path: fileURLToPath(url) };
  if (url.protocol === 'http:' || url.protocol === 'https:')
    return { kind: 'http', url, path: decodeURIComponent(url.pathname) };
  throw new Error(`the scheme ${url.protocol.slice(0, -1)} is not supported (http, https, file)`);
}

async function download(url: URL, target: string, bytesMax: number, signal: AbortSignal) {
  const response = await fetch(url, { signal, redirect: 'follow' });
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > bytesMax) {
    await response.body.cancel();
    throw new Error(`larger than ${bytesMax} bytes`);
  }
  let received = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      callback(received > bytesMax ? new Error(`larger than ${bytesMax} bytes`) : null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body), limit, createWriteStream(target), { signal });
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
}
