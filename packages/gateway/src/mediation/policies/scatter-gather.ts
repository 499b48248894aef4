import { z } from 'zod';
import type { MediationContext, PolicyType } from '../../policies/policy.js';
import { mediationError } from '../mediation-errors.js';
import { mediationPolicy } from '../phase.js';

const upstreamName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'an upstream name');

export const scatterGatherSchema = z.strictObject({
  phase: z.literal('request').default('request'),
  /** Upstreams called in parallel with the request (its method, path, query, headers, body). */
  upstreams: z
    .array(upstreamName)
    .min(2)
    .max(16)
    .refine((names) => new Set(names).size === names.length, 'upstream names must be distinct'),
  /** `array`: answers in the order of `upstreams`; `object`: keyed by upstream name. */
  aggregate: z.enum(['array', 'object']).default('array'),
  /** Per branch, body included. */
  timeoutMs: z.int().min(1).max(60_000).default(5000),
  responseBytesMax: z
    .int()
    .min(1)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /**
   * When some branches fail (error, timeout, non-2xx or non-JSON answer): `fail` the whole
   * exchange, `omit` them, or `include` `{"error": {code, message}}` in their place. When all
   * fail, the exchange fails.
   */
  onPartialFailure: z.enum(['fail', 'omit', 'include']).default('fail'),
});

export type ScatterGatherConfig = z.output<typeof scatterGatherSchema>;

type Branch =
  | { readonly ok: true; readonly upstream: string; readonly value: unknown }
  | {
      readonly ok: false;
      readonly upstream: string;
      readonly code: string;
      readonly message: string;
    };

/**
 * Scatter-gather: sends the request to several upstreams in parallel and answers with their
 * JSON answers aggregated (200, application/json); the route's own upstream is not called.
 */
export const scatterGatherPolicyType: PolicyType<typeof scatterGatherSchema> = {
  type: 'scatter-gather',
  schema: scatterGatherSchema,
  create(config) {
    return mediationPolicy('scatter-gather', {
      requestBody: true,
      responseBody: false,
      async onRequest(context) {
        const branches = await Promise.all(
          config.upstreams.map((upstream) => branch(context, upstream, config)),
        );
        const failed = branches.filter((result) => !result.ok);
        if (
          failed.length === branches.length ||
          (failed.length > 0 && config.onPartialFailure === 'fail')
        )
          throw mediationError(
            'EXO_GATEWAY_SCATTER_GATHER_FAILED',
            `scatter-gather: ${failed.length} of ${branches.length} branches failed: ${failed
              .map((result) => (result.ok ? '' : `${result.upstream}: ${result.message}`))
              .join('; ')}`,
          );
        const kept = branches.filter(
          (result) => result.ok || config.onPartialFailure === 'include',
        );
        const values = kept.map((result) =>
          result.ok ? result.value : { error: { code: result.code, message: result.message } },
        );
        const aggregate =
          config.aggregate === 'array'
            ? values
            : Object.fromEntries(kept.map((result, index) => [result.upstream, values[index]]));
        return {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: Buffer.from(JSON.stringify(aggregate)),
        };
      },
    });
  },
  upstreamReferences(config) {
    return config.upstreams.map((upstream, index) => ({ path: ['upstreams', index], upstream }));
  },
};

async function branch(
  context: MediationContext,
  upstream: string,
  config: ScatterGatherConfig,
): Promise<Branch> {
  const { message } = context;
  const query = message.query.toString();
  const headers = { ...message.headers };
  // Each branch's body is the buffered request body, with its own framing.
  delete headers['transfer-encoding'];
  if (message.body !== undefined) headers['content-length'] = String(message.body.length);
  // Answers are parsed as JSON: no content coding.
  delete headers['accept-encoding'];
  try {
    const answer = await context.call({
      upstream,
      method: message.method,
      path: query ? `${message.path}?${query}` : message.path,
      headers,
      body: message.body,
      timeoutMs: config.timeoutMs,
      responseBytesMax: config.responseBytesMax,
    });
    if (answer.status < 200 || answer.status > 299)
      return {
        ok: false,
        upstream,
        code: 'EXO_GATEWAY_BAD_GATEWAY',
        message: `answered ${answer.status}`,
      };
    try {
      return { ok: true, upstream, value: JSON.parse(answer.body.toString('utf8')) as unknown };
    } catch {
      return {
        ok: false,
        upstream,
        code: 'EXO_GATEWAY_INVALID_UPSTREAM_BODY',
        message: 'answered with a body that is not JSON',
      };
    }
  } catch (error) {
    const { code, message: text } = error as { code?: string; message?: string };
    return {
      ok: false,
      upstream,
      code: code ?? 'EXO_GATEWAY_BAD_GATEWAY',
      message: text ?? String(error),
    };
  }
}
