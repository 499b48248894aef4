// The floor under the OLTP figures: how many round trips per second tiny messages make over
// loopback TCP between Node processes, with no SQL work at all, for the two shapes that
// matter — one hop (client → server, MariaDB's shape) and two hops (client → aggregator →
// leaf, Exosphere's shape). Each process is its own `node` (as in the data plane).
//   node bench/dist/sql/oltp-hops.js [--duration-s 3] [--concurrency 1,32]
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatTable, listOf } from './table.js';

const MESSAGE_BYTES = 64;
const CONCURRENCY_MAX = 1000;

/** Echo server: answers each message as it arrives. */
function serveEcho(): void {
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1', () => {
    console.log(`port ${(server.address() as net.AddressInfo).port}`);
  });
}

/** Relay: one upstream connection shared by every client, as the aggregator shares one per leaf. */
function serveRelay(upstreamPort: number): void {
  const upstream = net.connect({ port: upstreamPort, host: '127.0.0.1', noDelay: true });
  const waiting: net.Socket[] = [];
  upstream.on('data', (chunk) => {
    // Messages are fixed-size; answers come back in order.
    for (let offset = 0; offset < chunk.length; offset += MESSAGE_BYTES)
      waiting.shift()?.write(chunk.subarray(offset, offset + MESSAGE_BYTES));
  });
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.on('data', (chunk) => {
      for (let offset = 0; offset < chunk.length; offset += MESSAGE_BYTES) waiting.push(socket);
      upstream.write(chunk);
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1', () => {
    console.log(`port ${(server.address() as net.AddressInfo).port}`);
  });
}

async function startRole(args: readonly string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`role exited with ${String(code)}`)));
  });
  return { child, port };
}

async function measure(port: number, clients: number, durationMs: number): Promise<number> {
  const message = Buffer.alloc(MESSAGE_BYTES, 1);
  let trips = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
          let received = 0;
          socket.on('connect', () => socket.write(message));
          socket.on('error', reject);
          socket.on('data', (chunk) => {
            received += chunk.length;
            if (received < MESSAGE_BYTES) return;
            received -= MESSAGE_BYTES;
            trips += 1;
            if (performance.now() < deadline) socket.write(message);
            else {
              socket.end();
              resolve();
            }
          });
        }),
    ),
  );
  return (trips / (performance.now() - started)) * 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      upstream: { type: 'string' },
      'duration-s': { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '1,32' },
    },
  });
  if (values.role === 'echo') return serveEcho();
  if (values.role === 'relay') return serveRelay(Number(values.upstream));
  const durationMs = Number(values['duration-s']) * 1000;
  const concurrencies = listOf(values.concurrency).map(Number);
  if (!(durationMs > 0) || concurrencies.some((n) => !(n >= 1 && n <= CONCURRENCY_MAX)))
    throw new Error('bad --duration-s or --concurrency');
  const echo = await startRole(['--role', 'echo']);
  const relay = await startRole(['--role', 'relay', '--upstream', String(echo.port)]);
  const rows: string[][] = [];
  try {
    for (const clients of concurrencies) {
      for (const [shape, port] of [
        ['1 hop (client → server)', echo.port],
        ['2 hops (client → relay → server)', relay.port],
      ] as const) {
        const rate = await measure(port, clients, durationMs);
        rows.push([shape, String(clients), Math.round(rate).toLocaleString('en-US')]);
      }
    }
  } finally {
    relay.child.kill();
    echo.child.kill();
  }
  console.log(formatTable(['shape', 'clients', 'round trips/s'], rows));
}

await main();
