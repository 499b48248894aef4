/**
 * What becomes of the transfer codings (RFC 9112 §7) of an upstream response with a body, on
 * both data paths. Each path takes the chunked coding off and applies its own to the client
 * (or delimits the body by closing, for HTTP/1.0). Other codings (gzip, deflate, compress) are
 * not decoded: an HTTP/1.1 client is told them, in the order the upstream applied them, before
 * the gateway's chunked; an HTTP/1.0 client cannot be sent Transfer-Encoding at all (§6.1), so
 * it gets a 502, as nginx answers any upstream coding other than chunked.
 */
export type RelayedCodings =
  | { readonly kind: 'none' }
  | { readonly kind: 'keep'; readonly field: string }
  | { readonly kind: 'refuse'; readonly reason: string };

const none: RelayedCodings = { kind: 'none' };

/** `value` is the upstream's Transfer-Encoding (several fields joined with ", "). */
export function relayedCodings(
  value: string | undefined,
  clientVersionMinor: number,
): RelayedCodings {
  if (value === undefined || (value.length === 7 && value.toLowerCase() === 'chunked')) return none;
  const codings: string[] = [];
  for (const part of value.split(',')) {
    const coding = part.trim();
    if (coding !== '') codings.push(coding);
  }
  if (codings.at(-1)?.toLowerCase() === 'chunked') codings.pop();
  if (codings.length === 0) return none;
  // §6.1: chunked is applied once, and last; a body chunked before another coding was framed
  // by closing, and chunking it again for the client would apply chunked twice.
  if (codings.some((coding) => coding.toLowerCase() === 'chunked'))
    return {
      kind: 'refuse',
      reason: `sent Transfer-Encoding "${value}" (chunked before another coding)`,
    };
  const list = codings.join(', ');
  if (clientVersionMinor === 0)
    return {
      kind: 'refuse',
      reason: `sent Transfer-Encoding "${list}", which an HTTP/1.0 client cannot receive`,
    };
  return { kind: 'keep', field: `${list}, chunked` };
}
