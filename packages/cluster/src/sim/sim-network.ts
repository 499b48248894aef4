import type { Random, VirtualClock } from '@exosphere/common';
import type {
  AgentLink,
  HeartbeatRequest,
  HeartbeatResponse,
  MasterLink,
  RegisterRequest,
  RegisterResponse,
  TaskLaunchSpec,
} from '../core/protocol.js';
import type { ProcessClock } from './process-clock.js';
import type { Trace } from './trace.js';

export interface NetworkOptions {
  /** One-way delay of each message, drawn uniformly from [minimum, maximum]. */
  readonly delayMsMinimum: number;
  readonly delayMsMaximum: number;
  /** Probability that one message (request or reply) is lost. */
  readonly dropProbability: number;
  /** A sender whose request or reply was lost sees a rejection this long after sending. */
  readonly timeoutMs: number;
  /** Deep-copies every message, as serialisation would; the benchmark turns it off. */
  readonly copyMessages: boolean;
}

export const defaultNetworkOptions: NetworkOptions = {
  delayMsMinimum: 1,
  delayMsMaximum: 20,
  dropProbability: 0,
  timeoutMs: 1000,
  copyMessages: true,
};

/** What the master serves to agents. */
export interface MasterEndpoint {
  register(request: RegisterRequest): Promise<RegisterResponse>;
  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResponse>;
}

/** What an agent serves to the master. */
export interface AgentEndpoint {
  launch(specs: readonly TaskLaunchSpec[]): Promise<void>;
  kill(kills: readonly { taskId: string; gracePeriodMs: number }[]): void;
}

interface Attached<T> {
  readonly handler: T;
  readonly process: ProcessClock;
}

export class SimNetworkError extends Error {
  readonly code = 'EXO_SIM_NETWORK_TIMEOUT';
}

const masterName = 'master';
const urlPrefix = 'sim://';

/**
 * The network between the master and the agents. Every request and every reply is a separate
 * message with its own random delay and its own chance of being lost; a partition loses every
 * message to or from the agent while it lasts. A sender never learns why a message was lost: it
 * sees a timeout, as with HTTP. Delivery runs inside the receiving process (see ProcessClock), so
 * a paused receiver handles the message late and a dead one never does.
 */
export class SimNetwork {
  readonly options: NetworkOptions;
  private master: Attached<MasterEndpoint> | undefined;
  private readonly agents = new Map<string, Attached<AgentEndpoint>>();
  private readonly partitionedUntil = new Map<string, number>();
  /** Last time a message to or from each agent was lost (the invariants discount those periods). */
  private readonly lastLossAt = new Map<string, number>();
  private sequence = 0;

  constructor(
    private readonly world: { clock: VirtualClock; random: Random; trace: Trace },
    options: Partial<NetworkOptions> = {},
  ) {
    this.options = { ...defaultNetworkOptions, ...options };
  }

  attachMaster(handler: MasterEndpoint, process: ProcessClock): void {
    this.master = { handler, process };
  }

  detachMaster(): void {
    this.master = undefined;
  }

  attachAgent(name: string, handler: AgentEndpoint, process: ProcessClock): void {
    this.agents.set(name, { handler, process });
  }

  detachAgent(name: string): void {
    this.agents.delete(name);
  }

  /** Cuts `name` off from the master, both ways, for `durationMs`. */
  partition(name: string, durationMs: number): void {
    const until = this.world.clock.now() + durationMs;
    this.partitionedUntil.set(name, Math.max(this.partitionedUntil.get(name) ?? 0, until));
    this.lastLossAt.set(name, Math.max(this.lastLossAt.get(name) ?? 0, until));
  }

  isPartitioned(name: string): boolean {
    const until = this.partitionedUntil.get(name);
    return until !== undefined && this.world.clock.now() < until;
  }

  lastLossOf(name: string): number | undefined {
    return this.lastLossAt.get(name);
  }

  /** The link one agent process uses; replies reach only that process. */
  masterLinkFor(name: string, process: ProcessClock): MasterLink {
    return {
      register: (request) =>
        this.call(
          { from: name, to: masterName, kind: 'register', request, sender: process },
          (request) => {
            const master = this.master;
            return (
              master && { process: master.process, run: () => master.handler.register(request) }
            );
          },
        ),
      heartbeat: (request) =>
        this.call(
          { from: name, to: masterName, kind: 'heartbeat', request, sender: process },
          (request) => {
            const master = this.master;
            return (
              master && { process: master.process, run: () => master.handler.heartbeat(request) }
            );
          },
        ),
    };
  }

  /** The link a master process uses to reach agents at `sim://<name>`. */
  agentLinkFor(process: ProcessClock): AgentLink {
    return {
      launch: (agentUrl, tasks) => {
        const name = agentNameOf(agentUrl);
        return this.call(
          { from: masterName, to: name, kind: 'launch', request: tasks, sender: process },
          (tasks) => {
            const agent = this.agents.get(name);
            return agent && { process: agent.process, run: () => agent.handler.launch(tasks) };
          },
        );
      },
      kill: (agentUrl, kills) => {
        const name = agentNameOf(agentUrl);
        return this.call(
          { from: masterName, to: name, kind: 'kill', request: kills, sender: process },
          (kills) => {
            const agent = this.agents.get(name);
            return (
              agent && {
                process: agent.process,
                run: () => Promise.resolve(agent.handler.kill(kills)),
              }
            );
          },
        );
      },
    };
  }

  /**
   * Sends one request and its reply as two messages. `target` is looked up at delivery time,
   * so a request sent before a master restart reaches the new master (or nobody).
   */
  private call<Request, Response>(
    message: { from: string; to: string; kind: string; request: Request; sender: ProcessClock },
    target: (
      request: Request,
    ) => { process: ProcessClock; run: () => Promise<Response> } | undefined,
  ): Promise<Response> {
    const { clock, trace } = this.world;
    const id = ++this.sequence;
    const label = `${message.kind}#${id} ${message.from}->${message.to}`;
    if (trace.enabled)
      trace.record(clock.now(), `send ${label} ${JSON.stringify(message.request)}`);
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const timeout = message.sender.setTimer(this.options.timeoutMs, () => {
        if (settled) return;
        settled = true;
        trace.record(clock.now(), `timeout ${label}`);
        reject(new SimNetworkError(`${label} timed out after ${this.options.timeoutMs} ms`));
      });
      const settle = (outcome: () => void): void => {
        message.sender.run(() => {
          if (settled) return;
          settled = true;
          timeout.cancel();
          outcome();
        });
      };
      const reply = (outcome: () => void, what: string): void => {
        this.transmit({ from: message.to, to: message.from, label: `${what} ${label}` }, () =>
          settle(outcome),
        );
      };
      this.transmit({ from: message.from, to: message.to, label }, () => {
        const receiver = target(this.copy(message.request));
        // A message no live process takes (the master is down) is lost to its sender, as a
        // dropped one is: invariants that discount lost heartbeats discount it too.
        if (!receiver) {
          this.noteLoss(message);
          trace.record(clock.now(), `unreachable ${label}`);
          return;
        }
        const delivered = receiver.process.run(() => {
          trace.record(clock.now(), `deliver ${label}`);
          receiver.run().then(
            (response) => reply(() => resolve(this.copy(response)), 'reply'),
            (error: unknown) =>
              reply(
                () => reject(error instanceof Error ? error : new Error(String(error))),
                'error',
              ),
          );
        });
        if (!delivered) {
          this.noteLoss(message);
          trace.record(clock.now(), `dead ${label}`);
        }
      });
    });
  }

  /** One message: lost at once (drop or partition), or delivered after a delay unless cut meanwhile. */
  private transmit(
    message: { from: string; to: string; label: string },
    deliver: () => void,
  ): void {
    const { clock, random, trace } = this.world;
    if (
      this.lost(message) ||
      (this.options.dropProbability > 0 && random.next() < this.options.dropProbability)
    ) {
      this.noteLoss(message);
      trace.record(clock.now(), `drop ${message.label}`);
      return;
    }
    const { delayMsMinimum, delayMsMaximum } = this.options;
    const delayMs = delayMsMinimum + random.int(delayMsMaximum - delayMsMinimum + 1);
    clock.setTimer(delayMs, () => {
      if (this.lost(message)) {
        this.noteLoss(message);
        trace.record(clock.now(), `cut ${message.label}`);
        return;
      }
      deliver();
    });
  }

  private lost(message: { from: string; to: string }): boolean {
    return this.isPartitioned(message.from) || this.isPartitioned(message.to);
  }

  private noteLoss(message: { from: string; to: string }): void {
    const agent = message.from === masterName ? message.to : message.from;
    this.lastLossAt.set(agent, Math.max(this.lastLossAt.get(agent) ?? 0, this.world.clock.now()));
  }

  private copy<T>(value: T): T {
    return this.options.copyMessages && value !== undefined
      ? (JSON.parse(JSON.stringify(value)) as T)
      : value;
  }
}

export function agentUrl(name: string): string {
  return `${urlPrefix}${name}`;
}

function agentNameOf(url: string): string {
  return url.startsWith(urlPrefix) ? url.slice(urlPrefix.length) : url;
}
