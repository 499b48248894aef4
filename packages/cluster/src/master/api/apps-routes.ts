import { HANDLED, type Router } from '@exosphere/common';
import { resolvePathId } from '../../core/path-id.js';
import { appJson } from '../json/app-json.js';
import { taskJson } from '../json/task-json.js';
import { sendText, tasksText, wantsText } from '../json/tasks-text.js';
import type { Master } from '../master.js';
import { MasterErrors } from '../master-errors.js';
import { keys } from '../model.js';
import { killTasks } from '../task-service.js';
import type { AppDefinition } from '../../core/app-definition.js';
import {
  matchesLabelSelectors,
  parseLabelSelector,
  type LabelSelector,
} from '../../core/label-selector.js';
import { appView, resolveAppEmbeds } from './app-view.js';
import { embeds, flag, killScale } from './query.js';
import { appWarnings, warningHeader } from '../../core/app-warnings.js';

/** The Warning header for ignored fields (logged too), or no header. */
export function warningHeaders(
  master: Master,
  warnings: readonly string[],
): Record<string, string> {
  const value = warningHeader(warnings);
  if (value === undefined) return {};
  master.context.logger.warn('app fields ignored', { warnings });
  return { warning: value };
}

/**
 * Marathon's /v2/apps endpoints. App ids contain slashes, so everything after /v2/apps/ is
 * matched as one path and the sub-resource (tasks, versions, restart) is read off its end.
 */
export function addAppRoutes(router: Router, master: Master): void {
  const { state } = master;

  router.get('/v2/apps', ({ query }) => {
    const embed = resolveAppEmbeds(embeds(query));
    // Marathon's AppsResource.search: id and cmd match case-insensitive substrings (an app
    // without cmd never matches a cmd filter), label is a label selector.
    const idFilter = query.get('id')?.toLowerCase();
    const cmdFilter = query.get('cmd')?.toLowerCase();
    const labelSelectors = labelFilter(query.get('label'));
    const apps = [...state.apps.values()]
      .filter((a) => !idFilter || a.id.toLowerCase().includes(idFilter))
      .filter((a) => !cmdFilter || (a.cmd?.toLowerCase().includes(cmdFilter) ?? false))
      .filter((a) => matchesLabelSelectors(a.labels, labelSelectors))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const now = master.context.clock.now();
    return { body: { apps: apps.map((a) => appView(state, a, embed, now)) } };
  });

  router.post('/v2/apps', async (context) => {
    const body = await context.json();
    const { app, deployment } = await master.apps.create(body, {
      force: flag(context.query, 'force'),
    });
    master.context.events.publish('api_post_event', {
      clientIp: context.remoteAddress,
      uri: '/v2/apps',
      appDefinition: appJson(app),
    });
    return {
      status: 201,
      headers: {
        location: `/v2/apps${app.id}`,
        'marathon-deployment-id': deployment.deploymentId,
        ...warningHeaders(master, appWarnings(body)),
      },
      body: {
        ...appView(state, app, new Set(), master.context.clock.now()),
        deployments: [{ id: deployment.deploymentId }],
      },
    };
  });

  const updateMany =
    (partialDefault: boolean) => async (context: Parameters<Parameters<Router['put']>[1]>[0]) => {
      const body = await context.json();
      const result = await master.apps.updateMany(body, {
        force: flag(context.query, 'force'),
        partial: partialDefault || flag(context.query, 'partialUpdate', true),
      });
      const warnings = Array.isArray(body)
        ? body.flatMap((app: unknown, index) => appWarnings(app, `/${index}`))
        : [];
      return {
        body: result,
        headers: {
          'marathon-deployment-id': result.deploymentId,
          ...warningHeaders(master, warnings),
        },
      };
    };
  router.put('/v2/apps', updateMany(false));
  router.patch('/v2/apps', updateMany(true));

  router.get('/v2/apps/*path', async ({ params, query, headers, response }) => {
    const { id, rest } = split(params.path!);
    const app = master.apps.require(id);
    if (rest.length === 0) {
      // Marathon always embeds tasks and lastTaskFailure in a single app (AppsResource.show).
      const embed = resolveAppEmbeds([...embeds(query), 'tasks', 'lastTaskFailure']);
      return { body: { app: appView(state, app, embed, master.context.clock.now()) } };
    }
    if (rest[0] === 'tasks' && rest.length === 1) {
      if (wantsText(headers.accept)) {
        sendText(
          response,
          tasksText([app], (appId) => state.tasksOfApp(appId)),
        );
        return HANDLED;
      }
      return { body: { tasks: state.tasksOfApp(id).map(taskJson) } };
    }
    if (rest[0] === 'versions' && rest.length === 1) {
      return { body: { versions: [...(state.versions.get(id) ?? [])].reverse() } };
    }
    if (rest[0] === 'versions' && rest.length === 2) {
      const stored = (await master.context.store.get(keys.version(id, rest[1]!))) as
        AppDefinition | undefined;
      if (!stored)
        throw MasterErrors.create('EXO_VERSION_NOT_FOUND', `App '${id}' has no version ${rest[1]}`);
      return { body: appJson(stored) };
    }
    throw MasterErrors.create(
      'EXO_APP_NOT_FOUND',
      `App '${resolvePathId(params.path!)}' does not exist`,
    );
  });

  const update =
    (partialDefault: boolean) => async (context: Parameters<Parameters<Router['put']>[1]>[0]) => {
      const { id, rest } = split(context.params.path!);
      if (rest.length > 0)
        throw MasterErrors.create('EXO_APP_NOT_FOUND', `no such resource under app '${id}'`);
      const existed = state.apps.has(id);
      const body = await context.json();
      const result = await master.apps.update(id, body, {
        force: flag(context.query, 'force'),
        partial: partialDefault || flag(context.query, 'partialUpdate', true),
      });
      // Like Marathon: 201 when the PUT created the app, 200 when it changed one.
      return {
        status: existed ? 200 : 201,
        body: result,
        headers: {
          'marathon-deployment-id': result.deploymentId,
          ...(existed ? {} : { location: `/v2/apps${id}` }),
          ...warningHeaders(master, appWarnings(body)),
        },
      };
    };
  router.put('/v2/apps/*path', update(false));
  router.patch('/v2/apps/*path', update(true));

  router.post('/v2/apps/*path', async ({ params, query }) => {
    const { id, rest } = split(params.path!);
    if (rest.length !== 1 || rest[0] !== 'restart') {
      throw MasterErrors.create('EXO_APP_NOT_FOUND', `no such resource under app '${id}'`);
    }
    const result = await master.apps.restart(id, { force: flag(query, 'force') });
    return { body: result, headers: { 'marathon-deployment-id': result.deploymentId } };
  });

  router.delete('/v2/apps/*path', async ({ params, query }) => {
    const { id, rest } = split(params.path!);
    const force = flag(query, 'force');
    if (rest.length === 0) {
      // Marathon removes an app with force=true unless told otherwise (AppsResource.delete), so
      // an app stuck in a deployment can be removed without a 409.
      const result = await master.apps.remove(id, { force: flag(query, 'force', true) });
      return { body: result, headers: { 'marathon-deployment-id': result.deploymentId } };
    }
    if (rest[0] !== 'tasks' || rest.length > 2)
      throw MasterErrors.create('EXO_APP_NOT_FOUND', `no such resource under app '${id}'`);
    const scale = killScale(query);
    master.apps.require(id);
    // Marathon's deleteMany: a task on exactly that host, or on any host for `*`.
    const host = query.get('host');
    const ids =
      rest.length === 2
        ? [rest[1]!]
        : state
            .tasksOfApp(id)
            .filter((t) => !host || host === '*' || t.host === host)
            .map((t) => t.id);
    if (rest.length === 2 && state.tasks.get(rest[1]!)?.appId !== id) {
      throw MasterErrors.create(
        'EXO_TASK_NOT_FOUND',
        `Task '${rest[1]}' does not exist in app '${id}'`,
      );
    }
    const result = await killTasks(master.context, master.apps, ids, { scale, force });
    if (result.deployment) return { body: result.deployment };
    if (rest.length === 2) return { body: { task: taskJson(result.killed[0]!) } };
    return { body: { tasks: result.killed.map(taskJson) } };
  });
}

/** Splits "prod/web/tasks/abc" into the app id and what follows a known sub-resource word. */
function split(path: string): { id: string; rest: string[] } {
  const segments = path.split('/').filter(Boolean);
  const index = segments.findIndex(
    (s, i) => i > 0 && (s === 'tasks' || s === 'versions' || s === 'restart'),
  );
  if (index < 0) return { id: resolvePathId(segments.join('/')), rest: [] };
  return { id: resolvePathId(segments.slice(0, index).join('/')), rest: segments.slice(index) };
}

/** The `label` query parameter parsed; an unparsable one is a 422, as in Marathon. */
function labelFilter(text: string | null): readonly LabelSelector[] {
  if (text === null) return [];
  const parsed = parseLabelSelector(text);
  if (parsed.ok) return parsed.selectors;
  throw MasterErrors.create(
    'EXO_LABEL_SELECTOR_INVALID',
    `Can not parse label selector ${text}: ${parsed.error}`,
  );
}
