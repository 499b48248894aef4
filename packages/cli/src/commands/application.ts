import type { ManagedApplication } from '@exosphere/client';
import type { Command } from '../command.js';
import { parseFlags } from '../flags.js';
import { formatFields, printJson, printTable } from '../output.js';
import { requirePositionals, runSubcommand, type Subcommand } from '../subcommands.js';
import { gatewayAdminFlags, gatewayAdminFromFlags } from './gateway-admin-endpoint.js';

const usage = [
  'exo application create NAME [--owner O] [--tier T] [--description TEXT]',
  'exo application list | show ID | delete ID',
  'exo application key create APP_ID [--scope S ...] | key revoke APP_ID KEY_ID',
  'exo application client-secret APP_ID',
  '  every subcommand: [--json] [--gateway-admin URL] [--token T]',
].join('\n       ');

const keySubcommands: Record<string, Subcommand> = {
  async create(argv) {
    const { values, positionals } = parseFlags(
      argv,
      { ...gatewayAdminFlags, scope: { type: 'string', multiple: true } },
      true,
    );
    const [applicationId] = requirePositionals(positionals, ['APP_ID']);
    const key = await (
      await gatewayAdminFromFlags(values)
    ).createApiKey(applicationId!, {
      ...(values.scope === undefined ? {} : { scopes: values.scope }),
    });
    if (values.json) printJson(key);
    else {
      console.log(`API key ${key.id} created; it is shown only now, keep it safe:`);
      console.log(key.key);
    }
    return 0;
  },
  async revoke(argv) {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    const [applicationId, keyId] = requirePositionals(positionals, ['APP_ID', 'KEY_ID']);
    await (await gatewayAdminFromFlags(values)).revokeApiKey(applicationId!, keyId!);
    if (values.json) printJson({ revoked: keyId });
    else console.log(`API key ${keyId} revoked`);
    return 0;
  },
};

const subcommands: Record<string, Subcommand> = {
  async create(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        ...gatewayAdminFlags,
        owner: { type: 'string' },
        tier: { type: 'string' },
        description: { type: 'string' },
      },
      true,
    );
    const [name] = requirePositionals(positionals, ['NAME']);
    const application = await (
      await gatewayAdminFromFlags(values)
    ).createApplication({
      name: name!,
      ...(values.owner === undefined ? {} : { owner: values.owner }),
      ...(values.tier === undefined ? {} : { tier: values.tier }),
      ...(values.description === undefined ? {} : { description: values.description }),
    });
    if (values.json) printJson(application);
    else console.log(`application ${application.name} created: ${application.id}`);
    return 0;
  },
  async list(argv) {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    requirePositionals(positionals, []);
    const applications = await (await gatewayAdminFromFlags(values)).listApplications();
    if (values.json) printJson({ applications });
    else
      printTable<ManagedApplication>(
        applications,
        [
          { header: 'ID', value: (application) => application.id },
          { header: 'NAME', value: (application) => application.name },
          { header: 'OWNER', value: (application) => application.owner },
          { header: 'TIER', value: (application) => application.tier },
          { header: 'KEYS', value: (application) => application.keys.length, align: 'right' },
          { header: 'OAUTH', value: (application) => (application.oauthClient ? 'yes' : 'no') },
        ],
        'no applications',
      );
    return 0;
  },
  async show(argv) {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    const [id] = requirePositionals(positionals, ['ID']);
    const application = await (await gatewayAdminFromFlags(values)).getApplication(id!);
    if (values.json) printJson(application);
    else
      console.log(
        formatFields([
          ['id', application.id],
          ['name', application.name],
          ['owner', application.owner],
          ['tier', application.tier],
          ['keys', application.keys.map((key) => key.id).join(', ') || '-'],
          ['oauth client', application.oauthClient ? application.oauthClient.clientId : '-'],
        ]),
      );
    return 0;
  },
  async delete(argv) {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    const [id] = requirePositionals(positionals, ['ID']);
    await (await gatewayAdminFromFlags(values)).deleteApplication(id!);
    if (values.json) printJson({ deleted: id });
    else console.log(`application ${id} deleted, with its keys and subscriptions`);
    return 0;
  },
  key: (argv) => runSubcommand(argv, keySubcommands),
  async 'client-secret'(argv) {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    const [id] = requirePositionals(positionals, ['APP_ID']);
    const credentials = await (await gatewayAdminFromFlags(values)).issueClientSecret(id!);
    if (values.json) printJson(credentials);
    else {
      console.log(
        'OAuth client credentials; the secret is shown only now and replaces any previous one:',
      );
      console.log(
        formatFields([
          ['client id', credentials.clientId],
          ['client secret', credentials.clientSecret],
          ['token URL', credentials.tokenUrl],
        ]),
      );
    }
    return 0;
  },
};

export const applicationCommand: Command = {
  name: 'application',
  summary: 'manage the applications that call gateway APIs, their API keys and OAuth clients',
  usage,
  run: (argv) => runSubcommand(argv, subcommands),
};
