import type { FieldError } from '@exosphere/common';
import type { ApiOperation } from './model.js';
import { operationMethods } from './model.js';

/** What an OpenAPI 3.0 / 3.1 document gives an API. */
export interface OpenApiSummary {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  readonly operations: readonly ApiOperation[];
  /** The first absolute http(s) server URL, with server variables at their defaults. */
  readonly serverUrl: string | undefined;
}

export type OpenApiResult =
  | { readonly ok: true; readonly summary: OpenApiSummary }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

const pathsMax = 1000;
const operationsMax = 2000;
const scopePattern = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const schemeTypes = new Set(['apiKey', 'http', 'oauth2', 'openIdConnect', 'mutualTLS']);
/** WSO2's extension for an operation's throttling tier. */
const tierExtension = 'x-throttling-tier';

type Json = Record<string, unknown>;

/** RFC 6901 §3: "~" is written "~0" and "/" is written "~1" inside a reference token. */
export function pointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Reads the parts of an OpenAPI document the gateway uses (OpenAPI 3.0.3 / 3.1.0 §4.7-4.8):
 * `info`, `servers`, `paths` with their operations, `components.securitySchemes` and the
 * `security` requirements (§4.8.30) that give each operation its scopes. Every problem is
 * reported with the JSON pointer of the offending value; nothing else of the document is
 * interpreted, and the document itself is stored as given.
 */
export function readOpenApi(document: unknown): OpenApiResult {
  const errors: FieldError[] = [];
  const fail = (path: string, message: string): void => {
    errors.push({ path, errors: [message] });
  };
  if (!isObject(document)) return { ok: false, errors: [{ path: '/', errors: ['an object'] }] };
  const version = document.openapi;
  if (typeof version !== 'string' || !/^3\.[01]\.\d+$/.test(version))
    fail('/openapi', 'an OpenAPI version 3.0.x or 3.1.x (Swagger 2.0 is not supported)');
  const info = document.info;
  let title = '';
  let apiVersion = '';
  let description = '';
  if (!isObject(info)) fail('/info', 'an object with title and version');
  else {
    if (typeof info.title !== 'string' || info.title === '') fail('/info/title', 'a string');
    else title = info.title;
    if (typeof info.version !== 'string' || info.version === '') fail('/info/version', 'a string');
    else apiVersion = info.version;
    if (info.description !== undefined && typeof info.description !== 'string')
      fail('/info/description', 'a string');
    else description = info.description ?? '';
  }
  const schemes = readSecuritySchemes(document, fail);
  const globalSecurity = readSecurity(document.security, '/security', schemes, fail);
  const operations: ApiOperation[] = [];
  const paths = document.paths;
  // §4.8.1: paths is required in 3.0; 3.1 allows a document with webhooks or components only.
  if (paths === undefined) {
    if (typeof version === 'string' && version.startsWith('3.0.')) fail('/paths', 'required');
  } else if (!isObject(paths)) fail('/paths', 'an object');
  else {
    const entries = Object.entries(paths);
    if (entries.length > pathsMax) fail('/paths', `at most ${pathsMax} paths`);
    for (const [template, item] of entries.slice(0, pathsMax)) {
      const at = `/paths/${pointerToken(template)}`;
      if (!/^\/[^\s?#]*$/.test(template)) {
        fail(at, 'a path template starting with "/" (no query or fragment)');
        continue;
      }
      if (!balancedTemplate(template)) {
        fail(at, 'template braces must pair up: /pets/{petId}');
        continue;
      }
      if (!isObject(item)) {
        fail(at, 'a path item object');
        continue;
      }
      for (const method of operationMethods) {
        const operation = item[method.toLowerCase()];
        if (operation === undefined) continue;
        const operationAt = `${at}/${method.toLowerCase()}`;
        if (!isObject(operation)) {
          fail(operationAt, 'an operation object');
          continue;
        }
        const security =
          operation.security === undefined
            ? globalSecurity
            : readSecurity(operation.security, `${operationAt}/security`, schemes, fail);
        const tier = operation[tierExtension];
        if (
          tier !== undefined &&
          (typeof tier !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(tier))
        )
          fail(`${operationAt}/${tierExtension}`, 'a tier name such as Gold');
        const operationId = operation.operationId;
        if (operationId !== undefined && typeof operationId !== 'string')
          fail(`${operationAt}/operationId`, 'a string');
        operations.push({
          method,
          path: template,
          scopes: security,
          ...(typeof tier === 'string' ? { tier } : {}),
          ...(typeof operationId === 'string' ? { operationId } : {}),
        });
      }
    }
    if (operations.length > operationsMax) fail('/paths', `at most ${operationsMax} operations`);
  }
  const serverUrl = readServers(document.servers, fail);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    summary: { title, version: apiVersion, description, operations, serverUrl },
  };
}

/** scheme name → its type and, for oauth2, every scope its flows declare. */
type Schemes = ReadonlyMap<string, { type: string; scopes: ReadonlySet<string> | undefined }>;

function readSecuritySchemes(
  document: Json,
  fail: (path: string, message: string) => void,
): Schemes {
  const schemes = new Map<string, { type: string; scopes: ReadonlySet<string> | undefined }>();
  const components = document.components;
  if (components === undefined) return schemes;
  if (!isObject(components)) {
    fail('/components', 'an object');
    return schemes;
  }
  const declared = components.securitySchemes;
  if (declared === undefined) return schemes;
  if (!isObject(declared)) {
    fail('/components/securitySchemes', 'an object');
    return schemes;
  }
  for (const [name, scheme] of Object.entries(declared)) {
    const at = `/components/securitySchemes/${pointerToken(name)}`;
    if (!isObject(scheme)) {
      fail(at, 'a security scheme object');
      continue;
    }
    if (typeof scheme.type !== 'string' || !schemeTypes.has(scheme.type)) {
      fail(`${at}/type`, `one of ${[...schemeTypes].join(', ')}`);
      continue;
    }
    let scopes: Set<string> | undefined;
    if (scheme.type === 'oauth2') {
      scopes = new Set();
      if (!isObject(scheme.flows)) fail(`${at}/flows`, 'an object of OAuth flows');
      else
        for (const [flowName, flow] of Object.entries(scheme.flows)) {
          const flowScopes = isObject(flow) ? flow.scopes : undefined;
          if (!isObject(flowScopes)) {
            fail(
              `${at}/flows/${pointerToken(flowName)}/scopes`,
              'an object of scope → description',
            );
            continue;
          }
          for (const scope of Object.keys(flowScopes)) scopes.add(scope);
        }
    }
    schemes.set(name, { type: scheme.type, scopes });
  }
  return schemes;
}

/**
 * A list of security requirement objects (§4.8.30). Alternatives are not told apart: an
 * operation needs every scope any of its requirement objects names, which is never weaker
 * than the document asks.
 */
function readSecurity(
  value: unknown,
  at: string,
  schemes: Schemes,
  fail: (path: string, message: string) => void,
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    fail(at, 'an array of security requirement objects');
    return [];
  }
  const scopes = new Set<string>();
  value.forEach((requirement: unknown, index) => {
    if (!isObject(requirement)) {
      fail(`${at}/${index}`, 'a security requirement object');
      return;
    }
    for (const [name, list] of Object.entries(requirement)) {
      const entryAt = `${at}/${index}/${pointerToken(name)}`;
      const scheme = schemes.get(name);
      if (scheme === undefined) {
        fail(entryAt, `no security scheme '${name}' in components.securitySchemes`);
        continue;
      }
      if (!Array.isArray(list) || list.some((scope) => typeof scope !== 'string')) {
        fail(entryAt, 'an array of scope names');
        continue;
      }
      (list as string[]).forEach((scope, scopeIndex) => {
        if (!scopePattern.test(scope))
          fail(`${entryAt}/${scopeIndex}`, 'a scope token (RFC 6749 §3.3)');
        else if (scheme.scopes !== undefined && !scheme.scopes.has(scope))
          fail(
            `${entryAt}/${scopeIndex}`,
            `scope '${scope}' is not declared by the flows of '${name}'`,
          );
        else scopes.add(scope);
      });
    }
  });
  return [...scopes];
}

function readServers(
  value: unknown,
  fail: (path: string, message: string) => void,
): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    fail('/servers', 'an array of server objects');
    return undefined;
  }
  let found: string | undefined;
  value.forEach((server: unknown, index) => {
    if (!isObject(server) || typeof server.url !== 'string') {
      fail(`/servers/${index}/url`, 'a URL string');
      return;
    }
    // §4.8.5: {name} in the URL takes the variable's default.
    const variables = isObject(server.variables) ? server.variables : {};
    const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const variable = variables[name];
      return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
    });
    if (found === undefined && /^https?:\/\/[^{}\s]+$/.test(url)) found = url;
  });
  return found;
}

function balancedTemplate(template: string): boolean {
  let open = false;
  for (const character of template) {
    if (character === '{') {
      if (open) return false;
      open = true;
    } else if (character === '}') {
      if (!open) return false;
      open = false;
    }
  }
  return !open;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
