/**
 * The plan of REBALANCE PARTITIONS (pure): which partitions move where so that every leaf
 * holds an even share of a database's partitions. Leaves keep what they can: the fullest
 * leaves are allowed one partition above the floor of the average, then each leaf over its
 * share gives away its highest ordinals, to the emptiest leaf (earliest in cluster order on a
 * tie). A leaf being removed has a share of zero. The same input gives the same plan.
 */
export interface PartitionMove {
  readonly database: string;
  readonly ordinal: number;
  readonly from: string;
  readonly to: string;
}

export function planRebalance(options: {
  readonly database: string;
  /** Leaf id of each ordinal. */
  readonly placement: readonly string[];
  /** Leaves that should hold the partitions, in cluster order. */
  readonly leaves: readonly string[];
}): PartitionMove[] {
  const { placement, leaves, database } = options;
  if (leaves.length === 0) return [];
  const held = new Map<string, number[]>(leaves.map((leaf) => [leaf, []]));
  const outside: number[] = [];
  placement.forEach((leaf, ordinal) => {
    const list = held.get(leaf);
    if (list === undefined) outside.push(ordinal);
    else list.push(ordinal);
  });
  const floor = Math.floor(placement.length / leaves.length);
  let extra = placement.length % leaves.length;
  // The fullest leaves (cluster order on a tie) keep one more, so fewer partitions move.
  const byLoad = [...leaves].sort(
    (a, b) => (held.get(b)?.length ?? 0) - (held.get(a)?.length ?? 0),
  );
  const share = new Map<string, number>();
  for (const leaf of byLoad) {
    share.set(leaf, floor + (extra > 0 ? 1 : 0));
    if (extra > 0) extra -= 1;
  }
  const leaving: { ordinal: number; from: string }[] = outside.map((ordinal) => ({
    ordinal,
    from: placement[ordinal] ?? '',
  }));
  for (const leaf of leaves) {
    const list = held.get(leaf) ?? [];
    const surplus = list.length - (share.get(leaf) ?? 0);
    for (const ordinal of list.slice(list.length - Math.max(0, surplus)))
      leaving.push({ ordinal, from: leaf });
    if (surplus > 0) held.set(leaf, list.slice(0, list.length - surplus));
  }
  leaving.sort((a, b) => a.ordinal - b.ordinal);
  const moves: PartitionMove[] = [];
  for (const { ordinal, from } of leaving) {
    let target: string | undefined;
    for (const leaf of leaves) {
      const count = held.get(leaf)?.length ?? 0;
      if (count >= (share.get(leaf) ?? 0)) continue;
      if (target === undefined || count < (held.get(target)?.length ?? 0)) target = leaf;
    }
    if (target === undefined) continue;
    held.get(target)?.push(ordinal);
    moves.push({ database, ordinal, from, to: target });
  }
  return moves;
}
