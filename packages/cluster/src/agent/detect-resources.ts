import { statfs } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { parseResources, type AgentResources } from '../core/resources.js';

const mebibyte = 1024 * 1024;
/** Memory and disk kept back for the operating system and the agent itself. */
const reservedMebibytes = 1024;
const memoryMinimumMebibytes = 256;
const defaultPorts = [{ begin: 31000, end: 32000 }] as const;

/**
 * What this machine offers, Mesos-style: every CPU, total memory and the free disk of the
 * agent home minus 1 GiB each, and ports 31000-32000. Values given in `explicit` (the
 * `--resources` text) replace the detected ones.
 */
export async function detectResources(options: {
  readonly workDir: string;
  readonly explicit?: string | undefined;
}): Promise<AgentResources> {
  const given = options.explicit === undefined ? {} : parseResources(options.explicit);
  const cpus = given.cpus ?? availableParallelism();
  const mem =
    given.mem ??
    Math.max(memoryMinimumMebibytes, Math.floor(totalmem() / mebibyte) - reservedMebibytes);
  const disk = given.disk ?? (await freeDiskMebibytes(options.workDir));
  const ports = given.ports ?? defaultPorts.map((range) => ({ ...range }));
  return { cpus, mem, disk, ports };
}

async function freeDiskMebibytes(directory: string): Promise<number> {
  const stats = await statfs(directory);
  const free = Math.floor((stats.bavail * stats.bsize) / mebibyte);
  return Math.max(0, free - reservedMebibytes);
}
