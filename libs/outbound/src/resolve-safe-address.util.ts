import { lookup as dnsLookup } from 'node:dns/promises';
import { checkAddress, isIpLiteral } from './address-policy.util';
import { OutboundError } from './outbound-error';
import { checkUrlSyntax, normaliseHost } from './url-syntax.util';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. Tests pass their own to play a hostile DNS. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeAddressOptions {
  allowPrivate: boolean;
  /** Defaults to the system resolver (`dns.lookup` with `all: true`, as Node's HTTP stack uses). */
  resolver?: HostResolver;
}

export interface SafeAddress extends ResolvedAddress {
  url: URL;
  /** Every address the name resolved to; each one passed the check. */
  addresses: ResolvedAddress[];
}

const systemResolver: HostResolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

/**
 * Checks the URL, resolves its host and checks every resolved address. If any one address is
 * refused the whole URL is: a name that answers with one public and one private address would
 * otherwise reach the private one on a retry. The caller must connect to the returned address
 * (see `guardedRequest`), never resolve the name again: a second lookup could answer differently
 * (DNS rebinding).
 *
 * Throws `OutboundError` with code `UNSAFE_URL` or `DNS_FAILED`.
 */
export async function resolveSafeAddress(raw: string | URL, opts: SafeAddressOptions): Promise<SafeAddress> {
  const checked = checkUrlSyntax(typeof raw === 'string' ? raw : raw.href, opts);
  if (!checked.ok) throw new OutboundError('UNSAFE_URL', `unsafe URL: ${checked.reason}`);
  const url = checked.url;
  const host = normaliseHost(url.hostname);
  if (isIpLiteral(host)) {
    const address = host.replace(/^\[|\]$/g, '');
    const family = address.includes(':') ? 6 : 4;
    return { url, address, family, addresses: [{ address, family }] };
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await (opts.resolver ?? systemResolver)(host);
  } catch {
    throw new OutboundError('DNS_FAILED', 'the host name could not be resolved');
  }
  const first = addresses[0];
  if (first === undefined) {
    throw new OutboundError('DNS_FAILED', 'the host name could not be resolved');
  }
  for (const entry of addresses) {
    const verdict = checkAddress(entry.address, opts);
    if (!verdict.ok) {
      throw new OutboundError('UNSAFE_URL', `unsafe URL: the host resolves to a ${verdict.reason}`);
    }
  }
  return { url, address: first.address, family: first.family, addresses };
}
