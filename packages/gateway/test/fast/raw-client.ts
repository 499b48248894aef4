import { connect, type Socket } from 'node:net';

/** A raw TCP client for protocol tests: what it sent is exactly what the test wrote. */
export class RawClient {
  received = '';
  closed = false;
  private readonly waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.received += data.toString('latin1');
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static async open(url: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Waits until `check` holds for what was received (or the connection closes), bounded. */
  async until(check: (received: string) => boolean, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.received)) {
      if (this.closed) throw new Error(`closed before the condition held: ${this.received}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`condition not met in time: ${this.received}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  /** Waits for the server to close the connection, bounded. */
  async untilClosed(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`still open: ${this.received}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  /** Counts complete occurrences of `text` in what was received. */
  count(text: string): number {
    return this.received.split(text).length - 1;
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
