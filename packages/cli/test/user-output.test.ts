import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueueEntry } from '@exosphere/client';
import { formatQueueEntry } from '../src/commands/queue.js';
import { lastLines } from '../src/log-output.js';
import { progressLine } from '../src/deployment-wait.js';
import { formatTable } from '../src/output.js';

void test('tables align columns and right-align numbers', () => {
  const rows = [
    { id: '/web', running: 2 },
    { id: '/prod/database', running: 10 },
  ];
  const table = formatTable(rows, [
    { header: 'ID', value: (row) => row.id },
    { header: 'RUNNING', value: (row) => row.running, align: 'right' },
  ]);
  assert.equal(
    table,
    ['ID              RUNNING', '/web                  2', '/prod/database       10'].join('\n'),
  );
});

void test('a progress line names the step, the action and the counts', () => {
  const base = {
    deploymentId: '3f2a1b2c-0000-4000-8000-000000000000',
    currentStep: 1,
    totalSteps: 1,
  };
  const actions = [{ action: 'ScaleApplication' as const, app: '/web' }];
  assert.equal(
    progressLine({
      ...base,
      actions,
      apps: [{ id: '/web', instances: 3, running: 2, staged: 1, healthy: 2 }],
      done: false,
    }),
    'deployment 3f2a1b2c…: step 1/1 ScaleApplication /web — 2/3 running, 2/3 healthy',
  );
  assert.equal(
    progressLine({
      ...base,
      actions,
      apps: [{ id: '/web', instances: 3, running: 3, staged: 0, healthy: undefined }],
      done: true,
    }),
    'deployment 3f2a1b2c…: done — /web 3/3 running',
  );
});

void test('--tail keeps the last lines and the final newline', () => {
  assert.equal(lastLines('a\nb\nc\n', 2), 'b\nc\n');
  assert.equal(lastLines('a\nb\nc', 1), 'c');
  assert.equal(lastLines('a\n', 5), 'a\n');
  assert.equal(lastLines('a\n', 0), '');
});

void test('a queue entry reads as sentences per resource, constraint and agent', () => {
  const entry = {
    app: { id: '/huge' },
    count: 2,
    delay: { timeLeftSeconds: 0, overdue: true },
    since: '2030-01-01T00:00:00.000Z',
    processedOffersSummary: {
      processedOffersCount: 2,
      unusedOffersCount: 2,
      rejectSummaryLastOffers: [],
    },
    placement: {
      unplaced: 2,
      at: '2030-01-01T00:00:01.000Z',
      agentsConsidered: 2,
      rejections: { InsufficientMemory: 2, UnfulfilledConstraint: 1 },
      constraintRejections: { 'hostname:UNIQUE': 1 },
      agents: [{ agentId: 'agent-1', hostname: 'a1', reasons: ['mem: needs 4096, free 1024'] }],
    },
  } as unknown as QueueEntry;
  assert.equal(
    formatQueueEntry(entry),
    [
      '/huge: 2 instances waiting since 2030-01-01T00:00:00.000Z, no launch delay',
      '  last placement at 2030-01-01T00:00:01.000Z: 2 not placed, 2 agents considered',
      '  not enough memory: refused by 2 agents',
      '  constraint hostname:UNIQUE: refused by 1 agent',
      '  agent a1 (agent-1):',
      '    - mem: needs 4096, free 1024',
      '  (1 more agent not shown; the master caps the detail)',
    ].join('\n'),
  );
});
