import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Constraint } from '../../src/core/constraints.js';
import { PlacementContext } from '../../src/core/placement-context.js';
import { placeExhaustive } from '../../src/core/placement-exhaustive.js';
import { placeGreedy } from '../../src/core/placement-greedy.js';
import { PlacementLedger } from '../../src/core/placement-ledger.js';
import { place } from '../../src/core/placement.js';
import type { AgentSnapshot, Placement, PlacementRequest } from '../../src/core/placement-types.js';

/**
 * Property tests: `place()` is checked against an independent, deliberately naive model of the
 * rules that replays the placements one by one.
 */

const runs = { numRuns: 1000 };

const agentArbitrary = fc.record({
  cpus: fc.constantFrom(0, 0.5, 1, 2, 4),
  usedCpus: fc.constantFrom(0, 0, 0.5, 1),
  mem: fc.constantFrom(128, 512, 1024),
  usedMem: fc.constantFrom(0, 0, 128),
  disk: fc.constantFrom(0, 100, 1000),
  rack: fc.option(fc.constantFrom('r1', 'r2', 'r3'), { nil: undefined }),
  zone: fc.option(fc.constantFrom('z1', 'z2'), { nil: undefined }),
  portsEnd: fc.integer({ min: 30999, max: 31004 }),
  usedPorts: fc.subarray([31000, 31001, 31002, 80]),
  schedulable: fc.boolean(),
});

const constraintArbitrary: fc.Arbitrary<Constraint> = fc.oneof(
  fc.constant<Constraint>({ field: 'hostname', operator: 'UNIQUE' }),
  fc.constant<Constraint>({ field: 'rack', operator: 'UNIQUE' }),
  fc.constant<Constraint>({ field: 'rack', operator: 'CLUSTER' }),
  fc.constant<Constraint>({ field: 'zone', operator: 'CLUSTER', value: 'z1' }),
  fc.constant<Constraint>({ field: 'rack', operator: 'GROUP_BY' }),
  fc.constant<Constraint>({ field: 'zone', operator: 'GROUP_BY', value: '2' }),
  fc.constant<Constraint>({ field: 'hostname', operator: 'GROUP_BY' }),
  fc.constant<Constraint>({ field: 'rack', operator: 'LIKE', value: 'r[12]' }),
  fc.constant<Constraint>({ field: 'hostname', operator: 'LIKE', value: 'h[0-4]' }),
  fc.constant<Constraint>({ field: 'rack', operator: 'UNLIKE', value: 'r3' }),
  fc.constant<Constraint>({ field: 'zone', operator: 'MAX_PER', value: '2' }),
  fc.constant<Constraint>({ field: 'hostname', operator: 'MAX_PER', value: '1' }),
  fc.constant<Constraint>({ field: 'rack', operator: 'IS', value: 'r2' }),
);

interface Scenario {
  readonly agents: AgentSnapshot[];
  readonly request: PlacementRequest;
}

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .array(agentArbitrary, { minLength: 0, maxLength: 9 })
  .chain((rawAgents) => {
    const agents: AgentSnapshot[] = rawAgents.map((raw, index) => ({
      id: `agent-${index}`,
      hostname: `h${index}`,
      attributes: {
        ...(raw.rack === undefined ? {} : { rack: raw.rack }),
        ...(raw.zone === undefined ? {} : { zone: raw.zone }),
      },
      total: {
        cpus: raw.cpus,
        mem: raw.mem,
        disk: raw.disk,
        ports: raw.portsEnd < 31000 ? [] : [{ begin: 31000, end: raw.portsEnd }],
      },
      used: { cpus: raw.usedCpus, mem: raw.usedMem, disk: 0 },
      usedPorts: new Set(raw.usedPorts),
      schedulable: raw.schedulable,
    }));
    const agentIds = agents.map((agent) => agent.id);
    const existing =
      agentIds.length === 0
        ? fc.constant([])
        : fc.array(
            fc.oneof(fc.constantFrom(...agentIds), fc.constant('gone')).map((agentId) => ({
              agentId,
            })),
            { maxLength: 4 },
          );
    const request = fc.record({
      appId: fc.constant('/app'),
      resources: fc.record({
        cpus: fc.constantFrom(0, 0.1, 0.5, 1),
        mem: fc.constantFrom(0, 64, 128),
        disk: fc.constantFrom(0, 0, 50),
      }),
      ports: fc.array(fc.constantFrom(0, 0, 31000, 31002, 31003, 80), { maxLength: 3 }),
      requirePorts: fc.boolean(),
      constraints: fc.array(constraintArbitrary, { maxLength: 3 }),
      existing,
      count: fc.integer({ min: 0, max: 12 }),
      strategy: fc.constantFrom<'binpack' | 'spread'>('binpack', 'spread'),
    });
    return request.map((built) => ({ agents, request: built }));
  });

/** The naive model: the state a sequence of placements has built so far. */
class Model {
  readonly free = new Map<string, { cpus: number; mem: number; disk: number }>();
  readonly usedPorts = new Map<string, Set<number>>();
  /** Agent of every instance of the app, existing ones first. */
  readonly instances: AgentSnapshot[] = [];

  constructor(
    readonly agents: readonly AgentSnapshot[],
    readonly request: PlacementRequest,
  ) {
    for (const agent of agents) {
      this.free.set(agent.id, {
        cpus: agent.total.cpus - agent.used.cpus,
        mem: agent.total.mem - agent.used.mem,
        disk: agent.total.disk - agent.used.disk,
      });
      this.usedPorts.set(agent.id, new Set(agent.usedPorts));
    }
    for (const instance of request.existing) {
      const agent = agents.find((candidate) => candidate.id === instance.agentId);
      if (agent !== undefined) this.instances.push(agent);
    }
  }

  /** Why the agent cannot take one more instance now (GROUP_BY aside); empty when it can. */
  problemsWithoutGroupBy(agent: AgentSnapshot): string[] {
    const problems: string[] = [];
    if (!agent.schedulable) return ['unschedulable'];
    const free = this.free.get(agent.id)!;
    const { cpus, mem, disk } = this.request.resources;
    if (cpus > free.cpus + 1e-9) problems.push('cpus');
    if (mem > free.mem) problems.push('mem');
    if (disk > free.disk) problems.push('disk');
    if (this.pickPorts(agent) === undefined) problems.push('ports');
    for (const constraint of this.request.constraints) {
      if (constraint.operator === 'GROUP_BY') {
        if (valueOf(agent, constraint.field) === undefined) problems.push('group-by attribute');
      } else if (!this.meets(agent, constraint)) {
        problems.push(`${constraint.field}:${constraint.operator}`);
      }
    }
    return problems;
  }

  /** GROUP_BY: no value with fewer instances is available to this instance. */
  meetsGroupBy(agent: AgentSnapshot): boolean {
    const available = this.agents.filter(
      (candidate) => this.problemsWithoutGroupBy(candidate).length === 0,
    );
    return this.request.constraints.every((constraint) => {
      if (constraint.operator !== 'GROUP_BY') return true;
      const value = valueOf(agent, constraint.field);
      const counts = available.map((candidate) =>
        this.count(constraint.field, valueOf(candidate, constraint.field)!),
      );
      return value !== undefined && this.count(constraint.field, value) <= Math.min(...counts);
    });
  }

  canTake(agent: AgentSnapshot): boolean {
    return this.problemsWithoutGroupBy(agent).length === 0 && this.meetsGroupBy(agent);
  }

  /** Records a placement after checking ports are the ones the rules allow. */
  apply(agent: AgentSnapshot, ports: readonly number[]): void {
    const used = this.usedPorts.get(agent.id)!;
    assert.equal(ports.length, this.request.ports.length);
    assert.equal(new Set(ports).size, ports.length, 'an instance got the same port twice');
    // A plain loop, not forEach: forEach would skip holes in a sparse array.
    for (let index = 0; index < ports.length; index += 1) {
      const port = ports[index]!;
      assert.ok(Number.isInteger(port), `port ${index} is missing`);
      const wanted = this.request.ports[index]!;
      if (this.request.requirePorts && wanted !== 0) assert.equal(port, wanted);
      assert.ok(!used.has(port), `port ${port} reused on ${agent.id}`);
      assert.ok(offers(agent, port), `port ${port} not offered by ${agent.id}`);
    }
    for (const port of ports) used.add(port);
    const free = this.free.get(agent.id)!;
    free.cpus -= this.request.resources.cpus;
    free.mem -= this.request.resources.mem;
    free.disk -= this.request.resources.disk;
    assert.ok(free.cpus >= -1e-9 && free.mem >= 0 && free.disk >= 0, `${agent.id} overcommitted`);
    this.instances.push(agent);
  }

  #meetsCount(field: string, value: string, limit: number): boolean {
    return this.count(field, value) < limit;
  }

  count(field: string, value: string): number {
    return this.instances.filter((instance) => valueOf(instance, field) === value).length;
  }

  meets(agent: AgentSnapshot, constraint: Constraint): boolean {
    const value = valueOf(agent, constraint.field);
    const wanted = constraint.value ?? '';
    if (value === undefined) return constraint.operator === 'UNLIKE';
    switch (constraint.operator) {
      case 'UNIQUE':
        return this.#meetsCount(constraint.field, value, 1);
      case 'MAX_PER':
        return this.#meetsCount(constraint.field, value, Number(wanted));
      case 'CLUSTER': {
        if (wanted !== '') return value === wanted;
        const first = this.instances
          .map((instance) => valueOf(instance, constraint.field))
          .find((candidate) => candidate !== undefined);
        return first === undefined || first === value;
      }
      case 'LIKE':
        return new RegExp(`^(?:${wanted})$`).test(value);
      case 'UNLIKE':
        return !new RegExp(`^(?:${wanted})$`).test(value);
      case 'IS':
        return value === wanted;
      case 'GROUP_BY':
        return true;
    }
  }

  /** Some legal port assignment, or undefined when the agent has not enough ports. */
  pickPorts(agent: AgentSnapshot): number[] | undefined {
    const used = this.usedPorts.get(agent.id)!;
    const taken = new Set<number>();
    const required = this.request.ports.filter((port) => this.request.requirePorts && port !== 0);
    for (const port of required) {
      if (used.has(port) || taken.has(port) || !offers(agent, port)) return undefined;
      taken.add(port);
    }
    let anyCount = this.request.ports.length - required.length;
    for (const range of agent.total.ports) {
      for (let port = range.begin; port <= range.end && anyCount > 0; port += 1) {
        if (!used.has(port) && !taken.has(port)) {
          taken.add(port);
          anyCount -= 1;
        }
      }
    }
    return anyCount === 0 ? [...taken] : undefined;
  }
}

function valueOf(agent: AgentSnapshot, field: string): string | undefined {
  return field === 'hostname' ? agent.hostname : agent.attributes[field];
}

function offers(agent: AgentSnapshot, port: number): boolean {
  return agent.total.ports.some((range) => port >= range.begin && port <= range.end);
}

function replay(scenario: Scenario, placements: readonly Placement[]): Model {
  const model = new Model(scenario.agents, scenario.request);
  for (const placement of placements) {
    const agent = scenario.agents.find((candidate) => candidate.id === placement.agentId);
    assert.ok(agent !== undefined, `unknown agent ${placement.agentId}`);
    assert.ok(agent.schedulable, `unschedulable agent ${agent.id} used`);
    const problems = model.problemsWithoutGroupBy(agent);
    assert.deepEqual(problems, [], `placement on ${agent.id} breaks: ${problems.join(', ')}`);
    assert.ok(model.meetsGroupBy(agent), `placement on ${agent.id} breaks GROUP_BY`);
    model.apply(agent, placement.ports);
  }
  return model;
}

void test('every placement respects resources, ports and constraints', () => {
  fc.assert(
    fc.property(scenarioArbitrary, (scenario) => {
      const result = place(scenario.request, new PlacementLedger(scenario.agents));
      assert.ok(result.placements.length <= scenario.request.count);
      replay(scenario, result.placements);
    }),
    runs,
  );
});

void test('placement stops only when no agent can take another instance, and says why', () => {
  fc.assert(
    fc.property(scenarioArbitrary, (scenario) => {
      const result = place(scenario.request, new PlacementLedger(scenario.agents), {
        agentDetailMax: 1000,
      });
      if (result.placements.length >= scenario.request.count) {
        assert.equal(result.diagnosis, undefined);
        return;
      }
      const model = replay(scenario, result.placements);
      for (const agent of scenario.agents) {
        assert.ok(!model.canTake(agent), `${agent.id} could have taken another instance`);
      }
      const diagnosis = result.diagnosis;
      assert.ok(diagnosis !== undefined);
      assert.equal(diagnosis.agentsConsidered, scenario.agents.length);
      assert.deepEqual(
        diagnosis.agents.map((entry) => entry.agentId),
        scenario.agents.map((agent) => agent.id),
      );
      for (const entry of diagnosis.agents) {
        assert.ok(entry.reasons.length > 0, `no reason given for ${entry.agentId}`);
      }
      const unschedulable = scenario.agents.filter((agent) => !agent.schedulable).length;
      assert.equal(diagnosis.rejections.AgentUnavailable ?? 0, unschedulable);
      const constraintRefusals = Object.values(diagnosis.constraintRejections).reduce(
        (sum, count) => sum + count,
        0,
      );
      assert.ok(constraintRefusals >= (diagnosis.rejections.UnfulfilledConstraint ?? 0));
    }),
    runs,
  );
});

void test('the result depends only on the input, not on snapshot order or repetition', () => {
  fc.assert(
    fc.property(scenarioArbitrary, (scenario) => {
      const first = place(scenario.request, new PlacementLedger(scenario.agents));
      const again = place(scenario.request, new PlacementLedger(scenario.agents));
      const reversed = place(
        scenario.request,
        new PlacementLedger(scenario.agents.slice().reverse()),
      );
      assert.deepEqual(again, first);
      assert.deepEqual(reversed, first);
    }),
    runs,
  );
});

void test('the greedy path and the exhaustive path agree', () => {
  fc.assert(
    fc.property(scenarioArbitrary, (scenario) => {
      const greedyContext = new PlacementContext(
        scenario.request,
        new PlacementLedger(scenario.agents),
      );
      const exhaustiveContext = new PlacementContext(
        scenario.request,
        new PlacementLedger(scenario.agents),
      );
      fc.pre(greedyContext.groupByIndexes.length <= 1);
      assert.deepEqual(placeGreedy(greedyContext), placeExhaustive(exhaustiveContext));
    }),
    runs,
  );
});

void test('the ledger keeps what was placed', () => {
  fc.assert(
    fc.property(scenarioArbitrary, (scenario) => {
      const ledger = new PlacementLedger(scenario.agents);
      const result = place(scenario.request, ledger);
      const model = replay(scenario, result.placements);
      for (const agent of scenario.agents) {
        const entry = ledger.get(agent.id)!;
        const free = model.free.get(agent.id)!;
        assert.ok(Math.abs(entry.freeCpus - free.cpus) < 1e-6);
        assert.equal(entry.freeMem, free.mem);
        assert.equal(entry.freeDisk, free.disk);
        for (const port of model.usedPorts.get(agent.id)!) {
          assert.ok(!entry.ports.isFree(port));
        }
      }
    }),
    runs,
  );
});
