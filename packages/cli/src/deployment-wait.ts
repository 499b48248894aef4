import {
  ClientError,
  type DeploymentProgress,
  type DeploymentResult,
  type ExosphereClient,
} from '@exosphere/client';
import { UsageError } from './command.js';
import { printJson, shortId } from './output.js';

export interface DeploymentOutputOptions {
  /** Print the API's answer as JSON on stdout; progress then goes to stderr. */
  readonly json: boolean;
  readonly wait: boolean;
  readonly timeoutMs: number;
}

/** Reads --no-wait and --timeout-s (default 300 s). */
export function deploymentOutputOptions(values: {
  readonly json?: boolean | undefined;
  readonly 'no-wait'?: boolean | undefined;
  readonly 'timeout-s'?: string | undefined;
}): DeploymentOutputOptions {
  const text = values['timeout-s'];
  const seconds = text === undefined ? 300 : Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--timeout-s must be a positive number of seconds, got '${text}'`);
  return {
    json: values.json ?? false,
    wait: !(values['no-wait'] ?? false),
    timeoutMs: seconds * 1000,
  };
}

/**
 * Reports a write that started a deployment and, unless --no-wait, waits for it, printing a
 * line whenever the step or the task counts change. A timeout leaves the deployment running
 * on the master and says how to look at it or roll it back.
 */
export async function followDeployment(
  client: ExosphereClient,
  result: DeploymentResult & {
    readonly raw: unknown;
    readonly subject: string;
    /** The apps it changes, for the final line when it ends before the first poll. */
    readonly apps?: readonly string[];
  },
  options: DeploymentOutputOptions,
): Promise<number> {
  const say = options.json
    ? (line: string) => console.error(line)
    : (line: string) => console.log(line);
  if (options.json) printJson(result.raw);
  else
    say(`${result.subject}: deployment ${result.deploymentId} started (version ${result.version})`);
  if (!options.wait) return 0;
  let previous = '';
  try {
    await client.waitForDeployment(result.deploymentId, {
      timeoutMs: options.timeoutMs,
      ...(result.apps !== undefined ? { appIds: result.apps } : {}),
      onProgress(progress) {
        const line = progressLine(progress);
        if (line !== previous) say(line);
        previous = line;
      },
    });
  } catch (error) {
    if (
      error instanceof ClientError &&
      error.code === 'EXO_CLIENT_TIMEOUT' &&
      error.data?.deploymentId !== undefined
    ) {
      throw new ClientError(
        error.code,
        error.status,
        `${error.message}. See it with 'exo deployment list'; roll it back with 'exo deployment rollback ${result.deploymentId}'`,
        { data: { ...error.data } },
      );
    }
    throw error;
  }
  return 0;
}

/** "deployment 3f2a1b2c…: step 1/1 ScaleApplication /web — 2/3 running, 2/3 healthy". */
export function progressLine(progress: DeploymentProgress): string {
  const prefix = `deployment ${shortId(progress.deploymentId)}:`;
  const counts = progress.apps.map((app) => {
    const healthy = app.healthy === undefined ? '' : `, ${app.healthy}/${app.instances} healthy`;
    return { id: app.id, text: `${app.running}/${app.instances} running${healthy}` };
  });
  if (progress.done) {
    const summary = counts.map((c) => `${c.id} ${c.text}`).join('; ');
    return `${prefix} done${summary ? ` — ${summary}` : ''}`;
  }
  const actions = progress.actions.map((action) => {
    const count = counts.find((c) => c.id === action.app);
    return `${action.action} ${action.app}${count ? ` — ${count.text}` : ''}`;
  });
  return `${prefix} step ${progress.currentStep}/${progress.totalSteps} ${actions.join('; ')}`;
}
