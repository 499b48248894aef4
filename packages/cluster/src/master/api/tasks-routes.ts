import { CommonErrors, HANDLED, type Router } from '@exosphere/common';
import { taskJson } from '../json/task-json.js';
import { sendText, tasksText, wantsText } from '../json/tasks-text.js';
import type { Master } from '../master.js';
import { killTasks } from '../task-service.js';
import { flag, killScale } from './query.js';

const statusFilter: Record<string, string[]> = {
  running: ['TASK_RUNNING'],
  staging: ['TASK_STAGING', 'TASK_STARTING'],
  killing: ['TASK_KILLING'],
  unreachable: ['TASK_UNREACHABLE'],
};

/** Marathon's /v2/tasks (list, with ?status=, or as text for `Accept: text/plain`) and POST /v2/tasks/delete (kill, optionally scaling down). */
export function addTaskRoutes(router: Router, master: Master): void {
  router.get('/v2/tasks', ({ query, headers, response }) => {
    if (wantsText(headers.accept)) {
      const apps = [...master.state.apps.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      sendText(
        response,
        tasksText(apps, (id) => master.state.tasksOfApp(id)),
      );
      return HANDLED;
    }
    const wanted = query.getAll('status').flatMap((s) => statusFilter[s.toLowerCase()] ?? []);
    // Marathon's list holds app tasks; the tasks of job runs are served under /v1/jobs.
    const tasks = [...master.state.tasks.values()].filter(
      (t) => t.appId.startsWith('/') && (wanted.length === 0 || wanted.includes(t.state)),
    );
    return { body: { tasks: tasks.map(taskJson) } };
  });

  router.post('/v2/tasks/delete', async (context) => {
    const body = (await context.json()) as { ids?: unknown } | undefined;
    if (!body || !Array.isArray(body.ids) || !body.ids.every((id) => typeof id === 'string')) {
      throw CommonErrors.create('EXO_VALIDATION_FAILED', 'body must be {"ids": ["task id", ...]}', {
        details: [{ path: '/ids', errors: ['expected an array of task ids'] }],
      });
    }
    const scale = killScale(context.query);
    const result = await killTasks(master.context, master.apps, body.ids, {
      scale,
      force: flag(context.query, 'force'),
    });
    if (result.deployment) return { body: result.deployment };
    return { body: { tasks: result.killed.map(taskJson) } };
  });
}
