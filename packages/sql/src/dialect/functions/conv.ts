/**
 * CONV(N, from_base, to_base) for DuckDB (MySQL reference, "Mathematical Functions"): N is read
 * as text in base |from_base| up to its first invalid digit, as an unsigned 64-bit number (a
 * leading '-' wraps it around 2^64), and written in base |to_base|; a negative to_base writes
 * the number as signed. Bases must be constants here.
 */

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const twoTo64 = 18_446_744_073_709_551_616n;

/** The class of valid digits in a base, both cases. */
function digitClass(base: number): string {
  if (base <= 10) return `[0-${base - 1}]`;
  const last = alphabet[base - 1] ?? 'Z';
  return `[0-9A-${last}a-${last.toLowerCase()}]`;
}

/** base^k for every k that a 64-bit number needs, highest first. */
function powers(base: number): string {
  const list: bigint[] = [];
  for (let p = 1n; p < twoTo64; p *= BigInt(base)) list.unshift(p);
  return `CAST([${list.join(', ')}] AS HUGEINT[])`;
}

/** The digits of a non-negative HUGEINT below 2^64, without leading zeros. */
function digits(value: string, base: number): string {
  const each = `list_transform(${powers(base)}, p -> substr('${alphabet}', CAST((${value} // p) % ${base} AS INTEGER) + 1, 1))`;
  return `coalesce(nullif(ltrim(array_to_string(${each}, ''), '0'), ''), '0')`;
}

export interface ConvParts {
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

/** The DuckDB SQL of CONV; NULL when a base is outside 2..36, as in MySQL. */
export function duckdbConv(parts: ConvParts): string {
  const from = Math.abs(parts.from);
  const to = Math.abs(parts.to);
  if (from < 2 || from > 36 || to < 2 || to > 36) return 'CAST(NULL AS VARCHAR)';
  const pattern = `^\\s*(-?)(${digitClass(from)}*)`;
  const negative = `(regexp_extract(${parts.text}, '${pattern}', 1) = '-')`;
  const prefix = `upper(regexp_extract(${parts.text}, '${pattern}', 2))`;
  // Saturates at 2^64 so a long input cannot overflow HUGEINT.
  const magnitude = `list_reduce(list_transform(string_split(${prefix}, ''), c -> instr('${alphabet}', c) - 1), (a, d) -> least(a * ${from} + greatest(d, 0), ${twoTo64}), CAST(0 AS HUGEINT))`;
  const unsigned = `(CASE WHEN ${negative} THEN (${twoTo64} - ${magnitude}) % ${twoTo64} ELSE least(${magnitude}, ${twoTo64 - 1n}) END)`;
  const half = twoTo64 / 2n;
  const written =
    parts.to > 0
      ? digits(unsigned, to)
      : `(CASE WHEN ${unsigned} >= ${half} THEN '-' || ${digits(`(${twoTo64} - ${unsigned})`, to)} ELSE ${digits(unsigned, to)} END)`;
  // least() skips NULLs in DuckDB, so NULL input is checked first.
  return `(CASE WHEN ${parts.text} IS NULL THEN NULL ELSE ${written} END)`;
}
