/**
 * The app ids a deployment event (deployment_info, deployment_success, deployment_failed,
 * deployment_step_success, deployment_step_failure) is about. Marathon puts the original and
 * target groups in `plan`, and the step's actions name their app; all are read defensively.
 */
export function appIdsOfDeploymentEvent(event: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  const addApps = (group: unknown): void => {
    const apps = (group as { apps?: unknown } | null | undefined)?.apps;
    if (!Array.isArray(apps)) return;
    for (const app of apps as unknown[]) {
      const id = (app as { id?: unknown } | null)?.id;
      if (typeof id === 'string') ids.add(id);
    }
  };
  const addActions = (step: unknown): void => {
    const actions = (step as { actions?: unknown } | null | undefined)?.actions;
    if (!Array.isArray(actions)) return;
    for (const action of actions as unknown[]) {
      const app = (action as { app?: unknown } | null)?.app;
      if (typeof app === 'string') ids.add(app);
    }
  };
  const plan = event.plan as { original?: unknown; target?: unknown; steps?: unknown } | undefined;
  if (typeof plan === 'object' && plan !== null) {
    addApps(plan.original);
    addApps(plan.target);
    if (Array.isArray(plan.steps)) for (const step of plan.steps as unknown[]) addActions(step);
  }
  addActions(event.currentStep);
  return ids;
}
