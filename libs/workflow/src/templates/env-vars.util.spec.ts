import { envVarNames, envVarSyntaxErrors, resolveEnvVars } from './env-vars.util';

describe('resolveEnvVars', () => {
  it('replaces set variables', () => {
    expect(resolveEnvVars('${SANDSTORM_URL}', { SANDSTORM_URL: 'http://sandstorm:8000' })).toBe(
      'http://sandstorm:8000',
    );
    expect(resolveEnvVars('https://${HOST}:${PORT}/hook', { HOST: 'h', PORT: '9' })).toBe('https://h:9/hook');
  });

  it('replaces unset variables with an empty string, never leaving ${VAR}', () => {
    expect(resolveEnvVars('${SANDSTORM_URL}', {})).toBe('');
    expect(resolveEnvVars('x${MISSING}y', { MISSING: undefined })).toBe('xy');
  });

  it('does not read inherited properties as variables', () => {
    expect(resolveEnvVars('${constructor}${toString}', {})).toBe('');
  });

  it('leaves malformed references and plain $ alone', () => {
    expect(resolveEnvVars('$HOME ${1X} ${A', { HOME: '/root', A: 'a' })).toBe('$HOME ${1X} ${A');
  });
});

describe('envVarNames', () => {
  it('lists each variable once in order of use', () => {
    expect(envVarNames('${B}/${A}/${B}')).toEqual(['B', 'A']);
  });
});

describe('envVarSyntaxErrors', () => {
  it('accepts well-formed references and text without any', () => {
    expect(envVarSyntaxErrors('https://${HOST_1}/${_P}')).toEqual([]);
    expect(envVarSyntaxErrors('https://example.com/$path')).toEqual([]);
  });

  it('describes every malformed reference', () => {
    expect(envVarSyntaxErrors('${} ${9A} ${A-B} ${OK} ${OPEN')).toEqual([
      "'${}' is not a valid variable: use ${NAME} with letters, digits and _ (not starting with a digit)",
      "'${9A}' is not a valid variable: use ${NAME} with letters, digits and _ (not starting with a digit)",
      "'${A-B}' is not a valid variable: use ${NAME} with letters, digits and _ (not starting with a digit)",
      "'${OPEN' has no closing '}'",
    ]);
  });
});
