import { randomBytes } from 'node:crypto';
import { hashSecretSha256 } from '../secret-hash.js';

/** An application registered for the client credentials grant. */
export interface RegisteredApplication {
  /** The public client identifier (RFC 6749 §2.2). */
  readonly clientId: string;
  /** The client secret's stored hash (see secret-hash.ts); never the secret itself. */
  readonly secretHash: string;
  /** The scopes it may be granted (RFC 6749 §3.3). */
  readonly scopes: readonly string[];
  /** Blocked applications cannot get tokens. */
  readonly enabled?: boolean;
}

/** Finds an application by client id; an array or a lookup into the gateway's own store. */
export type ApplicationDirectory =
  readonly RegisteredApplication[] | ((clientId: string) => RegisteredApplication | undefined);

export interface GeneratedClientCredentials {
  readonly clientId: string;
  /** Shown once to the application's owner; never stored. */
  readonly clientSecret: string;
  readonly secretHash: string;
}

/**
 * New credentials for an application. The secret is 256 random bits, so the fast salted
 * HMAC form of hash is enough (guessing is hopeless); secrets people choose should be hashed
 * with scrypt (hashSecret) instead.
 */
export function generateClientCredentials(
  options: { clientId?: string } = {},
): GeneratedClientCredentials {
  const clientId = options.clientId ?? `app-${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  return { clientId, clientSecret, secretHash: hashSecretSha256(clientSecret) };
}

export function findApplication(
  directory: ApplicationDirectory,
  clientId: string,
): RegisteredApplication | undefined {
  return typeof directory === 'function'
    ? directory(clientId)
    : directory.find((application) => application.clientId === clientId);
}
