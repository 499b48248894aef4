import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CommonErrors, ExoError, allErrorRegistries, invariant } from '../src/index.js';

const docs = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'docs',
  'errors.md',
);

/** Every registry's codes must have a row in docs/errors.md with the same status. */
export async function assertDocumented(
  registry: Record<string, { status: number }>,
): Promise<void> {
  const text = await readFile(docs, 'utf8');
  for (const [code, spec] of Object.entries(registry)) {
    if (typeof spec !== 'object' || spec === null || !('status' in spec)) continue;
    const row = new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${spec.status}\\s*\\|\\s*\\S`);
    assert.match(text, row, `${code} (${spec.status}) is documented in docs/errors.md`);
  }
}

test('every common error code is documented with its status', async () => {
  await assertDocumented(CommonErrors as unknown as Record<string, { status: number }>);
  assert.ok(allErrorRegistries().length >= 1);
});

test('errors carry code, status, details and extra data in their JSON', () => {
  const error = CommonErrors.create('EXO_VALIDATION_FAILED', 'bad', {
    details: [{ path: '/a', errors: ['x'] }],
    data: { id: 1 },
  });
  assert.ok(error instanceof ExoError);
  assert.equal(error.status, 422);
  assert.deepEqual(error.toJSON(), {
    code: 'EXO_VALIDATION_FAILED',
    message: 'bad',
    details: [{ path: '/a', errors: ['x'] }],
    id: 1,
  });
});

test('invariant throws on a broken invariant', () => {
  assert.throws(() => invariant(false, 'must hold'), /invariant violated: must hold/);
  invariant(true, 'holds');
});
