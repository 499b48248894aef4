import jsonata from 'jsonata';
import { z } from 'zod';
import type { PolicyType } from '../../policies/policy.js';
import { bodyPhases } from '../body-phase.js';
import { parseJsonBody, setJsonBody } from '../json-body.js';
import { mediationError } from '../mediation-errors.js';
import { mediationPolicy, phaseSchema } from '../phase.js';

/**
 * Compiled expressions by source and limits. Validation and the runtime both parse a
 * configuration, so the cache makes "compiled once per load" true; it is bounded.
 */
const compiled = new Map<string, jsonata.Expression>();
const compiledMax = 4096;

function compile(expression: string, timeoutMs: number, depthMax: number): jsonata.Expression {
  const key = `${timeoutMs}:${depthMax}:${expression}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  // jsonata's own guardrails stop an evaluation that runs too long or recurses too deep.
  const result = jsonata(expression, { timeout: timeoutMs, stack: depthMax });
  if (compiled.size >= compiledMax) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, result);
  return result;
}

export const jsonataSchema = z
  .strictObject({
    phase: phaseSchema(['request', 'response', 'fault']),
    /** The mapping: the body is its input; `$headers`, `$query`, `$method`, `$path`, `$status` are bound. */
    expression: z.string().min(1).max(65_536),
    timeoutMs: z.int().min(1).max(60_000).default(1000),
    /** Deepest evaluation stack (recursion). */
    depthMax: z.int().min(10).max(10_000).default(500),
  })
  .transform((config, context) => {
    try {
      return { ...config, compiled: compile(config.expression, config.timeoutMs, config.depthMax) };
    } catch (error) {
      const { message, position } = error as { message?: string; position?: number };
      context.addIssue({
        code: 'custom',
        path: ['expression'],
        message: `invalid JSONata: ${message ?? String(error)}${position === undefined ? '' : ` (at character ${position})`}`,
      });
      return z.NEVER;
    }
  });

export type JsonataConfig = z.output<typeof jsonataSchema>;

/**
 * Maps a JSON body with a JSONata expression (compiled when the configuration is loaded). In
 * the fault phase the input is the error `{code, message}`. A failing or runaway evaluation is
 * EXO_GATEWAY_MAPPING_FAILED; the result replaces the body (undefined becomes `null`).
 */
export const jsonataPolicyType: PolicyType<typeof jsonataSchema> = {
  type: 'jsonata',
  schema: jsonataSchema,
  create(config) {
    return mediationPolicy(
      'jsonata',
      bodyPhases(config.phase, async ({ message, side }, context) => {
        const input = parseJsonBody(message.body, side, 'jsonata');
        const request = context.message;
        const bindings: Record<string, unknown> = {
          headers: { ...message.headers },
          query: Object.fromEntries(request.query),
          method: request.method,
          path: request.path,
        };
        if ('status' in message) bindings['status'] = message.status;
        let result: unknown;
        try {
          result = await config.compiled.evaluate(input, bindings);
        } catch (error) {
          const { message: text, code } = error as { message?: string; code?: string };
          throw mediationError(
            'EXO_GATEWAY_MAPPING_FAILED',
            `jsonata: the ${side} mapping failed: ${text ?? code ?? String(error)}`,
          );
        }
        setJsonBody(message, result);
      }),
    );
  },
};
