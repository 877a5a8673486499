import { checkUrlSyntax, MAX_URL_LENGTH } from './url-syntax.util';

const strict = { allowPrivate: false };
const lax = { allowPrivate: true };

function reason(url: string, opts = strict): string | null {
  const result = checkUrlSyntax(url, opts);
  return result.ok ? null : result.reason;
}

describe('checkUrlSyntax', () => {
  it.each([
    ['https://hooks.example.com/sandcastle?token=abc'],
    ['http://example.com:8080/x'],
    ['https://93.184.215.14/'],
    ['https://[2606:4700:4700::1111]/'],
    ['HTTPS://HOOKS.EXAMPLE.COM/'],
    ['https://hooks.example.com./'],
  ])('accepts %s', (url) => {
    const result = checkUrlSyntax(url, strict);
    expect(result.ok).toBe(true);
  });

  it('returns the parsed URL', () => {
    const result = checkUrlSyntax('HTTPS://Hooks.Example.com/a?b=1', strict);
    expect(result).toEqual({ ok: true, url: new URL('https://hooks.example.com/a?b=1') });
  });

  it.each([
    ['http://127.0.0.1/', 'loopback address'],
    ['http://127.0.0.1.:8080/', 'loopback address'],
    ['http://2130706433/', 'loopback address'], // decimal integer
    ['http://017700000001/', 'loopback address'], // octal integer
    ['http://0x7f.1/', 'loopback address'], // hex, short form
    ['http://0x7f000001/', 'loopback address'],
    ['http://127.1/', 'loopback address'],
    ['http://[::1]/', 'loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'loopback address'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', 'loopback address'],
    ['http://0/', 'unspecified address'],
    ['http://[::]/', 'unspecified address'],
    ['http://10.0.0.5/', 'private address'],
    ['http://0xa.0.0.5/', 'private address'],
    ['http://192.168.0.1/', 'private address'],
    ['http://172.20.0.1/', 'private address'],
    ['http://100.64.1.1/', 'carrier-grade NAT address'],
    ['http://[fe80::1]/', 'link-local address'],
    ['http://[fd00::1]/', 'unique-local address'],
    ['http://224.0.0.251/', 'multicast address'],
    ['http://255.255.255.255/', 'broadcast address'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata address'],
    ['http://[fd00:ec2::254]/', 'cloud metadata address'],
    ['http://public.example@127.0.0.1/', 'credentials in the URL are not allowed'],
    ['http://user:pass@hooks.example.com/', 'credentials in the URL are not allowed'],
    ['http://127.0.0.1#@public.example/', 'loopback address'],
    ['http://localhost/', 'internal host name'],
    ['http://LOCALHOST./', 'internal host name'],
    ['http://api.localhost/', 'internal host name'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'internal host name'],
    ['http://db.internal/', 'internal host name'],
    ['http://printer.local/', 'internal host name'],
    ['http://gateway:3000/', 'internal host name'],
    ['ftp://example.com/', 'only http and https are allowed'],
    ['file:///etc/passwd', 'only http and https are allowed'],
    ['gopher://example.com/', 'only http and https are allowed'],
    ['javascript:alert(1)', 'only http and https are allowed'],
    ['http://[::1%25eth0]/', 'not a valid URL'], // zone ids are not valid in URLs
    ['http://[fe80::1%eth0]/', 'not a valid URL'],
    ['not a url', 'not a valid URL'],
    ['', 'not a URL'],
  ])('refuses %s (%s)', (url, why) => {
    expect(reason(url)).toBe(why);
  });

  it('refuses over-long URLs', () => {
    const url = `https://example.com/${'a'.repeat(MAX_URL_LENGTH)}`;
    expect(reason(url)).toBe(`longer than ${MAX_URL_LENGTH} characters`);
  });

  it.each([
    ['http://127.0.0.1:4000/hook'],
    ['http://localhost:4000/hook'],
    ['http://10.0.0.5/'],
    ['http://gateway:3000/'],
    ['http://[::1]/'],
  ])('allows %s with allowPrivate', (url) => {
    expect(reason(url, lax)).toBeNull();
  });

  it('keeps refusing metadata, userinfo and other schemes with allowPrivate', () => {
    expect(reason('http://169.254.169.254/', lax)).toBe('cloud metadata address');
    expect(reason('http://metadata.google.internal/', lax)).toBe('cloud metadata host name');
    expect(reason('http://a@127.0.0.1/', lax)).toBe('credentials in the URL are not allowed');
    expect(reason('file:///etc/passwd', lax)).toBe('only http and https are allowed');
  });

  it('never echoes the URL in its reason', () => {
    const secret = 'sekrit-token-123';
    const result = checkUrlSyntax(`http://${secret}:x@127.0.0.1/${secret}`, strict);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});
