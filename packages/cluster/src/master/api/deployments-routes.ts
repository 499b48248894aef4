import type { Router } from '@exosphere/common';
import { cancelDeployment } from '../deployments.js';
import { deploymentJson } from '../json/deployment-json.js';
import type { Master } from '../master.js';
import { flag } from './query.js';

/** Marathon's /v2/deployments: list, and DELETE to roll back (or, with force, just stop). */
export function addDeploymentRoutes(router: Router, master: Master): void {
  router.get('/v2/deployments', () => ({
    body: [...master.state.deployments.values()]
      .sort((a, b) => a.startedAt - b.startedAt)
      .map(deploymentJson),
  }));

  router.delete('/v2/deployments/:id', async ({ params, query }) => {
    const force = flag(query, 'force');
    const result = await cancelDeployment(master.context, params.id!, {
      force,
      version: master.apps.nextVersion(),
    });
    if (!result) return { status: 202 };
    return { body: result, headers: { 'marathon-deployment-id': result.deploymentId } };
  });
}
