import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { ApimErrors } from '../../src/apim/errors.js';
import {
  allowedActions,
  applyLifecycleAction,
  lifecycleActions,
} from '../../src/apim/lifecycle.js';
import { apiStates, type ApiState } from '../../src/apim/model.js';
import { OperationMatcher } from '../../src/apim/operation-matcher.js';

const docs = new URL('../../../../../docs/errors.md', import.meta.url);

describe('API management model', () => {
  it('documents every error code under gateway/apim with its status', async () => {
    const text = await readFile(docs, 'utf8');
    const start = text.indexOf('## gateway/apim');
    assert.ok(start >= 0);
    const section = text.slice(start, text.indexOf('\n## ', start + 1));
    for (const [code, spec] of Object.entries(ApimErrors)) {
      if (typeof spec !== 'object' || spec === null || !('status' in spec)) continue;
      const row = new RegExp(
        `\\|\\s*\`${code}\`\\s*\\|\\s*${(spec as { status: number }).status}\\s*\\|\\s*\\S`,
      );
      assert.match(section, row, `${code} is documented`);
    }
  });

  it('allows exactly the lifecycle transitions of the table', () => {
    const expected: Record<ApiState, Record<string, ApiState>> = {
      CREATED: { publish: 'PUBLISHED' },
      PUBLISHED: { deprecate: 'DEPRECATED', block: 'BLOCKED' },
      DEPRECATED: { retire: 'RETIRED', block: 'BLOCKED' },
      BLOCKED: { unblock: 'PUBLISHED' },
      RETIRED: {},
    };
    for (const state of apiStates)
      for (const action of lifecycleActions) {
        const result = applyLifecycleAction({ state, blockedFrom: undefined, action });
        const next = expected[state][action];
        if (next === undefined) {
          assert.equal(result.ok, false, `${state} --${action}--> refused`);
          assert.ok(!result.ok);
          assert.deepEqual(result.allowedActions, allowedActions(state));
        } else assert.deepEqual(result.ok && result.state, next, `${state} --${action}--> ${next}`);
      }
    const blocked = applyLifecycleAction({
      state: 'DEPRECATED',
      blockedFrom: undefined,
      action: 'block',
    });
    assert.ok(blocked.ok);
    assert.equal(blocked.blockedFrom, 'DEPRECATED');
    const back = applyLifecycleAction({
      state: 'BLOCKED',
      blockedFrom: 'DEPRECATED',
      action: 'unblock',
    });
    assert.ok(back.ok);
    assert.equal(back.state, 'DEPRECATED');
  });

  it('matches operations, concrete paths before templates, and reports allowed methods', () => {
    const matcher = new OperationMatcher([
      { method: 'GET', path: '/pets/{id}', scopes: [] },
      { method: 'GET', path: '/pets/mine', scopes: ['own'] },
      { method: 'PUT', path: '/files/{name}.{ext}', scopes: [] },
    ]);
    const mine = matcher.match('GET', '/pets/mine');
    assert.ok(mine.kind === 'found');
    assert.deepEqual(mine.operation.scopes, ['own']);
    assert.equal(matcher.match('HEAD', '/pets/7').kind, 'found');
    assert.deepEqual(matcher.match('POST', '/pets/7'), { kind: 'no-method', allow: ['GET'] });
    assert.equal(matcher.match('PUT', '/files/a.txt').kind, 'found');
    assert.deepEqual(matcher.match('GET', '/owners'), { kind: 'no-path' });
  });
});
