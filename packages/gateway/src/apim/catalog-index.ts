import { parseSecretHash, type ParsedSecretHash } from '../policies/security/secret-hash.js';
import {
  isCallable,
  type ApiRecord,
  type ApplicationRecord,
  type CatalogData,
  type SubscriptionRecord,
} from './model.js';

export interface IndexedKey {
  readonly id: string;
  readonly application: ApplicationRecord;
  readonly hash: ParsedSecretHash;
  readonly scopes: readonly string[] | undefined;
}

/**
 * Lookups the data plane makes on every call, built once per catalog change: a call costs a
 * few map reads, however many APIs, applications and keys exist.
 */
export class CatalogIndex {
  readonly apis = new Map<string, ApiRecord>();
  readonly applications = new Map<string, ApplicationRecord>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  readonly keys = new Map<string, IndexedKey>();
  private readonly byPair = new Map<string, SubscriptionRecord>();
  private readonly byApplication = new Map<string, SubscriptionRecord[]>();

  constructor(data: CatalogData) {
    for (const api of data.apis) this.apis.set(api.id, api);
    for (const application of data.applications) {
      this.applications.set(application.id, application);
      for (const key of application.keys) {
        const hash = parseSecretHash(key.hash);
        // Keys are stored only by this package, in this form; anything else is a bug.
        if (hash === undefined)
          throw new Error(`invariant violated: key ${key.id} has no valid hash`);
        this.keys.set(key.id, { id: key.id, application, hash, scopes: key.scopes });
      }
    }
    for (const subscription of data.subscriptions) {
      this.subscriptions.set(subscription.id, subscription);
      this.byPair.set(pairKey(subscription.applicationId, subscription.apiId), subscription);
      const list = this.byApplication.get(subscription.applicationId) ?? [];
      list.push(subscription);
      this.byApplication.set(subscription.applicationId, list);
    }
  }

  subscription(applicationId: string, apiId: string): SubscriptionRecord | undefined {
    return this.byPair.get(pairKey(applicationId, apiId));
  }

  subscriptionsOf(applicationId: string): readonly SubscriptionRecord[] {
    return this.byApplication.get(applicationId) ?? [];
  }

  /**
   * The scopes an application may be granted: every scope of every operation of the callable
   * APIs it has an ACTIVE subscription to.
   */
  grantableScopes(applicationId: string): string[] {
    const scopes = new Set<string>();
    for (const subscription of this.subscriptionsOf(applicationId)) {
      if (subscription.state !== 'ACTIVE') continue;
      const api = this.apis.get(subscription.apiId);
      if (api === undefined || !isCallable(api.state)) continue;
      for (const operation of api.operations)
        for (const scope of operation.scopes) scopes.add(scope);
    }
    return [...scopes].sort();
  }
}

function pairKey(applicationId: string, apiId: string): string {
  return `${applicationId}\n${apiId}`;
}
