import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { generateApiKey } from '../policies/security/api-key.js';
import { generateClientCredentials } from '../policies/security/oauth2/applications.js';
import { scopeSchema } from '../policies/security/jwt.js';
import type { Catalog } from './catalog.js';
import type { ApimEnvironment } from './environment.js';
import { tierErrors } from './environment.js';
import { ApimErrors } from './errors.js';
import {
  catalogLimits,
  nameSchema,
  tierNameSchema,
  type ApplicationRecord,
  type CatalogData,
} from './model.js';

export const applicationInputSchema = z.strictObject({
  name: nameSchema,
  owner: z.string().min(1).max(200).default('admin'),
  tier: tierNameSchema.default('Unlimited'),
  description: z.string().max(10_000).default(''),
});
export type ApplicationInput = z.output<typeof applicationInputSchema>;

export const apiKeyInputSchema = z
  .strictObject({ scopes: z.array(scopeSchema).max(64).optional() })
  .default({});

const keysPerApplicationMax = 100;

/** An application as the admin API shows it: never a hash. */
export function describeApplication(application: ApplicationRecord): Record<string, unknown> {
  return {
    id: application.id,
    name: application.name,
    owner: application.owner,
    tier: application.tier,
    description: application.description,
    keys: application.keys.map((key) => ({
      id: key.id,
      ...(key.scopes === undefined ? {} : { scopes: key.scopes }),
      createdAt: key.createdAt,
    })),
    oauthClient:
      application.oauthClient === undefined
        ? null
        : { clientId: application.id, createdAt: application.oauthClient.createdAt },
    createdAt: application.createdAt,
    updatedAt: application.updatedAt,
  };
}

export function createApplication(options: {
  catalog: Catalog;
  environment: ApimEnvironment;
  input: ApplicationInput;
}): Promise<ApplicationRecord> {
  const { input } = options;
  return options.catalog.commit((draft, now) => {
    if (draft.applications.length >= catalogLimits.applications)
      throw ApimErrors.create(
        'EXO_GATEWAY_APIM_INVALID',
        `at most ${catalogLimits.applications} applications`,
      );
    const errors = tierErrors(options.environment, [input.tier], () => '/tier');
    if (errors.length > 0)
      throw ApimErrors.create('EXO_GATEWAY_APIM_INVALID', 'the application is invalid', {
        details: errors,
      });
    const duplicate = draft.applications.find(
      (other) => other.owner === input.owner && other.name === input.name,
    );
    if (duplicate !== undefined)
      throw ApimErrors.create(
        'EXO_GATEWAY_APPLICATION_EXISTS',
        `${input.owner} already has an application named ${input.name}`,
        { data: { id: duplicate.id } },
      );
    const application: ApplicationRecord = {
      id: randomUUID(),
      name: input.name,
      owner: input.owner,
      tier: input.tier,
      description: input.description,
      keys: [],
      createdAt: now,
      updatedAt: now,
    };
    draft.applications.push(application);
    return application;
  });
}

/** Deletes the application with its credentials and subscriptions. */
export function deleteApplication(catalog: Catalog, id: string): Promise<void> {
  return catalog.commit((draft) => {
    const index = indexOfApplication(draft, id);
    draft.applications.splice(index, 1);
    draft.subscriptions = draft.subscriptions.filter(
      (subscription) => subscription.applicationId !== id,
    );
  });
}

/** Makes an API key; the key itself is in the result only, never stored (only its hash). */
export function createApiKey(options: {
  catalog: Catalog;
  applicationId: string;
  scopes: readonly string[] | undefined;
}): Promise<{ id: string; key: string; scopes?: readonly string[] }> {
  return options.catalog.commit((draft, now) => {
    const index = indexOfApplication(draft, options.applicationId);
    const application = draft.applications[index]!;
    if (application.keys.length >= keysPerApplicationMax)
      throw ApimErrors.create(
        'EXO_GATEWAY_APIM_INVALID',
        `an application has at most ${keysPerApplicationMax} API keys; revoke one first`,
      );
    const generated = generateApiKey();
    application.keys.push({
      id: generated.id,
      hash: generated.hash,
      ...(options.scopes === undefined ? {} : { scopes: [...options.scopes] }),
      createdAt: now,
    });
    application.updatedAt = now;
    return {
      id: generated.id,
      key: generated.key,
      ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    };
  });
}

export function revokeApiKey(options: {
  catalog: Catalog;
  applicationId: string;
  keyId: string;
}): Promise<void> {
  return options.catalog.commit((draft, now) => {
    const application = draft.applications[indexOfApplication(draft, options.applicationId)]!;
    const index = application.keys.findIndex((key) => key.id === options.keyId);
    if (index < 0)
      throw ApimErrors.create(
        'EXO_GATEWAY_API_KEY_NOT_FOUND',
        `application ${application.name} has no API key ${options.keyId}`,
      );
    application.keys.splice(index, 1);
    application.updatedAt = now;
  });
}

/**
 * Issues the OAuth client secret, replacing any previous one (which stops working at once;
 * tokens already issued stay valid until they expire). The client id is the application id,
 * so the tokens' `sub` and `client_id` both name the application.
 */
export function issueClientSecret(options: {
  catalog: Catalog;
  applicationId: string;
}): Promise<{ clientId: string; clientSecret: string }> {
  return options.catalog.commit((draft, now) => {
    const application = draft.applications[indexOfApplication(draft, options.applicationId)]!;
    const generated = generateClientCredentials({ clientId: application.id });
    application.oauthClient = { secretHash: generated.secretHash, createdAt: now };
    application.updatedAt = now;
    return { clientId: generated.clientId, clientSecret: generated.clientSecret };
  });
}

export function findApplication(catalog: Catalog, id: string): ApplicationRecord {
  const application = catalog.index.applications.get(id);
  if (application === undefined)
    throw ApimErrors.create('EXO_GATEWAY_APPLICATION_NOT_FOUND', `no application with id ${id}`);
  return application;
}

function indexOfApplication(draft: CatalogData, id: string): number {
  const index = draft.applications.findIndex((application) => application.id === id);
  if (index < 0)
    throw ApimErrors.create('EXO_GATEWAY_APPLICATION_NOT_FOUND', `no application with id ${id}`);
  return index;
}
