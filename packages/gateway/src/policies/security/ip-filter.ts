import { z } from 'zod';
import type { PolicyType, RequestPolicy } from '../policy.js';
import { blockContains, parseIpAddress, parseIpBlock, type IpBlock } from './ip-address.js';
import { reject } from './rejections.js';

const blockSchema = z
  .string()
  .refine((text) => parseIpBlock(text) !== undefined, 'an IPv4 or IPv6 address or CIDR block');

export const ipFilterSchema = z
  .strictObject({
    /** When not empty, only these addresses may call. */
    allow: z.array(blockSchema).default([]),
    /** These addresses may never call; deny wins over allow. */
    deny: z.array(blockSchema).default([]),
  })
  .refine((config) => config.allow.length > 0 || config.deny.length > 0, {
    message: 'give allow, deny, or both',
  });

export type IpFilterConfig = z.output<typeof ipFilterSchema>;

/**
 * Allow and deny lists on the client address the proxy reports in `remoteAddress` (which
 * proxy hops to trust for X-Forwarded-For is the proxy core's decision, not this policy's).
 * An address that cannot be parsed is refused: a filter fails closed.
 */
export function createIpFilterPolicy(config: IpFilterConfig): RequestPolicy {
  const allow = config.allow.map((text) => parseIpBlock(text)!);
  const deny = config.deny.map((text) => parseIpBlock(text)!);
  const denied = reject(
    'EXO_GATEWAY_IP_DENIED',
    'Calls from this client address are not allowed on this route.',
  );
  const inAny = (
    blocks: readonly IpBlock[],
    address: NonNullable<ReturnType<typeof parseIpAddress>>,
  ) => blocks.some((block) => blockContains(block, address));

  return {
    name: 'ip-filter',
    onRequest(request) {
      const address = parseIpAddress(request.remoteAddress);
      if (address === undefined || inAny(deny, address)) return denied;
      if (allow.length > 0 && !inAny(allow, address)) return denied;
      return undefined;
    },
  };
}

export const ipFilterPolicyType: PolicyType<typeof ipFilterSchema> = {
  type: 'ip-filter',
  schema: ipFilterSchema,
  create: (config) => createIpFilterPolicy(config),
};
