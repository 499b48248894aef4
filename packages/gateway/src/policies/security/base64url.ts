/** The base64url alphabet without padding (RFC 4648 §5, as JWS uses it: RFC 7515 §2). */
const base64urlPattern = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes base64url strictly. Node's decoder silently skips characters outside the alphabet,
 * which would let two different strings decode to the same bytes; a token must have exactly
 * one spelling, so anything outside the alphabet (padding included) is refused.
 */
export function decodeBase64url(text: string): Buffer | undefined {
  if (!base64urlPattern.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64url');
}

export function encodeBase64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}
