import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why nginx tests skip, or undefined when Debian's nginx is installed (scripts/setup.sh). */
export const nginxMissing: string | undefined =
  spawnSync('nginx', ['-v']).error === undefined ? undefined : 'nginx is not installed';

export interface NginxUpstream {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A real nginx (one worker, in a temp folder, on a free loopback port) serving `locations`,
 * the body of its one `server` block, as the upstream behind a gateway under test.
 */
export async function startNginxUpstream(locations: string): Promise<NginxUpstream> {
  const directory = await mkdtemp(join(tmpdir(), 'exo-gateway-nginx-'));
  const port = await freePort();
  await writeFile(
    join(directory, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${directory}/nginx.pid;
error_log ${directory}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${directory}/body;
  proxy_temp_path ${directory}/proxy;
  fastcgi_temp_path ${directory}/fastcgi;
  uwsgi_temp_path ${directory}/uwsgi;
  scgi_temp_path ${directory}/scgi;
  server {
    listen 127.0.0.1:${port};
${locations}
  }
}
`,
  );
  const nginx = spawn('nginx', ['-p', directory, '-c', join(directory, 'nginx.conf')], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => nginx.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (nginx.exitCode === null && nginx.signalCode === null) nginx.kill('SIGTERM');
    await exited;
    await rm(directory, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (await accepts(port)) return { url: `http://127.0.0.1:${port}`, stop };
    if (nginx.exitCode !== null) {
      const log = await readFile(join(directory, 'error.log'), 'utf8').catch(() => '');
      await stop();
      throw new Error(`nginx exited at start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error('nginx did not listen within 5 s');
}

/** A loopback port that nothing listens on (just closed). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
