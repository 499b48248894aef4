import { isIP } from 'node:net';

/**
 * IP addresses and CIDR blocks as 32- or 128-bit integers. An IPv4-mapped IPv6 address
 * (::ffff:10.0.0.1, RFC 4291 §2.5.5.2) is the IPv4 address it carries: a dual-stack server
 * reports IPv4 clients that way, and a rule for 10.0.0.0/8 must still apply to them.
 * IPv4 and IPv6 rules never match each other's addresses otherwise, so `::/0` means "all
 * IPv6", not "everything".
 */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

export interface IpBlock {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly prefixLength: number;
}

const mappedPrefix = 0xffffn << 32n;
const mappedMask = ((1n << 128n) - 1n) ^ ((1n << 32n) - 1n);

export function parseIpAddress(text: string): IpAddress | undefined {
  // Brackets come from URL-style hosts; a zone (fe80::1%eth0) names an interface, not an address.
  const address = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const version = isIP(address);
  if (version === 4) return { version: 4, value: parseIpv4(address) };
  if (version !== 6) return undefined;
  const value = parseIpv6(address);
  if ((value & mappedMask) === mappedPrefix) return { version: 4, value: value & 0xffffffffn };
  return { version: 6, value };
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a single address (a /32 or /128 block). */
export function parseIpBlock(text: string): IpBlock | undefined {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  if (addressText.includes('%')) return undefined;
  const written = isIP(addressText);
  const address = parseIpAddress(addressText);
  if (address === undefined) return undefined;
  let prefixLength = prefixText === undefined ? (written === 4 ? 32 : 128) : Number(prefixText);
  if (prefixLength > (written === 4 ? 32 : 128)) return undefined;
  if (written === 6 && address.version === 4) {
    // ::ffff:10.0.0.0/104 is the IPv4 block 10.0.0.0/8; a mapped block shorter than /96
    // would straddle both families and is refused as almost certainly a mistake.
    if (prefixLength < 96) return undefined;
    prefixLength -= 96;
  }
  const bits = address.version === 4 ? 32 : 128;
  const hostBits = BigInt(bits - prefixLength);
  const network = (address.value >> hostBits) << hostBits;
  return { version: address.version, network, prefixLength };
}

export function blockContains(block: IpBlock, address: IpAddress): boolean {
  if (block.version !== address.version) return false;
  const hostBits = BigInt((block.version === 4 ? 32 : 128) - block.prefixLength);
  return address.value >> hostBits === block.network >> hostBits;
}

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** Expands RFC 4291 §2.2 text (with `::` and an optional dotted IPv4 tail) to 128 bits. */
function parseIpv6(text: string): bigint {
  const groupsOf = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const v4 = Number(parseIpv4(group));
      return [v4 >>> 16, v4 & 0xffff];
    });
  };
  const doubleColon = text.indexOf('::');
  let groups: number[];
  if (doubleColon < 0) {
    groups = groupsOf(text);
  } else {
    const head = groupsOf(text.slice(0, doubleColon));
    const tail = groupsOf(text.slice(doubleColon + 2));
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}
