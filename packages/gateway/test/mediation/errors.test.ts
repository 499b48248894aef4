import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { knownPolicyTypes } from '../../src/index.js';
import { MediationErrors } from '../../src/mediation/index.js';

const docs = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  '..',
  'docs',
  'errors.md',
);

test('every mediation error code is documented in docs/errors.md under gateway/mediation', async () => {
  const text = await readFile(docs, 'utf8');
  assert.ok(text.includes('## gateway/mediation'));
  const section = text.slice(text.indexOf('## gateway/mediation'));
  for (const [code, spec] of Object.entries(MediationErrors)) {
    if (typeof spec !== 'object' || spec === null || !('status' in spec)) continue;
    const row = new RegExp(
      `\\|\\s*\`${code}\`\\s*\\|\\s*${(spec as { status: number }).status}\\s*\\|\\s*\\S`,
    );
    assert.match(section, row, `${code} is documented`);
  }
});

test('the mediation policy types are registered', () => {
  const known = new Set(knownPolicyTypes());
  for (const type of [
    'set-headers',
    'remove-headers',
    'set-query',
    'remove-query',
    'json-to-xml',
    'xml-to-json',
    'jsonata',
    'content-route',
    'enrich',
    'scatter-gather',
    'cache',
    'mock',
  ])
    assert.ok(known.has(type), type);
});
