export * from './core/resources.js';
export * from './core/task-state.js';
export * from './core/health.js';
export * from './core/constraints.js';
export * from './core/placement-types.js';
export * from './core/protocol.js';
export type { Executor } from './agent/executor.js';
