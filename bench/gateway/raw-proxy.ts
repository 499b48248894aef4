// The lower bound row: a minimal HTTP/1.1 reverse proxy on raw `net` sockets, with no routing,
// validation, header rewriting, policies or accounting. Each client connection gets its own
// keep-alive upstream connection; a request head is sent on as it came, and the answer is
// relayed as it comes, delimited by its Content-Length. It does the system calls any proxy
// must (a read and a write on each side per request) and little else: the CPU per request a
// Node proxy cannot go below on this machine. Bodiless requests and Content-Length answers
// only (wrk's GETs and the bench origin's answers). First stdout line: `{"url": ...}`.
import { connect, createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { origin: { type: 'string' }, port: { type: 'string', default: '0' } },
});
if (!values.origin) throw new Error('--origin URL is required');
const origin = new URL(values.origin);

const server = createServer((client: Socket) => {
  client.setNoDelay(true);
  const upstream = connect({ host: origin.hostname, port: Number(origin.port) });
  upstream.setNoDelay(true);
  let pending: Buffer | undefined;
  let answer: Buffer | undefined;
  /** Body bytes of the answer still to relay; -1 while its head is awaited. */
  let remaining = -1;
  client.on('data', (chunk: Buffer) => {
    pending = pending ? Buffer.concat([pending, chunk]) : chunk;
    const end = pending.indexOf('\r\n\r\n');
    if (end < 0) return;
    upstream.write(pending.subarray(0, end + 4));
    pending = end + 4 < pending.length ? pending.subarray(end + 4) : undefined;
  });
  upstream.on('data', (chunk: Buffer) => {
    client.write(chunk);
    if (remaining >= 0) {
      remaining -= chunk.length;
      if (remaining <= 0) remaining = -1;
      return;
    }
    answer = answer ? Buffer.concat([answer, chunk]) : chunk;
    const end = answer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const match = /\r\ncontent-length: *(\d+)/i.exec(answer.toString('latin1', 0, end));
    remaining = Number(match?.[1] ?? 0) - (answer.length - end - 4);
    answer = undefined;
    if (remaining <= 0) remaining = -1;
  });
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});
server.listen(Number(values.port), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${address.port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
