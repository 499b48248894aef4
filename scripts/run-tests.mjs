#!/usr/bin/env node
// Runs every compiled test file with node's test runner. Test files live in
// packages/*/test and bench/**/test and are compiled to dist/ by `tsc -b`.
// Usage: node scripts/run-tests.mjs [filter...]   (filters match file paths)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
