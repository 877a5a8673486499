import { envVarSyntaxErrors } from '../templates/env-vars.util';
import type { SectionReader } from './section-reader.util';

/**
 * `sandstorm_url` and webhooks: a string that may hold `${VAR}`s (resolved by whoever connects,
 * with the environment of that process). Without variables it must already be an http(s) URL;
 * with them it can only be checked once resolved.
 */
export function readUrlField(reader: SectionReader, key: string): string | null {
  const value = reader.string(key);
  if (value === undefined) return null;
  const syntaxErrors = envVarSyntaxErrors(value);
  for (const error of syntaxErrors) reader.report(key, `${reader.name(key)}: ${error}`);
  if (syntaxErrors.length > 0) return null;
  if (!value.includes('${') && !isHttpUrl(value)) {
    reader.report(key, `${reader.name(key)} must be an http(s) URL or use \${VAR}, got '${value}'`);
    return null;
  }
  return value;
}

/**
 * `sandstorm_url` may also be the bare name of a configured endpoint (`gpu`). Whether the name,
 * URL or variable is allowed is the operator's policy (`endpointProblems`), checked when a policy
 * is given to the parser.
 */
export function readSandstormUrlField(reader: SectionReader, key: string): string | null {
  const value = reader.string(key);
  if (value === undefined) return null;
  const syntaxErrors = envVarSyntaxErrors(value);
  for (const error of syntaxErrors) reader.report(key, `${reader.name(key)}: ${error}`);
  if (syntaxErrors.length > 0) return null;
  if (!value.includes('${') && !isHttpUrl(value) && !ENDPOINT_NAME.test(value)) {
    reader.report(
      key,
      `${reader.name(key)} must be the name of a runtime endpoint, an http(s) URL or \${VAR}, got '${value}'`,
    );
    return null;
  }
  return value;
}

const ENDPOINT_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** True for an absolute http(s) URL: what `sandstorm_url` and webhooks must resolve to. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
