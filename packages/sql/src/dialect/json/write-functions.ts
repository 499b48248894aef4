/**
 * The JSON functions that change a document, as MariaDB 10.11 applies each path in turn
 * (item_jsonfunc.cc): JSON_SET/INSERT/REPLACE (an index past a value that is not an array
 * wraps it: JSON_SET('1', '$[1]', 2) is [1, 2]), JSON_REMOVE, JSON_ARRAY_APPEND and
 * JSON_ARRAY_INSERT. Paths take no wildcards; the answer is written in the loose form.
 */
import {
  documentArg,
  documentWarning,
  pathArg,
  valueNode,
  type JsonArg,
  type JsonCall,
  type JsonResult,
} from './call.js';
import { findFirst, type ConcreteStep } from './match.js';
import type { JsonPath, PathStep } from './path.js';
import { looseJson, unescapeJson } from './print.js';
import type { JsonMember, JsonNode } from './scan.js';

/** The document with the value at `steps` replaced by `change` of it. */
function rebuild(
  node: JsonNode,
  steps: readonly ConcreteStep[],
  change: (old: JsonNode) => JsonNode,
  at = 0,
): JsonNode {
  const step = steps[at];
  if (step === undefined) return change(node);
  if (step.kind === 'index' && node.kind === 'array') {
    const items = [...node.items];
    const item = items[step.index];
    if (item !== undefined) items[step.index] = rebuild(item, steps, change, at + 1);
    return { kind: 'array', items };
  }
  if (step.kind === 'key' && node.kind === 'object') {
    const members = [...node.members];
    const m = members[step.member];
    if (m !== undefined)
      members[step.member] = { key: m.key, value: rebuild(m.value, steps, change, at + 1) };
    return { kind: 'object', members };
  }
  return node;
}

function parentPath(path: JsonPath): JsonPath {
  return { steps: path.steps.slice(0, -1), wild: path.wild };
}

/** Where a step names an existing item or member of `node`, its position. */
function position(node: JsonNode, step: PathStep): number | undefined {
  if (step.kind === 'index' && node.kind === 'array') {
    const n = step.from ?? 0;
    const index = n < 0 ? n + node.items.length : n;
    return index >= 0 && index < node.items.length ? index : undefined;
  }
  if (step.kind === 'key' && node.kind === 'object') {
    const found = node.members.findIndex((m) => unescapeJson(m.key) === step.name);
    return found < 0 ? undefined : found;
  }
  return undefined;
}

type Mode = 'set' | 'insert' | 'replace';

/** One path/value pair of JSON_SET, JSON_INSERT or JSON_REPLACE. */
function modify(mode: Mode, root: JsonNode, path: JsonPath, value: JsonNode): JsonNode {
  const last = path.steps[path.steps.length - 1];
  if (last === undefined) return mode === 'insert' ? root : value;
  const parent = findFirst(root, parentPath(path));
  if (parent === undefined) return root;
  const inserts = mode !== 'replace';
  const replaces = mode !== 'insert';
  return rebuild(root, parent.steps, (node) => {
    if (last.kind === 'index') {
      if (node.kind !== 'array') {
        // [0] of a value that is not an array is the value itself; another index wraps it.
        const n = last.from ?? 0;
        const wrap = mode === 'set' ? n > 0 : mode === 'insert' && n !== 0;
        if (wrap) return { kind: 'array', items: [node, value] };
        return mode === 'set' || (mode === 'replace' && n === 0) ? value : node;
      }
      const index = position(node, last);
      if (index !== undefined) {
        if (!replaces) return node;
        const items = [...node.items];
        items[index] = value;
        return { kind: 'array', items };
      }
      return inserts ? { kind: 'array', items: [...node.items, value] } : node;
    }
    if (node.kind !== 'object') return node;
    const index = position(node, last);
    if (index !== undefined) {
      if (!replaces) return node;
      const members = [...node.members];
      const m = members[index];
      if (m !== undefined) members[index] = { key: m.key, value };
      return { kind: 'object', members };
    }
    if (!inserts) return node;
    const added: JsonMember = { key: last.raw, value };
    return { kind: 'object', members: [...node.members, added] };
  });
}

/** Reads path/value pairs from argument 2 on; undefined (NULL) when one cannot be used. */
function pairs(
  call: JsonCall,
  args: readonly JsonArg[],
): { path: JsonPath; value: JsonNode }[] | undefined {
  const result: { path: JsonPath; value: JsonNode }[] = [];
  for (let i = 1; i + 1 < args.length; i += 2) {
    const text = args[i];
    if (text === null || text === undefined) return undefined;
    const path = pathArg(call, text, i + 1, false);
    if (path === undefined) return undefined;
    const value = valueNode(args[i + 1] ?? null);
    if (value === undefined) {
      documentWarning(call, i + 2, { kind: 'syntax', position: 0 });
      return undefined;
    }
    result.push({ path, value });
  }
  return result;
}

function modifyAll(mode: Mode): (call: JsonCall, args: readonly JsonArg[]) => JsonResult {
  return (call, args) => {
    const [text] = args;
    if (text === null || text === undefined) return null;
    const changes = pairs(call, args);
    if (changes === undefined) return null;
    let root = documentArg(call, text, 1);
    if (root === undefined) return null;
    for (const { path, value } of changes) root = modify(mode, root, path, value);
    return looseJson(root);
  };
}

export const jsonSet = modifyAll('set');
export const jsonInsert = modifyAll('insert');
export const jsonReplace = modifyAll('replace');

export function jsonRemove(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  const [text] = args;
  if (text === null || text === undefined) return null;
  const paths: JsonPath[] = [];
  for (let i = 1; i < args.length; i++) {
    const pathText = args[i];
    if (pathText === null || pathText === undefined) return null;
    const path = pathArg(call, pathText, i + 1, false);
    if (path === undefined) return null;
    if (path.steps.length === 0) {
      call.warn({
        level: 'Warning',
        code: 4051,
        message: `Path expression '$' is not allowed in argument ${i + 1} to function '${call.name}'.`,
      });
      return null;
    }
    paths.push(path);
  }
  let root = documentArg(call, text, 1);
  if (root === undefined) return null;
  for (const path of paths) {
    const last = path.steps[path.steps.length - 1];
    const parent = findFirst(root, parentPath(path));
    if (last === undefined || parent === undefined) continue;
    root = rebuild(root, parent.steps, (node) => {
      const index = position(node, last);
      if (index === undefined) return node;
      if (node.kind === 'array')
        return { kind: 'array', items: node.items.filter((_, i) => i !== index) };
      if (node.kind === 'object')
        return { kind: 'object', members: node.members.filter((_, i) => i !== index) };
      return node;
    });
  }
  return looseJson(root);
}

/** JSON_ARRAY_APPEND: a value that is not an array becomes one; a path not found is NULL. */
export function jsonArrayAppend(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  const [text] = args;
  if (text === null || text === undefined) return null;
  const changes = pairs(call, args);
  if (changes === undefined) return null;
  let root = documentArg(call, text, 1);
  if (root === undefined) return null;
  for (const { path, value } of changes) {
    const target = findFirst(root, path);
    if (target === undefined) return null;
    root = rebuild(root, target.steps, (node) =>
      node.kind === 'array'
        ? { kind: 'array', items: [...node.items, value] }
        : { kind: 'array', items: [node, value] },
    );
  }
  return looseJson(root);
}

/** JSON_ARRAY_INSERT: the path must end with an index (else NULL); past the end appends. */
export function jsonArrayInsert(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  const [text] = args;
  if (text === null || text === undefined) return null;
  const changes = pairs(call, args);
  if (changes === undefined) return null;
  if (changes.some(({ path }) => path.steps[path.steps.length - 1]?.kind !== 'index')) return null;
  let root = documentArg(call, text, 1);
  if (root === undefined) return null;
  for (const { path, value } of changes) {
    const last = path.steps[path.steps.length - 1];
    const parent = findFirst(root, parentPath(path));
    if (last?.kind !== 'index' || parent === undefined || parent.node.kind !== 'array') continue;
    root = rebuild(root, parent.steps, (node) => {
      if (node.kind !== 'array') return node;
      const n = last.from ?? 0;
      const index = n < 0 ? n + node.items.length + 1 : n;
      const items = [...node.items];
      if (index >= 0 && index < items.length) items.splice(index, 0, value);
      else items.push(value);
      return { kind: 'array', items };
    });
  }
  return looseJson(root);
}
