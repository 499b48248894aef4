/**
 * Marathon's label selector for `GET /v2/apps?label=` (its LabelSelectorParsers grammar):
 *
 *   query     = selector *( "," selector )
 *   selector  = term ( "==" | "!=" ) term  |  term ( "in" | "notin" ) "(" term *( "," term ) ")"
 *             | term                                   ; the label exists
 *   term      = 1*( [A-Za-z0-9._-] | "\" any-character )
 *
 * Spaces around tokens are allowed. Every selector must match, and a selector about a label
 * matches only apps that have that label (so `tier != web` skips apps without `tier`).
 */

export type LabelSelector =
  | { readonly key: string; readonly kind: 'exists' }
  | { readonly key: string; readonly kind: 'equals' | 'notEquals'; readonly value: string }
  | { readonly key: string; readonly kind: 'in' | 'notIn'; readonly values: readonly string[] };

export type LabelSelectorParse =
  | { readonly ok: true; readonly selectors: readonly LabelSelector[] }
  | { readonly ok: false; readonly error: string };

/** Long enough for any real query; a longer one is refused rather than scanned. */
export const labelSelectorLengthMax = 4096;

const termCharacter = /[-A-Za-z0-9_.]/;

class Scanner {
  position = 0;
  constructor(readonly text: string) {}

  skipSpaces(): void {
    while (/\s/.test(this.text[this.position] ?? '')) this.position++;
  }

  /** Consumes `word` if it comes next (after spaces); `in` must not run into a term. */
  take(word: string): boolean {
    this.skipSpaces();
    if (!this.text.startsWith(word, this.position)) return false;
    const after = this.text[this.position + word.length];
    if (/^[a-z]/.test(word) && after !== undefined && termCharacter.test(after)) return false;
    this.position += word.length;
    return true;
  }

  term(): string | undefined {
    this.skipSpaces();
    let value = '';
    while (this.position < this.text.length) {
      const character = this.text[this.position]!;
      if (character === '\\' && this.position + 1 < this.text.length) {
        value += this.text[this.position + 1];
        this.position += 2;
      } else if (termCharacter.test(character)) {
        value += character;
        this.position++;
      } else break;
    }
    return value === '' ? undefined : value;
  }

  atEnd(): boolean {
    this.skipSpaces();
    return this.position >= this.text.length;
  }
}

function parseSelector(scanner: Scanner): LabelSelector | string {
  const key = scanner.term();
  if (key === undefined) return `a label name was expected at offset ${scanner.position}`;
  const equality = scanner.take('==') ? 'equals' : scanner.take('!=') ? 'notEquals' : undefined;
  if (equality !== undefined) {
    const value = scanner.term();
    if (value === undefined) return `a value was expected after '${key}' at ${scanner.position}`;
    return { key, kind: equality, value };
  }
  const setKind = scanner.take('notin') ? 'notIn' : scanner.take('in') ? 'in' : undefined;
  if (setKind === undefined) return { key, kind: 'exists' };
  if (!scanner.take('(')) return `'(' was expected after '${key} ${setKind}'`;
  const values: string[] = [];
  do {
    const value = scanner.term();
    if (value === undefined) return `a value was expected in the set of '${key}'`;
    values.push(value);
  } while (scanner.take(','));
  if (!scanner.take(')')) return `')' was expected to close the set of '${key}'`;
  return { key, kind: setKind, values };
}

export function parseLabelSelector(text: string): LabelSelectorParse {
  if (text.length > labelSelectorLengthMax)
    return { ok: false, error: `longer than ${labelSelectorLengthMax} characters` };
  const scanner = new Scanner(text);
  const selectors: LabelSelector[] = [];
  if (scanner.atEnd()) return { ok: true, selectors };
  do {
    const selector = parseSelector(scanner);
    if (typeof selector === 'string') return { ok: false, error: selector };
    selectors.push(selector);
  } while (scanner.take(','));
  if (!scanner.atEnd()) return { ok: false, error: `unexpected '${text.slice(scanner.position)}'` };
  return { ok: true, selectors };
}

export function matchesLabelSelectors(
  labels: Readonly<Record<string, string>>,
  selectors: readonly LabelSelector[],
): boolean {
  return selectors.every((selector) => {
    if (!Object.hasOwn(labels, selector.key)) return false;
    const value = labels[selector.key]!;
    switch (selector.kind) {
      case 'exists':
        return true;
      case 'equals':
        return value === selector.value;
      case 'notEquals':
        return value !== selector.value;
      case 'in':
        return selector.values.includes(value);
      case 'notIn':
        return !selector.values.includes(value);
    }
  });
}
