import type { ServerResponse } from 'node:http';
import type { AppDefinition } from '../../core/app-definition.js';
import type { TaskRecord } from '../model.js';

/**
 * Marathon's script-friendly task list (`Accept: text/plain` on /v2/tasks and
 * /v2/apps/{id}/tasks), which haproxy-marathon-bridge style scripts read: one line per app and
 * service port, `<id with / as _><TAB><service port><TAB><host:port><TAB>...`, listing running
 * tasks only. An app without ports gets one line with a blank port and space-separated hosts.
 */
export function tasksText(
  apps: readonly AppDefinition[],
  tasksOf: (appId: string) => readonly TaskRecord[],
): string {
  let text = '';
  for (const app of apps) {
    const name = app.id.split('/').filter(Boolean).join('_');
    const running = tasksOf(app.id).filter((t) => t.state === 'TASK_RUNNING');
    if (app.portDefinitions.length === 0) {
      text += `${name}\t \t${running.map((t) => `${t.host} `).join('')}\n`;
      continue;
    }
    app.portDefinitions.forEach((definition, index) => {
      const endpoints = running.map((t) => `${t.host}:${t.ports[index] ?? 0}\t`).join('');
      text += `${name}\t${definition.port}\t${endpoints}\n`;
    });
  }
  return text;
}

/** Whether the client asked for text/plain rather than JSON (the Accept header). */
export function wantsText(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  return types.includes('text/plain') && !types.includes('application/json');
}

/** Writes `text` as a text/plain answer (the route then returns HANDLED). */
export function sendText(response: ServerResponse, text: string): void {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
