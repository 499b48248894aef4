import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RealClock, silentLogger } from '@exosphere/common';
import { buildPolicyChain } from '../../src/mediation/index.js';

const context = { clock: new RealClock(), logger: silentLogger() };

test('buildPolicyChain validates every entry whole and reports errors under the base path', () => {
  const result = buildPolicyChain({
    entries: [
      { type: 'set-headers', headers: {} },
      { type: 'jsonata', expression: '$$$(' },
      { type: 'enrich', upstream: 'ghost' },
      { type: 'no-such-policy' },
    ],
    context,
    basePath: '/apis/0/operations/1/policies',
    upstreamNames: new Set(['main']),
  });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(
    result.errors.map((error) => error.path),
    [
      '/apis/0/operations/1/policies/0/headers',
      '/apis/0/operations/1/policies/1/expression',
      '/apis/0/operations/1/policies/2/upstream',
      '/apis/0/operations/1/policies/3/type',
    ],
  );
});

test('buildPolicyChain orders phases as configured and says which bodies are needed', () => {
  const result = buildPolicyChain({
    entries: [
      { type: 'set-headers', headers: { a: '1' } },
      { type: 'xml-to-json', phase: 'response' },
      { type: 'set-query', parameters: { b: '2' } },
      { type: 'mock', phase: 'fault', static: { status: 503 } },
    ],
    context,
  });
  assert.equal(result.ok, true);
  if (!result.ok) return;
  assert.equal(result.policies.length, 4);
  const chain = result.mediation!;
  assert.equal(chain.request.length, 2);
  assert.equal(chain.response.length, 1);
  assert.equal(chain.fault.length, 1);
  assert.equal(chain.requestBody, false);
  assert.equal(chain.responseBody, true);
  const none = buildPolicyChain({ entries: [{ type: 'cors', origins: ['*'] }], context });
  assert.equal(none.ok && none.mediation, undefined);
});
