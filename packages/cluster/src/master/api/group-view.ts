import type { ClusterState } from '../state.js';
import { appView, resolveAppEmbeds } from './app-view.js';

/** Marathon's group tree, derived from app ids plus explicitly created (possibly empty) groups. */
export function groupView(
  state: ClusterState,
  groupId: string,
  embed: Set<string>,
  nowMs = 0,
): Record<string, unknown> | undefined {
  // Only group.apps.* values embed into the apps of a group (InfoEmbedResolver.resolveAppGroup).
  const appEmbeds = resolveAppEmbeds([...embed].filter((e) => e.startsWith('group.apps.')));
  const prefix = groupId === '/' ? '/' : groupId + '/';
  const apps = [...state.apps.values()].filter((a) => a.id.startsWith(prefix));
  const explicit = [...state.groups.keys()].filter((g) => g.startsWith(prefix) || g === groupId);
  if (groupId !== '/' && apps.length === 0 && explicit.length === 0) return undefined;
  const childGroups = new Set<string>();
  for (const id of [...apps.map((a) => a.id), ...explicit]) {
    const rest = id.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash > 0) childGroups.add(prefix + rest.slice(0, slash));
    else if (state.groups.has(id) && id !== groupId) childGroups.add(id);
  }
  const record = state.groups.get(groupId);
  const versions = apps.map((a) => a.version).sort();
  return {
    id: groupId,
    apps: apps
      .filter((a) => !a.id.slice(prefix.length).includes('/'))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((a) => appView(state, a, appEmbeds, nowMs)),
    groups: [...childGroups].sort().map(
      (g) =>
        groupView(state, g, embed, nowMs) ?? {
          id: g,
          apps: [],
          groups: [],
          dependencies: [],
          pods: [],
        },
    ),
    pods: [],
    dependencies: record?.dependencies ?? [],
    version: versions.at(-1) ?? record?.version ?? new Date(0).toISOString(),
    enforceRole: false,
  };
}
