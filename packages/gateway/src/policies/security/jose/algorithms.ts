import {
  constants,
  createHmac,
  sign as cryptoSign,
  verify as cryptoVerify,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

/**
 * The JWS algorithms the gateway accepts (RFC 7518 §3.1). `none` is deliberately absent: an
 * unsecured token (RFC 7518 §3.6) must never pass as an authenticated one.
 */
export const jwsAlgorithms = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;

export type JwsAlgorithm = (typeof jwsAlgorithms)[number];

type Family = 'hmac' | 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa';

interface AlgorithmSpec {
  readonly family: Family;
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  readonly hashBytes: number;
  /** For ECDSA: the curve (as node:crypto names it) and the size of r and s. */
  readonly curve?: string;
  readonly coordinateBytes?: number;
}

const specs: Record<JwsAlgorithm, AlgorithmSpec> = {
  HS256: { family: 'hmac', hash: 'sha256', hashBytes: 32 },
  HS384: { family: 'hmac', hash: 'sha384', hashBytes: 48 },
  HS512: { family: 'hmac', hash: 'sha512', hashBytes: 64 },
  RS256: { family: 'rsa-pkcs1', hash: 'sha256', hashBytes: 32 },
  RS384: { family: 'rsa-pkcs1', hash: 'sha384', hashBytes: 48 },
  RS512: { family: 'rsa-pkcs1', hash: 'sha512', hashBytes: 64 },
  PS256: { family: 'rsa-pss', hash: 'sha256', hashBytes: 32 },
  PS384: { family: 'rsa-pss', hash: 'sha384', hashBytes: 48 },
  PS512: { family: 'rsa-pss', hash: 'sha512', hashBytes: 64 },
  ES256: {
    family: 'ecdsa',
    hash: 'sha256',
    hashBytes: 32,
    curve: 'prime256v1',
    coordinateBytes: 32,
  },
  ES384: {
    family: 'ecdsa',
    hash: 'sha384',
    hashBytes: 48,
    curve: 'secp384r1',
    coordinateBytes: 48,
  },
  ES512: {
    family: 'ecdsa',
    hash: 'sha512',
    hashBytes: 64,
    curve: 'secp521r1',
    coordinateBytes: 66,
  },
};

/** RFC 7518 §3.3 and §3.5: RSA keys of 2048 bits or larger MUST be used. */
const rsaModulusBitsMin = 2048;

export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return typeof value === 'string' && Object.hasOwn(specs, value);
}

/**
 * A key that can check signatures: a shared secret or a public key, with the `kid` and `alg`
 * it was published with (RFC 7517 §4.4, §4.5).
 */
export type VerificationKey =
  | {
      readonly kind: 'secret';
      readonly kid: string | undefined;
      readonly algorithm: JwsAlgorithm | undefined;
      readonly secret: Buffer;
    }
  | {
      readonly kind: 'public';
      readonly kid: string | undefined;
      readonly algorithm: JwsAlgorithm | undefined;
      readonly key: KeyObject;
    };

/**
 * Whether `key` may verify a token signed with `algorithm`. This is the defence against
 * algorithm confusion (RFC 8725 §2.1, §3.1): the token's `alg` header is chosen by whoever made
 * the token, so an HS256 token must never be checked with an RSA public key used as an HMAC
 * secret, nor an RS256 token with an EC key. Each family has exactly one kind of key.
 */
export function keyFitsAlgorithm(key: VerificationKey, algorithm: JwsAlgorithm): boolean {
  if (key.algorithm !== undefined && key.algorithm !== algorithm) return false;
  const spec = specs[algorithm];
  if (spec.family === 'hmac') {
    // RFC 7518 §3.2: the key must be at least as long as the hash output.
    return key.kind === 'secret' && key.secret.length >= spec.hashBytes;
  }
  if (key.kind !== 'public') return false;
  const type = key.key.asymmetricKeyType;
  const details = key.key.asymmetricKeyDetails;
  if (spec.family === 'ecdsa') return type === 'ec' && details?.namedCurve === spec.curve;
  const rsaTypes = spec.family === 'rsa-pss' ? ['rsa', 'rsa-pss'] : ['rsa'];
  return (
    type !== undefined &&
    rsaTypes.includes(type) &&
    (details?.modulusLength ?? 0) >= rsaModulusBitsMin
  );
}

/** Checks a JWS signature (RFC 7515 §5.2 step 8) over the ASCII signing input. */
export function verifySignature(options: {
  algorithm: JwsAlgorithm;
  key: VerificationKey;
  signingInput: string;
  signature: Buffer;
}): boolean {
  const { algorithm, key, signingInput, signature } = options;
  if (!keyFitsAlgorithm(key, algorithm)) return false;
  const spec = specs[algorithm];
  const data = Buffer.from(signingInput, 'ascii');
  if (key.kind === 'secret') {
    const expected = createHmac(spec.hash, key.secret).update(data).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  }
  try {
    switch (spec.family) {
      case 'ecdsa':
        // RFC 7518 §3.4: the signature is R || S, each exactly the curve's coordinate size;
        // node:crypto reads that form with dsaEncoding 'ieee-p1363' (DER is its default).
        if (signature.length !== 2 * (spec.coordinateBytes ?? 0)) return false;
        return cryptoVerify(
          spec.hash,
          data,
          { key: key.key, dsaEncoding: 'ieee-p1363' },
          signature,
        );
      case 'rsa-pss':
        // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
        return cryptoVerify(
          spec.hash,
          data,
          { key: key.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.hashBytes },
          signature,
        );
      case 'rsa-pkcs1':
      case 'hmac':
        return cryptoVerify(spec.hash, data, key.key, signature);
    }
  } catch {
    // A malformed signature is a failed check, never an error that reaches the client.
    return false;
  }
}

/** Signs the ASCII signing input (RFC 7515 §5.1 step 5) with a private key or secret. */
export function createSignature(options: {
  algorithm: JwsAlgorithm;
  key: KeyObject | Buffer;
  signingInput: string;
}): Buffer {
  const spec = specs[options.algorithm];
  const data = Buffer.from(options.signingInput, 'ascii');
  if (spec.family === 'hmac') {
    if (!Buffer.isBuffer(options.key)) throw new Error(`${options.algorithm} needs a secret`);
    return createHmac(spec.hash, options.key).update(data).digest();
  }
  if (Buffer.isBuffer(options.key)) throw new Error(`${options.algorithm} needs a private key`);
  switch (spec.family) {
    case 'ecdsa':
      return cryptoSign(spec.hash, data, { key: options.key, dsaEncoding: 'ieee-p1363' });
    case 'rsa-pss':
      return cryptoSign(spec.hash, data, {
        key: options.key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: spec.hashBytes,
      });
    case 'rsa-pkcs1':
      return cryptoSign(spec.hash, data, options.key);
  }
}

/** The algorithm a private key signs with by default, for keys whose owner chose none. */
export function defaultAlgorithmFor(key: KeyObject): JwsAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return (Object.keys(specs) as JwsAlgorithm[]).find((name) => specs[name].curve === curve);
  }
  return undefined;
}
