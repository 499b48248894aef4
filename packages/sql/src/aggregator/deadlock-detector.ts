/**
 * Deadlocks across leaves. A leaf refuses a lock wait that closes a cycle of its own waits at
 * once (1213, `storage/write-lock.ts`), but a transaction holding a partition on one leaf while
 * it waits on another, and a second one the other way round, form a cycle no leaf sees: both
 * would wait the whole lock wait timeout (50 s) and then fail with 1205. The aggregator asks
 * every leaf for its waits (pairs of waiter and holder, the transactions' ids being the same
 * on every leaf) a few times a second while transactions are open, joins them, and when the
 * same cycle stands in two rounds in a row — a real deadlock never resolves itself — it ends the
 * wait of the cycle's youngest transaction with a deadlock (1213), as InnoDB picks a victim;
 * its session then rolls the whole transaction back.
 */
import type { LeafDef } from '../catalog/types.js';
import type { LeafApi } from '../leaf/api.js';

export const DEADLOCK_CHECK_MS = 500;

export interface DeadlockDetectorOptions {
  readonly leaves: () => readonly LeafDef[];
  readonly leaf: (leaf: LeafDef) => Promise<LeafApi>;
  /** Whether transactions are open (nothing to look for otherwise). */
  readonly busy: () => boolean;
  readonly intervalMs?: number;
  readonly onVictim?: (txn: string) => void;
}

export class DeadlockDetector {
  private readonly timer: NodeJS.Timeout;
  private checking = false;
  /** The victims the last round found: acted on when the next round finds them again. */
  private suspects = new Set<string>();

  constructor(private readonly options: DeadlockDetectorOptions) {
    this.timer = setInterval(() => void this.check(), options.intervalMs ?? DEADLOCK_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One round: gathers the waits, and fails the victims of cycles that stood since the last. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const leaves = this.options.leaves();
      if (leaves.length < 2 || !this.options.busy()) {
        this.suspects.clear();
        return;
      }
      const answers = await Promise.allSettled(
        leaves.map(async (leaf) => {
          const api = await this.options.leaf(leaf);
          return { api, waits: await api.lockWaits() };
        }),
      );
      const waits: (readonly [string, string])[] = [];
      const waitingOn = new Map<string, LeafApi[]>();
      for (const answer of answers) {
        if (answer.status !== 'fulfilled') continue;
        for (const pair of answer.value.waits) {
          waits.push(pair);
          waitingOn.set(pair[0], [...(waitingOn.get(pair[0]) ?? []), answer.value.api]);
        }
      }
      const victims = cycleVictims(waits);
      for (const victim of victims) {
        if (!this.suspects.has(victim)) continue;
        this.options.onVictim?.(victim);
        await Promise.allSettled(
          (waitingOn.get(victim) ?? []).map((api) => api.failLockWait(victim)),
        );
      }
      this.suspects = new Set(victims);
    } finally {
      this.checking = false;
    }
  }
}

/**
 * One victim per cycle of `waits` ([waiter, holder] pairs): the youngest transaction of the
 * cycle (the highest counter of the aggregator's `<prefix>:<counter>` ids). Pure.
 */
export function cycleVictims(waits: readonly (readonly [string, string])[]): string[] {
  const holders = new Map<string, Set<string>>();
  for (const [waiter, holder] of waits) {
    let set = holders.get(waiter);
    if (set === undefined) holders.set(waiter, (set = new Set()));
    set.add(holder);
  }
  const victims = new Set<string>();
  const done = new Set<string>();
  for (const start of holders.keys()) {
    if (done.has(start)) continue;
    // Depth-first along waits; a node met again on the current path closes a cycle.
    const path: string[] = [];
    const onPath = new Set<string>();
    const visit = (node: string): void => {
      if (onPath.has(node)) {
        const cycle = path.slice(path.indexOf(node));
        if (!cycle.some((member) => victims.has(member))) victims.add(youngest(cycle));
        return;
      }
      if (done.has(node)) return;
      path.push(node);
      onPath.add(node);
      for (const next of holders.get(node) ?? []) visit(next);
      path.pop();
      onPath.delete(node);
      done.add(node);
    };
    visit(start);
  }
  return [...victims];
}

function youngest(cycle: readonly string[]): string {
  const counter = (id: string): number => Number(id.slice(id.lastIndexOf(':') + 1)) || 0;
  return cycle.reduce((best, id) => (counter(id) > counter(best) ? id : best));
}
