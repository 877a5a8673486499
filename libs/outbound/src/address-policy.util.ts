import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses an outbound call to a tenant-supplied URL may reach.
 *
 * Only globally routable unicast is allowed. ipaddr.js classifies every address into a named range;
 * anything that is not `unicast` (loopback, private, link-local, unique-local, CGNAT, multicast,
 * unspecified, broadcast, reserved, documentation, benchmarking, 6to4, Teredo, …) is refused.
 * IPv6 forms that embed an IPv4 address (v4-mapped `::ffff:a.b.c.d`, v4-compatible `::a.b.c.d`,
 * SIIT `::ffff:0:a.b.c.d`) are judged by the embedded IPv4 address, so `[::ffff:127.0.0.1]` is
 * loopback. NAT64 (`64:ff9b::/96`) is allowed only when the embedded IPv4 address is public:
 * IPv6-only clusters reach public IPv4 hosts that way.
 *
 * Cloud metadata endpoints are refused even when private addresses are allowed (the local
 * development opt-out): no legitimate webhook receiver lives there.
 */

/** Metadata services of the common clouds (AWS/GCP/Azure/OpenStack, AWS ECS, Alibaba, AWS IPv6). */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '100.100.100.200',
  'fd00:ec2:0:0:0:0:0:254',
]);

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

export function checkAddress(address: string, opts: { allowPrivate: boolean }): AddressVerdict {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // Strip an IPv6 zone id (`fe80::1%eth0`) before parsing; the zone does not change the class.
    parsed = ipaddr.parse(stripBrackets(address).split('%')[0] ?? '');
  } catch {
    return { ok: false, reason: 'not an IP address' };
  }
  const v4 = embeddedIPv4(parsed);
  const effective = v4 ?? parsed;
  if (METADATA_ADDRESSES.has(effective.toNormalizedString())) {
    return { ok: false, reason: 'cloud metadata address' };
  }
  if (opts.allowPrivate) return { ok: true };
  const range = effective.range();
  if (range === 'unicast') return { ok: true };
  return { ok: false, reason: `${describeRange(range)} address` };
}

/** True when the text is an IP literal (IPv4 dotted, or IPv6 with or without brackets). */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(stripBrackets(host).split('%')[0] ?? '');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function embeddedIPv4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | null {
  if (address.kind() === 'ipv4') return null;
  const v6 = address as ipaddr.IPv6;
  const p = v6.parts;
  const low32 = (): ipaddr.IPv4 =>
    new ipaddr.IPv4([(p[6] ?? 0) >> 8, (p[6] ?? 0) & 0xff, (p[7] ?? 0) >> 8, (p[7] ?? 0) & 0xff]);
  // v4-mapped ::ffff:0:0/96 and v4-compatible ::/96 (but not :: and ::1, which keep their class).
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const zeroPrefix = p.slice(0, 6).every((x) => x === 0);
  if (zeroPrefix && ((p[6] ?? 0) !== 0 || (p[7] ?? 0) > 1)) return low32();
  // SIIT ::ffff:0:a.b.c.d (RFC 6145) and NAT64 64:ff9b::a.b.c.d (RFC 6052).
  const range = v6.range();
  if (range === 'rfc6145') return low32();
  if (range === 'rfc6052' && p[0] === 0x64 && p[1] === 0xff9b && p[2] === 0) return low32();
  return null;
}

function describeRange(range: string): string {
  switch (range) {
    case 'loopback':
      return 'loopback';
    case 'private':
      return 'private';
    case 'linkLocal':
      return 'link-local';
    case 'uniqueLocal':
      return 'unique-local';
    case 'carrierGradeNat':
      return 'carrier-grade NAT';
    case 'multicast':
      return 'multicast';
    case 'unspecified':
      return 'unspecified';
    case 'broadcast':
      return 'broadcast';
    default:
      return 'reserved';
  }
}
