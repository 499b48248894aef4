// The benchmark's origin: a node:http server answering every request with 1 KiB of text, in its
// own process, shared by every proxy the bench compares. It stands for the application services
// a gateway fronts (which cost more per request than a proxy does), and it is the kind of
// upstream behind the anchor's figures. `--port 0` picks a free port; the first stdout line is
// `{"url": ...}`.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const body = Buffer.alloc(1024, 'x');
const headers = ['content-type', 'text/plain', 'content-length', String(body.length)];
const server = createServer((request, response) => {
  // Bodies are read and dropped, so a request with one leaves the connection reusable.
  request.resume();
  response.writeHead(200, headers);
  response.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(values.port), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${address.port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
