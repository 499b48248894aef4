import { UsageError } from './command.js';

/** A subcommand (`exo app add ...`) gets the arguments after its name. */
export type Subcommand = (argv: string[]) => Promise<number>;

/** Runs the subcommand named by the first argument. */
export function runSubcommand(
  argv: string[],
  subcommands: Readonly<Record<string, Subcommand>>,
): Promise<number> {
  const [name, ...rest] = argv;
  const known = Object.keys(subcommands).join(', ');
  if (name === undefined || name.startsWith('-'))
    throw new UsageError(`a subcommand is required (${known})`);
  const subcommand = subcommands[name];
  if (!subcommand) throw new UsageError(`unknown subcommand '${name}' (known: ${known})`);
  return subcommand(rest);
}

/** Exactly `names.length` positional arguments, else a usage error naming them. */
export function requirePositionals(
  positionals: readonly string[],
  names: readonly string[],
): string[] {
  if (positionals.length !== names.length) {
    const got = positionals.length === 0 ? 'none' : positionals.map((p) => `'${p}'`).join(' ');
    throw new UsageError(`expected ${names.join(' ')}, got ${got}`);
  }
  return [...positionals];
}
