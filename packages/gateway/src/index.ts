export * from './policies/policy.js';
export { startGateway, type GatewayOptions, type RunningGateway } from './gateway.js';
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
