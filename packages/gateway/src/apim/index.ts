export { ApiManager, type ApiManagerOptions } from './api-manager.js';
export { ApimErrors, type ApimErrorCode } from './errors.js';
export { apimAttributes } from './api-access-policy.js';
export {
  lifecycleActions,
  allowedActions,
  applyLifecycleAction,
  type LifecycleAction,
} from './lifecycle.js';
export { readOpenApi, type OpenApiResult, type OpenApiSummary } from './openapi.js';
export type {
  ApiEndpoint,
  ApiOperation,
  ApiRecord,
  ApiState,
  ApplicationRecord,
  SubscriptionRecord,
  SubscriptionState,
} from './model.js';
