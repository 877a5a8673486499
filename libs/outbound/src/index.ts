export { OutboundError, isOutboundError, type OutboundErrorCode } from './outbound-error';
export { checkAddress, isIpLiteral, type AddressVerdict } from './address-policy.util';
export { checkUrlSyntax, MAX_URL_LENGTH, type UrlCheck, type UrlCheckOptions } from './url-syntax.util';
export {
  resolveSafeAddress,
  type HostResolver,
  type ResolvedAddress,
  type SafeAddress,
  type SafeAddressOptions,
} from './resolve-safe-address.util';
export { guardedRequest, type GuardedRequestOptions, type GuardedResponse } from './guarded-request';
