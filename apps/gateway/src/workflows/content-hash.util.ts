import { createHash } from 'node:crypto';

/** sha256 hex of the YAML exactly as sent: equal hashes mean "nothing changed, no new version". */
export function contentHash(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}
