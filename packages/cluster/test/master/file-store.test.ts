import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, truncate, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileStateStore } from '../../src/master/store/file-store.js';

async function temporary(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'exo-store-'));
}

test('commits survive reopening, deletes included', async () => {
  const directory = await temporary();
  try {
    const store = await FileStateStore.open({ directory });
    await store.commit([
      { type: 'put', key: 'apps/a', value: { n: 1 } },
      { type: 'put', key: 'apps/b', value: { n: 2 } },
    ]);
    await store.commit([
      { type: 'delete', key: 'apps/a' },
      { type: 'put', key: 'tasks/t', value: 'x' },
    ]);
    await store.close();
    const reopened = await FileStateStore.open({ directory });
    assert.deepEqual(await reopened.list('apps/'), [{ key: 'apps/b', value: { n: 2 } }]);
    assert.equal(await reopened.get('tasks/t'), 'x');
    await reopened.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('concurrent commits are grouped and all acknowledged in order', async () => {
  const directory = await temporary();
  try {
    const store = await FileStateStore.open({ directory });
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.commit([{ type: 'put', key: 'k', value: i }])),
    );
    assert.equal(await store.get('k'), 199);
    await store.close();
    const reopened = await FileStateStore.open({ directory });
    assert.equal(await reopened.get('k'), 199);
    await reopened.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('a torn tail (crash mid-append) is dropped; earlier commits stay', async () => {
  const directory = await temporary();
  try {
    const store = await FileStateStore.open({ directory });
    await store.commit([{ type: 'put', key: 'a', value: 1 }]);
    await store.commit([{ type: 'put', key: 'b', value: 2 }]);
    await store.close();
    const log = join(directory, 'state.log');
    const size = (await stat(log)).size;
    await truncate(log, size - 3);
    const reopened = await FileStateStore.open({ directory });
    assert.equal(await reopened.get('a'), 1);
    assert.equal(await reopened.get('b'), undefined);
    await reopened.commit([{ type: 'put', key: 'c', value: 3 }]);
    await reopened.close();
    const again = await FileStateStore.open({ directory });
    assert.equal(await again.get('c'), 3, 'appends after a repaired tail are readable');
    await again.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('a corrupt record stops replay at that point', async () => {
  const directory = await temporary();
  try {
    const store = await FileStateStore.open({ directory });
    await store.commit([{ type: 'put', key: 'a', value: 1 }]);
    await store.close();
    await appendFile(
      join(directory, 'state.log'),
      Buffer.from([0, 0, 0, 4, 1, 2, 3, 4, 65, 66, 67, 68]),
    );
    const reopened = await FileStateStore.open({ directory });
    assert.equal(await reopened.get('a'), 1);
    await reopened.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('compaction writes a snapshot and keeps every value', async () => {
  const directory = await temporary();
  try {
    const store = await FileStateStore.open({ directory, compactBytes: 2000 });
    for (let i = 0; i < 100; i++)
      await store.commit([{ type: 'put', key: `k${i % 10}`, value: 'x'.repeat(50) + i }]);
    await store.close();
    assert.ok((await readFile(join(directory, 'state.snapshot'), 'utf8')).length > 0);
    const reopened = await FileStateStore.open({ directory });
    assert.equal((await reopened.list('k')).length, 10);
    assert.equal(await reopened.get('k9'), 'x'.repeat(50) + 99);
    await reopened.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
