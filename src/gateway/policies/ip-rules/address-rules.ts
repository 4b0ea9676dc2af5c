/** Allow and deny lists compiled once; one lookup per request decides whether a client address is admitted. */
import { AddressSet } from '../../edge/ip-address.js';
import type { IpRulesConfig } from './schema.js';

/** Compiled ipRules of an API or a consumer. */
export class AddressRules {
  private readonly allow: AddressSet;
  private readonly deny: AddressSet;
  private readonly allowsAny: boolean;

  /** The entries were checked at load (checkIpRules); an invalid one here is misuse and throws. */
  constructor(config: IpRulesConfig) {
    this.allow = AddressSet.from(config.allow);
    this.deny = AddressSet.from(config.deny);
    this.allowsAny = config.allow.length === 0;
  }

  /** Rules that would refuse nobody compile to nothing, so they add no step. */
  static compile(config: IpRulesConfig | undefined): AddressRules | undefined {
    if (config === undefined || (config.allow.length === 0 && config.deny.length === 0)) return undefined;
    return new AddressRules(config);
  }

  /**
   * True when the client may pass: not denied (deny wins), and allowed when there is an allow
   * list. A client without a known address (family 0) is refused: no rule can show it is not denied.
   */
  admits(ip: string, family: 0 | 4 | 6): boolean {
    if (family === 0) return false;
    if (this.deny.has(ip, family)) return false;
    return this.allowsAny || this.allow.has(ip, family);
  }
}
