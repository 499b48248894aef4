export * from './policies/policy.js';
