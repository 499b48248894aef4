export type DeploymentActionName =
  'StartApplication' | 'StopApplication' | 'ScaleApplication' | 'RestartApplication';

export interface DeploymentAction {
  readonly action: DeploymentActionName;
  readonly app: string;
}

/** A deployment in progress (GET /v2/deployments). It disappears from the list when done. */
export interface Deployment {
  readonly id: string;
  readonly version: string;
  readonly affectedApps: readonly string[];
  readonly affectedPods: readonly string[];
  readonly steps: readonly { readonly actions: readonly DeploymentAction[] }[];
  readonly currentActions: readonly (DeploymentAction & {
    readonly readinessCheckResults: readonly unknown[];
  })[];
  /** 1-based. */
  readonly currentStep: number;
  readonly totalSteps: number;
}
