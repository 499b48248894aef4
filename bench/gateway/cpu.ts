import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

/**
 * CPU time (user + system, in ms) used so far by process `pid` and every process below it (an
 * nginx master's workers, a gateway primary's workers), from /proc/<pid>/stat. Children are
 * found by their parent id, since /proc/<pid>/task/<tid>/children is not always there. Exited
 * processes are not counted (the bench's processes live through a measurement). Linux only;
 * NaN elsewhere.
 */
export function processTreeCpuMs(pid: number): number {
  const stats = readStats();
  if (stats === undefined) return NaN;
  const below = new Map<number, number[]>();
  for (const stat of stats.values()) {
    const siblings = below.get(stat.parentPid);
    if (siblings) siblings.push(stat.pid);
    else below.set(stat.parentPid, [stat.pid]);
  }
  let ticks = 0;
  const pending = [pid];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const stat = stats.get(next);
    if (stat === undefined) continue;
    ticks += stat.ticks;
    pending.push(...(below.get(next) ?? []));
  }
  return (ticks * 1000) / ticksPerSecond;
}

interface ProcessStat {
  readonly pid: number;
  readonly parentPid: number;
  /** utime + stime. */
  readonly ticks: number;
}

function readStats(): Map<number, ProcessStat> | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const stats = new Map<number, ProcessStat>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    // proc(5): "pid (comm) state ppid …"; comm may hold spaces and parentheses, so the fields
    // are counted from the last ')'. utime and stime are fields 14 and 15.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    stats.set(pid, {
      pid,
      parentPid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
    });
  }
  return stats;
}

/** Busy and total CPU time of the whole machine so far, in ms (the `cpu` line of /proc/stat). */
export function machineCpuMs(): { readonly busyMs: number; readonly totalMs: number } {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'latin1');
  } catch {
    return { busyMs: NaN, totalMs: NaN };
  }
  // proc(5): cpu user nice system idle iowait irq softirq steal …
  const fields = text.slice(0, text.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
  const totalTicks = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idleTicks = (fields[3] ?? 0) + (fields[4] ?? 0);
  return {
    busyMs: ((totalTicks - idleTicks) * 1000) / ticksPerSecond,
    totalMs: (totalTicks * 1000) / ticksPerSecond,
  };
}
