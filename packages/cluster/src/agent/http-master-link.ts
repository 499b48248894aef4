import type {
  AgentLink,
  HeartbeatRequest,
  HeartbeatResponse,
  MasterLink,
  RegisterRequest,
  RegisterResponse,
  TaskLaunchSpec,
} from '../core/protocol.js';
import { AgentErrors } from './agent-errors.js';

const defaultTimeoutMs = 10_000;
/** An error body from a peer is quoted in the message up to this length. */
const errorBodyCharactersMax = 500;

export interface HttpLinkOptions {
  /** The cluster token, sent as `Authorization: Bearer <token>`. */
  readonly token: string;
  /** Per request; a peer that does not answer in time counts as a failure. */
  readonly timeoutMs?: number;
}

/** The master as an agent reaches it over HTTP. */
export class HttpMasterLink implements MasterLink {
  private readonly baseUrl: string;

  constructor(private readonly options: HttpLinkOptions & { readonly masterUrl: string }) {
    this.baseUrl = options.masterUrl.replace(/\/+$/, '');
  }

  async register(request: RegisterRequest): Promise<RegisterResponse> {
    return (await postJson({
      url: `${this.baseUrl}/internal/v1/agents/register`,
      body: request,
      ...this.options,
      failureCode: 'EXO_AGENT_MASTER_REQUEST_FAILED',
    })) as RegisterResponse;
  }

  async heartbeat(request: HeartbeatRequest): Promise<HeartbeatResponse> {
    return (await postJson({
      url: `${this.baseUrl}/internal/v1/agents/${encodeURIComponent(request.agentId)}/heartbeat`,
      body: request,
      ...this.options,
      failureCode: 'EXO_AGENT_MASTER_REQUEST_FAILED',
    })) as HeartbeatResponse;
  }
}

/** Agents as the master reaches them over HTTP. */
export class HttpAgentLink implements AgentLink {
  constructor(private readonly options: HttpLinkOptions) {}

  async launch(agentUrl: string, tasks: readonly TaskLaunchSpec[]): Promise<void> {
    await postJson({
      url: `${agentUrl.replace(/\/+$/, '')}/internal/v1/tasks`,
      body: { tasks },
      ...this.options,
      failureCode: 'EXO_AGENT_AGENT_REQUEST_FAILED',
    });
  }

  async kill(
    agentUrl: string,
    kills: readonly { taskId: string; gracePeriodMs: number }[],
  ): Promise<void> {
    await postJson({
      url: `${agentUrl.replace(/\/+$/, '')}/internal/v1/tasks/kill`,
      body: { kills },
      ...this.options,
      failureCode: 'EXO_AGENT_AGENT_REQUEST_FAILED',
    });
  }
}

/** POSTs JSON with the token and a timeout; a non-2xx answer becomes an ExoError. */
async function postJson(options: {
  readonly url: string;
  readonly body: unknown;
  readonly token: string;
  readonly timeoutMs?: number;
  readonly failureCode: 'EXO_AGENT_MASTER_REQUEST_FAILED' | 'EXO_AGENT_AGENT_REQUEST_FAILED';
}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? defaultTimeoutMs),
    });
  } catch (error) {
    throw AgentErrors.create(
      options.failureCode,
      `POST ${options.url} failed: ${describe(error)}`,
      { cause: error },
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw AgentErrors.create(
      options.failureCode,
      `POST ${options.url} answered ${response.status}: ${text.slice(0, errorBodyCharactersMax)}`,
      { data: { peerStatus: response.status } },
    );
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw AgentErrors.create(options.failureCode, `POST ${options.url} answered invalid JSON`, {
      cause: error,
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
