import type { FieldError, Router } from '@exosphere/common';
import type { AppChange } from '../../core/deployment-plan.js';
import { withoutNulls } from '../../core/json-nulls.js';
import { resolvePathId } from '../../core/path-id.js';
import { deploy } from '../deployments.js';
import type { Master } from '../master.js';
import { MasterErrors } from '../master-errors.js';
import { keys } from '../model.js';
import { groupView } from './group-view.js';
import { embeds, flag } from './query.js';
import { groupWarnings } from '../../core/app-warnings.js';
import { warningHeaders } from './apps-routes.js';

interface GroupBody {
  id?: unknown;
  apps?: unknown;
  groups?: unknown;
  dependencies?: unknown;
  scaleBy?: unknown;
}

/**
 * Marathon's /v2/groups. POST creates a group with its apps; PUT replaces the group's
 * definition (apps and subgroups it no longer lists are removed) or, with only `scaleBy`,
 * scales every app in it; DELETE removes the group and all its apps. One deployment each.
 */
export function addGroupRoutes(router: Router, master: Master): void {
  const { state } = master;

  const get = ({
    params,
    query,
  }: {
    params: Readonly<Record<string, string>>;
    query: URLSearchParams;
  }) => {
    const id = resolvePathId(params.path ?? '/');
    const view = groupView(state, id, embeds(query), master.context.clock.now());
    if (!view) throw MasterErrors.create('EXO_GROUP_NOT_FOUND', `Group '${id}' does not exist`);
    return { body: view };
  };
  router.get('/v2/groups', get);
  router.get('/v2/groups/*path', get);

  const write =
    (method: 'POST' | 'PUT') =>
    async (context: {
      params: Readonly<Record<string, string>>;
      query: URLSearchParams;
      json(): Promise<unknown>;
    }) => {
      // Null fields are absent, as Marathon reads them (`"apps": null` is no apps).
      const body = (withoutNulls(await context.json()) ?? {}) as GroupBody;
      if (typeof body !== 'object' || Array.isArray(body)) {
        throw MasterErrors.create('EXO_GROUP_INVALID', 'a group must be a JSON object', {
          details: [{ path: '/', errors: ['expected an object'] }],
        });
      }
      const base = context.params.path ? resolvePathId(context.params.path) : undefined;
      const id = resolvePathId(typeof body.id === 'string' ? body.id : (base ?? '/'), base ?? '/');
      const force = flag(context.query, 'force');
      const version = master.apps.nextVersion();
      if (method === 'POST' && groupView(state, id, new Set()) && id !== '/') {
        throw MasterErrors.create('EXO_APP_EXISTS', `Group '${id}' already exists`);
      }
      if (
        typeof body.scaleBy === 'number' &&
        body.apps === undefined &&
        body.groups === undefined
      ) {
        const changes = [...state.apps.values()]
          .filter((a) => a.id.startsWith(id === '/' ? '/' : id + '/'))
          .map((a) =>
            master.apps.scaleChange(
              a.id,
              Math.ceil(a.instances * (body.scaleBy as number)),
              version,
            ),
          );
        return { body: await deploy(master.context, changes, { force, version }) };
      }
      const errors: FieldError[] = [];
      const wanted = new Map<string, AppChange>();
      collect(body, id, '', version, errors, wanted, master);
      if (errors.length > 0)
        throw MasterErrors.create('EXO_GROUP_INVALID', 'Object is not valid', { details: errors });
      const changes = [...wanted.values()];
      if (method === 'PUT') {
        const prefix = id === '/' ? '/' : id + '/';
        for (const app of state.apps.values()) {
          if (app.id.startsWith(prefix) && !wanted.has(app.id))
            changes.push({ id: app.id, original: app, target: undefined });
        }
      }
      const groupRecord = {
        id,
        dependencies: Array.isArray(body.dependencies) ? (body.dependencies as string[]) : [],
        version,
      };
      const extra =
        id === '/' ? [] : [{ type: 'put' as const, key: keys.group(id), value: groupRecord }];
      const result = await deploy(master.context, changes, {
        force,
        version,
        extraOperations: extra,
      });
      if (id !== '/') state.groups.set(id, groupRecord);
      return {
        status: method === 'POST' ? 201 : 200,
        body: result,
        headers: {
          'marathon-deployment-id': result.deploymentId,
          ...warningHeaders(master, groupWarnings(body)),
        },
      };
    };
  router.post('/v2/groups', write('POST'));
  router.post('/v2/groups/*path', write('POST'));
  router.put('/v2/groups', write('PUT'));
  router.put('/v2/groups/*path', write('PUT'));

  router.delete('/v2/groups/*path', async ({ params, query }) => {
    const id = resolvePathId(params.path!);
    if (!groupView(state, id, new Set()))
      throw MasterErrors.create('EXO_GROUP_NOT_FOUND', `Group '${id}' does not exist`);
    const prefix = id + '/';
    const changes = [...state.apps.values()]
      .filter((a) => a.id.startsWith(prefix))
      .map((a) => ({ id: a.id, original: a, target: undefined }));
    const groupKeys = [...state.groups.keys()].filter((g) => g === id || g.startsWith(prefix));
    const result = await deploy(master.context, changes, {
      force: flag(query, 'force'),
      version: master.apps.nextVersion(),
      extraOperations: groupKeys.map((g) => ({ type: 'delete' as const, key: keys.group(g) })),
    });
    for (const g of groupKeys) state.groups.delete(g);
    return { body: result };
  });
}

/** Validates every app in a group body (recursively), keyed by absolute id. */
function collect(
  body: GroupBody,
  groupId: string,
  path: string,
  version: string,
  errors: FieldError[],
  out: Map<string, AppChange>,
  master: Master,
): void {
  if (body.apps !== undefined && !Array.isArray(body.apps))
    errors.push({ path: `${path}/apps`, errors: ['expected an array'] });
  if (body.groups !== undefined && !Array.isArray(body.groups))
    errors.push({ path: `${path}/groups`, errors: ['expected an array'] });
  ((Array.isArray(body.apps) ? body.apps : []) as unknown[]).forEach((raw, index) => {
    const rawId =
      typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    if (typeof rawId !== 'string') {
      errors.push({ path: `${path}/apps/${index}/id`, errors: ['every app needs an id'] });
      return;
    }
    const id = resolvePathId(rawId, groupId);
    try {
      const original = master.state.apps.get(id);
      const target = master.apps.validate({ ...(raw as object), id }, { version, original });
      out.set(id, { id, original, target });
    } catch (error) {
      for (const detail of (error as { details?: FieldError[] }).details ?? []) {
        errors.push({ path: `${path}/apps/${index}${detail.path}`, errors: detail.errors });
      }
    }
  });
  ((Array.isArray(body.groups) ? body.groups : []) as unknown[]).forEach((raw, index) => {
    const sub = (raw ?? {}) as GroupBody;
    if (typeof sub.id !== 'string') {
      errors.push({ path: `${path}/groups/${index}/id`, errors: ['every group needs an id'] });
      return;
    }
    collect(
      sub,
      resolvePathId(sub.id, groupId),
      `${path}/groups/${index}`,
      version,
      errors,
      out,
      master,
    );
  });
}
