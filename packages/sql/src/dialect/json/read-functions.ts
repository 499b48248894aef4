/**
 * The JSON functions that read a document (MariaDB 10.11, item_jsonfunc.cc): JSON_VALID,
 * JSON_TYPE, JSON_DEPTH, JSON_LENGTH, JSON_KEYS, JSON_EXTRACT, JSON_VALUE, JSON_QUERY,
 * JSON_EXISTS, JSON_CONTAINS_PATH, JSON_UNQUOTE and the formats. Each takes its arguments as
 * text (NULL as null) and answers what MariaDB answers, with its warnings.
 */
import {
  documentArg,
  documentWarning,
  leadingArg,
  oneOrAll,
  pathArg,
  pathArgs,
  type JsonArg,
  type JsonCall,
  type JsonResult,
} from './call.js';
import { comparePath, findFirst, visitJson } from './match.js';
import {
  compactJson,
  detailedJson,
  looseJson,
  normalJson,
  scalarText,
  unescapeJson,
} from './print.js';
import { readPath, type JsonPath } from './path.js';
import { readDocument, readJson, type JsonNode } from './scan.js';

export function jsonValid(call: JsonCall, [text]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined) return null;
  const read = readDocument(text);
  if (read.ok) return 1;
  documentWarning(call, 1, read.error, 'Note');
  return 0;
}

export function jsonType(call: JsonCall, [text]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined) return null;
  const node = documentArg(call, text, 1);
  if (node === undefined) return null;
  switch (node.kind) {
    case 'object':
      return 'OBJECT';
    case 'array':
      return 'ARRAY';
    case 'string':
      return 'STRING';
    case 'number':
      return node.fraction ? 'DOUBLE' : 'INTEGER';
    case 'true':
    case 'false':
      return 'BOOLEAN';
    case 'null':
      return 'NULL';
  }
}

function depth(node: JsonNode): number {
  const children =
    node.kind === 'array'
      ? node.items
      : node.kind === 'object'
        ? node.members.map((m) => m.value)
        : [];
  return children.length === 0 ? 1 : 1 + Math.max(...children.map(depth));
}

export function jsonDepth(call: JsonCall, [text]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined) return null;
  const node = documentArg(call, text, 1);
  return node === undefined ? null : depth(node);
}

function isScalar(node: JsonNode): boolean {
  return node.kind !== 'object' && node.kind !== 'array';
}

/** A scalar counts 1 as soon as it is read; a container is counted and the rest checked. */
export function jsonLength(call: JsonCall, [text, pathText]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined) return null;
  if (pathText === undefined) {
    const read = readJson(text);
    if (!read.ok) {
      documentWarning(call, 1, read.error);
      return null;
    }
    if (isScalar(read.value)) return 1;
    if (read.trailing !== undefined) {
      documentWarning(call, 1, read.trailing);
      return null;
    }
    return count(read.value);
  }
  if (pathText === null) return null;
  const path = pathArg(call, pathText, 2, false);
  if (path === undefined) return null;
  const node = documentArg(call, text, 1);
  if (node === undefined) return null;
  const found = findFirst(node, path);
  return found === undefined ? null : count(found.node);
}

function count(node: JsonNode): number {
  if (node.kind === 'array') return node.items.length;
  if (node.kind === 'object') return node.members.length;
  return 1;
}

export function jsonKeys(call: JsonCall, [text, pathText]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined || pathText === null) return null;
  const path = pathText === undefined ? undefined : pathArg(call, pathText, 2, false);
  if (pathText !== undefined && path === undefined) return null;
  const node = leadingArg(call, text, 1);
  if (node === undefined) return null;
  const target = path === undefined ? node : findFirst(node, path)?.node;
  if (target?.kind !== 'object') return null;
  const keys = [...new Set(target.members.map((m) => m.key))];
  return `[${keys.map((k) => `"${k}"`).join(', ')}]`;
}

/** JSON_EXTRACT: the values the paths name in document order, as an array when several may. */
export function jsonExtract(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  const [text] = args;
  if (text === null || text === undefined) return null;
  const paths = pathArgs(call, args, 1, true);
  if (paths === undefined) return null;
  const node = documentArg(call, text, 1);
  if (node === undefined) return null;
  const first = paths[0];
  const several = paths.length > 1 || first?.wild === true;
  const found: string[] = [];
  for (const visit of visitJson(node)) {
    const isArray = visit.node.kind === 'array';
    const times = paths.filter((p) => comparePath(p.steps, visit.steps, isArray) === 0).length;
    for (let k = 0; k < times; k++) found.push(looseJson(visit.node));
    if (!several && found.length > 0) break;
  }
  if (found.length === 0) return null;
  return several ? `[${found.join(', ')}]` : (found[0] ?? null);
}

/**
 * JSON_VALUE and JSON_QUERY: the first value the path names that is a scalar (JSON_VALUE,
 * unquoted; true and false as 1 and 0) or a container (JSON_QUERY, as written); a JSON null
 * is NULL.
 */
function pathValue(call: JsonCall, args: readonly JsonArg[], scalar: boolean): JsonResult {
  const [text, pathText] = args;
  if (pathText === null || pathText === undefined) return null;
  const path = pathArg(call, pathText, 2, false);
  if (path === undefined || text === null || text === undefined) return null;
  const read = readJson(text);
  if (!read.ok) return null;
  for (const visit of visitJson(read.value)) {
    const node = visit.node;
    if (comparePath(path.steps, visit.steps, node.kind === 'array') !== 0) continue;
    if (node.kind === 'null') return null;
    if (isScalar(node) !== scalar) continue;
    if (!scalar) return containerText(text, node);
    if (node.kind === 'string') return unescapeJson(node.raw);
    return node.kind === 'true' ? '1' : node.kind === 'false' ? '0' : scalarText(node);
  }
  return null;
}

/** A container as written in the document. */
function containerText(text: string, node: JsonNode): string {
  const span = node.kind === 'object' || node.kind === 'array' ? node.span : undefined;
  return span === undefined ? looseJson(node) : text.slice(span.start, span.end);
}

export function jsonValue(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  return pathValue(call, args, true);
}

export function jsonQuery(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  return pathValue(call, args, false);
}

export function jsonExists(call: JsonCall, [text, pathText]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined || pathText === null || pathText === undefined)
    return null;
  const path = readPathQuietly(pathText);
  if (path === undefined) return null;
  const node = documentArg(call, text, 1);
  if (node === undefined) return null;
  return findFirst(node, path) === undefined ? 0 : 1;
}

/** JSON_EXISTS answers NULL for a path that does not read, without a warning. */
function readPathQuietly(text: string): JsonPath | undefined {
  const read = readPath(text);
  return read.ok ? read.path : undefined;
}

export function jsonContainsPath(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  const [text, mode] = args;
  if (text === null || text === undefined || mode === null || mode === undefined) return null;
  const which = oneOrAll(call, mode);
  if (which === undefined) return null;
  const paths = pathArgs(call, args, 2, true);
  if (paths === undefined) return null;
  const node = documentArg(call, text, 1);
  if (node === undefined) return null;
  const found = new Set<number>();
  for (const visit of visitJson(node)) {
    const isArray = visit.node.kind === 'array';
    paths.forEach((p, i) => {
      if (comparePath(p.steps, visit.steps, isArray) >= 0) found.add(i);
    });
  }
  return which === 'one' ? (found.size > 0 ? 1 : 0) : found.size === paths.length ? 1 : 0;
}

/** A JSON string unquoted; any other text as it is (a broken string warns). */
export function jsonUnquote(call: JsonCall, [text]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined) return null;
  const read = readJson(text);
  if (!read.ok) {
    if (text.trimStart().startsWith('"')) documentWarning(call, 1, read.error);
    return text;
  }
  return read.value.kind === 'string' ? unescapeJson(read.value.raw) : text;
}

export function jsonCompact(call: JsonCall, [text]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined) return null;
  const node = documentArg(call, text, 1);
  return node === undefined ? null : compactJson(node);
}

export function jsonLoose(call: JsonCall, [text]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined) return null;
  const node = documentArg(call, text, 1);
  return node === undefined ? null : looseJson(node);
}

/** JSON_DETAILED (JSON_PRETTY): the tab size is clamped to 0…8, 4 by default. */
export function jsonDetailed(call: JsonCall, [text, tab]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined || tab === null) return null;
  const size = tab === undefined ? 4 : Math.max(0, Math.min(8, Math.trunc(Number(tab)) || 0));
  const node = documentArg(call, text, 1);
  return node === undefined ? null : detailedJson(node, size);
}

export function jsonNormalize(call: JsonCall, [text]: readonly JsonArg[]): JsonResult {
  if (text === null || text === undefined) return null;
  const node = documentArg(call, text, 1);
  return node === undefined ? null : normalJson(node);
}

export function jsonEquals(call: JsonCall, [a, b]: readonly JsonArg[]): JsonResult {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  const left = documentArg(call, a, 1);
  if (left === undefined) return null;
  const right = documentArg(call, b, 2);
  if (right === undefined) return null;
  return normalJson(left) === normalJson(right) ? 1 : 0;
}
