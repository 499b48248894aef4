import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SecurityErrors } from '../../src/policies/security/security-errors.js';
import { securityPolicyTypes } from '../../src/policies/security/index.js';

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

test('every security error code is documented in docs/errors.md under gateway/security', async () => {
  const text = await readFile(docs, 'utf8');
  const section = text.slice(text.indexOf('## gateway/security'));
  assert.ok(text.includes('## gateway/security'));
  for (const [code, spec] of Object.entries(SecurityErrors)) {
    if (typeof spec !== 'object' || spec === null || !('status' in spec)) continue;
    const row = new RegExp(
      `\\|\\s*\`${code}\`\\s*\\|\\s*${(spec as { status: number }).status}\\s*\\|\\s*\\S`,
    );
    assert.match(section, row, `${code} is documented`);
  }
});

test('the exported policy types have distinct names', () => {
  const names = securityPolicyTypes.map((type) => type.type);
  assert.deepEqual(names, ['api-key', 'jwt', 'basic-auth', 'cors', 'ip-filter']);
});
