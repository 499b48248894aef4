import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { JobErrors, MasterErrors } from '../../src/master/master-errors.js';

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

test('every master and jobs error code is documented in docs/errors.md with its status', async () => {
  const text = await readFile(docs, 'utf8');
  for (const [code, spec] of [...Object.entries(MasterErrors), ...Object.entries(JobErrors)]) {
    if (typeof spec !== 'object' || spec === null || !('status' in spec)) continue;
    assert.match(
      text,
      new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${(spec as { status: number }).status}\\s*\\|`),
      code,
    );
  }
});
