/** What the claims must satisfy, from the policy's configuration. */
export interface ClaimRequirements {
  /** Accepted `iss` values (RFC 7519 §4.1.1); undefined accepts any. */
  readonly issuers: readonly string[] | undefined;
  /** Accepted `aud` values (§4.1.3); undefined accepts any. */
  readonly audiences: readonly string[] | undefined;
  /** Tolerance for clocks that disagree a little (§4.1.4 allows "some small leeway"). */
  readonly clockSkewMs: number;
  readonly requireExpiration: boolean;
}

export type ClaimFailure =
  { readonly reason: 'expired' } | { readonly reason: 'invalid'; readonly message: string };

/**
 * Checks the registered claims of RFC 7519 §4.1 at time `nowMs`. Claims with the wrong JSON type
 * are failures, not ignored: a string `exp` would otherwise make a token that never expires.
 */
export function checkClaims(
  claims: Readonly<Record<string, unknown>>,
  options: ClaimRequirements & { nowMs: number },
): ClaimFailure | undefined {
  const nowSeconds = options.nowMs / 1000;
  const skewSeconds = options.clockSkewMs / 1000;
  const { exp, nbf, iat, iss, aud } = claims;
  if (exp === undefined) {
    if (options.requireExpiration) return invalid('The bearer token has no expiry (exp).');
  } else {
    if (!isNumericDate(exp)) return invalid('The bearer token has an invalid exp claim.');
    // §4.1.4: "MUST NOT be accepted for processing on or after" exp.
    if (nowSeconds >= exp + skewSeconds) return { reason: 'expired' };
  }
  if (nbf !== undefined) {
    if (!isNumericDate(nbf)) return invalid('The bearer token has an invalid nbf claim.');
    // §4.1.5: not accepted before nbf.
    if (nowSeconds < nbf - skewSeconds) return invalid('The bearer token is not valid yet.');
  }
  if (iat !== undefined && !isNumericDate(iat)) {
    return invalid('The bearer token has an invalid iat claim.');
  }
  if (options.issuers !== undefined) {
    if (typeof iss !== 'string' || !options.issuers.includes(iss)) {
      return invalid('The bearer token was not issued by a trusted issuer.');
    }
  }
  if (options.audiences !== undefined) {
    // §4.1.3: aud is one string or an array of strings; one match is enough.
    const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
    const accepted = options.audiences;
    if (!audiences.some((value) => typeof value === 'string' && accepted.includes(value))) {
      return invalid('The bearer token is not meant for this API (aud).');
    }
  }
  return undefined;
}

/**
 * The scopes a token grants: `scope`, a space-separated string (RFC 8693 §4.2, RFC 9068 §2.2.3),
 * or `scp`, an array of strings (Azure AD, Okta). Anything else grants nothing.
 */
export function scopesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const { scope, scp } = claims;
  if (typeof scope === 'string') return scope.split(' ').filter((value) => value !== '');
  if (Array.isArray(scp)) return scp.filter((value): value is string => typeof value === 'string');
  if (typeof scp === 'string') return scp.split(' ').filter((value) => value !== '');
  return [];
}

/** RFC 7519 §2: a NumericDate is a JSON number of seconds, which may have a fraction. */
function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function invalid(message: string): ClaimFailure {
  return { reason: 'invalid', message };
}
