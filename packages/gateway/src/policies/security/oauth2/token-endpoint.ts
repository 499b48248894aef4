import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, Logger } from '@exosphere/common';
import { signCompactJws } from '../jose/jws.js';
import { parseSecretHash, verifySecret } from '../secret-hash.js';
import { findApplication, type ApplicationDirectory } from './applications.js';
import { clientCredentials } from './client-authentication.js';
import { readFormBody } from './form-body.js';
import { sendJson, sendTokenError, type TokenErrorCode } from './http-response.js';
import type { SigningKeyRing } from './signing-key-ring.js';

export interface TokenEndpointOptions {
  /** The `iss` of every token: the URL verifiers list in their `issuers`. */
  readonly issuer: string;
  /** The `aud` of every token: the API (or APIs) the tokens are for. */
  readonly audience?: string | readonly string[];
  readonly applications: ApplicationDirectory;
  readonly keyRing: SigningKeyRing;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Default one hour. */
  readonly tokenLifetimeSeconds?: number;
  /** The realm of the Basic challenge sent with invalid_client. */
  readonly realm?: string;
  readonly bodyBytesMax?: number;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

const scopeTokenPattern = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * The token endpoint of RFC 6749 §3.2 for the client credentials grant (§4.4): a registered
 * application authenticates with its client id and secret and receives a signed JWT access
 * token (RFC 9068 profile) that the gateway's `jwt` policy verifies through the JWKS.
 */
export function createTokenEndpoint(options: TokenEndpointOptions): RequestHandler {
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
  const realm = options.realm ?? 'exosphere';
  const bodyBytesMax = options.bodyBytesMax ?? 8 * 1024;

  function fail(response: ServerResponse, error: TokenErrorCode, description: string): void {
    sendTokenError(response, { error, description, realm });
  }

  return async function handleTokenRequest(request, response) {
    // §3.2: "The client MUST use the HTTP POST method when making access token requests."
    if (request.method !== 'POST') {
      request.resume();
      sendTokenError(response, {
        error: 'invalid_request',
        description: 'Use POST for token requests.',
        realm,
        headers: { allow: 'POST' },
      });
      return;
    }
    const body = await readFormBody(request, { bytesMax: bodyBytesMax });
    if ('failure' in body) {
      const descriptions = {
        'media-type': 'Send the parameters as application/x-www-form-urlencoded.',
        'too-large': `The request body is larger than ${bodyBytesMax} bytes.`,
        aborted: 'The request body could not be read.',
      };
      fail(response, 'invalid_request', descriptions[body.failure]);
      return;
    }
    const parameters = body.parameters;
    // §3.2: "Request and response parameters MUST NOT be included more than once."
    const names = [...parameters.keys()];
    if (new Set(names).size !== names.length) {
      fail(response, 'invalid_request', 'A parameter was sent more than once.');
      return;
    }
    const grantType = parameters.get('grant_type');
    if (grantType === null) {
      fail(response, 'invalid_request', 'The grant_type parameter is required.');
      return;
    }

    const credentials = clientCredentials(request, parameters);
    if ('failure' in credentials) {
      if (credentials.failure === 'several-methods') {
        fail(response, 'invalid_request', 'Authenticate the client one way only: Basic or body.');
      } else {
        fail(response, 'invalid_client', 'Client authentication failed.');
      }
      return;
    }
    const application = findApplication(options.applications, credentials.clientId);
    const storedHash =
      application === undefined ? undefined : parseSecretHash(application.secretHash);
    const authenticated =
      application !== undefined &&
      application.enabled !== false &&
      storedHash !== undefined &&
      (await verifySecret(credentials.clientSecret, storedHash));
    if (!authenticated) {
      // The same answer whether the client is unknown, blocked or sent a wrong secret.
      options.logger?.info('token request rejected', { clientId: credentials.clientId });
      fail(response, 'invalid_client', 'Client authentication failed.');
      return;
    }

    // §4.4.2: grant_type "MUST be set to client_credentials".
    if (grantType !== 'client_credentials') {
      fail(response, 'unsupported_grant_type', 'Only the client_credentials grant is supported.');
      return;
    }
    // §3.3: scope is a space-delimited list; without it the application gets all its scopes.
    const requestedScope = parameters.get('scope');
    const requested =
      requestedScope === null
        ? [...application.scopes]
        : requestedScope.split(' ').filter((scope) => scope !== '');
    if (requested.some((scope) => !scopeTokenPattern.test(scope))) {
      fail(response, 'invalid_scope', 'The scope parameter is malformed.');
      return;
    }
    const notAllowed = requested.filter((scope) => !application.scopes.includes(scope));
    if (notAllowed.length > 0) {
      fail(response, 'invalid_scope', `This client may not request: ${notAllowed.join(' ')}.`);
      return;
    }
    const granted = [...new Set(requested)];

    const key = options.keyRing.current;
    const issuedAt = Math.floor(options.clock.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: options.issuer,
      sub: application.clientId,
      ...(options.audience === undefined ? {} : { aud: options.audience }),
      iat: issuedAt,
      exp: issuedAt + lifetimeSeconds,
      client_id: application.clientId,
      jti: randomUUID(),
      ...(granted.length > 0 ? { scope: granted.join(' ') } : {}),
    };
    // RFC 9068 §2.1: JWT access tokens are typed "at+jwt", so they cannot pass for ID tokens.
    const accessToken = signCompactJws({
      header: { typ: 'at+jwt', kid: key.kid },
      payload: claims,
      algorithm: key.algorithm,
      key: key.privateKey,
    });
    // §5.1: the successful response, with Cache-Control: no-store (set by sendJson).
    sendJson(response, {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: lifetimeSeconds,
        ...(granted.length > 0 ? { scope: granted.join(' ') } : {}),
      },
    });
  };
}
