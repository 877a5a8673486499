import { checkUrlSyntax } from '@sandcastle/outbound';
import { ApiException } from './api.exception';

/**
 * Refuses (400 VALIDATION_ERROR naming the field) a tenant-supplied URL the notifier would never
 * call: loopback, private, link-local and metadata addresses, internal names, credentials. The
 * one outbound guard of libs/outbound decides; the notifier checks again after DNS resolution.
 */
export function requireOutboundUrl(url: string, field: string, allowPrivate: boolean): string {
  const check = checkUrlSyntax(url, { allowPrivate });
  if (check.ok) return url;
  const message = `${field} is not allowed: ${check.reason}`;
  throw new ApiException('VALIDATION_ERROR', message, [{ field, message }]);
}
