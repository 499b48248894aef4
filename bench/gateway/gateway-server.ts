// The gateway under test in its own process, as `exo gateway` runs it: default settings, the
// bench's configuration file, `--workers N` worker processes (node:cluster, this process their
// primary) or one in this process. First stdout line: `{"url": ..., "adminUrl": ...}`.
import { parseArgs } from 'node:util';
import { silentLogger } from '@exosphere/common';
import { startGateway, startGatewayCluster } from '@exosphere/gateway';

const { values } = parseArgs({
  options: {
    home: { type: 'string' },
    config: { type: 'string' },
    workers: { type: 'string', default: '1' },
  },
});
if (!values.home || !values.config) throw new Error('--home and --config are required');
const workers = Number(values.workers);
const gateway =
  workers === 1
    ? await startGateway({ home: values.home, configPath: values.config, logger: silentLogger() })
    : await startGatewayCluster({
        home: values.home,
        configPath: values.config,
        workers,
        quiet: true,
      });
console.log(JSON.stringify({ url: gateway.url, adminUrl: gateway.adminUrl }));
process.on('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
