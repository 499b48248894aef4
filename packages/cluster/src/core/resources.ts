/** Scalar resources. `mem` and `disk` are in MiB, as in Marathon and Mesos. */
export interface Resources {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
}

/** An inclusive range of host ports, as Mesos advertises them (`ports=[31000-32000]`). */
export interface PortRange {
  readonly begin: number;
  readonly end: number;
}

/** What an agent offers in total. */
export interface AgentResources extends Resources {
  readonly ports: readonly PortRange[];
}

export const zeroResources: Resources = { cpus: 0, mem: 0, disk: 0 };

export function addResources(a: Resources, b: Resources): Resources {
  return { cpus: round(a.cpus + b.cpus), mem: a.mem + b.mem, disk: a.disk + b.disk };
}

export function subtractResources(a: Resources, b: Resources): Resources {
  return { cpus: round(a.cpus - b.cpus), mem: a.mem - b.mem, disk: a.disk - b.disk };
}

/** CPU shares are fractional; rounding to 1/1000 keeps sums free of float drift. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Parses Mesos-style `cpus=2;mem=4096;disk=10000;ports=[31000-32000,33000-33100]`. */
export function parseResources(text: string): Partial<AgentResources> {
  const result: { cpus?: number; mem?: number; disk?: number; ports?: PortRange[] } = {};
  for (const part of text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`resource '${part}' must be name=value`);
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 'ports') {
      const inner = /^\[(.*)\]$/.exec(value)?.[1];
      if (inner === undefined)
        throw new Error(`ports must look like [31000-32000], got '${value}'`);
      result.ports = inner
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean)
        .map((r) => {
          const m = /^(\d+)-(\d+)$/.exec(r);
          if (!m) throw new Error(`port range '${r}' must be begin-end`);
          const begin = Number(m[1]);
          const end = Number(m[2]);
          if (begin < 1 || end > 65535 || begin > end)
            throw new Error(`port range '${r}' is out of 1-65535 or reversed`);
          return { begin, end };
        });
    } else if (name === 'cpus' || name === 'mem' || name === 'disk') {
      const number = Number(value);
      if (!Number.isFinite(number) || number < 0)
        throw new Error(`resource ${name} must be a non-negative number, got '${value}'`);
      result[name] = number;
    } else {
      throw new Error(`unknown resource '${name}' (known: cpus, mem, disk, ports)`);
    }
  }
  return result;
}
