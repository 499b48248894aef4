#!/usr/bin/env node
// Runs every compiled test file with node's test runner. Test files live in
// packages/*/test and bench/**/test and are compiled to dist/ by `tsc -b`.
// Usage: node scripts/run-tests.mjs [filter...]   (filters match file paths)
// The runner's TAP output passes through; at the end, every failure (not a TODO's) is printed
// again with its error, so a failure is found at the bottom of a long log.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const roots = readdirSync('packages').map((p) => join('packages', p, 'dist', 'test'));
roots.push(join('bench', 'dist'));
const filters = process.argv.slice(2);
const files = roots
  .flatMap((root) => walk(root, []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files found (did `tsc -b` run?)');
  process.exit(1);
}
const concurrency = process.env.EXO_TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=240000', ...files],
  { stdio: ['inherit', 'pipe', 'inherit'] },
);

// A failure is a `not ok` line that is no TODO or SKIP, with its YAML block; a suite or file
// that failed only because a test inside it failed is not repeated.
const failures = [];
let open;
const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
lines.on('line', (line) => {
  process.stdout.write(`${line}\n`);
  if (open !== undefined) {
    open.lines.push(line);
    if (line.trim() === '...') {
      if (!open.lines.some((l) => l.includes("failureType: 'subtestsFailed'"))) {
        failures.push(open.lines);
      }
      open = undefined;
    }
    return;
  }
  const failed = /^\s*not ok \d+ - /.test(line) && !/ # (TODO|SKIP)\b/.test(line);
  if (failed) open = { lines: [line] };
});
// 'close' comes after the child's output has ended, so every line has been read.
child.on('close', (code, signal) => {
  if (failures.length > 0) {
    process.stdout.write(`\n# ${failures.length} failing test(s):\n`);
    for (const block of failures) process.stdout.write(`${block.join('\n')}\n`);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
