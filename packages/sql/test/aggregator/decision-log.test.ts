/**
 * The coordinator's decision log: decisions recorded at once share one fsync (group commit),
 * survive reopening (as after kill -9: every acknowledged decision was fsync'ed), a torn tail is
 * dropped without spoiling the next record, and compaction keeps exactly the decisions still
 * needed.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DECISION_FILE, DecisionLog } from '../../src/aggregator/decision-log.js';

describe('decision log', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'exo-decisions-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('concurrent decisions share fsyncs and all survive reopening', async () => {
    const log = new DecisionLog(folder);
    const ids = Array.from({ length: 50 }, (_, index) => `agg:${index}`);
    await Promise.all(ids.map((id) => log.recordCommit(id)));
    assert.ok(log.syncCount < ids.length, `${log.syncCount} fsyncs for ${ids.length} decisions`);
    for (const id of ids) assert.equal(log.isCommitted(id), true);
    log.close();
    const reopened = new DecisionLog(folder);
    for (const id of ids) assert.equal(reopened.isCommitted(id), true);
    assert.equal(reopened.isCommitted('agg:50'), false);
    reopened.close();
  });

  it('drops a torn last line and starts the next record on a fresh line', async () => {
    await writeFile(path.join(folder, DECISION_FILE), 'C agg:1\nC agg:2');
    const log = new DecisionLog(folder);
    assert.equal(log.isCommitted('agg:1'), true);
    assert.equal(log.isCommitted('agg:2'), false);
    await log.recordCommit('agg:3');
    log.close();
    const reopened = new DecisionLog(folder);
    assert.equal(reopened.isCommitted('agg:3'), true);
    assert.equal(reopened.isCommitted('agg:2'), false);
    reopened.close();
  });

  it('compacts to the decisions not yet forgotten', async () => {
    const log = new DecisionLog(folder, { compactBytes: 2048 });
    for (let round = 0; round < 20; round++) {
      const ids = Array.from({ length: 20 }, (_, index) => `agg:${round}-${index}`);
      await Promise.all(ids.map((id) => log.recordCommit(id)));
      // Every participant acknowledged all but the first of each round.
      for (const id of ids.slice(1)) log.forget(id);
    }
    await log.recordCommit('agg:last');
    log.close();
    const file = path.join(folder, DECISION_FILE);
    assert.ok((await stat(file)).size < 4096, 'the log was compacted');
    const reopened = new DecisionLog(folder);
    // The decisions still needed are kept (forgotten ones written since the last compaction
    // may linger: harmless, since only in-doubt transactions are looked up).
    for (let round = 0; round < 20; round++)
      assert.equal(reopened.isCommitted(`agg:${round}-0`), true);
    assert.equal(reopened.isCommitted('agg:0-1'), false);
    assert.equal(reopened.isCommitted('agg:last'), true);
    reopened.close();
    assert.match(await readFile(file, 'utf8'), /^(C [^\n]+\n)+$/);
  });

  it('refuses decisions once closed', async () => {
    const log = new DecisionLog(folder);
    log.close();
    await assert.rejects(log.recordCommit('agg:1'));
    assert.equal(log.isCommitted('agg:1'), false);
  });
});
