import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../../../activities/egress/address-class.js';
import {
  compileEgressPolicy,
  EgressConfigError,
  hostGlob,
  refusedDestination,
} from '../../../../activities/egress/policy.js';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['169.254.169.254', 'link-local, where cloud metadata servers answer'],
    ['10.0.0.1', 'private, RFC 1918'],
    ['172.16.5.4', 'private, RFC 1918'],
    ['192.168.1.1', 'private, RFC 1918'],
    ['100.64.0.1', 'carrier-grade NAT, 100.64.0.0/10'],
    ['100.127.255.254', 'carrier-grade NAT, 100.64.0.0/10'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
  ])('IPv4 %s is %s', (address, name) => {
    expect(classifyAddress(address)).toEqual({ name });
  });

  it.each([
    ['2606:4700:4700::1111', 'public'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local, where cloud metadata servers answer'],
    ['fe80::1%eth0', 'link-local, where cloud metadata servers answer'],
    ['fc00::1', 'unique-local, fc00::/7'],
    ['fd12:3456::1', 'unique-local, fc00::/7'],
    ['fec0::1', 'site-local, fec0::/10'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'Teredo tunnel'],
    ['100::1', 'discard-only, 100::/64'],
  ])('IPv6 %s is %s', (address, name) => {
    expect(classifyAddress(address)).toEqual({ name });
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1', 'loopback'], // IPv4-mapped
    ['::ffff:a9fe:a9fe', '169.254.169.254', 'link-local, where cloud metadata servers answer'],
    ['[::ffff:10.1.2.3]', '10.1.2.3', 'private, RFC 1918'],
    ['::7f00:1', '127.0.0.1', 'loopback'], // IPv4-compatible (deprecated), which ipaddr.js calls unicast
    ['::a9fe:a9fe', '169.254.169.254', 'link-local, where cloud metadata servers answer'],
    ['::ffff:0:7f00:1', '127.0.0.1', 'loopback'], // SIIT
    ['64:ff9b::a9fe:a9fe', '169.254.169.254', 'link-local, where cloud metadata servers answer'], // NAT64
    ['2002:0a00:0001::1', '10.0.0.1', 'private, RFC 1918'], // 6to4
    ['::ffff:8.8.8.8', '8.8.8.8', 'public'],
    ['64:ff9b::808:808', '8.8.8.8', 'public'],
  ])('the IPv6 form %s is judged as %s', (address, embedded, name) => {
    expect(classifyAddress(address)).toEqual({ name, embedded });
  });

  it('throws on something that is not an address', () => {
    expect(() => classifyAddress('example.com')).toThrow(/not an IP address/);
  });
});

describe('hostGlob', () => {
  it('a leading *. matches subdomains at any depth, not the domain itself', () => {
    const g = hostGlob('*.svc.cluster.local');
    expect(g.test('hooks.ci.svc.cluster.local')).toBe(true);
    expect(g.test('a.svc.cluster.local')).toBe(true);
    expect(g.test('svc.cluster.local')).toBe(false);
    expect(g.test('evil-svc.cluster.local')).toBe(false);
    expect(g.test('a.svc.cluster.local.evil.com')).toBe(false);
  });

  it('any other * stays inside one label; dots are literal', () => {
    const g = hostGlob('hooks-*.internal');
    expect(g.test('hooks-ci.internal')).toBe(true);
    expect(g.test('hooks-.internal')).toBe(true);
    expect(g.test('hooks-a.b.internal')).toBe(false);
    expect(hostGlob('a.b').test('axb')).toBe(false);
  });
});

describe('compileEgressPolicy', () => {
  it('allows public addresses and refuses special-purpose ones by default, naming the class', () => {
    const p = compileEgressPolicy([]);
    expect(p.check('example.com', '93.184.216.34')).toBeUndefined();
    expect(p.check('example.com', '2606:2800:220:1::1')).toBeUndefined();
    expect(p.check('metadata.google.internal', '169.254.169.254')).toBe(
      '169.254.169.254 (link-local, where cloud metadata servers answer)',
    );
    expect(p.check('::ffff:127.0.0.1', '::ffff:7f00:1')).toBe(
      '::ffff:7f00:1 (an IPv6 form of 127.0.0.1: loopback)',
    );
    for (const a of ['127.0.0.1', '10.0.0.1', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1'])
      expect(p.check('x.example', a), a).toBeDefined();
  });

  it('allows addresses inside an allowed CIDR (and the IPv4-mapped forms of them), nothing around them', () => {
    const p = compileEgressPolicy(['10.1.0.0/16', '127.0.0.1/32', 'fd00:1::/32', '192.168.7.7']);
    expect(p.check('a', '10.1.200.3')).toBeUndefined();
    expect(p.check('a', '::ffff:10.1.200.3')).toBeUndefined();
    expect(p.check('a', '10.2.0.1')).toMatch(/private/);
    expect(p.check('a', '127.0.0.1')).toBeUndefined();
    expect(p.check('a', '127.0.0.2')).toMatch(/loopback/);
    expect(p.check('a', 'fd00:1:2::3')).toBeUndefined();
    expect(p.check('a', 'fd00:2::3')).toMatch(/unique-local/);
    expect(p.check('a', '192.168.7.7')).toBeUndefined();
    expect(p.check('a', '192.168.7.8')).toMatch(/private/);
  });

  it('allows a listed host name (or glob) whatever it resolves to, case and trailing dot aside', () => {
    const p = compileEgressPolicy(['hooks.internal', '*.svc.cluster.local']);
    expect(p.check('hooks.internal', '10.9.9.9')).toBeUndefined();
    expect(p.check('HOOKS.internal.', '10.9.9.9')).toBeUndefined();
    expect(p.check('ci.tools.svc.cluster.local', '10.0.0.5')).toBeUndefined();
    expect(p.check('other.internal', '10.9.9.9')).toMatch(/private/);
    // A host entry never matches an IP literal: only CIDRs do.
    expect(compileEgressPolicy(['*.1']).check('10.0.0.1', '10.0.0.1')).toMatch(/private/);
  });

  it('refuses an entry that is no CIDR, address or host name', () => {
    expect(() => compileEgressPolicy(['10.0.0.0/33'])).toThrow(EgressConfigError);
    expect(() => compileEgressPolicy(['http://hooks.internal'])).toThrow(/is not a CIDR .*host name/);
    expect(() => compileEgressPolicy(['hooks internal'])).toThrow(EgressConfigError);
  });
});

describe('refusedDestination', () => {
  it('names the host and what it resolved to, or the literal alone', () => {
    expect(refusedDestination('metadata.internal', ['169.254.169.254 (link-local)'])).toBe(
      'metadata.internal resolves to 169.254.169.254 (link-local), which the egress policy denies',
    );
    expect(refusedDestination('[::1]', ['::1 (loopback)'])).toBe(
      '::1 (loopback), which the egress policy denies',
    );
  });
});
