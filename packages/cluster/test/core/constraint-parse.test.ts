import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConstraint, parseConstraints } from '../../src/core/constraint-parse.js';

function errorsOf(raw: unknown): readonly string[] {
  const result = parseConstraint(raw, '/constraints/0');
  assert.equal(result.ok, false, `expected ${JSON.stringify(raw)} to be refused`);
  return result.ok ? [] : result.errors;
}

void test('accepts the Marathon forms', () => {
  assert.deepEqual(parseConstraint(['hostname', 'UNIQUE'], '/c'), {
    ok: true,
    constraint: { field: 'hostname', operator: 'UNIQUE' },
  });
  assert.deepEqual(parseConstraint(['rack', 'GROUP_BY', '3'], '/c'), {
    ok: true,
    constraint: { field: 'rack', operator: 'GROUP_BY', value: '3' },
  });
  assert.deepEqual(parseConstraint(['rack', 'GROUP_BY'], '/c'), {
    ok: true,
    constraint: { field: 'rack', operator: 'GROUP_BY' },
  });
  assert.deepEqual(parseConstraint(['hostname', 'LIKE', 'a.*'], '/c'), {
    ok: true,
    constraint: { field: 'hostname', operator: 'LIKE', value: 'a.*' },
  });
  for (const raw of [
    ['rack', 'CLUSTER'],
    ['rack', 'CLUSTER', 'r1'],
    ['rack', 'UNLIKE', 'r[12]'],
    ['rack', 'MAX_PER', '2'],
    ['zone', 'IS', 'eu-1'],
  ]) {
    assert.equal(parseConstraint(raw, '/c').ok, true, JSON.stringify(raw));
  }
});

void test('accepts a JSON number for counts and keeps its string form', () => {
  assert.deepEqual(parseConstraint(['rack', 'MAX_PER', 2], '/c'), {
    ok: true,
    constraint: { field: 'rack', operator: 'MAX_PER', value: '2' },
  });
});

void test('accepts the "field:OPERATOR[:value]" string and the {fieldName, operator, value} forms', () => {
  assert.deepEqual(parseConstraint('hostname:UNIQUE', '/c'), {
    ok: true,
    constraint: { field: 'hostname', operator: 'UNIQUE' },
  });
  assert.deepEqual(parseConstraint('rack:LIKE:a:b.*', '/c'), {
    ok: true,
    constraint: { field: 'rack', operator: 'LIKE', value: 'a:b.*' },
  });
  assert.deepEqual(
    parseConstraint({ fieldName: '@hostname', operator: 'MAX_PER', value: '2' }, '/c'),
    {
      ok: true,
      constraint: { field: '@hostname', operator: 'MAX_PER', value: '2' },
    },
  );
  assert.match(errorsOf('hostname:SAME')[0]!, /operator .*unknown/);
});

void test('refuses malformed constraints with a reason each', () => {
  assert.match(errorsOf('hostname')[0]!, /\[field, OPERATOR\]/);
  assert.match(errorsOf(['hostname'])[0]!, /\[field, OPERATOR\]/);
  assert.match(errorsOf(['a', 'IS', 'b', 'c'])[0]!, /\[field, OPERATOR\]/);
  assert.match(errorsOf(['', 'UNIQUE'])[0]!, /field/);
  assert.match(errorsOf([7, 'UNIQUE'])[0]!, /field/);
  assert.match(errorsOf(['hostname', 'SAME'])[0]!, /operator .*unknown/);
  assert.match(errorsOf(['hostname', 'unique'])[0]!, /upper case: UNIQUE/);
  assert.match(errorsOf(['hostname', 'LIKE'])[0]!, /LIKE needs a value/);
  assert.match(errorsOf(['hostname', 'UNLIKE'])[0]!, /UNLIKE needs a value/);
  assert.match(errorsOf(['rack', 'MAX_PER'])[0]!, /MAX_PER needs a value/);
  assert.match(errorsOf(['rack', 'IS'])[0]!, /IS needs a value/);
  assert.match(errorsOf(['rack', 'MAX_PER', 'two'])[0]!, /whole number/);
  assert.match(errorsOf(['rack', 'MAX_PER', '0'])[0]!, /whole number/);
  assert.match(errorsOf(['rack', 'GROUP_BY', '-1'])[0]!, /whole number/);
  assert.match(errorsOf(['rack', 'GROUP_BY', '1.5'])[0]!, /whole number/);
  assert.match(errorsOf(['hostname', 'LIKE', 'a[('])[0]!, /valid regular expression/);
  assert.match(errorsOf(['hostname', 'UNIQUE', 'x'])[0]!, /UNIQUE takes no value/);
  assert.match(errorsOf(['hostname', 'IS', null])[0]!, /must be a string/);
  assert.match(errorsOf(['hostname', 'LIKE', 'a'.repeat(2000)])[0]!, /longer than/);
});

void test('refuses a pattern that would escape its anchors', () => {
  // `a)|(.*` would turn ^(?:a)|(.*)$ into an unanchored match-anything.
  assert.match(errorsOf(['hostname', 'LIKE', 'a)|(.*'])[0]!, /valid regular expression/);
});

void test('reports every problem of a constraint at once', () => {
  assert.equal(errorsOf(['', 'NOPE']).length, 2);
});

void test('parseConstraints collects errors under each element path', () => {
  const result = parseConstraints(
    [
      ['hostname', 'UNIQUE'],
      ['rack', 'NOPE'],
      ['zone', 'LIKE'],
    ],
    '/constraints',
  );
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(
    result.errors.map((error) => error.path),
    ['/constraints/1', '/constraints/2'],
  );
  assert.deepEqual(parseConstraints('x', '/constraints'), {
    ok: false,
    errors: [{ path: '/constraints', errors: ['constraints must be an array'] }],
  });
  assert.deepEqual(parseConstraints([['a', 'UNIQUE']], '/c'), {
    ok: true,
    constraints: [{ field: 'a', operator: 'UNIQUE' }],
  });
});
