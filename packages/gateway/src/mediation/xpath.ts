import { scalarText } from './json-path.js';
import { attributePrefix, textKey } from './xml-convert.js';

/**
 * A small XPath 1.0 subset over documents parsed by xml-convert.ts: absolute location paths of
 * child (`/a/b`) and descendant (`//b`) steps, `*`, a position predicate (`b[2]`, from 1), and
 * a last attribute step (`@id`). Enough to route on a field of a message (XPath 1.0 §2).
 */
interface Step {
  readonly descendant: boolean;
  readonly name: string;
  readonly position: number | undefined;
}

export interface XPath {
  readonly steps: readonly Step[];
  readonly attribute: string | undefined;
}

export type XPathParse = { ok: true; path: XPath } | { ok: false; error: string };

const stepPattern = /^(\/\/?)([A-Za-z_][A-Za-z0-9._:-]*|\*)(?:\[(\d{1,6})\])?/;
const attributePattern = /^(\/\/?)@([A-Za-z_][A-Za-z0-9._:-]*)$/;

export function parseXPath(text: string): XPathParse {
  if (!text.startsWith('/')) return { ok: false, error: 'an XPath here starts with "/"' };
  const steps: Step[] = [];
  let rest = text;
  while (rest.length > 0) {
    const attribute = attributePattern.exec(rest);
    if (attribute) {
      if (attribute[1] === '//' || steps.length === 0)
        return { ok: false, error: 'an attribute step follows an element step: /a/@id' };
      return { ok: true, path: { steps, attribute: attribute[2] } };
    }
    const match = stepPattern.exec(rest);
    if (!match)
      return {
        ok: false,
        error: `unexpected "${rest.slice(0, 16)}" in the XPath; use /a/b, //b, b[1] or /a/@id`,
      };
    const position = match[3] === undefined ? undefined : Number(match[3]);
    if (position === 0) return { ok: false, error: 'XPath positions start at 1' };
    steps.push({ descendant: match[1] === '//', name: match[2]!, position });
    rest = rest.slice(match[0].length);
    if (steps.length > 32) return { ok: false, error: 'an XPath has at most 32 steps' };
  }
  return { ok: true, path: { steps, attribute: undefined } };
}

/** The string value of the first node the path selects, or undefined. */
export function evaluateXPath(document: Record<string, unknown>, path: XPath): string | undefined {
  let nodes: unknown[] = [document];
  for (const step of path.steps) {
    const next: unknown[] = [];
    for (const node of nodes) {
      const found = step.descendant ? descendants(node, step.name) : children(node, step.name);
      if (step.position === undefined) next.push(...found);
      else if (found[step.position - 1] !== undefined) next.push(found[step.position - 1]);
    }
    nodes = next;
    if (nodes.length === 0) return undefined;
  }
  const first = nodes[0];
  if (path.attribute !== undefined) {
    if (typeof first !== 'object' || first === null) return undefined;
    return scalarText((first as Record<string, unknown>)[attributePrefix + path.attribute]);
  }
  return stringValue(first);
}

/** Element children named `name` (or any, for `*`), in document order. */
function children(node: unknown, name: string): unknown[] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
  const result: unknown[] = [];
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === textKey || key.startsWith(attributePrefix)) continue;
    if (name !== '*' && key !== name) continue;
    if (Array.isArray(value)) result.push(...(value as unknown[]));
    else result.push(value);
  }
  return result;
}

function descendants(node: unknown, name: string): unknown[] {
  const result: unknown[] = [];
  const pending: unknown[] = [node];
  // Breadth-first with a bound: a hostile document cannot make this unbounded work.
  for (let visited = 0; pending.length > 0 && visited < 100_000; visited++) {
    const current = pending.shift();
    for (const child of children(current, '*')) pending.push(child);
    result.push(...children(current, name));
  }
  return result;
}

function stringValue(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node !== 'object') return scalarText(node);
  return scalarText((node as Record<string, unknown>)[textKey]) ?? '';
}
