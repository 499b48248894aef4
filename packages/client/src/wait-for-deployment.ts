import { ClientError } from './client-error.js';
import type { HttpTransport } from './http.js';
import { idPath } from './query.js';
import type { App } from './types/app.js';
import type { Deployment, DeploymentAction } from './types/deployment.js';

/** How one app of the current step is doing. */
export interface AppProgress {
  readonly id: string;
  readonly instances: number;
  readonly running: number;
  readonly staged: number;
  /** Undefined when the app has no health checks (then "healthy" means nothing). */
  readonly healthy: number | undefined;
}

export interface DeploymentProgress {
  readonly deploymentId: string;
  /** 1-based; equals totalSteps once done. */
  readonly currentStep: number;
  readonly totalSteps: number;
  readonly actions: readonly DeploymentAction[];
  /** The apps of the current step (apps being removed are left out). */
  readonly apps: readonly AppProgress[];
  /** True in the last report, once the deployment has left /v2/deployments. */
  readonly done: boolean;
}

export interface WaitForDeploymentOptions {
  /** Give up (EXO_CLIENT_TIMEOUT) after this long; default 300 s. The deployment goes on. */
  readonly timeoutMs?: number;
  /** Default 250 ms. */
  readonly pollIntervalMs?: number;
  /**
   * The apps the deployment changes, reported at the end when the deployment ended before any
   * poll saw it (otherwise the apps of its last seen step are).
   */
  readonly appIds?: readonly string[];
  /** Called after every poll; compare with the previous report to print only changes. */
  readonly onProgress?: (progress: DeploymentProgress) => void;
  readonly signal?: AbortSignal;
}

export interface DeploymentOutcome {
  readonly deploymentId: string;
  readonly elapsedMs: number;
}

/**
 * Polls /v2/deployments until the deployment is no longer listed, which is how Marathon
 * says it ended. Polling rather than the event stream keeps this working through proxies
 * that buffer server-sent events, and a missed event cannot make it wait forever.
 */
export async function waitForDeployment(
  http: HttpTransport,
  deploymentId: string,
  options: WaitForDeploymentOptions = {},
): Promise<DeploymentOutcome> {
  const startedAt = Date.now();
  const timeoutMs = options.timeoutMs ?? 300_000;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  let last: DeploymentProgress | undefined;
  for (;;) {
    const deployments = await http.json<Deployment[]>({
      path: 'v2/deployments',
      signal: options.signal,
    });
    const deployment = deployments.find((d) => d.id === deploymentId);
    if (!deployment) {
      const ids = last?.apps.map((a) => a.id) ?? options.appIds ?? [];
      const apps = await appProgress(http, ids, options.signal);
      const total = last?.totalSteps ?? 0;
      options.onProgress?.({
        deploymentId,
        currentStep: total,
        totalSteps: total,
        actions: last?.actions ?? [],
        apps,
        done: true,
      });
      return { deploymentId, elapsedMs: Date.now() - startedAt };
    }
    const actions = deployment.currentActions.map(({ action, app }) => ({ action, app }));
    const ids = actions.filter((a) => a.action !== 'StopApplication').map((a) => a.app);
    last = {
      deploymentId,
      currentStep: deployment.currentStep,
      totalSteps: deployment.totalSteps,
      actions,
      apps: await appProgress(http, ids, options.signal),
      done: false,
    };
    options.onProgress?.(last);
    const elapsedMs = Date.now() - startedAt;
    if (elapsedMs >= timeoutMs) {
      throw new ClientError(
        'EXO_CLIENT_TIMEOUT',
        0,
        `deployment ${deploymentId} did not finish within ${timeoutMs / 1000} s (at step ${last.currentStep}/${last.totalSteps}); it continues on the master`,
        { data: { deploymentId, currentStep: last.currentStep, totalSteps: last.totalSteps } },
      );
    }
    await delay(Math.min(pollIntervalMs, timeoutMs - elapsedMs), options.signal);
  }
}

async function appProgress(
  http: HttpTransport,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<AppProgress[]> {
  const apps = await Promise.all(
    ids.map(async (id) => {
      try {
        return (await http.json<{ app: App }>({ path: `v2/apps/${idPath(id)}`, signal })).app;
      } catch (error) {
        // A removed app has no counts left to report.
        if (error instanceof ClientError && error.status === 404) return undefined;
        throw error;
      }
    }),
  );
  return apps
    .filter((app): app is App => app !== undefined)
    .map((app) => ({
      id: app.id,
      instances: app.instances,
      running: app.tasksRunning,
      staged: app.tasksStaged,
      healthy: app.healthChecks.length > 0 ? app.tasksHealthy : undefined,
    }));
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
