import type { ApiRecord } from './model.js';

/**
 * The API's OpenAPI document as clients should use it: the stored document (or, for an API
 * made without one, a document generated from its operations) whose `servers` is the gateway's
 * URL for this API version (OpenAPI 3.0.3 §4.7.5), so generated clients call the gateway.
 */
export function exportOpenApi(api: ApiRecord, gatewayUrl: string): Record<string, unknown> {
  const server = { url: `${gatewayUrl.replace(/\/+$/, '')}${api.context}/${api.version}` };
  if (api.openapi !== undefined) return { ...structuredClone(api.openapi), servers: [server] };
  const scopes = [...new Set(api.operations.flatMap((operation) => operation.scopes))].sort();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of api.operations) {
    const item = (paths[operation.path] ??= {});
    item[operation.method.toLowerCase()] = {
      ...(operation.operationId === undefined ? {} : { operationId: operation.operationId }),
      ...(operation.tier === undefined ? {} : { 'x-throttling-tier': operation.tier }),
      security: [{ apiKey: [] }, { oauth2: operation.scopes }],
      responses: { default: { description: 'The upstream response.' } },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: api.name, version: api.version, description: api.description },
    servers: [server],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'apikey' },
        oauth2: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: `${gatewayUrl.replace(/\/+$/, '')}/oauth2/token`,
              scopes: Object.fromEntries(scopes.map((scope) => [scope, scope])),
            },
          },
        },
      },
    },
  };
}
