import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchesLabelSelectors, parseLabelSelector } from '../../src/core/label-selector.js';

function matches(query: string, labels: Record<string, string>): boolean {
  const parsed = parseLabelSelector(query);
  assert.ok(parsed.ok, `${query} parses`);
  return matchesLabelSelectors(labels, parsed.selectors);
}

describe("Marathon's label selector", () => {
  test('existence, equality and inequality; a selector needs its label', () => {
    assert.equal(matches('env', { env: 'prod' }), true);
    assert.equal(matches('env', { tier: 'web' }), false);
    assert.equal(matches('env == prod', { env: 'prod' }), true);
    assert.equal(matches('env==prod', { env: 'qa' }), false);
    assert.equal(matches('env != prod', { env: 'qa' }), true);
    assert.equal(matches('env!=prod', { env: 'prod' }), false);
    assert.equal(matches('env != prod', { tier: 'web' }), false);
  });

  test('sets, combinations and escaped characters', () => {
    assert.equal(matches('env in (prod, qa)', { env: 'qa' }), true);
    assert.equal(matches('env in (prod, qa)', { env: 'dev' }), false);
    assert.equal(matches('env notin (prod,qa)', { env: 'dev' }), true);
    assert.equal(matches('env notin (prod,qa)', { other: 'dev' }), false);
    const combined = 'foo==one, bla!=one, foo in (one, two), bla notin (one, two), existence';
    assert.equal(matches(combined, { foo: 'one', bla: 'four', existence: 'x' }), true);
    assert.equal(matches(combined, { foo: 'one', bla: 'four' }), false);
    assert.equal(matches('a in (three\\ is\\ cool)', { a: 'three is cool' }), true);
    assert.equal(matches('\\{\\{ == \\&\\&', { '{{': '&&' }), true);
    assert.equal(matches('index', { index: '1' }), true);
  });

  test('malformed selectors are refused', () => {
    for (const query of ['foo some (one)', 'foo in one', 'foo test', 'foo ==', 'a in (b', '==x']) {
      assert.equal(parseLabelSelector(query).ok, false, query);
    }
  });
});
