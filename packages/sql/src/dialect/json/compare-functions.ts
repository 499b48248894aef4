/**
 * JSON_CONTAINS, JSON_OVERLAPS and JSON_SEARCH as MariaDB 10.11 decides them: strings compare
 * as written, numbers within 1e-12, an array contains what any of its items (at any depth)
 * contains, and JSON_SEARCH matches scalars against a LIKE pattern without case.
 */
import {
  documentArg,
  leadingArg,
  oneOrAll,
  pathArg,
  pathArgs,
  type JsonArg,
  type JsonCall,
  type JsonResult,
} from './call.js';
import { likeRegExp } from '../like-pattern.js';
import { comparePath, findFirst, visitJson, type ConcreteStep } from './match.js';
import { normalJson, scalarText, unescapeJson } from './print.js';
import type { JsonNode } from './scan.js';

function isScalar(node: JsonNode): boolean {
  return node.kind !== 'object' && node.kind !== 'array';
}

function sameScalar(a: JsonNode, b: JsonNode): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'number' && b.kind === 'number')
    return Math.abs(Number.parseFloat(a.raw) - Number.parseFloat(b.raw)) < 1e-12;
  if (a.kind === 'string' && b.kind === 'string') return a.raw === b.raw;
  return true;
}

function member(object: JsonNode, key: string): JsonNode | undefined {
  if (object.kind !== 'object') return undefined;
  const name = unescapeJson(key);
  return object.members.find((m) => unescapeJson(m.key) === name)?.value;
}

function contains(doc: JsonNode, candidate: JsonNode): boolean {
  if (doc.kind === 'object') {
    if (candidate.kind !== 'object') return false;
    return candidate.members.every((m) => {
      const value = member(doc, m.key);
      return value !== undefined && contains(value, m.value);
    });
  }
  if (doc.kind === 'array') {
    if (candidate.kind === 'array') return candidate.items.every((c) => contains(doc, c));
    return doc.items.some((item) => contains(item, candidate));
  }
  if (!isScalar(candidate)) return false;
  return sameScalar(doc, candidate);
}

export function jsonContains(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  const [text, candidateText, pathText] = args;
  if (text === null || text === undefined) return null;
  if (candidateText === null || candidateText === undefined || pathText === null) return null;
  let doc: JsonNode | undefined;
  if (pathText !== undefined) {
    const path = pathArg(call, pathText, 3, false);
    if (path === undefined) return null;
    const root = leadingArg(call, text, 1);
    if (root === undefined) return null;
    doc = findFirst(root, path)?.node;
    if (doc === undefined) return 0;
  } else {
    doc = leadingArg(call, text, 1);
    if (doc === undefined) return null;
  }
  const candidate = leadingArg(call, candidateText, 2);
  if (candidate === undefined) return null;
  return contains(doc, candidate) ? 1 : 0;
}

function overlapScalar(scalar: JsonNode, other: JsonNode): boolean {
  if (isScalar(other)) return sameScalar(scalar, other);
  if (other.kind === 'array')
    return other.items.some((item) => item.kind === scalar.kind && overlapScalar(scalar, item));
  return false;
}

function overlapArray(array: JsonNode[], other: JsonNode, whole: boolean): boolean {
  if (other.kind === 'array') {
    if (whole) {
      if (other.items.length > array.length) return false;
      return other.items.every((b, i) => {
        const a = array[i];
        return a !== undefined && a.kind === b.kind && overlaps(a, b, true);
      });
    }
    return array.some((a) => other.items.some((b) => a.kind === b.kind && overlaps(a, b, true)));
  }
  if (other.kind === 'object') {
    return !whole && array.some((a) => a.kind === 'object' && overlapObject(a, other, true));
  }
  return overlapScalar(other, { kind: 'array', items: array });
}

function overlapObject(object: JsonNode, other: JsonNode, whole: boolean): boolean {
  if (object.kind !== 'object') return false;
  if (other.kind === 'object') {
    if (whole) return normalJson(object) === normalJson(other);
    return other.members.some((m) => {
      const value = member(object, m.key);
      return value !== undefined && value.kind === m.value.kind && overlaps(value, m.value, true);
    });
  }
  if (other.kind === 'array' && !whole)
    return other.items.some((item) => item.kind === 'object' && overlapObject(item, object, true));
  return false;
}

function overlaps(a: JsonNode, b: JsonNode, whole: boolean): boolean {
  if (a.kind === 'object') return overlapObject(a, b, whole);
  if (a.kind === 'array') return overlapArray([...a.items], b, whole);
  return overlapScalar(a, b);
}

/** JSON_OVERLAPS answers 0, not NULL, for a document that does not read. */
export function jsonOverlaps(call: JsonCall, [a, b]: readonly JsonArg[]): JsonResult {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  const left = leadingArg(call, a, 1);
  if (left === undefined) return 0;
  const right = leadingArg(call, b, 2);
  if (right === undefined) return 0;
  return overlaps(left, right, false) ? 1 : 0;
}

/** A value's path as JSON_SEARCH writes it: keys as written, indexes in brackets. */
function pathText(steps: readonly ConcreteStep[], keys: readonly string[]): string {
  let text = '$';
  let k = 0;
  for (const step of steps) {
    text += step.kind === 'key' ? `.${keys[k++] ?? step.name}` : `[${step.index}]`;
  }
  return `"${text}"`;
}

/** The keys as written along a visit's path (the visit keeps them unescaped). */
function rawKeys(root: JsonNode, steps: readonly ConcreteStep[]): string[] {
  const keys: string[] = [];
  let node: JsonNode | undefined = root;
  for (const step of steps) {
    if (node === undefined) break;
    if (step.kind === 'index') {
      node = node.kind === 'array' ? node.items[step.index] : undefined;
    } else if (node.kind === 'object') {
      const found = node.members.find((m) => unescapeJson(m.key) === step.name);
      keys.push(found?.key ?? step.name);
      node = found?.value;
    }
  }
  return keys;
}

function searchText(node: JsonNode): string {
  return node.kind === 'string' ? unescapeJson(node.raw) : scalarText(node);
}

export function jsonSearch(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  const [text, mode, pattern, escape] = args;
  if (text === null || text === undefined || pattern === null || pattern === undefined) return null;
  if (mode === null || mode === undefined) return null;
  const which = oneOrAll(call, mode);
  if (which === undefined) return null;
  const paths = pathArgs(call, args, 4, true);
  if (paths === undefined) return null;
  const escapeChar = escape === null || escape === undefined || escape === '' ? '\\' : escape;
  const like = likeRegExp(pattern.toLowerCase(), escapeChar.toLowerCase());
  const root = which === 'one' ? leadingArg(call, text, 1) : documentArg(call, text, 1);
  if (root === undefined) return null;
  const found: string[] = [];
  for (const visit of visitJson(root)) {
    if (!isScalar(visit.node)) continue;
    const isArray = false;
    if (paths.length > 0 && !paths.some((p) => comparePath(p.steps, visit.steps, isArray) >= 0))
      continue;
    if (!like.test(searchText(visit.node).toLowerCase())) continue;
    found.push(pathText(visit.steps, rawKeys(root, visit.steps)));
    if (which === 'one') break;
  }
  if (found.length === 0) return null;
  return found.length === 1 ? (found[0] ?? null) : `[${found.join(', ')}]`;
}
