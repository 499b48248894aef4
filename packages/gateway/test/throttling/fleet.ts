import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, silentLogger, type Logger } from '@exosphere/common';
import { startGateway, type RunningGateway } from '../../src/index.js';

/** Several real gateways (in this process, each with its own store connection) on port 0. */
export interface Fleet {
  readonly gateways: readonly RunningGateway[];
  /** JSON log lines of every gateway, for the outage log checks. */
  readonly logLines: string[];
  close(): Promise<void>;
}

export async function startFleet(options: {
  readonly count: number;
  readonly config: unknown;
  readonly recordLogs?: boolean;
}): Promise<Fleet> {
  const logLines: string[] = [];
  const logger: Logger = options.recordLogs
    ? createLogger({ level: 'info', write: (line) => void logLines.push(line) })
    : silentLogger();
  const homes: string[] = [];
  const gateways: RunningGateway[] = [];
  for (let index = 0; index < options.count; index++) {
    const home = await mkdtemp(join(tmpdir(), 'exo-gateway-fleet-'));
    homes.push(home);
    const configPath = join(home, 'gateway.yaml');
    await writeFile(configPath, JSON.stringify(options.config));
    gateways.push(await startGateway({ home, configPath, logger }));
  }
  return {
    gateways,
    logLines,
    async close() {
      await Promise.all(gateways.map((gateway) => gateway.close()));
      await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * Sends `total` GETs with at most `inFlight` at a time; request i goes to gateway i mod n, so the
 * load is spread evenly. Answers are in request order.
 */
export async function sendSpread(options: {
  readonly urls: readonly string[];
  readonly path: string;
  readonly total: number;
  readonly inFlight: number;
}): Promise<Answer[]> {
  const answers: Answer[] = new Array<Answer>(options.total);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < options.total) {
      const index = next++;
      const url = options.urls[index % options.urls.length]!;
      const response = await fetch(`${url}${options.path}`);
      answers[index] = {
        status: response.status,
        headers: response.headers,
        body: await response.text(),
      };
    }
  }
  await Promise.all(Array.from({ length: options.inFlight }, () => worker()));
  return answers;
}

/**
 * Runs `attempt` so that it lies within one fixed window of `windowMs` (epoch-aligned, as the
 * limiter's windows are). Gateways, Redis (its TIME) and this test read the same machine clock,
 * so if the wall clock shows the same window before the first request and after the last answer,
 * every count happened in that window. If a boundary fell inside, the attempt is run once more:
 * it then starts right after the boundary, with nearly the whole window ahead of it. `attempt`
 * must start from fresh counters each time.
 */
export async function inOneWindow<T>(windowMs: number, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    const startWindow = Math.floor(Date.now() / windowMs);
    const result = await attempt();
    if (Math.floor(Date.now() / windowMs) === startWindow) return result;
    if (tries >= 1) throw new Error('two attempts in a row crossed a window boundary');
  }
}
