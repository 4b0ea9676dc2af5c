/** Config schema of IP rules: the client addresses an API (`apis[].ipRules`) or a consumer (`consumers[].ipRules`) admits. */

/** Allow and deny lists of IPv4/IPv6 addresses and CIDR ranges. */
export interface IpRulesConfig {
  allow: string[];
  deny: string[];
}

const cidrList = (description: string) =>
  ({
    type: 'array',
    default: [],
    maxItems: 10000,
    items: { type: 'string', minLength: 2, maxLength: 64 },
    description,
  }) as const;

export const ipRulesSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'Client addresses admitted (403 IP_NOT_ALLOWED otherwise). The client address is the peer, or the right-most untrusted hop of listen.clientAddressHeader when the peer is one of listen.trustedProxies. Entries are IPv4 or IPv6 addresses or CIDR ranges; a range with bits set after its prefix (10.0.0.1/8) is refused; IPv4-mapped IPv6 (::ffff:10.0.0.0/104) means the IPv4 range. A client whose address is not known (a proxy wrote `unknown`, an obfuscated `_id`, or a hop that could not be read) is refused as soon as any rule is set.',
  properties: {
    allow: cidrList('Addresses and ranges admitted. Empty: every address not denied. IPv6 ranges hold IPv6 addresses only: ::/0 does not admit IPv4 clients (add 0.0.0.0/0).'),
    deny: cidrList('Addresses and ranges refused, even when an allow entry holds them too (deny wins).'),
  },
} as const;
