import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, Logger } from '@exosphere/common';
import { verifySignature } from '../policies/security/jose/algorithms.js';
import { checkClaims, scopesOf } from '../policies/security/jose/jwt-claims.js';
import { parseCompactJws } from '../policies/security/jose/jws.js';
import { createJwksHandler } from '../policies/security/oauth2/jwks-handler.js';
import {
  createTokenEndpoint,
  type RequestHandler,
} from '../policies/security/oauth2/token-endpoint.js';
import type { RegisteredApplication } from '../policies/security/oauth2/applications.js';
import type { Catalog } from './catalog.js';
import type { PersistentSigningKeys } from './signing-keys.js';

export type TokenCheck =
  | {
      readonly ok: true;
      readonly applicationId: string;
      readonly scopes: readonly string[];
      readonly tokenId: string | undefined;
    }
  | { readonly ok: false; readonly reason: 'invalid' | 'expired'; readonly message: string };

/** The data-plane paths the gateway answers itself, before routing. */
export const tokenPath = '/oauth2/token';
export const jwksPaths: ReadonlySet<string> = new Set(['/oauth2/jwks', '/.well-known/jwks.json']);

const clockSkewMs = 30_000;

/**
 * The OAuth 2.0 authorization server of API management: the token endpoint of
 * policies/security/oauth2 (client credentials grant, RFC 6749 §4.4) over the catalog's
 * applications, the JWKS of the persistent signing keys, and the check of the tokens it issued
 * when they come back on API calls. An application may be granted the scopes of the APIs it
 * has ACTIVE subscriptions to (catalog-index.ts); a token is `iss` = `aud` = the issuer.
 */
export class TokenService {
  private tokenHandler: RequestHandler | undefined;
  private jwksHandler: RequestHandler;
  private currentIssuer = '';

  constructor(
    private readonly options: {
      catalog: Catalog;
      keys: PersistentSigningKeys;
      clock: Clock;
      logger: Logger;
      tokenLifetimeSeconds: number;
    },
  ) {
    this.jwksHandler = createJwksHandler({ keyRing: options.keys.keyRing, maxAgeSeconds: 60 });
  }

  get issuer(): string {
    return this.currentIssuer;
  }

  /** The signing keys were re-read (another worker rotated them): rebuild what holds the ring. */
  refreshKeys(): void {
    this.jwksHandler = createJwksHandler({ keyRing: this.options.keys.keyRing, maxAgeSeconds: 60 });
    if (this.currentIssuer !== '') this.setIssuer(this.currentIssuer);
  }

  /** Sets the issuer (the gateway's public URL), known once the data plane listens. */
  setIssuer(issuer: string): void {
    this.currentIssuer = issuer;
    const catalog = this.options.catalog;
    this.tokenHandler = createTokenEndpoint({
      issuer,
      audience: issuer,
      keyRing: this.options.keys.keyRing,
      clock: this.options.clock,
      logger: this.options.logger,
      tokenLifetimeSeconds: this.options.tokenLifetimeSeconds,
      realm: 'exosphere',
      applications: (clientId): RegisteredApplication | undefined => {
        const application = catalog.index.applications.get(clientId);
        if (application?.oauthClient === undefined) return undefined;
        return {
          clientId: application.id,
          secretHash: application.oauthClient.secretHash,
          scopes: catalog.index.grantableScopes(application.id),
        };
      },
    });
  }

  /** Answers /oauth2/token and the JWKS paths; false for any other request. */
  /** Whether `path` (the request target's path as received) is one this service answers. */
  owns(path: string): boolean {
    return path === tokenPath || jwksPaths.has(path);
  }

  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const url = request.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    let handler: RequestHandler | undefined;
    if (path === tokenPath) handler = this.tokenHandler;
    else if (jwksPaths.has(path)) handler = this.jwksHandler;
    else return false;
    if (handler === undefined) {
      request.resume();
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      response.end(JSON.stringify({ code: 'EXO_UNAVAILABLE', message: 'the gateway is starting' }));
      return true;
    }
    handler(request, response).catch((error: unknown) => {
      this.options.logger.error('token endpoint failed', { error });
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ code: 'EXO_GATEWAY_INTERNAL', message: 'token request failed' }),
        );
      } else response.destroy();
    });
    return true;
  }

  /**
   * Checks a bearer token this gateway issued (RFC 7515 §5.2, RFC 7519 §7.2): a key the JWKS
   * publishes now, the signature, then exp/nbf/iat, iss and aud (RFC 9068 §4).
   */
  check(token: string): TokenCheck {
    const parsed = parseCompactJws(token);
    if ('failure' in parsed) return invalid('The bearer token is not a well-formed JWT.');
    const key =
      parsed.kid === undefined ? undefined : this.options.keys.verificationKey(parsed.kid);
    if (
      key === undefined ||
      !verifySignature({
        algorithm: parsed.algorithm,
        key,
        signingInput: parsed.signingInput,
        signature: parsed.signature,
      })
    )
      return invalid('The bearer token signature is not valid.');
    const failure = checkClaims(parsed.payload, {
      issuers: [this.currentIssuer],
      audiences: [this.currentIssuer],
      clockSkewMs,
      requireExpiration: true,
      nowMs: this.options.clock.now(),
    });
    if (failure?.reason === 'expired')
      return { ok: false, reason: 'expired', message: 'The bearer token has expired.' };
    if (failure !== undefined) return invalid(failure.message);
    const { sub, jti } = parsed.payload;
    if (typeof sub !== 'string') return invalid('The bearer token names no application (sub).');
    return {
      ok: true,
      applicationId: sub,
      scopes: scopesOf(parsed.payload),
      tokenId: typeof jti === 'string' ? jti : undefined,
    };
  }
}

function invalid(message: string): TokenCheck {
  return { ok: false, reason: 'invalid', message };
}
