/**
 * Runs a leaf or an aggregator as its own process, for crash tests that kill it with SIGKILL:
 *   node sql-process.js leaf DATA_DIR
 *   node sql-process.js aggregator HOME PORT LEAF_PORT...
 * It prints one JSON line {"port": N} when it listens.
 */
import { startAggregator, startLeaf } from '../../src/index.js';

const [kind, dir, ...rest] = process.argv.slice(2);
if (kind === 'leaf' && dir !== undefined) {
  const leaf = await startLeaf({ dataDir: dir, host: '127.0.0.1', port: Number(rest[0] ?? 0) });
  console.log(JSON.stringify({ port: leaf.port }));
} else if (kind === 'aggregator' && dir !== undefined) {
  const [port, ...leafPorts] = rest.map(Number);
  const aggregator = await startAggregator({
    home: dir,
    port: port ?? 0,
    singleNode: true,
    leaves: leafPorts.map((leafPort) => ({ host: '127.0.0.1', port: leafPort })),
  });
  console.log(JSON.stringify({ port: aggregator.port }));
} else {
  console.error('usage: sql-process.js leaf DIR [PORT] | aggregator HOME PORT LEAF_PORT...');
  process.exit(2);
}
