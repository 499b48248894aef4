import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SigningKeyRing } from './signing-key-ring.js';

/**
 * Publishes the token endpoint's public keys as a JWK Set (RFC 7517 §5) for GET /oauth2/jwks.
 * Verifiers may cache it for `maxAgeSeconds`; they refetch sooner when a token names a kid they
 * do not know, which is how a rotation reaches them.
 */
export function createJwksHandler(options: {
  keyRing: SigningKeyRing;
  maxAgeSeconds?: number;
}): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const maxAgeSeconds = options.maxAgeSeconds ?? 300;
  return function handleJwksRequest(request, response) {
    request.resume();
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'EXO_METHOD_NOT_ALLOWED', message: 'Use GET.' }));
      return Promise.resolve();
    }
    const body = JSON.stringify(options.keyRing.publicKeySet());
    response.writeHead(200, {
      // RFC 7517 §8.5.1 registers application/jwk-set+json for key sets.
      'content-type': 'application/jwk-set+json',
      'content-length': Buffer.byteLength(body),
      'cache-control': `public, max-age=${maxAgeSeconds}`,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    return Promise.resolve();
  };
}
