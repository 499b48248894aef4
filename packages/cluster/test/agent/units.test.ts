import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AgentErrors } from '../../src/agent/agent-errors.js';
import { detectResources } from '../../src/agent/detect-resources.js';
import { outcomeFromShellStatus } from '../../src/agent/sandbox.js';
import { portVariableName } from '../../src/agent/task-env.js';
import { shellQuote } from '../../src/agent/task-wrapper.js';
import { temporaryDirectory } from './helpers.js';

void test('detected resources are merged with explicit ones', async () => {
  const home = temporaryDirectory();
  try {
    const detected = await detectResources({ workDir: home.path });
    assert.equal(detected.cpus, availableParallelism());
    assert.ok(detected.mem >= 256);
    assert.ok(detected.disk >= 0);
    assert.deepEqual(detected.ports, [{ begin: 31000, end: 32000 }]);
    const merged = await detectResources({
      workDir: home.path,
      explicit: 'mem=4096;ports=[1000-1010]',
    });
    assert.equal(merged.mem, 4096);
    assert.equal(merged.cpus, detected.cpus);
    assert.deepEqual(merged.ports, [{ begin: 1000, end: 1010 }]);
    await assert.rejects(
      detectResources({ workDir: home.path, explicit: 'gpus=1' }),
      /unknown resource/,
    );
  } finally {
    await home.remove();
  }
});

void test('port names become variable names the way Marathon writes them', () => {
  assert.equal(portVariableName('http-admin'), 'HTTP_ADMIN');
  assert.equal(portVariableName('grpc'), 'GRPC');
});

void test('shell statuses above 128 are read as signals', () => {
  assert.deepEqual(outcomeFromShellStatus(0), { kind: 'exited', code: 0 });
  assert.deepEqual(outcomeFromShellStatus(3), { kind: 'exited', code: 3 });
  assert.deepEqual(outcomeFromShellStatus(137), { kind: 'signaled', signal: 'SIGKILL' });
  assert.deepEqual(outcomeFromShellStatus(143), { kind: 'signaled', signal: 'SIGTERM' });
});

void test('shell quoting survives single quotes', () => {
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

void test('every agent error code is documented in docs/errors.md', async () => {
  const docs = await readFile(
    fileURLToPath(new URL('../../../../../docs/errors.md', import.meta.url)),
    'utf8',
  );
  const section = docs.slice(docs.indexOf('## cluster/agent'));
  for (const [code, spec] of Object.entries(AgentErrors)) {
    if (typeof spec !== 'object') continue;
    assert.match(
      section,
      new RegExp(`\\| \`${code}\` \\| ${(spec as { status: number }).status} \\|`),
      code,
    );
  }
});
