export * from './policies/policy.js';
export {
  startGateway,
  type DataPath,
  type GatewayOptions,
  type RunningGateway,
} from './gateway.js';
export { GatewayErrors } from './errors.js';
export { validateConfig, type ValidationResult } from './config/validate.js';
export {
  gatewayConfigSchema,
  type GatewayConfig,
  type RouteConfig,
  type UpstreamConfig,
} from './config/schema.js';
export { registerPolicyType, knownPolicyTypes } from './policies/registry.js';
export {
  gatewayMasterSettingsSchema,
  defaultMasterOf,
  type GatewayMasterSettings,
} from './discovery/master-settings.js';
export type { TokenSource } from './discovery/master-api.js';
export { generateApiKey, hashApiKey } from './policies/security/api-key.js';
export { analyticsSettingsSchema, type AnalyticsSettings } from './analytics/settings.js';
export {
  ApimErrors,
  lifecycleActions,
  readOpenApi,
  type ApiEndpoint,
  type ApiOperation,
  type ApiRecord,
  type ApiState,
  type LifecycleAction,
  type SubscriptionRecord,
  type SubscriptionState,
} from './apim/index.js';
export {
  buildPolicyChain,
  compileMediationChain,
  MediationErrors,
  type MediationChain,
  type PolicyChainResult,
} from './mediation/index.js';
export {
  startGatewayCluster,
  defaultGatewayWorkers,
  type GatewayClusterOptions,
  type RunningGatewayCluster,
} from './workers/primary.js';
