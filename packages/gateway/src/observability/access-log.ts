import { createWriteStream, type WriteStream } from 'node:fs';
import type { ExchangeState } from '../proxy/exchange.js';

export interface AccessLog {
  write(exchange: ExchangeState, nowMs: number): void;
  close(): Promise<void>;
}

/**
 * One JSON line per request: time, method, path, route, status, latency, upstream latency, bytes
 * of the response body (-1 when streamed without a length), the upstream target and the trace id. Lines go through a buffered stream;
 * under back-pressure lines are dropped and counted rather than queued without bound.
 */
export function createAccessLog(path: string): AccessLog {
  const stream: WriteStream = createWriteStream(path, { flags: 'a', mode: 0o640 });
  let dropped = 0;
  stream.on('error', () => undefined);
  return {
    write(exchange, nowMs) {
      const { response } = exchange;
      const line = JSON.stringify({
        time: new Date().toISOString(),
        method: exchange.method,
        path: exchange.path,
        route: exchange.route?.name ?? null,
        status: response.statusCode,
        latencyMs: round(nowMs - exchange.startedMs),
        upstreamLatencyMs: exchange.upstreamMs >= 0 ? round(exchange.upstreamMs) : null,
        bytes: Number(response.getHeader('content-length') ?? -1),
        upstreamTarget: exchange.target?.url ?? null,
        traceId: exchange.traceId,
        ...(dropped ? { droppedLines: dropped } : {}),
        ...(response.writableFinished ? {} : { aborted: true }),
      });
      if (stream.writableLength > 8 * 1024 * 1024) {
        dropped++;
        return;
      }
      dropped = 0;
      stream.write(line + '\n');
    },
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
