import { CommonErrors, type Router } from '@exosphere/common';
import type { EventCallbacks } from '../event-callbacks.js';

/**
 * Marathon's /v2/eventSubscriptions: GET lists the callback URLs (`{"callbackUrls": [...]}`),
 * POST and DELETE with `?callbackUrl=` add or remove one and answer the subscribe_event or
 * unsubscribe_event they publish.
 */
export function addEventSubscriptionRoutes(router: Router, callbacks: EventCallbacks): void {
  router.get('/v2/eventSubscriptions', () => ({ body: { callbackUrls: callbacks.urls } }));
  router.post('/v2/eventSubscriptions', async ({ query, remoteAddress }) => ({
    body: await callbacks.add(callbackUrl(query), remoteAddress),
  }));
  router.delete('/v2/eventSubscriptions', async ({ query, remoteAddress }) => ({
    body: await callbacks.remove(callbackUrl(query), remoteAddress),
  }));
}

/** The `callbackUrl` parameter: an absolute http or https URL. */
function callbackUrl(query: URLSearchParams): string {
  const value = query.get('callbackUrl') ?? '';
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw CommonErrors.create(
      'EXO_VALIDATION_FAILED',
      'callbackUrl must be an absolute http or https URL',
      {
        details: [
          { path: '/callbackUrl', errors: [`'${value}' is not an absolute http or https URL`] },
        ],
      },
    );
  }
  return value;
}
