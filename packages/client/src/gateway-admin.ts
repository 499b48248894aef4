import type {
  ApiOperation,
  ApiRecord,
  ApiState,
  LifecycleAction,
  SubscriptionRecord,
  SubscriptionState,
} from '@exosphere/gateway';
import { ClientError } from './client-error.js';
import { buildUrl, type QueryValues } from './query.js';
import type { ErrorBody } from './types/common.js';

export type {
  ApiOperation,
  ApiRecord,
  ApiState,
  LifecycleAction,
  SubscriptionRecord,
  SubscriptionState,
};

/** An API as the admin API shows it: with the lifecycle actions its state allows. */
export type ManagedApi = ApiRecord & { readonly allowedActions: readonly LifecycleAction[] };
/** A list entry: without the OpenAPI document. */
export type ManagedApiSummary = Omit<ApiRecord, 'openapi'> & { readonly hasOpenApi: boolean };

export interface ManagedApplication {
  readonly id: string;
  readonly name: string;
  readonly owner: string;
  readonly tier: string;
  readonly description: string;
  readonly keys: readonly { id: string; scopes?: readonly string[]; createdAt: string }[];
  readonly oauthClient: { clientId: string; createdAt: string } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The body of POST /apis and PUT /apis/{id}. */
export interface ApiInput {
  readonly name?: string;
  readonly version?: string;
  readonly context?: string;
  readonly description?: string;
  readonly endpoint?: { readonly upstream: string } | Readonly<Record<string, unknown>>;
  readonly defaultVersion?: boolean;
  readonly tiers?: readonly string[];
  readonly operations?: readonly Partial<ApiOperation>[];
  readonly policies?: readonly Readonly<Record<string, unknown>>[];
  /** An OpenAPI 3 document, or its JSON or YAML text. */
  readonly openapi?: Readonly<Record<string, unknown>> | string;
}

export interface ImportOptions {
  readonly name?: string;
  readonly version?: string;
  readonly context?: string;
  readonly upstream?: string;
  readonly defaultVersion?: boolean;
}

export interface GatewayAdminOptions {
  /** The gateway's admin URL, e.g. http://127.0.0.1:8001. */
  readonly url: string;
  /** Needed when the admin API listens on a non-loopback address. */
  readonly token?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

/**
 * A typed client of the gateway admin API's API-management resources: /apis, /applications,
 * /subscriptions and the signing-key rotation. Failures are ClientErrors with the server's code.
 */
export class GatewayAdminClient {
  readonly url: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: GatewayAdminOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  listApis(): Promise<ManagedApiSummary[]> {
    return this.send<{ apis: ManagedApiSummary[] }>('GET', 'apis').then((body) => body.apis);
  }
  getApi(id: string): Promise<ManagedApi> {
    return this.send('GET', `apis/${encodeURIComponent(id)}`);
  }
  createApi(input: ApiInput): Promise<ManagedApi> {
    return this.send('POST', 'apis', { json: input });
  }
  updateApi(id: string, input: ApiInput): Promise<ManagedApi> {
    return this.send('PUT', `apis/${encodeURIComponent(id)}`, { json: input });
  }
  deleteApi(id: string): Promise<void> {
    return this.send('DELETE', `apis/${encodeURIComponent(id)}`);
  }
  changeLifecycle(id: string, action: LifecycleAction): Promise<ManagedApi> {
    return this.send('POST', `apis/${encodeURIComponent(id)}/lifecycle`, { json: { action } });
  }
  /** Creates the API an OpenAPI document (JSON or YAML text) describes, or updates it. */
  importApi(
    document: string,
    options: ImportOptions = {},
  ): Promise<ManagedApi & { created: boolean }> {
    return this.send('POST', 'apis/import', {
      text: document,
      query: {
        name: options.name,
        version: options.version,
        context: options.context,
        upstream: options.upstream,
        defaultVersion: options.defaultVersion,
      },
    });
  }
  /** The API's OpenAPI document with the gateway as its server. */
  exportApi(id: string): Promise<Record<string, unknown>> {
    return this.send('GET', `apis/${encodeURIComponent(id)}/openapi`);
  }
  replaceOpenApi(id: string, document: string): Promise<ManagedApi> {
    return this.send('PUT', `apis/${encodeURIComponent(id)}/openapi`, { text: document });
  }

  listApplications(): Promise<ManagedApplication[]> {
    return this.send<{ applications: ManagedApplication[] }>('GET', 'applications').then(
      (body) => body.applications,
    );
  }
  getApplication(id: string): Promise<ManagedApplication> {
    return this.send('GET', `applications/${encodeURIComponent(id)}`);
  }
  createApplication(input: {
    name: string;
    owner?: string;
    tier?: string;
    description?: string;
  }): Promise<ManagedApplication> {
    return this.send('POST', 'applications', { json: input });
  }
  deleteApplication(id: string): Promise<void> {
    return this.send('DELETE', `applications/${encodeURIComponent(id)}`);
  }
  /** A new API key; `key` is shown only in this answer. */
  createApiKey(
    applicationId: string,
    options: { scopes?: readonly string[] } = {},
  ): Promise<{ id: string; key: string; scopes?: readonly string[] }> {
    return this.send('POST', `applications/${encodeURIComponent(applicationId)}/keys`, {
      json: options,
    });
  }
  revokeApiKey(applicationId: string, keyId: string): Promise<void> {
    return this.send(
      'DELETE',
      `applications/${encodeURIComponent(applicationId)}/keys/${encodeURIComponent(keyId)}`,
    );
  }
  /** Issues (or replaces) the OAuth client secret; shown only in this answer. */
  issueClientSecret(
    applicationId: string,
  ): Promise<{ clientId: string; clientSecret: string; tokenUrl: string }> {
    return this.send('POST', `applications/${encodeURIComponent(applicationId)}/oauth-client`);
  }

  listSubscriptions(
    filter: { applicationId?: string; apiId?: string } = {},
  ): Promise<SubscriptionRecord[]> {
    return this.send<{ subscriptions: SubscriptionRecord[] }>('GET', 'subscriptions', {
      query: { applicationId: filter.applicationId, apiId: filter.apiId },
    }).then((body) => body.subscriptions);
  }
  createSubscription(input: {
    applicationId: string;
    apiId: string;
    tier?: string;
  }): Promise<SubscriptionRecord> {
    return this.send('POST', 'subscriptions', { json: input });
  }
  changeSubscription(
    id: string,
    change: { state?: SubscriptionState; tier?: string },
  ): Promise<SubscriptionRecord> {
    return this.send('PATCH', `subscriptions/${encodeURIComponent(id)}`, { json: change });
  }
  deleteSubscription(id: string): Promise<void> {
    return this.send('DELETE', `subscriptions/${encodeURIComponent(id)}`);
  }

  /** A new token signing key; the previous one stays published until its tokens expire. */
  rotateSigningKey(): Promise<{ kid: string; retiredKid: string }> {
    return this.send('POST', 'oauth2/keys/rotate');
  }

  private async send<T>(
    method: string,
    path: string,
    options: { json?: unknown; text?: string; query?: QueryValues } = {},
  ): Promise<T> {
    const url = buildUrl(this.url, path, options.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.text !== undefined) {
      headers['content-type'] = options.text.trimStart().startsWith('{')
        ? 'application/json'
        : 'application/yaml';
      body = options.text;
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        signal: timeout,
        ...(body === undefined ? {} : { body }),
      });
      text = await response.text();
    } catch (error) {
      const { origin } = new URL(url);
      if (timeout.aborted)
        throw new ClientError(
          'EXO_CLIENT_TIMEOUT',
          0,
          `${origin} did not answer within ${this.timeoutMs} ms`,
          {
            cause: error,
          },
        );
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ClientError(
        'EXO_CLIENT_UNREACHABLE',
        0,
        `cannot reach ${origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
        { cause: error },
      );
    }
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? undefined : JSON.parse(text);
    } catch (error) {
      throw new ClientError(
        'EXO_CLIENT_BAD_RESPONSE',
        response.status,
        `${url} answered with a body that is not JSON`,
        {
          cause: error,
        },
      );
    }
    if (response.ok) return parsed as T;
    const error = parsed as Partial<ErrorBody> | undefined;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      const { code, message, details, ...data } = error;
      throw new ClientError(code, response.status, message, {
        details: Array.isArray(details) ? details : undefined,
        data: Object.keys(data).length > 0 ? data : undefined,
      });
    }
    throw new ClientError(
      'EXO_CLIENT_BAD_RESPONSE',
      response.status,
      `${response.status} from ${new URL(url).pathname}`,
    );
  }
}
