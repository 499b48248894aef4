import type { SubscriptionRecord, SubscriptionState } from '@exosphere/client';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseFlags } from '../flags.js';
import { printJson, printTable } from '../output.js';
import { requirePositionals, runSubcommand, type Subcommand } from '../subcommands.js';
import { gatewayAdminFlags, gatewayAdminFromFlags } from './gateway-admin-endpoint.js';

const usage = [
  'exo subscription create --application APP_ID --api API_ID [--tier T]',
  'exo subscription list [--application APP_ID] [--api API_ID]',
  'exo subscription block|unblock|delete ID',
  '  every subcommand: [--json] [--gateway-admin URL] [--token T]',
].join('\n       ');

function setState(state: SubscriptionState): Subcommand {
  return async (argv) => {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    const [id] = requirePositionals(positionals, ['ID']);
    const subscription = await (
      await gatewayAdminFromFlags(values)
    ).changeSubscription(id!, { state });
    if (values.json) printJson(subscription);
    else console.log(`subscription ${subscription.id} is ${subscription.state}`);
    return 0;
  };
}

const subcommands: Record<string, Subcommand> = {
  async create(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        ...gatewayAdminFlags,
        application: { type: 'string' },
        api: { type: 'string' },
        tier: { type: 'string' },
      },
      true,
    );
    requirePositionals(positionals, []);
    if (values.application === undefined || values.api === undefined)
      throw new UsageError('--application APP_ID and --api API_ID are required');
    const subscription = await (
      await gatewayAdminFromFlags(values)
    ).createSubscription({
      applicationId: values.application,
      apiId: values.api,
      ...(values.tier === undefined ? {} : { tier: values.tier }),
    });
    if (values.json) printJson(subscription);
    else
      console.log(
        `subscription ${subscription.id} created (${subscription.tier}, ${subscription.state})`,
      );
    return 0;
  },
  async list(argv) {
    const { values, positionals } = parseFlags(
      argv,
      { ...gatewayAdminFlags, application: { type: 'string' }, api: { type: 'string' } },
      true,
    );
    requirePositionals(positionals, []);
    const subscriptions = await (
      await gatewayAdminFromFlags(values)
    ).listSubscriptions({
      ...(values.application === undefined ? {} : { applicationId: values.application }),
      ...(values.api === undefined ? {} : { apiId: values.api }),
    });
    if (values.json) printJson({ subscriptions });
    else
      printTable<SubscriptionRecord>(
        subscriptions,
        [
          { header: 'ID', value: (subscription) => subscription.id },
          { header: 'APPLICATION', value: (subscription) => subscription.applicationId },
          { header: 'API', value: (subscription) => subscription.apiId },
          { header: 'TIER', value: (subscription) => subscription.tier },
          { header: 'STATE', value: (subscription) => subscription.state },
        ],
        'no subscriptions',
      );
    return 0;
  },
  block: setState('BLOCKED'),
  unblock: setState('ACTIVE'),
  async delete(argv) {
    const { values, positionals } = parseFlags(argv, gatewayAdminFlags, true);
    const [id] = requirePositionals(positionals, ['ID']);
    await (await gatewayAdminFromFlags(values)).deleteSubscription(id!);
    if (values.json) printJson({ deleted: id });
    else console.log(`subscription ${id} deleted`);
    return 0;
  },
};

export const subscriptionCommand: Command = {
  name: 'subscription',
  summary: 'manage subscriptions of applications to gateway APIs (tier, block, unblock)',
  usage,
  run: (argv) => runSubcommand(argv, subcommands),
};
