export * from './core/resources.js';
export * from './core/task-state.js';
export * from './core/health.js';
export * from './core/constraints.js';
export * from './core/placement-types.js';
export * from './core/protocol.js';
export type { Executor } from './agent/executor.js';
export * from './core/placement.js';
export * from './core/placement-ledger.js';
export * from './core/constraint-parse.js';
export { constraintKey, fieldValue } from './core/constraint-eval.js';
export { startMaster, type RunningMaster, type StartMasterOptions } from './master/start-master.js';
export { masterSettingsSchema } from './master/settings-schema.js';
export { Master, type MasterOptions } from './master/master.js';
export {
  MemoryStateStore,
  type StateStore,
  type StoreOperation,
} from './master/store/state-store.js';
export { FileStateStore } from './master/store/file-store.js';
export { MasterErrors } from './master/master-errors.js';
export { startAgent, type StartAgentOptions, type StartedAgent } from './agent/start-agent.js';
export type { AppDefinition } from './core/app-definition.js';
export { Agent, type AgentOptions, type AgentInfo } from './agent/agent.js';
export { ProcessExecutor, type ProcessExecutorOptions } from './agent/process-executor.js';
export { HttpMasterLink, HttpAgentLink, type HttpLinkOptions } from './agent/http-master-link.js';
export { AgentErrors } from './agent/agent-errors.js';
export { detectResources } from './agent/detect-resources.js';
export { createAgentRouter, addAgentRoutes, type AgentRouterOptions } from './agent/http-api.js';
export { loadAgentId } from './agent/agent-id.js';
export { defaultMasterSettings, type MasterSettings } from './master/context.js';
export {
  SimulationWorld,
  SimulationFailure,
  defaultAgentResources,
  type WorldOptions,
} from './sim/world.js';
export {
  runScenario,
  defaultFaultWeights,
  type ScenarioOptions,
  type ScenarioReport,
  type FaultWeights,
} from './sim/scenario.js';
export { InvariantMonitor, type FailoverMeasurement, type KnownIssue } from './sim/invariants.js';
export { SimNetwork, defaultNetworkOptions, type NetworkOptions } from './sim/sim-network.js';
export { SimExecutor } from './sim/sim-executor.js';
export {
  SimHost,
  defaultProcessTiming,
  type TaskBehaviour,
  type ProcessTiming,
} from './sim/sim-host.js';
export { ProcessClock } from './sim/process-clock.js';
export { Trace, deriveSeed } from './sim/trace.js';
export { JobsSimulation, type ObservedRun, type ObservedMissed } from './sim/jobs-world.js';
export { randomCron, simulationTimeZones } from './sim/jobs-cron.js';
export {
  parseSchedule,
  nextDueTime,
  dueTimesBetween,
  type ParsedSchedule,
} from './core/jobs/schedule.js';
export { expectedDueTimes, type ReferenceCron } from './sim/jobs-oracle.js';
export { runJobsYear, type JobsYearOptions, type JobsYearReport } from './sim/jobs-scenario.js';
export type { MarathonEventType, MarathonEvent } from './master/events.js';
