/**
 * A failed fan-out reports the failure that aborted the transaction, not the 1402 its other
 * parts on the same leaf answered afterwards (possibly first).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sqlError } from '../../src/errors.js';
import { allParts, isAbortConsequence } from '../../src/aggregator/fan-out.js';

const later = <T>(ms: number, run: () => T): Promise<T> =>
  new Promise((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(run());
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }, ms),
  );

describe('allParts', () => {
  it('returns every value in order', async () => {
    assert.deepEqual(
      await allParts([later(5, () => 1), Promise.resolve(2), later(1, () => 3)]),
      [1, 2, 3],
    );
  });

  it('reports the cause even when the consequence answers first', async () => {
    const consequence = Promise.reject(sqlError('XA_RBROLLBACK', 'rolled back'));
    const cause = later(10, () => {
      throw sqlError('DUP_ENTRY', "Duplicate entry '7-2' for key 'PRIMARY'");
    });
    await assert.rejects(allParts([consequence, cause, Promise.resolve(1)]), { errno: 1062 });
  });

  it('reports the consequence when nothing else failed', async () => {
    const consequence = Promise.reject(sqlError('XA_RBROLLBACK', 'rolled back'));
    await assert.rejects(allParts([Promise.resolve(1), consequence]), (error: unknown) =>
      isAbortConsequence(error),
    );
  });

  it('keeps errors that are not MySQL errors', async () => {
    await assert.rejects(allParts([Promise.reject(new Error('socket closed'))]), /socket closed/);
  });
});
