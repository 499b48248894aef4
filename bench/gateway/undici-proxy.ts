// The reference row: a bare reverse proxy on node:http and an undici Pool, with no routing,
// header work, policies or accounting. It calibrates the setup against the anchor ("an undici
// Pool reverse proxy in Node 28-29 k req/s; nginx 45-47 k"): what Node's own HTTP stack allows
// on this machine, before any gateway work. First stdout line: `{"url": ...}`.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool, type Dispatcher } from 'undici';

const { values } = parseArgs({
  options: { origin: { type: 'string' }, port: { type: 'string', default: '0' } },
});
if (!values.origin) throw new Error('--origin URL is required');
const pool = new Pool(values.origin, { connections: 128, pipelining: 1 });
const server = createServer((request, response) => {
  const bodyless = request.method === 'GET' || request.method === 'HEAD';
  pool
    .request({
      path: request.url ?? '/',
      method: (request.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: { 'x-forwarded-for': request.socket.remoteAddress ?? '' },
      body: bodyless ? null : request,
    })
    .then(
      ({ statusCode, headers, body }) => {
        delete headers.connection;
        delete headers['keep-alive'];
        response.writeHead(statusCode, headers);
        body.pipe(response);
      },
      () => {
        response.statusCode = 502;
        response.end();
      },
    );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(values.port), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${address.port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
