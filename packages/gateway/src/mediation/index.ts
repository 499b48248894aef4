export { mediationPolicyTypes } from './policy-types.js';
export { buildPolicyChain, compileMediationChain } from './chain.js';
export type { MediationChain, PolicyChainResult } from './chain.js';
export { runMediation, type MediationRun } from './engine.js';
export { MediationErrors, mediationError, type MediationErrorCode } from './mediation-errors.js';
