import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Clock, Logger, Router } from '@exosphere/common';
import { validateConfig } from '../config/validate.js';
import type { AppDiscovery } from '../discovery/app-discovery.js';
import type { SigningAlgorithm } from '../policies/security/oauth2/signing-key-ring.js';
import type { ThrottlingService } from '../policies/throttling/throttling-service.js';
import type { Runtime } from '../proxy/runtime.js';
import { registerApimAdminRoutes } from './admin-routes.js';
import { Catalog } from './catalog.js';
import type { ApimEnvironment } from './environment.js';
import { ManagedRoutes } from './managed-routes.js';
import { PersistentSigningKeys } from './signing-keys.js';
import { TokenService } from './token-service.js';

export interface ApiManagerOptions {
  /** The gateway home; the catalog and signing keys live in HOME/apim/. */
  readonly home: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly throttling: ThrottlingService;
  readonly discovery?: AppDiscovery | undefined;
  /** Lifetime of issued access tokens (default 3600 s). */
  readonly tokenLifetimeSeconds?: number;
  /** Algorithm of new signing keys (default ES256). */
  readonly signingAlgorithm?: SigningAlgorithm;
  /** The tokens' `iss` and `aud`; the gateway's URL when absent. */
  readonly issuer?: string;
}

/** Tolerance for verifiers' clocks, added to how long a retired signing key stays published. */
const verifierSkewMs = 60_000;

/**
 * API management in the gateway: the catalog (APIs, applications, subscriptions), the routes
 * that serve its APIs, the OAuth 2.0 token endpoint and JWKS on the data-plane port, and the
 * admin API for all of it. The gateway asks it for the runtime to serve (`runtimeFor`), lets it
 * answer its own data-plane paths first (`handleDataPlane`), and mounts its admin routes.
 */
export class ApiManager {
  private gatewayUrl = '';

  private constructor(
    private readonly options: ApiManagerOptions,
    readonly catalog: Catalog,
    readonly keys: PersistentSigningKeys,
    readonly tokens: TokenService,
    private readonly routes: ManagedRoutes,
  ) {
    catalog.onChange(() => routes.refresh());
  }

  static async open(options: ApiManagerOptions): Promise<ApiManager> {
    const folder = join(options.home, 'apim');
    const catalog = await Catalog.open({
      path: join(folder, 'catalog.json'),
      clock: options.clock,
    });
    const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    const keys = await PersistentSigningKeys.open({
      path: join(folder, 'signing-keys.json'),
      clock: options.clock,
      algorithm: options.signingAlgorithm ?? 'ES256',
      retiredKeyPublishMs: tokenLifetimeSeconds * 1000 + verifierSkewMs,
    });
    const logger = options.logger.child({ component: 'apim' });
    const tokens = new TokenService({
      catalog,
      keys,
      clock: options.clock,
      logger,
      tokenLifetimeSeconds,
    });
    const routes = new ManagedRoutes({
      catalog,
      tokens,
      throttling: options.throttling,
      clock: options.clock,
      logger,
      discovery: options.discovery,
    });
    return new ApiManager(options, catalog, keys, tokens, routes);
  }

  /** The declarative runtime with the API routes merged in (cached; rebuilt on change). */
  runtimeFor(base: Runtime): Runtime {
    return this.routes.runtimeFor(base);
  }

  /** Answers /oauth2/token, /oauth2/jwks and /.well-known/jwks.json; false for anything else. */
  handleDataPlane(request: IncomingMessage, response: ServerResponse): boolean {
    return this.tokens.handle(request, response);
  }

  /** Whether `handleDataPlane` answers this raw request path (the fast path hands it over). */
  ownsDataPlanePath(path: string): boolean {
    return this.tokens.owns(path);
  }

  /** Called once the data plane listens: the URL clients use, the default token issuer. */
  setGatewayUrl(url: string): void {
    this.gatewayUrl = url.replace(/\/+$/, '');
    this.tokens.setIssuer(this.options.issuer ?? this.gatewayUrl);
  }

  get url(): string {
    return this.gatewayUrl;
  }

  /** What validation of APIs needs from the running declarative configuration. */
  environment(): ApimEnvironment {
    const config = this.routes.baseRuntime?.config;
    if (config !== undefined) return { config };
    const empty = validateConfig({});
    if (!empty.ok) throw new Error('invariant violated: the empty configuration is invalid');
    return { config: empty.config };
  }

  /**
   * Several workers of one gateway: `propagate` runs after every catalog change or key
   * rotation, before it is acknowledged, so that the other workers re-read the files first.
   */
  propagateChanges(propagate: () => Promise<void>): void {
    this.catalog.afterCommit = propagate;
    this.keys.afterRotate = propagate;
  }

  /** Re-reads the catalog and the signing keys another worker changed. */
  async reloadFromDisk(): Promise<void> {
    await this.keys.reload();
    this.tokens.refreshKeys();
    await this.catalog.reload();
  }

  registerAdminRoutes(router: Router): void {
    registerApimAdminRoutes(router, this);
  }

  close(): void {
    this.routes.close();
  }
}
