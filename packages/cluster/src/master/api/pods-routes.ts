import type { Router } from '@exosphere/common';
import { MasterErrors } from '../master-errors.js';

/**
 * Marathon's pods API (/v2/pods). A pod is a group of containers sharing a network namespace;
 * tasks here run as processes, so there are never any pods: listing answers an empty list (as
 * a Marathon without pods does, and tools probe pod support with HEAD /v2/pods), one pod is
 * not found, and creating or replacing one is refused with Marathon's error shape.
 */
export function addPodRoutes(router: Router): void {
  router.get('/v2/pods', () => ({ body: [] }));
  router.get('/v2/pods/*path', ({ params }) => {
    // `/v2/pods/::status` is the status of every pod.
    if (params.path === '::status') return { body: [] };
    throw notFound(params.path ?? '');
  });
  router.delete('/v2/pods/*path', ({ params }) => {
    throw notFound(params.path ?? '');
  });
  const refuse = (): never => {
    throw MasterErrors.create('EXO_POD_UNSUPPORTED', 'Object is not valid', {
      details: [
        {
          path: '/containers',
          errors: [
            'pods need containers, which are not supported: run each process as an app in a group',
          ],
        },
      ],
    });
  };
  router.post('/v2/pods', refuse);
  router.put('/v2/pods/*path', refuse);
}

function notFound(path: string): Error {
  const id = `/${path.replace(/::status$/, '').replace(/^\/+/, '')}`;
  return MasterErrors.create('EXO_POD_NOT_FOUND', `Pod '${id}' does not exist`);
}
