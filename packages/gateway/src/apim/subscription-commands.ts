import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Catalog } from './catalog.js';
import { ApimErrors } from './errors.js';
import {
  catalogLimits,
  subscriptionStates,
  tierNameSchema,
  type CatalogData,
  type SubscriptionRecord,
} from './model.js';

export const subscriptionInputSchema = z.strictObject({
  applicationId: z.string().min(1).max(64),
  apiId: z.string().min(1).max(64),
  /** One of the API's tiers; its first tier when absent. */
  tier: tierNameSchema.optional(),
});

export const subscriptionChangeSchema = z
  .strictObject({
    state: z.enum(subscriptionStates).optional(),
    tier: tierNameSchema.optional(),
  })
  .refine((change) => change.state !== undefined || change.tier !== undefined, {
    message: 'give state and/or tier',
  });

/**
 * Subscribes an application to an API. Only a PUBLISHED API takes new subscriptions: a
 * DEPRECATED one keeps serving its subscribers but takes no new ones (WSO2's rule).
 */
export function createSubscription(options: {
  catalog: Catalog;
  input: z.output<typeof subscriptionInputSchema>;
}): Promise<SubscriptionRecord> {
  const { input } = options;
  return options.catalog.commit((draft, now) => {
    if (draft.subscriptions.length >= catalogLimits.subscriptions)
      throw ApimErrors.create(
        'EXO_GATEWAY_APIM_INVALID',
        `at most ${catalogLimits.subscriptions} subscriptions`,
      );
    const api = draft.apis.find((candidate) => candidate.id === input.apiId);
    if (api === undefined)
      throw ApimErrors.create('EXO_GATEWAY_API_NOT_FOUND', `no API with id ${input.apiId}`);
    if (!draft.applications.some((application) => application.id === input.applicationId))
      throw ApimErrors.create(
        'EXO_GATEWAY_APPLICATION_NOT_FOUND',
        `no application with id ${input.applicationId}`,
      );
    if (api.state !== 'PUBLISHED')
      throw ApimErrors.create(
        'EXO_GATEWAY_SUBSCRIPTION_NOT_ALLOWED',
        `API ${api.name} ${api.version} is ${api.state}; only PUBLISHED APIs take new subscriptions`,
        { data: { state: api.state } },
      );
    const tier = input.tier ?? api.tiers[0]!;
    if (!api.tiers.includes(tier))
      throw ApimErrors.create(
        'EXO_GATEWAY_SUBSCRIPTION_NOT_ALLOWED',
        `API ${api.name} ${api.version} offers the tiers ${api.tiers.join(', ')}, not ${tier}`,
        { data: { tiers: api.tiers } },
      );
    const existing = draft.subscriptions.find(
      (other) => other.applicationId === input.applicationId && other.apiId === input.apiId,
    );
    if (existing !== undefined)
      throw ApimErrors.create(
        'EXO_GATEWAY_SUBSCRIPTION_EXISTS',
        `the application is already subscribed to API ${api.name} ${api.version}`,
        { data: { id: existing.id } },
      );
    const subscription: SubscriptionRecord = {
      id: randomUUID(),
      applicationId: input.applicationId,
      apiId: input.apiId,
      tier,
      state: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
    };
    draft.subscriptions.push(subscription);
    return subscription;
  });
}

/** Blocks, unblocks (ACTIVE), holds a subscription, or changes its tier within the API's. */
export function changeSubscription(options: {
  catalog: Catalog;
  id: string;
  change: z.output<typeof subscriptionChangeSchema>;
}): Promise<SubscriptionRecord> {
  return options.catalog.commit((draft, now) => {
    const index = indexOfSubscription(draft, options.id);
    const subscription = draft.subscriptions[index]!;
    const { tier, state } = options.change;
    if (tier !== undefined) {
      const api = draft.apis.find((candidate) => candidate.id === subscription.apiId);
      if (api !== undefined && !api.tiers.includes(tier))
        throw ApimErrors.create(
          'EXO_GATEWAY_SUBSCRIPTION_NOT_ALLOWED',
          `API ${api.name} ${api.version} offers the tiers ${api.tiers.join(', ')}, not ${tier}`,
          { data: { tiers: api.tiers } },
        );
    }
    const next: SubscriptionRecord = {
      ...subscription,
      ...(tier === undefined ? {} : { tier }),
      ...(state === undefined ? {} : { state }),
      updatedAt: now,
    };
    draft.subscriptions[index] = next;
    return next;
  });
}

export function deleteSubscription(catalog: Catalog, id: string): Promise<void> {
  return catalog.commit((draft) => {
    draft.subscriptions.splice(indexOfSubscription(draft, id), 1);
  });
}

export function findSubscription(catalog: Catalog, id: string): SubscriptionRecord {
  const subscription = catalog.index.subscriptions.get(id);
  if (subscription === undefined)
    throw ApimErrors.create('EXO_GATEWAY_SUBSCRIPTION_NOT_FOUND', `no subscription with id ${id}`);
  return subscription;
}

function indexOfSubscription(draft: CatalogData, id: string): number {
  const index = draft.subscriptions.findIndex((subscription) => subscription.id === id);
  if (index < 0)
    throw ApimErrors.create('EXO_GATEWAY_SUBSCRIPTION_NOT_FOUND', `no subscription with id ${id}`);
  return index;
}
