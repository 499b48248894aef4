import type { PolicyType } from '../policy.js';
import { apiKeyPolicyType } from './api-key.js';
import { basicAuthPolicyType } from './basic-auth.js';
import { corsPolicyType } from './cors.js';
import { ipFilterPolicyType } from './ip-filter.js';
import { jwtPolicyType } from './jwt.js';

/** The security policy types, for the proxy core's registry of policy types. */
export const securityPolicyTypes: readonly PolicyType[] = [
  apiKeyPolicyType,
  jwtPolicyType,
  basicAuthPolicyType,
  corsPolicyType,
  ipFilterPolicyType,
];

export { apiKeySchema, createApiKeyPolicy, generateApiKey, hashApiKey } from './api-key.js';
export type { ApiKeyConfig, GeneratedApiKey } from './api-key.js';
export { basicAuthSchema, createBasicAuthPolicy, hashPassword } from './basic-auth.js';
export type { BasicAuthConfig } from './basic-auth.js';
export { corsSchema, createCorsPolicy } from './cors.js';
export type { CorsConfig } from './cors.js';
export { ipFilterSchema, createIpFilterPolicy } from './ip-filter.js';
export type { IpFilterConfig } from './ip-filter.js';
export { jwtSchema, createJwtPolicy } from './jwt.js';
export type { JwtConfig } from './jwt.js';
export { hashSecret, verifySecret, parseSecretHash } from './secret-hash.js';
export { SecurityErrors } from './security-errors.js';
export { jwsAlgorithms } from './jose/algorithms.js';
export type { JwsAlgorithm } from './jose/algorithms.js';
export { signCompactJws } from './jose/jws.js';
export { createTokenEndpoint } from './oauth2/token-endpoint.js';
export type { TokenEndpointOptions, RequestHandler } from './oauth2/token-endpoint.js';
export { createJwksHandler } from './oauth2/jwks-handler.js';
export { SigningKeyRing } from './oauth2/signing-key-ring.js';
export type {
  SigningAlgorithm,
  SigningKey,
  SigningKeyRingOptions,
} from './oauth2/signing-key-ring.js';
export { generateClientCredentials } from './oauth2/applications.js';
export type {
  ApplicationDirectory,
  GeneratedClientCredentials,
  RegisteredApplication,
} from './oauth2/applications.js';
