/** Every MySQL error the data plane uses is documented in docs/errors.md with its number. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ER } from '../src/errors.js';

test('every data-plane error number is documented', async () => {
  const text = await readFile(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
  for (const [name, [errno, state]] of Object.entries(ER)) {
    const row = new RegExp(
      `\\|\\s*\`${name}\`\\s*\\|\\s*${errno}\\s*\\|\\s*${state}\\s*\\|\\s*\\S`,
    );
    assert.match(text, row, `${name} (${errno}) is documented in docs/errors.md`);
  }
});
