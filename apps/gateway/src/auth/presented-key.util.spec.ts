import { presentedKeyOf } from './presented-key.util';

describe('presentedKeyOf', () => {
  it('reads X-API-Key or Authorization: Bearer', () => {
    expect(presentedKeyOf({ 'x-api-key': ' sc_abc ' }, {})).toEqual({ kind: 'key', key: 'sc_abc' });
    expect(presentedKeyOf({ authorization: 'Bearer sc_abc' }, {})).toEqual({ kind: 'key', key: 'sc_abc' });
    expect(presentedKeyOf({ authorization: 'bearer   sc_abc' }, {})).toEqual({ kind: 'key', key: 'sc_abc' });
    expect(presentedKeyOf({ 'x-api-key': 'sc_abc', authorization: 'Bearer sc_abc' }, {})).toEqual({
      kind: 'key',
      key: 'sc_abc',
    });
  });

  it('finds no key in empty headers', () => {
    expect(presentedKeyOf({}, {})).toEqual({ kind: 'none' });
    expect(presentedKeyOf({ 'x-api-key': '  ' }, {})).toEqual({ kind: 'none' });
  });

  it('refuses a key in the URL, even next to a header key', () => {
    for (const name of ['token', 'api_key', 'API_KEY', 'access_token', 'apikey']) {
      const result = presentedKeyOf({ 'x-api-key': 'sc_abc' }, { [name]: 'sc_abc' });
      expect(result).toMatchObject({ kind: 'refused' });
      expect(result.kind === 'refused' && result.message).toContain('never accepted in the URL');
    }
  });

  it('refuses other Authorization schemes and two different keys', () => {
    expect(presentedKeyOf({ authorization: 'Basic dXNlcjpwdw==' }, {})).toMatchObject({ kind: 'refused' });
    expect(presentedKeyOf({ authorization: 'Bearer' }, {})).toMatchObject({ kind: 'refused' });
    expect(presentedKeyOf({ 'x-api-key': 'sc_a', authorization: 'Bearer sc_b' }, {})).toMatchObject({
      kind: 'refused',
    });
  });
});
