/**
 * Fields of a Marathon app that are accepted so definitions written for Marathon load
 * unchanged, but that have no effect on a plain-process runtime. Each one found gives a
 * warning sentence; the master logs them and returns them in a `Warning` header (RFC 9111
 * §5.5, code 299), so the response body keeps Marathon's shape.
 */
export const warningsMax = 20;

export function appWarnings(raw: unknown, path = ''): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  const app = raw as Record<string, unknown>;
  const warnings: string[] = [];
  const roles = app.acceptedResourceRoles;
  if (Array.isArray(roles) && roles.some((role) => role !== '*')) {
    warnings.push(`${path}/acceptedResourceRoles is ignored: agents have no resource roles`);
  }
  if (typeof app.role === 'string' && app.role !== '*') {
    warnings.push(`${path}/role is ignored: agents have no resource roles`);
  }
  if (Array.isArray(app.readinessChecks) && app.readinessChecks.length > 0) {
    warnings.push(
      `${path}/readinessChecks are kept but not probed: a task counts as ready once it runs and passes its health checks`,
    );
  }
  if (typeof app.container === 'object' && app.container !== null) {
    warnings.push(
      `${path}/container (an empty MESOS container) is ignored: tasks run as plain processes`,
    );
  }
  for (const field of ['check', 'resourceLimits', 'executorResources', 'tty']) {
    if (app[field] != null) warnings.push(`${path}/${field} is ignored`);
  }
  return warnings;
}

/** Warnings for every app of a group body, nested groups included (at most `warningsMax`). */
export function groupWarnings(raw: unknown, path = ''): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const group = raw as { apps?: unknown; groups?: unknown };
  const warnings: string[] = [];
  if (Array.isArray(group.apps)) {
    group.apps.forEach((app: unknown, index) =>
      warnings.push(...appWarnings(app, `${path}/apps/${index}`)),
    );
  }
  if (Array.isArray(group.groups)) {
    group.groups.forEach((sub: unknown, index) =>
      warnings.push(...groupWarnings(sub, `${path}/groups/${index}`)),
    );
  }
  return warnings.slice(0, warningsMax);
}

/** The `Warning` header value for a list of sentences, or undefined when there are none. */
export function warningHeader(warnings: readonly string[]): string | undefined {
  if (warnings.length === 0) return undefined;
  return warnings
    .slice(0, warningsMax)
    .map((text) => `299 exosphere "${text.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, "'")}"`)
    .join(', ');
}
