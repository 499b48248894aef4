import type { Master } from '../master/master.js';
import type { RunRecord } from '../master/jobs/job-model.js';
import type { TaskBehaviour } from './sim-host.js';
import { SimulationWorld, type WorldOptions } from './world.js';

/** A run as the observer saw it first. */
export interface ObservedRun {
  readonly id: string;
  readonly jobId: string;
  readonly scheduleId: string | undefined;
  readonly dueAt: number | undefined;
  readonly createdAt: number;
  readonly triggerKind: string;
}

/** A due time the master recorded as missed. */
export interface ObservedMissed {
  readonly jobId: string;
  readonly scheduleId: string;
  readonly dueAt: number;
  readonly reason: string;
}

/**
 * A SimulationWorld driven for job scenarios, by composition (world.ts is not changed):
 * - job tasks (appId `job:<jobId>`) get a behaviour through the world's setBehaviour;
 * - every run the master ever starts is observed, however short the history it keeps: after each
 *   scheduling round of the live master the active runs are read (a scheduled run is created in
 *   a round and cannot finish before the next one), and the newest history entries of jobs whose
 *   counters moved are read too, as a second source;
 * - wall-clock steps: `jumpWallClock` (an NTP step, monotonic time does not move) and
 *   `skipQuietStretch`, a forward step over a stretch in which nothing is due, which is what
 *   makes a simulated year affordable (see its comment).
 */
export class JobsSimulation {
  readonly runs = new Map<string, ObservedRun>();
  readonly missed: ObservedMissed[] = [];
  /** Runs found in history without having been seen active (a sign the observation has holes). */
  historyOnlyRuns = 0;
  /** History entries counted by the master but no longer listed when observed. */
  unlistedMissed = 0;
  private readonly roundListeners: ((master: Master, wallMs: number) => void)[] = [];
  private attached: Master | undefined;
  private readonly seenCounts = new Map<string, { finished: number; missed: number }>();

  private constructor(readonly world: SimulationWorld) {}

  static async create(options: WorldOptions): Promise<JobsSimulation> {
    const world = await SimulationWorld.create({ trace: false, invariants: false, ...options });
    const simulation = new JobsSimulation(world);
    simulation.attach();
    return simulation;
  }

  get now(): number {
    return this.world.now;
  }

  get master(): Master | undefined {
    return this.world.master;
  }

  /** Called after every round of the live master, with the wall time it ran at. */
  onRound(listener: (master: Master, wallMs: number) => void): void {
    this.roundListeners.push(listener);
  }

  /** POST /v1/jobs through the real JobService; its tasks behave as `behaviour`. */
  async createJob(json: Record<string, unknown>, behaviour: TaskBehaviour): Promise<string> {
    const id = String(json.id);
    this.world.setBehaviour(`job:${id}`, behaviour);
    await this.world.requireMaster().jobs.create(json);
    this.world.record(`job ${id} created`);
    return id;
  }

  setJobBehaviour(jobId: string, behaviour: TaskBehaviour): void {
    this.world.setBehaviour(`job:${jobId}`, behaviour);
  }

  async advance(durationMs: number): Promise<void> {
    await this.world.advance(durationMs);
  }

  async advanceUntil(
    condition: () => boolean,
    options: { timeoutMs: number; stepMs?: number },
  ): Promise<boolean> {
    return this.world.advanceUntil(condition, options);
  }

  /** kill -9 of the master, `downMs` of nothing, a new master from the same store. */
  async restartMaster(downMs = 0): Promise<void> {
    if (this.attached && this.world.master === this.attached) this.observe(this.attached);
    await this.world.restartMaster(downMs);
    this.attach();
  }

  /**
   * Steps the wall clock by `deltaMs` (an NTP step): monotonic time does not move, and timers,
   * which follow monotonic time as a real process's do, neither fire nor wait because of it.
   * The master is woken so that a round sees the new wall time at once.
   */
  jumpWallClock(deltaMs: number): void {
    this.world.clock.jumpWallClock(deltaMs);
    this.world.record(`wall clock jump ${deltaMs} ms`);
    this.world.master?.wake();
  }

  /**
   * Moves the wall clock forward to `targetMs` in one step when nothing is due before it and no
   * run is active. Monotonic time stays, so agents do not look silent and no timer fires: the
   * skip costs nothing instead of a few timer firings per simulated second.
   * To the master this is a forward NTP step over a stretch with no due time, which the
   * scheduler must treat exactly like time passing (the caller guarantees nothing falls due in
   * between, by the reference's expectations and by the master's own cursors).
   */
  async skipQuietStretch(targetMs: number): Promise<void> {
    if (targetMs <= this.now) return;
    this.world.clock.jumpWallClock(targetMs - this.now);
    await this.world.advance(0);
  }

  /** The earliest schedule cursor of the live master (undefined when none or no master). */
  earliestCursorMs(): number | undefined {
    const master = this.world.master;
    if (!master) return undefined;
    let earliest: number | undefined;
    for (const schedules of master.state.jobs.schedules.values()) {
      for (const record of schedules.values()) {
        if (
          record.cursorMs !== undefined &&
          record.schedule.enabled &&
          (earliest === undefined || record.cursorMs < earliest)
        )
          earliest = record.cursorMs;
      }
    }
    return earliest;
  }

  activeRunCount(): number {
    return this.world.master?.state.jobs.runs.size ?? 0;
  }

  /** Reads the live master's runs and histories now (also done after every round). */
  observeNow(): void {
    const master = this.world.master;
    if (master) this.observe(master);
  }

  runsOf(jobId: string): ObservedRun[] {
    return [...this.runs.values()]
      .filter((run) => run.jobId === jobId)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  missedOf(jobId: string): ObservedMissed[] {
    return this.missed.filter((entry) => entry.jobId === jobId);
  }

  private attach(): void {
    const master = this.world.master;
    if (!master || master === this.attached) return;
    this.attached = master;
    master.rounds.on('round', () => {
      if (this.world.master !== master) return;
      this.observe(master);
      const wallMs = this.world.now;
      for (const listener of this.roundListeners) listener(master, wallMs);
    });
  }

  private recordRun(run: Pick<RunRecord, 'id' | 'jobId' | 'createdAt' | 'trigger'>): void {
    if (this.runs.has(run.id)) return;
    const trigger = run.trigger;
    this.runs.set(run.id, {
      id: run.id,
      jobId: run.jobId,
      scheduleId: trigger.kind === 'schedule' ? trigger.scheduleId : undefined,
      dueAt: trigger.kind === 'schedule' ? trigger.dueAt : undefined,
      createdAt: run.createdAt,
      triggerKind: trigger.kind,
    });
  }

  private observe(master: Master): void {
    const jobs = master.state.jobs;
    for (const run of jobs.runs.values()) this.recordRun(run);
    for (const [jobId, history] of jobs.histories) {
      const seen = this.seenCounts.get(jobId) ?? { finished: 0, missed: 0 };
      const finished = history.successCount + history.failureCount;
      if (finished !== seen.finished) {
        for (const list of [history.successfulFinishedRuns, history.failedFinishedRuns]) {
          for (const summary of list) {
            if (this.runs.has(summary.id)) break;
            this.historyOnlyRuns++;
            this.recordRun({
              id: summary.id,
              jobId,
              createdAt: summary.createdAt,
              trigger: summary.trigger,
            });
          }
        }
      }
      if (history.missedCount > seen.missed) {
        const added = history.missedCount - seen.missed;
        const listed = history.missedRuns.slice(0, added);
        this.unlistedMissed += added - listed.length;
        for (const entry of listed.reverse())
          this.missed.push({
            jobId,
            scheduleId: entry.scheduleId,
            dueAt: entry.dueAt,
            reason: entry.reason,
          });
      }
      this.seenCounts.set(jobId, { finished, missed: history.missedCount });
    }
  }
}
