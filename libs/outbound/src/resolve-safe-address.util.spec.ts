import { OutboundError } from './outbound-error';
import { type HostResolver, resolveSafeAddress } from './resolve-safe-address.util';

const strict = { allowPrivate: false };

function resolverOf(map: Record<string, string[]>): HostResolver {
  return async (hostname) => {
    const addresses = map[hostname];
    if (addresses === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    expect(error).toBeInstanceOf(OutboundError);
    return (error as OutboundError).code;
  }
}

describe('resolveSafeAddress', () => {
  const resolver = resolverOf({
    'public.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'rebind.example': ['127.0.0.1'],
    'mixed.example': ['93.184.215.14', '10.0.0.7'],
    'mapped.example': ['::ffff:127.0.0.1'],
    'metadata.example': ['169.254.169.254'],
    'empty.example': [],
  });

  it('answers the first address of a public name and every address it checked', async () => {
    const safe = await resolveSafeAddress('https://public.example/hook', { ...strict, resolver });
    expect(safe.address).toBe('93.184.215.14');
    expect(safe.family).toBe(4);
    expect(safe.addresses).toHaveLength(2);
    expect(safe.url.href).toBe('https://public.example/hook');
  });

  it('refuses a name that resolves to loopback', async () => {
    await expect(
      resolveSafeAddress('https://rebind.example/', { ...strict, resolver }),
    ).rejects.toMatchObject({
      code: 'UNSAFE_URL',
      message: 'unsafe URL: the host resolves to a loopback address',
    });
  });

  it.each([['mixed.example'], ['mapped.example'], ['metadata.example']])(
    'refuses %s (one unsafe address is enough)',
    async (host) => {
      expect(await codeOf(resolveSafeAddress(`https://${host}/`, { ...strict, resolver }))).toBe(
        'UNSAFE_URL',
      );
    },
  );

  it('allows a private resolution with allowPrivate but never metadata', async () => {
    const safe = await resolveSafeAddress('https://rebind.example/', { allowPrivate: true, resolver });
    expect(safe.address).toBe('127.0.0.1');
    expect(
      await codeOf(resolveSafeAddress('https://metadata.example/', { allowPrivate: true, resolver })),
    ).toBe('UNSAFE_URL');
  });

  it('answers DNS_FAILED without the resolver message', async () => {
    await expect(
      resolveSafeAddress('https://missing.example/', { ...strict, resolver }),
    ).rejects.toMatchObject({
      code: 'DNS_FAILED',
      message: 'the host name could not be resolved',
    });
    expect(await codeOf(resolveSafeAddress('https://empty.example/', { ...strict, resolver }))).toBe(
      'DNS_FAILED',
    );
  });

  it('does not resolve a refused URL', async () => {
    const spy = jest.fn(resolver);
    expect(await codeOf(resolveSafeAddress('http://localhost/', { ...strict, resolver: spy }))).toBe(
      'UNSAFE_URL',
    );
    expect(spy).not.toHaveBeenCalled();
  });

  it('takes literal addresses as they are', async () => {
    const spy = jest.fn(resolver);
    const safe = await resolveSafeAddress('http://[2606:4700::1]:8080/', { ...strict, resolver: spy });
    expect(safe).toMatchObject({ address: '2606:4700::1', family: 6 });
    expect(spy).not.toHaveBeenCalled();
  });

  it('resolves through the system resolver by default', async () => {
    const safe = await resolveSafeAddress('http://localhost:1/', { allowPrivate: true });
    expect(['127.0.0.1', '::1']).toContain(safe.address);
  });
});
