/** Standard base64 with padding, as RFC 7617 §2 uses it (RFC 4648 §4). */
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const encodedLengthMax = 4096;

export interface BasicCredentials {
  readonly userId: string;
  readonly password: string;
}

/**
 * Reads `Authorization: Basic <base64(user-id ":" password)>` (RFC 7617 §2). The user-id ends
 * at the first colon; the password may contain colons. The scheme name is case-insensitive.
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic +(\S+) *$/i.exec(header);
  const encoded = match?.[1];
  if (encoded === undefined || encoded.length > encodedLengthMax) return undefined;
  if (!base64Pattern.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 7617 §2: control characters are not allowed in either part.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1F\x7F]/.test(decoded)) return undefined;
  return { userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
