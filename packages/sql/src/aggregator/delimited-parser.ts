/**
 * A streaming parser for LOAD DATA files with MySQL's field and line options (FIELDS
 * TERMINATED BY / [OPTIONALLY] ENCLOSED BY / ESCAPED BY, LINES STARTING BY / TERMINATED BY).
 * Defaults are MySQL's: tab-separated fields, newline-terminated lines, backslash escapes,
 * and `\N` for NULL (with ENCLOSED BY, also the word NULL unquoted). Chunks may split records
 * anywhere; `push` returns the records completed.
 */
export interface DelimitedOptions {
  readonly fieldTerminator: string;
  readonly enclosure: string;
  readonly escape: string;
  readonly lineTerminator: string;
  readonly lineStart: string;
}

export const MYSQL_DEFAULTS: DelimitedOptions = {
  fieldTerminator: '\t',
  enclosure: '',
  escape: '\\',
  lineTerminator: '\n',
  lineStart: '',
};

/** Stands for `\N` while a field is read; no file byte sequence produces it. */
const NULL_MARK = '\u0000NULL';

const ESCAPES: Record<string, string> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  N: '\\N',
};

export class DelimitedParser {
  private buffer = '';
  constructor(private readonly options: DelimitedOptions) {
    if (options.fieldTerminator === '' || options.lineTerminator === '') {
      throw new Error('empty field or line terminators are not supported');
    }
  }

  /** Adds text; returns the complete records found (each a list of fields, null for \N). */
  push(text: string): (string | null)[][] {
    this.buffer += text;
    const records: (string | null)[][] = [];
    let position = 0;
    for (;;) {
      const parsed = this.record(position, false);
      if (parsed === undefined) break;
      records.push(parsed.fields);
      position = parsed.end;
    }
    this.buffer = this.buffer.slice(position);
    return records;
  }

  /** The last record when the file does not end with a line terminator. */
  finish(): (string | null)[][] {
    if (this.buffer.length === 0) return [];
    const parsed = this.record(0, true);
    this.buffer = '';
    return parsed === undefined ? [] : [parsed.fields];
  }

  private record(
    start: number,
    atEnd: boolean,
  ): { fields: (string | null)[]; end: number } | undefined {
    const { fieldTerminator, enclosure, escape, lineTerminator, lineStart } = this.options;
    const text = this.buffer;
    let position = start;
    if (lineStart !== '') {
      const found = text.indexOf(lineStart, position);
      if (found < 0) return undefined;
      position = found + lineStart.length;
    }
    const fields: (string | null)[] = [];
    let field = '';
    let enclosed = false;
    let quoted = false;
    let fieldStart = true;
    while (position < text.length) {
      const char = text[position] as string;
      if (fieldStart && enclosure !== '' && text.startsWith(enclosure, position)) {
        enclosed = true;
        quoted = true;
        fieldStart = false;
        position += enclosure.length;
        continue;
      }
      fieldStart = false;
      if (escape !== '' && char === escape) {
        if (position + 1 >= text.length)
          return atEnd ? { fields: [...fields, field + char], end: text.length } : undefined;
        const next = text[position + 1] as string;
        field += next === 'N' && field === '' ? NULL_MARK : (ESCAPES[next] ?? next);
        position += 2;
        continue;
      }
      if (enclosed) {
        if (text.startsWith(enclosure, position)) {
          if (text.startsWith(enclosure + enclosure, position)) {
            field += enclosure;
            position += enclosure.length * 2;
            continue;
          }
          const after = position + enclosure.length;
          if (after >= text.length && !atEnd) return undefined;
          if (
            after >= text.length ||
            text.startsWith(fieldTerminator, after) ||
            text.startsWith(lineTerminator, after)
          ) {
            enclosed = false;
            position = after;
            continue;
          }
        }
        field += char;
        position += 1;
        continue;
      }
      if (text.startsWith(fieldTerminator, position)) {
        fields.push(finishField(field, quoted, enclosure));
        field = '';
        quoted = false;
        fieldStart = true;
        position += fieldTerminator.length;
        continue;
      }
      if (text.startsWith(lineTerminator, position)) {
        fields.push(finishField(field, quoted, enclosure));
        return { fields, end: position + lineTerminator.length };
      }
      // A terminator may be split across chunks: wait for more text.
      if (
        !atEnd &&
        (lineTerminator.startsWith(text.slice(position)) ||
          fieldTerminator.startsWith(text.slice(position)))
      ) {
        return undefined;
      }
      field += char;
      position += 1;
    }
    if (!atEnd) return undefined;
    fields.push(finishField(field, quoted, enclosure));
    return { fields, end: text.length };
  }
}

/**
 * `\N` is NULL (quoted too, as MariaDB reads it), and so is the word NULL unquoted when fields
 * may be enclosed ('"NULL"' is the text).
 */
function finishField(field: string, quoted: boolean, enclosure: string): string | null {
  if (field === NULL_MARK || (!quoted && enclosure !== '' && field === 'NULL')) return null;
  return field.split(NULL_MARK).join('\\N');
}
