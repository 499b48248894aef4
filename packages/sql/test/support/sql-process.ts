/**
 * Runs a leaf or an aggregator as its own process, for crash tests that kill it with SIGKILL:
 *   node sql-process.js leaf DATA_DIR
 *   node sql-process.js aggregator HOME PORT LEAF_PORT...
 * It prints one JSON line {"port": N} when it listens; a fixed port that is busy is tried again
 * for a while.
 */
import { startAggregator, startLeaf } from '../../src/index.js';

/** How long a restart waits for its old port, which another test's socket may hold a while. */
const BUSY_PORT_WAIT_MS = 15_000;

/**
 * Runs `start`, again while a fixed `port` is in use: a process restarted on its old port
 * (crash tests) may find it taken by a client socket of a test running in parallel, which
 * picked it as its ephemeral port meanwhile.
 */
async function listening<T>(port: number, start: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUSY_PORT_WAIT_MS;
  for (;;) {
    try {
      return await start();
    } catch (error) {
      const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!busy || port === 0 || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const [kind, dir, ...rest] = process.argv.slice(2);
if (kind === 'leaf' && dir !== undefined) {
  const port = Number(rest[0] ?? 0);
  const leaf = await listening(port, () => startLeaf({ dataDir: dir, host: '127.0.0.1', port }));
  console.log(JSON.stringify({ port: leaf.port }));
} else if (kind === 'aggregator' && dir !== undefined) {
  const [port = 0, ...leafPorts] = rest.map(Number);
  const aggregator = await listening(port, () =>
    startAggregator({
      home: dir,
      port,
      singleNode: true,
      leaves: leafPorts.map((leafPort) => ({ host: '127.0.0.1', port: leafPort })),
    }),
  );
  console.log(JSON.stringify({ port: aggregator.port }));
} else {
  console.error('usage: sql-process.js leaf DIR [PORT] | aggregator HOME PORT LEAF_PORT...');
  process.exit(2);
}
