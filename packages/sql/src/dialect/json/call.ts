/**
 * What every JSON function shares: its arguments as the engines pass them, reading a document
 * or a path argument with MariaDB's warnings (4035–4046, 4051), and SQL values written into
 * a document (see `encodeValue` in functions/json-args.ts for the encoding).
 */
import { readPath, type JsonPath, type PathError } from './path.js';
import { escapeJson } from './print.js';
import { readDocument, readJson, type JsonError, type JsonNode } from './scan.js';

export interface JsonWarning {
  readonly level: 'Note' | 'Warning';
  readonly code: number;
  readonly message: string;
}

/** One call of a JSON function: MariaDB's lower-case name, and where its warnings go. */
export interface JsonCall {
  readonly name: string;
  readonly warn: (warning: JsonWarning) => void;
}

export type JsonArg = string | null;
export type JsonResult = string | number | null;

const TEXT_ERRORS: Readonly<Record<JsonError['kind'], { code: number; text: string }>> = {
  broken: { code: 4035, text: 'Broken JSON string' },
  notJsonChar: { code: 4036, text: 'Character disallowed in JSON' },
  eos: { code: 4037, text: 'Unexpected end of JSON text' },
  syntax: { code: 4038, text: 'Syntax error in JSON text' },
  escaping: { code: 4039, text: 'Incorrect escaping in JSON text' },
  depth: { code: 4040, text: 'Limit of 32 on JSON nested structures depth is reached' },
};

/** The warning for a document that does not read (`arg` counts from 1). */
export function documentWarning(
  call: JsonCall,
  arg: number,
  error: JsonError,
  level: JsonWarning['level'] = 'Warning',
): void {
  const { code, text } = TEXT_ERRORS[error.kind];
  const where = error.kind === 'eos' ? '' : ` at position ${error.position}`;
  call.warn({
    level,
    code,
    message: `${text} in argument ${arg} to function '${call.name}'${where}`,
  });
}

function pathWarning(call: JsonCall, arg: number, error: PathError): void {
  call.warn(
    error.kind === 'eos'
      ? {
          level: 'Warning',
          code: 4041,
          message: `Unexpected end of JSON path in argument ${arg} to function '${call.name}'`,
        }
      : {
          level: 'Warning',
          code: 4042,
          message: `Syntax error in JSON path in argument ${arg} to function '${call.name}' at position ${error.position}`,
        },
  );
}

/** The whole document (anything after its value is an error), or undefined with a warning. */
export function documentArg(call: JsonCall, text: string, arg: number): JsonNode | undefined {
  const read = readDocument(text);
  if (read.ok) return read.value;
  documentWarning(call, arg, read.error);
  return undefined;
}

/** The document's first value, as the functions that stop reading once they have it. */
export function leadingArg(call: JsonCall, text: string, arg: number): JsonNode | undefined {
  const read = readJson(text);
  if (read.ok) return read.value;
  documentWarning(call, arg, read.error);
  return undefined;
}

/**
 * A path argument, or undefined with MariaDB's warning; `wild` is whether wildcards and
 * ranges are allowed (4044 when they are not).
 */
export function pathArg(
  call: JsonCall,
  text: string,
  arg: number,
  wild: boolean,
): JsonPath | undefined {
  const read = readPath(text);
  if (!read.ok) {
    pathWarning(call, arg, read.error);
    return undefined;
  }
  if (!wild && read.path.wild) {
    call.warn({
      level: 'Warning',
      code: 4044,
      message: `Wildcards or range in JSON path not allowed in argument ${arg} to function '${call.name}'`,
    });
    return undefined;
  }
  return read.path;
}

/** Reads the paths of arguments `first`…: undefined when one is NULL or does not read. */
export function pathArgs(
  call: JsonCall,
  args: readonly JsonArg[],
  first: number,
  wild: boolean,
  step = 1,
): JsonPath[] | undefined {
  const paths: JsonPath[] = [];
  for (let i = first; i < args.length; i += step) {
    const text = args[i];
    if (text === null || text === undefined) return undefined;
    const path = pathArg(call, text, i + 1, wild);
    if (path === undefined) return undefined;
    paths.push(path);
  }
  return paths;
}

/** 'one' or 'all' (any case), else 4046 and undefined. */
export function oneOrAll(call: JsonCall, text: string): 'one' | 'all' | undefined {
  const mode = text.toLowerCase();
  if (mode === 'one' || mode === 'all') return mode;
  call.warn({
    level: 'Warning',
    code: 4046,
    message: `Argument 2 to function '${call.name}' must be "one" or "all".`,
  });
  return undefined;
}

/**
 * A value argument (see functions/json-args.ts): 'j' + JSON text is put in as it is, 'n' +
 * text bare (numbers), 's' + text as a JSON string; NULL is null.
 */
export function valueText(encoded: JsonArg): string {
  if (encoded === null) return 'null';
  const body = encoded.slice(1);
  switch (encoded[0]) {
    case 'j':
    case 'n':
      return body;
    default:
      return `"${escapeJson(body)}"`;
  }
}

/** A value argument as a node; undefined for JSON text that does not read. */
export function valueNode(encoded: JsonArg): JsonNode | undefined {
  if (encoded === null) return { kind: 'null' };
  const body = encoded.slice(1);
  switch (encoded[0]) {
    case 'j': {
      const read = readDocument(body);
      return read.ok ? read.value : undefined;
    }
    case 'n':
      return { kind: 'number', raw: body, fraction: body.includes('.') };
    default:
      return { kind: 'string', raw: escapeJson(body) };
  }
}
