import type { AppDefinition } from '../../core/app-definition.js';
import { constraintJson } from './constraint-json.js';

/** An app as Marathon renders it: the definition with constraints back in array form. */
export function appJson(app: AppDefinition): Record<string, unknown> {
  const { constraints, ...rest } = app;
  return {
    ...rest,
    cmd: app.cmd ?? null,
    args: app.args ?? null,
    user: app.user ?? null,
    constraints: constraints.map(constraintJson),
    ports: app.portDefinitions.map((p) => p.port),
    container: null,
    secrets: {},
  };
}
