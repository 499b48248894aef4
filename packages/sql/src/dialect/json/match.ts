/**
 * Which values of a document a path names, as MariaDB decides it (json_path_compare): every
 * value is visited in document order with its own path, and a `[0]` step also names a value
 * that is not an array (the value itself), `**` any number of steps.
 */
import type { JsonPath, PathStep } from './path.js';
import type { JsonNode } from './scan.js';
import { unescapeJson } from './print.js';

/** One step of a value's own path: a key, or an index in an array of `size` items. */
export type ConcreteStep =
  | { readonly kind: 'key'; readonly name: string; readonly member: number }
  | { readonly kind: 'index'; readonly index: number; readonly size: number };

export interface Visit {
  readonly node: JsonNode;
  readonly steps: readonly ConcreteStep[];
}

/** Every value with its path, in document order (a container before what it holds). */
export function* visitJson(node: JsonNode, steps: ConcreteStep[] = []): Generator<Visit> {
  yield { node, steps };
  if (node.kind === 'array') {
    const size = node.items.length;
    for (let index = 0; index < size; index++) {
      const item = node.items[index];
      if (item === undefined) continue;
      steps.push({ kind: 'index', index, size });
      yield* visitJson(item, steps);
      steps.pop();
    }
  } else if (node.kind === 'object') {
    for (let member = 0; member < node.members.length; member++) {
      const m = node.members[member];
      if (m === undefined) continue;
      steps.push({ kind: 'key', name: unescapeJson(m.key), member });
      yield* visitJson(m.value, steps);
      steps.pop();
    }
  }
}

function resolve(n: number, size: number): number {
  return n >= 0 ? n : size + n;
}

function indexFits(step: Extract<PathStep, { kind: 'index' }>, at: ConcreteStep): boolean {
  if (at.kind !== 'index') return false;
  if (step.from === undefined) return true;
  const from = resolve(step.from, at.size);
  if (step.to === undefined) return from === at.index;
  return at.index >= from && at.index <= resolve(step.to, at.size);
}

function stepFits(step: PathStep, at: ConcreteStep): boolean {
  if (step.kind === 'index') return indexFits(step, at);
  return at.kind === 'key' && (step.name === undefined || step.name === at.name);
}

/** `[0]` written as a plain index: it also names a value that is not an array. */
function wraps(step: PathStep): boolean {
  return step.kind === 'index' && step.from === 0 && step.to === undefined;
}

/**
 * 0 when `pattern` names the value at `path` exactly, a positive number when the value lies
 * inside one it names, negative otherwise. `isArray` is whether the value is an array.
 */
export function comparePath(
  pattern: readonly PathStep[],
  path: readonly ConcreteStep[],
  isArray: boolean,
  a = 0,
  b = 0,
): number {
  while (a < pattern.length) {
    const step = pattern[a];
    if (step === undefined) break;
    if (b >= path.length) {
      // The path ended first: only `[0]` steps past a non-array value are left to match.
      for (; a < pattern.length; a++) {
        const rest = pattern[a];
        if (isArray || rest === undefined || !wraps(rest)) return -2;
      }
      return 0;
    }
    const at = path[b];
    if (at === undefined) break;
    if (stepFits(step, at)) {
      b++;
      if (!step.deep) {
        a++;
        continue;
      }
      const rest = comparePath(pattern, path, isArray, a + 1, b);
      if (rest === 0) return 0;
      const deeper = comparePath(pattern, path, isArray, a, b);
      return deeper >= 0 ? deeper : rest;
    }
    if (wraps(step) && at.kind === 'key') {
      if (!step.deep) {
        a++;
        continue;
      }
      const rest = comparePath(pattern, path, isArray, a + 1, b + 1);
      if (rest === 0) return 0;
      const deeper = comparePath(pattern, path, isArray, a, b + 1);
      return deeper >= 0 ? deeper : rest;
    }
    if (!step.deep) return -1;
    b++;
  }
  return b < path.length ? 1 : 0;
}

/** The first value (in document order) the path names exactly. */
export function findFirst(root: JsonNode, path: JsonPath): Visit | undefined {
  for (const visit of visitJson(root)) {
    if (comparePath(path.steps, visit.steps, visit.node.kind === 'array') === 0)
      return { node: visit.node, steps: [...visit.steps] };
  }
  return undefined;
}
