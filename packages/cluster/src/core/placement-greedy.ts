import { fieldValue } from './constraint-eval.js';
import type { PlacementContext } from './placement-context.js';
import { AgentHeap, GroupHeap } from './placement-heap.js';
import type { Placement } from './placement-types.js';

/**
 * Greedy placement for requests with at most one GROUP_BY constraint, in
 * O((agents + instances) · log agents).
 *
 * Agents that pass the static checks are filtered once, then split into groups by the value of the
 * GROUP_BY field (one group when there is none). Each group is a heap of its agents by score; the
 * groups sit in a heap ordered by the app's instance count on their value, then by their best
 * agent. Each instance goes to the best agent of the first group. Agents that can no longer take
 * an instance are dropped only when they reach the top of their heap: because counts only grow and
 * free resources only shrink within a call, such an agent never becomes usable again.
 *
 * Why the GROUP_BY rule holds: the first group has the lowest count among groups that still have
 * an agent able to take the instance, so no value with a lower count was available.
 */
export function placeGreedy(context: PlacementContext): Placement[] {
  const { ledger, request } = context;
  const agents = ledger.agents;
  const groupByIndex = context.groupByIndexes[0] ?? -1;
  const groupField =
    groupByIndex >= 0 ? context.constraints[groupByIndex]!.constraint.field : undefined;

  const keys = new Float64Array(ledger.size);
  const groupOfValue = new Map<string, number>();
  const groupValues: string[] = [];
  const members: number[][] = [];
  for (const agent of agents) {
    if (!context.admitsStatically(agent) || !context.canTake(agent)) continue;
    keys[agent.index] = context.score(agent);
    // admitsStatically has already refused agents that lack the GROUP_BY attribute.
    const value = groupField === undefined ? '' : (fieldValue(agent, groupField) ?? '');
    let group = groupOfValue.get(value);
    if (group === undefined) {
      group = members.length;
      groupOfValue.set(value, group);
      groupValues.push(value);
      members.push([]);
    }
    members[group]!.push(agent.index);
  }

  const heaps = members.map((items) => new AgentHeap(items, keys));
  const countOf = (group: number): number =>
    groupByIndex < 0 ? 0 : context.countOf(groupByIndex, groupValues[group]!);
  const groups = new GroupHeap(heaps.length, (a, b) => {
    const countA = countOf(a);
    const countB = countOf(b);
    if (countA !== countB) return countA < countB;
    const topA = heaps[a]!.peek();
    const topB = heaps[b]!.peek();
    const keyA = keys[topA] ?? Infinity;
    const keyB = keys[topB] ?? Infinity;
    return keyA < keyB || (keyA === keyB && topA < topB);
  });

  const placements: Placement[] = [];
  while (placements.length < request.count) {
    const group = groups.peek();
    if (group < 0) break;
    const heap = heaps[group]!;
    let dropped = false;
    while (heap.size > 0 && !context.canTake(agents[heap.peek()]!)) {
      heap.pop();
      dropped = true;
    }
    if (heap.size === 0) {
      groups.remove(group);
      continue;
    }
    if (dropped) {
      // The group's best agent got worse; another group may now come first.
      groups.update(group);
      if (groups.peek() !== group) continue;
    }
    const agent = agents[heap.peek()]!;
    placements.push(context.assign(agent));
    keys[agent.index] = context.score(agent);
    heap.updateTop();
    groups.update(group);
  }
  return placements;
}
