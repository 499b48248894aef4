import type { IncomingMessage } from 'node:http';
import { parseBasicAuthorization } from '../basic-credentials.js';

export type ClientCredentials =
  | { readonly clientId: string; readonly clientSecret: string; readonly method: 'basic' | 'body' }
  | { readonly failure: 'missing' | 'malformed' | 'several-methods' };

/**
 * Finds how the client authenticated (RFC 6749 §2.3.1): HTTP Basic, whose user-id and password
 * are the form-urlencoded client id and secret, or `client_id` and `client_secret` in the body.
 * §2.3: a client "MUST NOT use more than one authentication method in each request".
 */
export function clientCredentials(
  request: IncomingMessage,
  parameters: URLSearchParams,
): ClientCredentials {
  const authorization = request.headers.authorization;
  const bodySecret = parameters.get('client_secret');
  if (authorization !== undefined) {
    if (bodySecret !== null) return { failure: 'several-methods' };
    const basic = parseBasicAuthorization(authorization);
    if (basic === undefined) return { failure: 'malformed' };
    const clientId = formDecode(basic.userId);
    const clientSecret = formDecode(basic.password);
    if (clientId === undefined || clientSecret === undefined) return { failure: 'malformed' };
    // A client_id in the body as well must name the same client.
    const bodyId = parameters.get('client_id');
    if (bodyId !== null && bodyId !== clientId) return { failure: 'malformed' };
    return { clientId, clientSecret, method: 'basic' };
  }
  const clientId = parameters.get('client_id');
  if (clientId === null || bodySecret === null) return { failure: 'missing' };
  return { clientId, clientSecret: bodySecret, method: 'body' };
}

/** application/x-www-form-urlencoded decoding of one value (`+` is a space). */
function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
