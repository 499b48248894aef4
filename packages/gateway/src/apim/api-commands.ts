import { ApimErrors } from './errors.js';
import { buildApiRecord, type ResolvedApiInput } from './api-input.js';
import type { Catalog } from './catalog.js';
import type { ApimEnvironment } from './environment.js';
import { allowedActions, applyLifecycleAction, type LifecycleAction } from './lifecycle.js';
import { catalogLimits, type ApiRecord, type CatalogData } from './model.js';

/** Creates an API in state CREATED. */
export function createApi(options: {
  catalog: Catalog;
  environment: ApimEnvironment;
  input: ResolvedApiInput;
  documentPath: string;
}): Promise<ApiRecord> {
  return options.catalog.commit((draft, now) => {
    if (draft.apis.length >= catalogLimits.apis)
      throw ApimErrors.create('EXO_GATEWAY_APIM_INVALID', `at most ${catalogLimits.apis} APIs`);
    const api = buildApiRecord({ ...options, existing: undefined, now });
    assertUnique(draft, api);
    draft.apis.push(api);
    applyDefaultVersion(draft, api);
    return api;
  });
}

/** Replaces the mutable fields of an API (name, version and context stay). */
export function updateApi(options: {
  catalog: Catalog;
  environment: ApimEnvironment;
  id: string;
  input: ResolvedApiInput;
  documentPath: string;
}): Promise<ApiRecord> {
  return options.catalog.commit((draft, now) => {
    const index = indexOfApi(draft, options.id);
    const api = buildApiRecord({ ...options, existing: draft.apis[index], now });
    draft.apis[index] = api;
    applyDefaultVersion(draft, api);
    return api;
  });
}

/**
 * Creates the API a document describes, or updates the API with the same name and version
 * (an import of a newer revision of the same document).
 */
export function importApi(options: {
  catalog: Catalog;
  environment: ApimEnvironment;
  input: ResolvedApiInput;
}): Promise<{ api: ApiRecord; created: boolean }> {
  return options.catalog.commit((draft, now) => {
    const probe = buildApiRecord({ ...options, existing: undefined, now, documentPath: '' });
    const index = draft.apis.findIndex(
      (api) => api.name === probe.name && api.version === probe.version,
    );
    if (index < 0) {
      assertUnique(draft, probe);
      draft.apis.push(probe);
      applyDefaultVersion(draft, probe);
      return { api: probe, created: true };
    }
    const { name: _name, version: _version, context: _context, ...rest } = options.input;
    const api = buildApiRecord({
      input: rest,
      existing: draft.apis[index],
      environment: options.environment,
      now,
      documentPath: '',
    });
    draft.apis[index] = api;
    applyDefaultVersion(draft, api);
    return { api, created: false };
  });
}

/** Only CREATED or RETIRED APIs are deleted (with their subscriptions). */
export function deleteApi(catalog: Catalog, id: string): Promise<void> {
  return catalog.commit((draft) => {
    const index = indexOfApi(draft, id);
    const api = draft.apis[index]!;
    if (api.state !== 'CREATED' && api.state !== 'RETIRED')
      throw ApimErrors.create(
        'EXO_GATEWAY_API_IN_USE',
        `API ${api.name} ${api.version} is ${api.state}; only CREATED or RETIRED APIs can be deleted`,
        { data: { state: api.state } },
      );
    draft.apis.splice(index, 1);
    draft.subscriptions = draft.subscriptions.filter((subscription) => subscription.apiId !== id);
  });
}

/** Applies a lifecycle action; an illegal one is a 409 with the state and the allowed actions. */
export function changeLifecycle(
  catalog: Catalog,
  id: string,
  action: LifecycleAction,
): Promise<ApiRecord> {
  return catalog.commit((draft, now) => {
    const index = indexOfApi(draft, id);
    const api = draft.apis[index]!;
    const result = applyLifecycleAction({ state: api.state, blockedFrom: api.blockedFrom, action });
    if (!result.ok)
      throw ApimErrors.create(
        'EXO_GATEWAY_LIFECYCLE_CONFLICT',
        `cannot ${action} API ${api.name} ${api.version}: it is ${api.state} (allowed: ${result.allowedActions.join(', ') || 'none'})`,
        { data: { state: api.state, allowedActions: result.allowedActions } },
      );
    const { blockedFrom: _blockedFrom, ...rest } = api;
    const next: ApiRecord = {
      ...rest,
      state: result.state,
      ...(result.blockedFrom === undefined ? {} : { blockedFrom: result.blockedFrom }),
      updatedAt: now,
    };
    draft.apis[index] = next;
    return next;
  });
}

export function findApi(catalog: Catalog, id: string): ApiRecord {
  const api = catalog.index.apis.get(id);
  if (api === undefined)
    throw ApimErrors.create('EXO_GATEWAY_API_NOT_FOUND', `no API with id ${id}`);
  return api;
}

/** The API as the admin API shows it: with the actions its state allows. */
export function describeApi(api: ApiRecord): ApiRecord & { allowedActions: LifecycleAction[] } {
  return { ...api, allowedActions: allowedActions(api.state) };
}

function indexOfApi(draft: CatalogData, id: string): number {
  const index = draft.apis.findIndex((api) => api.id === id);
  if (index < 0) throw ApimErrors.create('EXO_GATEWAY_API_NOT_FOUND', `no API with id ${id}`);
  return index;
}

function assertUnique(draft: CatalogData, api: ApiRecord): void {
  for (const other of draft.apis) {
    if (other.id === api.id || other.version !== api.version) continue;
    if (other.context === api.context || other.name === api.name)
      throw ApimErrors.create(
        'EXO_GATEWAY_API_EXISTS',
        `API ${other.name} ${other.version} already uses ${other.context === api.context ? `context ${api.context}` : `name ${api.name}`} with version ${api.version}`,
        { data: { id: other.id } },
      );
  }
}

/** One default version per context (WSO2 unmarks the previous one the same way). */
function applyDefaultVersion(draft: CatalogData, api: ApiRecord): void {
  if (!api.defaultVersion) return;
  draft.apis = draft.apis.map((other) =>
    other.id !== api.id && other.context === api.context && other.defaultVersion
      ? { ...other, defaultVersion: false }
      : other,
  );
}
