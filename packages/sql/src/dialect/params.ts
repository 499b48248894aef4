/**
 * Placeholders in engine SQL. A MySQL `?` may appear more than once in the engine's text (a
 * translation such as CAST(x AS SIGNED) or ROUND(x, d) reads its operand twice), and the engines
 * bind `?` by position. So a `?` translates to a marker naming its MySQL parameter, and each
 * finished statement turns the markers into `?` in text order, listing the parameter of each.
 */
// Private-use characters: no SQL text or identifier the translator writes contains them.
const MARKER = /\uE000(\d+)\uE001/g;

export function paramMarker(index: number): string {
  return `\uE000${index}\uE001`;
}

/** Whether translated SQL is one parameter alone (its type is unknown until it is bound). */
export function isParamMarker(sql: string): boolean {
  return /^\uE000\d+\uE001$/.test(sql);
}

export function bindMarkers(sql: string): { readonly sql: string; readonly params: number[] } {
  const params: number[] = [];
  const bound = sql.replace(MARKER, (_marker, index: string) => {
    params.push(Number(index));
    return '?';
  });
  return { sql: bound, params };
}
