import type { Router } from '@exosphere/common';
import { isActive } from '../../core/task-state.js';
import type { Master } from '../master.js';
import { MasterErrors } from '../master-errors.js';
import { resolvePathId } from '../../core/path-id.js';
import { appView } from './app-view.js';

/**
 * Marathon's /v2/queue: apps waiting for launches. Besides Marathon's fields
 * (count, delay, processedOffersSummary) each entry carries `placement`: for every agent
 * considered, which resource or constraint refused the instance.
 */
export function addQueueRoutes(router: Router, master: Master): void {
  const { state, clock } = master.context;

  router.get('/v2/queue', () => {
    const now = clock.now();
    const queue = [];
    for (const app of state.apps.values()) {
      const runtime = state.runtime.get(app.id);
      const active = state
        .tasksOfApp(app.id)
        .filter((t) => isActive(t.state) && t.killRequestedAt === undefined).length;
      const count = Math.max(0, app.instances - active);
      if (count === 0 && !runtime?.placement) continue;
      const diagnosis = runtime?.placement?.diagnosis;
      const timeLeftMs = Math.max(0, (runtime?.launchDelayUntil ?? 0) - now);
      queue.push({
        app: appView(state, app, new Set(), now),
        count,
        delay: {
          timeLeftSeconds: Math.ceil(timeLeftMs / 1000),
          overdue: timeLeftMs === 0 && count > 0,
        },
        since: new Date(runtime?.waitingSince ?? now).toISOString(),
        processedOffersSummary: {
          processedOffersCount: diagnosis?.agentsConsidered ?? 0,
          unusedOffersCount: diagnosis ? diagnosis.agents.length : 0,
          rejectSummaryLastOffers: Object.entries(diagnosis?.rejections ?? {}).map(
            ([reason, declined]) => ({
              reason,
              declined,
              processed: diagnosis?.agentsConsidered ?? 0,
            }),
          ),
        },
        ...(diagnosis
          ? {
              placement: {
                unplaced: runtime.placement!.unplaced,
                at: new Date(runtime.placement!.at).toISOString(),
                agentsConsidered: diagnosis.agentsConsidered,
                rejections: diagnosis.rejections,
                constraintRejections: diagnosis.constraintRejections,
                agents: diagnosis.agents,
              },
            }
          : {}),
      });
    }
    return { body: { queue } };
  });

  router.delete('/v2/queue/*path', ({ params }) => {
    const path = params.path!;
    if (!path.endsWith('/delay'))
      throw MasterErrors.create('EXO_APP_NOT_FOUND', 'expected /v2/queue/{appId}/delay');
    const id = resolvePathId(path.slice(0, -'/delay'.length));
    master.apps.require(id);
    const runtime = state.runtimeOf(id);
    runtime.launchDelayUntil = 0;
    runtime.consecutiveFailures = 0;
    master.wake();
    return { status: 204 };
  });
}
