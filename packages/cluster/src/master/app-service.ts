import type { FieldError } from '@exosphere/common';
import type { AppDefinition, PortDefinition } from '../core/app-definition.js';
import { configFingerprint } from '../core/app-definition.js';
import { validateApp } from '../core/app-validation.js';
import { withoutNulls } from '../core/json-nulls.js';
import type { AppChange } from '../core/deployment-plan.js';
import { parentOf, resolvePathId } from '../core/path-id.js';
import type { MasterContext } from './context.js';
import { deploy, type DeploymentResult } from './deployments.js';
import { appJson } from './json/app-json.js';
import { MasterErrors } from './master-errors.js';
import { keys } from './model.js';

/**
 * App writes as the Marathon API offers them. Each one builds the full set of app changes,
 * validates every one of them, and hands them to `deploy` as a single atomic deployment:
 * a batch with one invalid app changes nothing.
 */
export class AppService {
  private lastVersion = 0;

  constructor(private readonly context: MasterContext) {}

  /** A fresh version timestamp, strictly increasing even within one millisecond. */
  nextVersion(): string {
    const now = Math.max(this.context.clock.now(), this.lastVersion + 1);
    this.lastVersion = now;
    return new Date(now).toISOString();
  }

  /** POST /v2/apps: creates one app. */
  async create(
    raw: unknown,
    options: { force: boolean },
  ): Promise<{ app: AppDefinition; deployment: DeploymentResult }> {
    const version = this.nextVersion();
    const app = this.validate(raw, { version, original: undefined });
    if (this.context.state.apps.has(app.id) || this.isGroup(app.id)) {
      throw MasterErrors.create('EXO_APP_EXISTS', `An app with id [${app.id}] already exists.`);
    }
    const deployment = await deploy(
      this.context,
      [{ id: app.id, original: undefined, target: app }],
      { force: options.force, version },
    );
    return { app, deployment };
  }

  /**
   * PUT or PATCH /v2/apps/{id}: creates the app if it does not exist, otherwise updates it.
   * Fields absent from the body keep their current values (Marathon's partialUpdate, the
   * default). A body naming only a `version` rolls back to that stored version.
   */
  async update(
    id: string,
    raw: unknown,
    options: { force: boolean; partial: boolean },
  ): Promise<DeploymentResult> {
    await this.preloadVersion(id, raw);
    const change = this.changeFor(id, raw, options.partial, this.nextVersion());
    return deploy(this.context, [change], {
      force: options.force,
      version: change.target!.version,
    });
  }

  /** PUT /v2/apps: updates (or creates) several apps in one deployment. */
  async updateMany(
    raws: unknown,
    options: { force: boolean; partial: boolean },
  ): Promise<DeploymentResult> {
    if (!Array.isArray(raws))
      throw invalid([{ path: '/', errors: ['expected a JSON array of apps'] }]);
    for (const raw of raws as unknown[]) {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      if (typeof id === 'string') await this.preloadVersion(resolvePathId(id), raw);
    }
    const version = this.nextVersion();
    const errors: FieldError[] = [];
    const changes: AppChange[] = [];
    raws.forEach((raw, index) => {
      try {
        const id =
          typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
        if (typeof id !== 'string')
          throw invalid([{ path: '/id', errors: ['every app needs an id'] }]);
        changes.push(this.changeFor(resolvePathId(id), raw, options.partial, version));
      } catch (error) {
        for (const detail of (error as { details?: FieldError[] }).details ?? []) {
          errors.push({
            path: `/${index}${detail.path === '/' ? '' : detail.path}`,
            errors: detail.errors,
          });
        }
      }
    });
    if (errors.length > 0) throw invalid(errors);
    return deploy(this.context, changes, { force: options.force, version });
  }

  /** DELETE /v2/apps/{id}. */
  async remove(id: string, options: { force: boolean }): Promise<DeploymentResult> {
    const original = this.require(id);
    return deploy(this.context, [{ id, original, target: undefined }], {
      force: options.force,
      version: this.nextVersion(),
    });
  }

  /** POST /v2/apps/{id}/restart: a new configuration version with the same configuration (a rolling restart). */
  async restart(id: string, options: { force: boolean }): Promise<DeploymentResult> {
    const original = this.require(id);
    const version = this.nextVersion();
    const target: AppDefinition = {
      ...original,
      version,
      versionInfo: { lastScalingAt: version, lastConfigChangeAt: version },
    };
    return deploy(this.context, [{ id, original, target }], { force: options.force, version });
  }

  /** Changes instances by `delta` (task kill with scale=true; group scaleBy). */
  scaleChange(id: string, instances: number, version: string): AppChange {
    const original = this.require(id);
    return {
      id,
      original,
      target: {
        ...original,
        instances: Math.max(0, instances),
        version,
        versionInfo: { ...original.versionInfo, lastScalingAt: version },
      },
    };
  }

  require(id: string): AppDefinition {
    const app = this.context.state.apps.get(id);
    if (!app) throw MasterErrors.create('EXO_APP_NOT_FOUND', `App '${id}' does not exist`);
    return app;
  }

  /** Builds the change for PUT/PATCH semantics (create, partial update, or rollback to a version). */
  changeFor(id: string, raw: unknown, partial: boolean, version: string): AppChange {
    const original = this.context.state.apps.get(id);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw invalid([{ path: '/', errors: ['an app must be a JSON object'] }]);
    }
    // Null fields are absent (Marathon's validateOpt): in a partial update they keep their value.
    const body = withoutNulls(raw) as Record<string, unknown>;
    const fields = Object.keys(body).filter((k) => k !== 'id');
    if (original && fields.length === 1 && typeof body.version === 'string') {
      return { id, original, target: this.rollbackTarget(original, body.version, version) };
    }
    const merged =
      original && partial
        ? { ...editableJson(original, body), ...body, id }
        : { ...body, id: body.id ?? id };
    const target = this.validate(merged, { version, original, pathId: id });
    return { id, original, target };
  }

  private rollbackTarget(original: AppDefinition, wanted: string, version: string): AppDefinition {
    if (!(this.context.state.versions.get(original.id) ?? []).includes(wanted)) {
      throw MasterErrors.create(
        'EXO_VERSION_NOT_FOUND',
        `App '${original.id}' has no version ${wanted}`,
      );
    }
    return {
      ...original,
      ...this.storedVersion(original.id, wanted),
      version,
      versionInfo: { lastScalingAt: version, lastConfigChangeAt: version },
    };
  }

  private storedVersion(id: string, version: string): AppDefinition {
    const stored = this.context.state.apps.get(id);
    const cache = this.versionCache.get(`${id}@${version}`);
    if (cache) return cache;
    if (stored && stored.version === version) return stored;
    throw MasterErrors.create(
      'EXO_VERSION_NOT_FOUND',
      `App '${id}' version ${version} is not loaded`,
    );
  }

  /** Stored versions read for a pending rollback (versions live in the store, not in memory). */
  private readonly versionCache = new Map<string, AppDefinition>();

  private async preloadVersion(id: string, raw: unknown): Promise<void> {
    const version =
      typeof raw === 'object' && raw !== null ? (raw as { version?: unknown }).version : undefined;
    if (typeof version !== 'string') return;
    const stored = (await this.context.store.get(keys.version(id, version))) as
      AppDefinition | undefined;
    if (stored) {
      if (this.versionCache.size > 100) this.versionCache.clear();
      this.versionCache.set(`${id}@${version}`, stored);
    }
  }

  /** Validates, applies defaults, keeps or assigns service ports and sets versionInfo. */
  validate(
    raw: unknown,
    options: {
      version: string;
      original: AppDefinition | undefined;
      pathId?: string;
      base?: string;
    },
  ): AppDefinition {
    const result = validateApp(raw, {
      version: options.version,
      versionInfo: { lastScalingAt: options.version, lastConfigChangeAt: options.version },
      ...(options.pathId !== undefined ? { pathId: options.pathId } : {}),
      ...(options.base !== undefined ? { base: options.base } : {}),
    });
    if (!result.ok) throw invalid(result.errors);
    let app = result.value;
    app = { ...app, portDefinitions: this.assignServicePorts(app, options.original) };
    if (options.original && configFingerprint(options.original) === configFingerprint(app)) {
      // Only instances (or nothing) changed: a scaling, not a new configuration.
      app = {
        ...app,
        versionInfo: {
          lastScalingAt: options.version,
          lastConfigChangeAt: options.original.versionInfo.lastConfigChangeAt,
        },
      };
    }
    return app;
  }

  private assignServicePorts(
    app: AppDefinition,
    original: AppDefinition | undefined,
  ): PortDefinition[] {
    const { begin, end } = this.context.settings.servicePortRange;
    const used = new Set<number>();
    for (const other of this.context.state.apps.values()) {
      if (other.id === app.id) continue;
      for (const p of other.portDefinitions) used.add(p.port);
    }
    let next = begin;
    return app.portDefinitions.map((definition, index) => {
      if (definition.port !== 0) return definition;
      const previous = original?.portDefinitions[index]?.port;
      if (previous !== undefined && previous !== 0 && !used.has(previous)) {
        used.add(previous);
        return { ...definition, port: previous };
      }
      while (next < end && used.has(next)) next++;
      if (next >= end)
        throw MasterErrors.create(
          'EXO_SERVICE_PORTS_EXHAUSTED',
          `no free service port in ${begin}-${end - 1}`,
        );
      used.add(next);
      return { ...definition, port: next };
    });
  }

  private isGroup(id: string): boolean {
    for (const appId of this.context.state.apps.keys()) if (appId.startsWith(id + '/')) return true;
    return this.context.state.groups.has(id);
  }
}

export function invalid(details: FieldError[]): Error {
  return MasterErrors.create('EXO_APP_INVALID', 'Object is not valid', { details });
}

export { parentOf };

/**
 * The stored definition as a base for a partial update: without the derived `ports` field,
 * and without port fields the body replaces (a body may switch between ports and portDefinitions).
 */
function editableJson(app: AppDefinition, body: Record<string, unknown>): Record<string, unknown> {
  const { ports: _ports, container: _container, secrets: _secrets, ...base } = appJson(app);
  if ('ports' in body) delete base.portDefinitions;
  if ('cmd' in body && body.cmd != null) delete base.args;
  if ('args' in body && body.args != null) delete base.cmd;
  return base;
}
