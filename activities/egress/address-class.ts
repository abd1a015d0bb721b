// What kind of address an IP is, for the egress policy: public, or one of the special-purpose ranges
// (loopback, link-local, private, …) a pipeline file must not reach unless the administrator allows it.
// Ranges come from ipaddr.js (IANA's special-purpose registries); IPv6 forms that carry an IPv4 address
// (mapped, compatible, NAT64, SIIT, 6to4) are judged by the IPv4 address inside them.
import ipaddr from 'ipaddr.js';

/** The class of an address: `public`, or why it is special. */
export interface AddressClass {
  /** `public`, or the range's name: loopback, link-local, private, … */
  name: string;
  /** For an IPv6 form of an IPv4 address: that IPv4 address (judged in its place). */
  embedded?: string;
}

// ipaddr.js range names → the words errors use. Anything else that is not `unicast` is "special-purpose".
const names: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local, where cloud metadata servers answer',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT, 100.64.0.0/10',
  private: 'private, RFC 1918',
  reserved: 'reserved',
  uniqueLocal: 'unique-local, fc00::/7',
  deprecatedSiteLocal: 'site-local, fec0::/10',
  teredo: 'Teredo tunnel',
  discard: 'discard-only, 100::/64',
};

/** Parses an IP address (IPv4, or IPv6 without brackets and zone); undefined when it is none. */
export function parseIp(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : undefined;
}

/** The IPv4 address an IPv6 address stands for (mapped, compatible, SIIT, NAT64, 6to4), if any. */
export function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = ip.parts;
  // Two 16-bit parts as an IPv4 address.
  const v4 = (hi: number, lo: number) => {
    const a = p[hi] ?? 0;
    const b = p[lo] ?? 0;
    return new ipaddr.IPv4([a >> 8, a & 0xff, b >> 8, b & 0xff]);
  };
  const low = () => v4(6, 7);
  const range = ip.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') return low();
  if (range === '6to4') return v4(1, 2);
  // IPv4-compatible ::a.b.c.d (deprecated; ipaddr.js calls it unicast). :: and ::1 have their own class.
  if (range === 'unicast' && p.slice(0, 6).every((x) => x === 0)) return low();
  return undefined;
}

/** Classifies an address; throws on something that is not an IP address. */
export function classifyAddress(address: string): AddressClass {
  const ip = parseIp(address);
  if (!ip) throw new Error(`not an IP address: ${address}`);
  if (ip.kind() === 'ipv6') {
    const v4 = embeddedIPv4(ip as ipaddr.IPv6);
    if (v4) {
      const inner = classOf(v4);
      return { name: inner, embedded: v4.toString() };
    }
  }
  return { name: classOf(ip) };
}

function classOf(ip: ipaddr.IPv4 | ipaddr.IPv6): string {
  const range = ip.range();
  if (range === 'unicast') return 'public';
  return names[range] ?? `special-purpose: ${range}`;
}
