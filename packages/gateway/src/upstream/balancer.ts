import { isAvailable, type Target } from './target.js';

export interface Balancer {
  /** A target that is available and not `exclude` (the one a retry just failed on), if any. */
  pick(options: {
    nowMs: number;
    hashKey: string;
    exclude: Target | undefined;
  }): Target | undefined;
}

export function createBalancer(
  kind: 'round-robin' | 'least-connections' | 'consistent-hash',
  targets: readonly Target[],
): Balancer {
  switch (kind) {
    case 'round-robin':
      return roundRobin(targets);
    case 'least-connections':
      return leastConnections(targets);
    case 'consistent-hash':
      return consistentHash(targets);
  }
}

function usable(target: Target, nowMs: number, exclude: Target | undefined): boolean {
  return target !== exclude && isAvailable(target, nowMs);
}

/**
 * Smooth weighted round-robin (nginx's ngx_http_upstream_get_peer): every pick adds each
 * target's weight to its current weight, takes the largest and subtracts the total, which
 * spreads a 5:1:1 split as a,a,b,a,c,a,a rather than in bursts.
 */
function roundRobin(targets: readonly Target[]): Balancer {
  return {
    pick({ nowMs, exclude }) {
      let best: Target | undefined;
      let total = 0;
      for (const target of targets) {
        if (!usable(target, nowMs, exclude)) continue;
        target.currentWeight += target.weight;
        total += target.weight;
        if (!best || target.currentWeight > best.currentWeight) best = target;
      }
      if (best) best.currentWeight -= total;
      return best;
    },
  };
}

/** Fewest requests in flight relative to weight; ties rotate so idle targets share the load. */
function leastConnections(targets: readonly Target[]): Balancer {
  let rotation = 0;
  return {
    pick({ nowMs, exclude }) {
      let best: Target | undefined;
      let bestScore = Infinity;
      const count = targets.length;
      rotation = (rotation + 1) % count;
      for (let i = 0; i < count; i++) {
        const target = targets[(rotation + i) % count]!;
        if (!usable(target, nowMs, exclude)) continue;
        const score = target.inflight / target.weight;
        if (score < bestScore) {
          best = target;
          bestScore = score;
        }
      }
      return best;
    },
  };
}

const virtualNodesPerWeight = 100;

/**
 * A hash ring with virtual nodes (Karger et al.): a key keeps its target while that target is
 * available, and when one target leaves only its keys move, to the next target on the ring.
 */
function consistentHash(targets: readonly Target[]): Balancer {
  const ring: Array<{ hash: number; target: Target }> = [];
  for (const target of targets) {
    const nodes = Math.min(target.weight * virtualNodesPerWeight, 10_000);
    for (let i = 0; i < nodes; i++) ring.push({ hash: fnv1a(`${target.url}#${i}`), target });
  }
  ring.sort((a, b) => a.hash - b.hash);
  return {
    pick({ nowMs, hashKey, exclude }) {
      if (ring.length === 0) return undefined;
      const hash = fnv1a(hashKey);
      let low = 0;
      let high = ring.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (ring[middle]!.hash < hash) low = middle + 1;
        else high = middle;
      }
      for (let i = 0; i < ring.length; i++) {
        const node = ring[(low + i) % ring.length]!;
        if (usable(node.target, nowMs, exclude)) return node.target;
      }
      return undefined;
    },
  };
}

/** 32-bit FNV-1a with a final avalanche step so nearby keys spread over the ring. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
