import { checkAddress } from './address-policy.util';

const strict = { allowPrivate: false };
const lax = { allowPrivate: true };

describe('checkAddress', () => {
  it.each([
    ['93.184.215.14'],
    ['1.1.1.1'],
    ['2606:4700:4700::1111'],
    ['[2606:4700:4700::1111]'],
    ['64:ff9b::5db8:d70e'], // NAT64 of a public IPv4 address
  ])('allows the public address %s', (address) => {
    expect(checkAddress(address, strict)).toEqual({ ok: true });
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2002:7f00:1::', 'reserved'], // 6to4
    ['2001::1', 'reserved'], // Teredo
    ['fec0::1', 'reserved'], // deprecated site-local
    ['::ffff:127.0.0.1', 'loopback'], // v4-mapped
    ['::ffff:7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'], // v4-compatible
    ['::ffff:0:10.0.0.1', 'private'], // SIIT
    ['64:ff9b::a00:1', 'private'], // NAT64 of a private address
    ['::ffff:192.168.0.1', 'private'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(checkAddress(address, strict)).toEqual({ ok: false, reason: `${kind} address` });
  });

  it.each([
    ['169.254.169.254'],
    ['169.254.170.2'],
    ['100.100.100.200'],
    ['fd00:ec2::254'],
    ['::ffff:169.254.169.254'],
  ])('refuses the metadata address %s even when private addresses are allowed', (address) => {
    expect(checkAddress(address, strict)).toEqual({ ok: false, reason: 'cloud metadata address' });
    expect(checkAddress(address, lax)).toEqual({ ok: false, reason: 'cloud metadata address' });
  });

  it.each([['127.0.0.1'], ['10.1.2.3'], ['::1'], ['fd12::1']])('allows %s with allowPrivate', (address) => {
    expect(checkAddress(address, lax)).toEqual({ ok: true });
  });

  it('refuses what is not an address', () => {
    expect(checkAddress('example.com', strict)).toEqual({ ok: false, reason: 'not an IP address' });
  });
});
