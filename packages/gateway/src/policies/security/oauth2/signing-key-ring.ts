import {
  createPrivateKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { Clock } from '@exosphere/common';
import { defaultAlgorithmFor, keyFitsAlgorithm } from '../jose/algorithms.js';
import { jwkThumbprint, publicJwk } from '../jose/jwk.js';

/** The algorithms the token endpoint signs with: asymmetric, so verifiers need no secret. */
export type SigningAlgorithm = 'RS256' | 'PS256' | 'ES256';

export interface SigningKey {
  /** The RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  readonly algorithm: SigningAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicJwk: JsonWebKey;
}

export interface SigningKeyRingOptions {
  readonly clock: Clock;
  /** The algorithm of keys the ring generates (default ES256: small keys, fast signatures). */
  readonly algorithm?: SigningAlgorithm;
  /**
   * How long a replaced key stays published: at least the lifetime of the tokens it signed
   * plus the verifiers' clock skew, or those tokens would fail before they expire.
   */
  readonly retiredKeyPublishMs: number;
  /** Existing private keys (PEM or KeyObject), oldest first; the last one signs. */
  readonly privateKeys?: ReadonlyArray<KeyObject | string>;
}

interface RetiredKey {
  readonly key: SigningKey;
  /** Wall-clock time after which no token signed by it can still be valid. */
  readonly publishedUntil: number;
}

/**
 * The token endpoint's key pairs. One key signs; `rotate()` makes a new one sign while the old
 * one stays in the JWKS until every token it signed has expired (RFC 7517 §5 key sets exist
 * for exactly this), so verifiers that refetch on an unknown kid never reject a valid token.
 */
export class SigningKeyRing {
  private currentKey: SigningKey;
  private retired: RetiredKey[] = [];
  private readonly algorithm: SigningAlgorithm;

  constructor(private readonly options: SigningKeyRingOptions) {
    this.algorithm = options.algorithm ?? 'ES256';
    const existing = (options.privateKeys ?? []).map((key) => importSigningKey(key));
    const last = existing.pop();
    // Keys loaded from storage other than the newest are published as if just retired.
    for (const key of existing) this.retire(key);
    this.currentKey = last ?? generateSigningKey(this.algorithm);
  }

  /** The key that signs new tokens. */
  get current(): SigningKey {
    return this.currentKey;
  }

  /** Makes a new key the signing key; the previous one stays published for a while. */
  rotate(): SigningKey {
    this.retire(this.currentKey);
    this.currentKey = generateSigningKey(this.algorithm);
    return this.currentKey;
  }

  /** The public keys verifiers need: the signing key and retired keys still in use. */
  publicKeySet(): { keys: JsonWebKey[] } {
    const now = this.options.clock.now();
    this.retired = this.retired.filter((entry) => entry.publishedUntil > now);
    return {
      keys: [this.currentKey.publicJwk, ...this.retired.map((entry) => entry.key.publicJwk)],
    };
  }

  private retire(key: SigningKey): void {
    this.retired.push({
      key,
      publishedUntil: this.options.clock.now() + this.options.retiredKeyPublishMs,
    });
  }
}

function generateSigningKey(algorithm: SigningAlgorithm): SigningKey {
  const { privateKey } =
    algorithm === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return describe(privateKey, algorithm);
}

function importSigningKey(input: KeyObject | string): SigningKey {
  const privateKey = typeof input === 'string' ? createPrivateKey(input) : input;
  const algorithm = defaultAlgorithmFor(privateKey);
  if (algorithm !== 'RS256' && algorithm !== 'ES256') {
    throw new Error('a signing key must be RSA (2048 bits or more) or EC P-256');
  }
  return describe(privateKey, algorithm);
}

function describe(privateKey: KeyObject, algorithm: SigningAlgorithm): SigningKey {
  const kid = jwkThumbprint(privateKey);
  const jwk = publicJwk(privateKey, { kid, algorithm: algorithm });
  if (!keyFitsAlgorithm({ kind: 'public', kid, algorithm, key: privateKey }, algorithm)) {
    throw new Error(`the key does not fit ${algorithm}`);
  }
  return { kid, algorithm, privateKey, publicJwk: jwk };
}
