import type { DeploymentRecord } from '../model.js';
import { appJson } from './app-json.js';

/** Marathon's deployment JSON (GET /v2/deployments). */
export function deploymentJson(deployment: DeploymentRecord): Record<string, unknown> {
  const step = deployment.steps[deployment.currentStep - 1];
  return {
    id: deployment.id,
    version: deployment.version,
    affectedApps: deployment.affectedApps,
    affectedPods: [],
    steps: deployment.steps,
    currentActions: (step?.actions ?? []).map((a) => ({ ...a, readinessCheckResults: [] })),
    currentStep: Math.min(deployment.currentStep, deployment.steps.length),
    totalSteps: deployment.steps.length,
  };
}

/** Marathon's deployment plan (in deployment events): original and target groups. */
export function deploymentPlanJson(deployment: DeploymentRecord): Record<string, unknown> {
  const group = (apps: Record<string, unknown>): Record<string, unknown> => ({
    id: '/',
    apps: Object.values(apps)
      .filter((a) => a !== null)
      .map((a) => appJson(a as never)),
    groups: [],
    dependencies: [],
    version: deployment.version,
  });
  return {
    id: deployment.id,
    version: deployment.version,
    original: group(deployment.originals),
    target: group(deployment.targets),
    steps: deployment.steps,
  };
}
