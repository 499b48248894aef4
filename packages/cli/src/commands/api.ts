import { readFile, writeFile } from 'node:fs/promises';
import type { LifecycleAction, ManagedApi, ManagedApiSummary } from '@exosphere/client';
import { UsageError, type Command } from '../command.js';
import { parseFlags } from '../flags.js';
import { formatFields, printJson, printTable } from '../output.js';
import { requirePositionals, runSubcommand, type Subcommand } from '../subcommands.js';
import { gatewayAdminFlags, gatewayAdminFromFlags } from './gateway-admin-endpoint.js';

const usage = [
  'exo api list | show ID | delete ID | export ID [--output FILE]',
  'exo api create --context /PATH (--upstream NAME | --target URL ...) [--name N --version V] [--openapi FILE] [--tier T ...] [--default-version] [--description TEXT]',
  'exo api import FILE [--context /PATH] [--upstream NAME] [--name N] [--version V] [--default-version]',
  'exo api publish|deprecate|retire|block|unblock ID',
  '  every subcommand: [--json] [--gateway-admin URL] [--token T]',
].join('\n       ');

function lifecycle(action: LifecycleAction): Subcommand {
  return async (argv) => {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    const [id] = requirePositionals(positionals, ['ID']);
    const api = await (await gatewayAdminFromFlags(values)).changeLifecycle(id!, action);
    if (values.json) printJson(api);
    else console.log(`API ${api.name} ${api.version} (${api.id}) is ${api.state}`);
    return 0;
  };
}

const subcommands: Record<string, Subcommand> = {
  async list(argv) {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    requirePositionals(positionals, []);
    const apis = await (await gatewayAdminFromFlags(values)).listApis();
    if (values.json) printJson({ apis });
    else
      printTable<ManagedApiSummary>(
        apis,
        [
          { header: 'ID', value: (api) => api.id },
          { header: 'NAME', value: (api) => api.name },
          { header: 'VERSION', value: (api) => api.version },
          { header: 'CONTEXT', value: (api) => api.context },
          { header: 'STATE', value: (api) => api.state },
          { header: 'OPERATIONS', value: (api) => api.operations.length, align: 'right' },
        ],
        'no APIs',
      );
    return 0;
  },
  async show(argv) {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    const [id] = requirePositionals(positionals, ['ID']);
    const api = await (await gatewayAdminFromFlags(values)).getApi(id!);
    if (values.json) printJson(api);
    else console.log(describe(api));
    return 0;
  },
  async create(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        ...gatewayAdminFlags,
        name: { type: 'string' },
        version: { type: 'string' },
        context: { type: 'string' },
        description: { type: 'string' },
        upstream: { type: 'string' },
        target: { type: 'string', multiple: true },
        tier: { type: 'string', multiple: true },
        openapi: { type: 'string' },
        'default-version': { type: 'boolean' },
      },
      true,
    );
    requirePositionals(positionals, []);
    if (
      (values.upstream === undefined) === (values.target === undefined) &&
      values.openapi === undefined
    )
      throw new UsageError('give --upstream NAME or --target URL (or --openapi FILE with servers)');
    const endpoint =
      values.upstream !== undefined
        ? { upstream: values.upstream }
        : values.target !== undefined
          ? { targets: values.target.map((url) => ({ url })) }
          : undefined;
    const api = await (
      await gatewayAdminFromFlags(values)
    ).createApi({
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.version === undefined ? {} : { version: values.version }),
      ...(values.context === undefined ? {} : { context: values.context }),
      ...(values.description === undefined ? {} : { description: values.description }),
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(values.tier === undefined ? {} : { tiers: values.tier }),
      ...(values['default-version'] ? { defaultVersion: true } : {}),
      ...(values.openapi === undefined ? {} : { openapi: await readFile(values.openapi, 'utf8') }),
    });
    if (values.json) printJson(api);
    else
      console.log(
        `API ${api.name} ${api.version} created: ${api.id} (${api.state}, ${api.context})`,
      );
    return 0;
  },
  async import(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        ...gatewayAdminFlags,
        name: { type: 'string' },
        version: { type: 'string' },
        context: { type: 'string' },
        upstream: { type: 'string' },
        'default-version': { type: 'boolean' },
      },
      true,
    );
    const [file] = requirePositionals(positionals, ['FILE']);
    const document = await readFile(file!, 'utf8');
    const api = await (
      await gatewayAdminFromFlags(values)
    ).importApi(document, {
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.version === undefined ? {} : { version: values.version }),
      ...(values.context === undefined ? {} : { context: values.context }),
      ...(values.upstream === undefined ? {} : { upstream: values.upstream }),
      ...(values['default-version'] ? { defaultVersion: true } : {}),
    });
    if (values.json) printJson(api);
    else
      console.log(
        `API ${api.name} ${api.version} ${api.created ? 'created' : 'updated'}: ${api.id} (${api.operations.length} operations)`,
      );
    return 0;
  },
  async export(argv) {
    const { values, positionals } = parseFlags(
      argv,
      { ...gatewayAdminFlags, output: { type: 'string' } },
      true,
    );
    const [id] = requirePositionals(positionals, ['ID']);
    const document = await (await gatewayAdminFromFlags(values)).exportApi(id!);
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (values.output === undefined) process.stdout.write(text);
    else await writeFile(values.output, text);
    return 0;
  },
  async delete(argv) {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    const [id] = requirePositionals(positionals, ['ID']);
    await (await gatewayAdminFromFlags(values)).deleteApi(id!);
    if (values.json) printJson({ deleted: id });
    else console.log(`API ${id} deleted`);
    return 0;
  },
  publish: lifecycle('publish'),
  deprecate: lifecycle('deprecate'),
  retire: lifecycle('retire'),
  block: lifecycle('block'),
  unblock: lifecycle('unblock'),
};

export const apiCommand: Command = {
  name: 'api',
  summary: 'manage the gateway’s APIs: create, import/export OpenAPI, lifecycle',
  usage,
  run: (argv) => runSubcommand(argv, subcommands),
};

function describe(api: ManagedApi): string {
  const endpoint =
    'upstream' in api.endpoint
      ? `upstream ${String(api.endpoint.upstream)}`
      : JSON.stringify(api.endpoint);
  const fields: Array<[string, string]> = [
    ['id', api.id],
    ['name', api.name],
    ['version', api.version],
    ['context', `${api.context}${api.defaultVersion ? ' (default version)' : ''}`],
    ['state', `${api.state} (next: ${api.allowedActions.join(', ') || 'none'})`],
    ['endpoint', endpoint],
    ['tiers', api.tiers.join(', ')],
  ];
  const lines = [formatFields(fields)];
  if (api.operations.length > 0) {
    lines.push('operations:');
    for (const operation of api.operations)
      lines.push(
        `  ${operation.method.padEnd(7)} ${operation.path}${operation.scopes.length > 0 ? `  scopes: ${operation.scopes.join(' ')}` : ''}${operation.tier ? `  tier: ${operation.tier}` : ''}`,
      );
  }
  return lines.join('\n');
}
