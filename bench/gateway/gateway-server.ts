// The gateway under test in its own process, as `exo gateway` runs it: default settings, the
// bench's configuration file, `--workers N` worker processes (node:cluster, this process their
// primary) or one in this process, and `--data-path fast|node` (the default fast HTTP/1.1 path,
// or node:http + undici for every request). First stdout line: `{"url": ..., "adminUrl": ...}`.
import { parseArgs } from 'node:util';
import { silentLogger } from '@exosphere/common';
import { startGateway, startGatewayCluster } from '@exosphere/gateway';

const { values } = parseArgs({
  options: {
    home: { type: 'string' },
    config: { type: 'string' },
    workers: { type: 'string', default: '1' },
    'data-path': { type: 'string', default: 'fast' },
  },
});
if (!values.home || !values.config) throw new Error('--home and --config are required');
const workers = Number(values.workers);
const dataPath = values['data-path'] === 'node' ? 'node' : 'fast';
const gateway =
  workers === 1
    ? await startGateway({
        home: values.home,
        configPath: values.config,
        logger: silentLogger(),
        dataPath,
      })
    : await startGatewayCluster({
        home: values.home,
        configPath: values.config,
        workers,
        quiet: true,
        dataPath,
      });
console.log(JSON.stringify({ url: gateway.url, adminUrl: gateway.adminUrl }));
process.on('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
