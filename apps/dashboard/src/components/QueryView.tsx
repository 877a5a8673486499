import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Empty, ErrorState, Loading } from './ui';

/**
 * The states every server-backed part of a page has, in one place: loading, an error (with a
 * retry unless `retry` is false), empty (when `isEmpty` says so), and the data.
 */
export function QueryView<T>({
  query,
  isEmpty,
  empty,
  retry = true,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  retry?: boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) {
    return <ErrorState error={query.error} {...(retry ? { onRetry: () => void query.refetch() } : {})} />;
  }
  if (isEmpty?.(query.data)) return <Empty>{empty}</Empty>;
  return <>{children(query.data)}</>;
}
