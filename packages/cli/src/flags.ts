import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';

/** Parses flags strictly; an unknown flag is a usage error naming it. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parsePort(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`${name} must be a port number 0-65535, got '${value}'`);
  return port;
}

/** `k=v` pairs from repeated --attribute flags. */
export function parseAttributes(values: readonly string[] | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`--attribute must be key=value, got '${value}'`);
    attributes[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return attributes;
}
