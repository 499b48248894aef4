/**
 * The JSON functions that build a document from SQL values or other documents (MariaDB 10.11):
 * JSON_ARRAY and JSON_OBJECT write their values as they come (JSON values unchanged, strings
 * quoted, numbers bare), JSON_QUOTE, JSON_MERGE_PRESERVE (JSON_MERGE) and JSON_MERGE_PATCH.
 */
import { documentArg, valueText, type JsonArg, type JsonCall, type JsonResult } from './call.js';
import { escapeJson, looseJson, unescapeJson } from './print.js';
import type { JsonMember, JsonNode } from './scan.js';

export function jsonArray(_call: JsonCall, args: readonly JsonArg[]): JsonResult {
  return `[${args.map(valueText).join(', ')}]`;
}

/** Keys are text (NULL is ""), values as in JSON_ARRAY. */
export function jsonObject(_call: JsonCall, args: readonly JsonArg[]): JsonResult {
  const members: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    members.push(`"${escapeJson(args[i] ?? '')}": ${valueText(args[i + 1] ?? null)}`);
  }
  return `{${members.join(', ')}}`;
}

export function jsonQuote(_call: JsonCall, [text]: readonly JsonArg[]): JsonResult {
  return text === null || text === undefined ? null : `"${escapeJson(text)}"`;
}

function sameKey(a: JsonMember, b: JsonMember): boolean {
  return a.key === b.key || unescapeJson(a.key) === unescapeJson(b.key);
}

/** Objects merge key by key; anything else is concatenated as arrays. */
function mergePreserve(a: JsonNode, b: JsonNode): JsonNode {
  if (a.kind === 'object' && b.kind === 'object') {
    const members: JsonMember[] = a.members.map((m) => {
      const other = b.members.find((o) => sameKey(m, o));
      return other === undefined ? m : { key: m.key, value: mergePreserve(m.value, other.value) };
    });
    for (const o of b.members) if (!a.members.some((m) => sameKey(m, o))) members.push(o);
    return { kind: 'object', members };
  }
  const first = a.kind === 'array' ? a.items : [a];
  const second = b.kind === 'array' ? b.items : [b];
  return { kind: 'array', items: [...first, ...second] };
}

export function jsonMergePreserve(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  if (args.some((a) => a === null)) return null;
  let result: JsonNode | undefined;
  for (let i = 0; i < args.length; i++) {
    const node = documentArg(call, args[i] ?? '', i + 1);
    if (node === undefined) return null;
    result = result === undefined ? node : mergePreserve(result, node);
  }
  return result === undefined ? null : looseJson(result);
}

/** A patch value without the null members of its objects (at any depth of objects). */
function withoutNulls(node: JsonNode): JsonNode {
  if (node.kind !== 'object') return node;
  const members = node.members
    .filter((m) => m.value.kind !== 'null')
    .map((m) => ({ key: m.key, value: withoutNulls(m.value) }));
  return { kind: 'object', members };
}

/** RFC 7396: undefined when the patch is null (the member goes away). */
function mergePatch(target: JsonNode, patch: JsonNode): JsonNode | undefined {
  if (target.kind !== 'object' || patch.kind !== 'object')
    return patch.kind === 'null' ? undefined : withoutNulls(patch);
  const members: JsonMember[] = [];
  for (const m of target.members) {
    const other = patch.members.find((p) => sameKey(m, p));
    if (other === undefined) {
      members.push(m);
      continue;
    }
    const merged = mergePatch(m.value, other.value);
    if (merged !== undefined) members.push({ key: m.key, value: merged });
  }
  for (const p of patch.members) {
    if (target.members.some((m) => sameKey(m, p)) || p.value.kind === 'null') continue;
    members.push({ key: p.key, value: withoutNulls(p.value) });
  }
  return { kind: 'object', members };
}

/**
 * JSON_MERGE_PATCH: a NULL argument makes the answer NULL until a later argument that is not
 * an object replaces it.
 */
export function jsonMergePatch(call: JsonCall, args: readonly JsonArg[]): JsonResult {
  const [first] = args;
  let result: JsonNode | undefined;
  let isNull = first === null || first === undefined;
  if (!isNull) {
    result = documentArg(call, first ?? '', 1);
    if (result === undefined) return null;
  }
  for (let i = 1; i < args.length; i++) {
    const text = args[i];
    if (text === null || text === undefined) {
      isNull = true;
      continue;
    }
    const patch = documentArg(call, text, i + 1);
    if (patch === undefined) return null;
    if (isNull) {
      if (patch.kind === 'object') continue;
      isNull = false;
      result = patch;
      continue;
    }
    result = result === undefined ? patch : (mergePatch(result, patch) ?? { kind: 'null' });
  }
  return isNull || result === undefined ? null : looseJson(result);
}
