import type { AppDefinition } from '../../core/app-definition.js';
import { constraintJson } from './constraint-json.js';

/**
 * An app as Marathon renders it: the definition with constraints back in array form, health
 * checks with their `ipProtocol`, and `unreachableStrategy: "disabled"` kept as the string the
 * user gave, so a GET result can be PUT back unchanged.
 */
export function appJson(app: AppDefinition): Record<string, unknown> {
  const { constraints, ...rest } = app;
  return {
    ...rest,
    cmd: app.cmd ?? null,
    args: app.args ?? null,
    user: app.user ?? null,
    constraints: constraints.map(constraintJson),
    healthChecks: app.healthChecks.map((check) => ({ ...check, ipProtocol: 'IPv4' })),
    unreachableStrategy: isDisabled(app.unreachableStrategy) ? 'disabled' : app.unreachableStrategy,
    ports: app.portDefinitions.map((p) => p.port),
    container: null,
    secrets: {},
  };
}

/** "disabled" is stored as never-inactive and never-expunged (see validateApp). */
function isDisabled(strategy: AppDefinition['unreachableStrategy']): boolean {
  return (
    strategy.inactiveAfterSeconds === Number.MAX_SAFE_INTEGER &&
    strategy.expungeAfterSeconds === Number.MAX_SAFE_INTEGER
  );
}
