// The egress policy: may a request that a pipeline file chose go to this host at this address?
// Public addresses may; special-purpose ones (address-class.ts) only when the administrator's
// `egress.allow` lists a CIDR holding the address, or a host name (glob) matching the URL's host.
import ipaddr from 'ipaddr.js';
import { classifyAddress, parseIp } from './address-class.js';

/** A refused address and its class, e.g. "169.254.169.254 (link-local …)"; undefined when it is allowed. */
export type Refusal = string | undefined;

/** A compiled egress policy. */
export interface EgressPolicy {
  /** Whether `host` (the URL's host name, or an IP literal) may be reached at `address` (what it resolved to). */
  check(host: string, address: string): Refusal;
}

/** The sentence an EgressRefusedError carries for a host and the addresses refused for it. */
export function refusedDestination(host: string, refusals: string[]): string {
  const name = normalizeHost(host.replace(/^\[(.*)\]$/, '$1'));
  const shown = parseIp(name) ? refusals.join(', ') : `${name} resolves to ${refusals.join(', ')}`;
  return `${shown}, which the egress policy denies`;
}

/** An `egress.allow` entry that is neither a CIDR, an IP address nor a host name (glob). */
export class EgressConfigError extends Error {
  override name = 'EgressConfigError' as const;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

const HOST_GLOB = /^(\*\.)?([a-z0-9*]([a-z0-9*-]*[a-z0-9*])?)(\.[a-z0-9*]([a-z0-9*-]*[a-z0-9*])?)*$/;

/** Host names are compared lower-case and without a trailing dot. */
export function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

/** A host glob as a RegExp: a leading `*.` matches any subdomain at any depth; any other `*` stays inside one label. */
export function hostGlob(glob: string): RegExp {
  const g = normalizeHost(glob);
  const lead = g.startsWith('*.');
  const rest = (lead ? g.slice(2) : g)
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
    .join('[a-z0-9-]*');
  return new RegExp(`^${lead ? '(?:[a-z0-9-]+\\.)+' : ''}${rest}$`);
}

/** Compiles `egress.allow`; an entry that is not a CIDR, an IP or a host name (glob) is an EgressConfigError. */
export function compileEgressPolicy(allow: readonly string[]): EgressPolicy {
  const cidrs: Cidr[] = [];
  const hosts: RegExp[] = [];
  for (const raw of allow) {
    const entry = raw.trim();
    if (ipaddr.isValidCIDR(entry)) cidrs.push(ipaddr.parseCIDR(entry));
    else if (parseIp(entry)) {
      const ip = parseIp(entry) as ipaddr.IPv4 | ipaddr.IPv6;
      cidrs.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else if (HOST_GLOB.test(normalizeHost(entry))) hosts.push(hostGlob(entry));
    else
      throw new EgressConfigError(
        `egress.allow: ${JSON.stringify(raw)} is not a CIDR ("10.1.0.0/16"), an IP address or a host name ("hooks.internal", "*.svc.cluster.local")`,
      );
  }
  const inAllowedCidr = (address: string) => {
    const ip = parseIp(address);
    if (!ip) return false;
    // ::ffff:10.1.2.3 is 10.1.2.3 to an allow-list entry.
    const plain =
      ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() ? ipaddr.process(ip.toString()) : ip;
    return cidrs.some(([net, bits]) => net.kind() === plain.kind() && plain.match(net, bits));
  };
  return {
    check(host, address) {
      const name = normalizeHost(host.replace(/^\[(.*)\]$/, '$1'));
      if (!parseIp(name) && hosts.some((h) => h.test(name))) return undefined;
      if (inAllowedCidr(address)) return undefined;
      const cls = classifyAddress(address);
      if (cls.name === 'public') return undefined;
      return `${address} (${cls.embedded ? `an IPv6 form of ${cls.embedded}: ` : ''}${cls.name})`;
    },
  };
}
