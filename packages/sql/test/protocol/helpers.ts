/** Starts the protocol server in front of the test double backend (see fake-backend.ts). */
import {
  startMysqlServer,
  type MysqlServer,
  type MysqlServerOptions,
} from '../../src/protocol/index.js';
import { FakeBackend } from './fake-backend.js';

export interface TestServer {
  readonly server: MysqlServer;
  readonly backend: FakeBackend;
  readonly port: number;
  readonly events: { event: string; fields: Record<string, unknown> }[];
}

export async function startTestServer(
  options: Partial<MysqlServerOptions> = {},
): Promise<TestServer> {
  const backend = new FakeBackend();
  const events: TestServer['events'] = [];
  const server = await startMysqlServer({
    backend,
    logger: (event, fields) => events.push({ event, fields }),
    ...options,
  });
  return { server, backend, port: server.port, events };
}

/** Polls a condition (for effects that follow a socket close), bounded by a deadline. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
