import { execFileSync } from 'node:child_process';

/**
 * A test host in its own network namespace, joined to this machine by a veth pair on a
 * /30 from 198.18.0.0/15 (the range RFC 2544 sets aside for benchmark tests). Traffic stays
 * inside this machine: between the root namespace and the test host only.
 */
export interface TestHost {
  name: string;
  /** The address of this machine on the link (where the master listens). */
  outerAddress: string;
  /** The test host's address. */
  innerAddress: string;
  /** Cuts the link (a network partition) or restores it. */
  setLink(up: boolean): void;
  remove(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** Why namespaces cannot be used here, or undefined when they can. */
export function netnsUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const probe = `exo-probe-${process.pid}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return undefined;
  } catch (error) {
    return `'ip netns add' failed: ${(error as Error).message.split('\n')[0]}`;
  }
}

export function createTestHost(index: number): TestHost {
  const id = `${process.pid % 10000}${index}`;
  const name = `exo-t${id}`;
  const outer = `exo-o${id}`;
  const inner = `exo-i${id}`;
  const subnet = (process.pid * 7 + index * 4) % 65536;
  const third = (subnet >> 8) & 0xff;
  const fourth = subnet & 0xfc;
  const outerAddress = `198.18.${third}.${fourth + 1}`;
  const innerAddress = `198.18.${third}.${fourth + 2}`;
  ip('netns', 'add', name);
  try {
    ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner);
    ip('link', 'set', inner, 'netns', name);
    ip('addr', 'add', `${outerAddress}/30`, 'dev', outer);
    ip('link', 'set', outer, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${innerAddress}/30`, 'dev', inner);
    ip('netns', 'exec', name, 'ip', 'link', 'set', inner, 'up');
    // Health checks probe 127.0.0.1 inside the host; a new namespace's loopback starts down.
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    try {
      ip('netns', 'del', name);
    } catch {
      // best effort
    }
    throw error;
  }
  return {
    name,
    outerAddress,
    innerAddress,
    setLink(up: boolean) {
      ip('link', 'set', outer, up ? 'up' : 'down');
    },
    remove() {
      for (const args of [
        ['link', 'del', outer],
        ['netns', 'del', name],
      ]) {
        try {
          ip(...args);
        } catch {
          // already gone
        }
      }
    },
  };
}
