// Server state through TanStack Query. In demo mode the same hooks answer from demo data.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useConnection } from '../lib/connection';
import * as demo from '../demo/demo-data';
import { api, unwrap } from './client';
import type { ForkBody, RunBody, ScheduleBody } from './types';

export interface RunFilter {
  status?: string;
  workflow?: string;
  schedule_id?: string;
  since?: string;
  until?: string;
  limit: number;
  offset: number;
}

const ACTIVE_REFRESH_MS = 5000;

export function useStats() {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['stats', isDemo],
    queryFn: () => (isDemo ? demo.demoStats : unwrap(api.GET('/stats'))),
    refetchInterval: isDemo ? false : 15000,
  });
}

export function useRuns(filter: RunFilter, live = true) {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['runs', filter, isDemo],
    queryFn: async () => {
      if (isDemo) return { runs: demo.demoRuns, total: demo.demoRuns.length };
      const query = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== ''));
      const response = await api.GET('/runs', { params: { query } });
      const runs = await unwrap(Promise.resolve(response));
      const meta = (response.data as { meta?: { total?: number } } | undefined)?.meta;
      return { runs, total: meta?.total ?? runs.length };
    },
    // Refreshes while any run on the page is still going.
    refetchInterval: (q) =>
      live &&
      !isDemo &&
      q.state.data?.runs.some(
        (r) => !['completed', 'failed', 'cancelled', 'budget_exceeded'].includes(r.status),
      )
        ? ACTIVE_REFRESH_MS
        : false,
  });
}

export function useRun(id: string) {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['run', id, isDemo],
    queryFn: () => (isDemo ? demo.demoRun(id) : unwrap(api.GET('/runs/{id}', { params: { path: { id } } }))),
  });
}

export function useLineage(id: string) {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['lineage', id, isDemo],
    queryFn: () =>
      isDemo ? demo.demoLineage(id) : unwrap(api.GET('/runs/{id}/lineage', { params: { path: { id } } })),
  });
}

export function useDeliveries(id: string) {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['deliveries', id, isDemo],
    queryFn: () => (isDemo ? [] : unwrap(api.GET('/runs/{id}/deliveries', { params: { path: { id } } }))),
  });
}

export function useWorkflows() {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['workflows', isDemo],
    queryFn: () => (isDemo ? demo.demoWorkflows : unwrap(api.GET('/workflows'))),
  });
}

export function useWorkflow(name: string | undefined) {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['workflow', name, isDemo],
    enabled: name !== undefined,
    queryFn: () =>
      isDemo
        ? demo.demoWorkflow
        : unwrap(api.GET('/workflows/{name}', { params: { path: { name: name ?? '' } } })),
  });
}

export function useSchedules() {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['schedules', isDemo],
    queryFn: () =>
      isDemo ? demo.demoSchedules : unwrap(api.GET('/schedules', { params: { query: { limit: 200 } } })),
  });
}

/** Open dead-letter items; refreshed every 10 s so the sidebar badge stays live. */
export function useDeadLetters(resolved = false) {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['dead-letter', resolved, isDemo],
    queryFn: async () => {
      if (isDemo)
        return {
          items: resolved ? [] : demo.demoDeadLetters,
          total: resolved ? 0 : demo.demoDeadLetters.length,
        };
      const response = await api.GET('/dead-letter', { params: { query: { resolved, limit: 100 } } });
      const items = await unwrap(Promise.resolve(response));
      const meta = (response.data as { meta?: { total?: number } } | undefined)?.meta;
      return { items, total: meta?.total ?? items.length };
    },
    refetchInterval: isDemo ? false : 10000,
  });
}

export function useApiKeys() {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['api-keys', isDemo],
    queryFn: () =>
      isDemo ? demo.demoApiKeys : unwrap(api.GET('/api-keys', { params: { query: { limit: 200 } } })),
  });
}

/** Every mutation refreshes what it may have changed. */
function useAction<A, R>(fn: (args: A) => Promise<R>, invalidate: string[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all(invalidate.map((key) => client.invalidateQueries({ queryKey: [key] })));
    },
  });
}

export const useStartRun = () =>
  useAction((body: RunBody) => unwrap(api.POST('/workflows/run', { body })), ['runs', 'stats']);
export const useCancelRun = () =>
  useAction(
    (id: string) => unwrap(api.POST('/runs/{id}/cancel', { params: { path: { id } } })),
    ['run', 'runs'],
  );
export const useReplay = () =>
  useAction(
    ({ id, from_step }: { id: string; from_step: string }) =>
      unwrap(api.POST('/runs/{id}/replay', { params: { path: { id } }, body: { from_step } })),
    ['lineage', 'runs'],
  );
export const useFork = () =>
  useAction(
    ({ id, body }: { id: string; body: ForkBody }) =>
      unwrap(api.POST('/runs/{id}/fork', { params: { path: { id } }, body })),
    ['lineage', 'runs'],
  );
export const useSaveWorkflow = () =>
  useAction(
    (body: { name?: string; content: string }) => unwrap(api.POST('/workflows', { body })),
    ['workflows', 'workflow'],
  );
export const useSaveSchedule = () =>
  useAction(
    ({ id, body }: { id?: string; body: ScheduleBody }) =>
      id
        ? unwrap(api.PATCH('/schedules/{id}', { params: { path: { id } }, body }))
        : unwrap(api.POST('/schedules', { body })),
    ['schedules'],
  );
export const useToggleSchedule = () =>
  useAction(
    ({ id, enabled }: { id: string; enabled: boolean }) =>
      unwrap(api.PATCH('/schedules/{id}', { params: { path: { id } }, body: { enabled } })),
    ['schedules'],
  );
export const useDeleteSchedule = () =>
  useAction(
    (id: string) => unwrap(api.DELETE('/schedules/{id}', { params: { path: { id } } })),
    ['schedules'],
  );
export const useRetryDeadLetter = () =>
  useAction(
    (id: string) => unwrap(api.POST('/dead-letter/{id}/retry', { params: { path: { id } } })),
    ['dead-letter', 'runs'],
  );
export const useResolveDeadLetter = () =>
  useAction(
    ({ id, reason }: { id: string; reason: string }) =>
      unwrap(api.POST('/dead-letter/{id}/resolve', { params: { path: { id } }, body: { reason } })),
    ['dead-letter'],
  );
export const useCreateApiKey = () =>
  useAction(
    (body: { tenant_id: string; name: string; max_cost_per_run_usd?: number }) =>
      unwrap(api.POST('/api-keys', { body })),
    ['api-keys'],
  );
export const useRevokeApiKey = () =>
  useAction((id: string) => unwrap(api.DELETE('/api-keys/{id}', { params: { path: { id } } })), ['api-keys']);

export function useWorkflowVersions(name: string) {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['workflow-versions', name, isDemo],
    queryFn: () =>
      isDemo
        ? demo.demoWorkflows
        : unwrap(
            api.GET('/workflows/{name}/versions', { params: { path: { name }, query: { limit: 100 } } }),
          ),
  });
}

export function useWorkflowVersion(name: string, version: number | undefined) {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['workflow-version', name, version, isDemo],
    enabled: version !== undefined,
    queryFn: () =>
      isDemo
        ? demo.demoWorkflow
        : unwrap(
            api.GET('/workflows/{name}/versions/{version}', {
              params: { path: { name, version: version ?? 1 } },
            }),
          ),
  });
}

/**
 * Finished attempts of a run (`stepId` null: the whole run, first 200), oldest first. `version`
 * (a digest of the run's step rows) makes the history follow the run as it moves.
 */
export function useAttempts(id: string, stepId: string | null, version: string) {
  const { demo: isDemo } = useConnection();
  return useQuery({
    queryKey: ['attempts', id, stepId, version, isDemo],
    placeholderData: (previous) => previous,
    queryFn: async () => {
      if (isDemo) return { attempts: [], total: 0 };
      const query = { limit: 200, ...(stepId === null ? {} : { step_id: stepId }) };
      const response = await api.GET('/runs/{id}/attempts', { params: { path: { id }, query } });
      const attempts = await unwrap(Promise.resolve(response));
      const meta = (response.data as { meta?: { total?: number } } | undefined)?.meta;
      return { attempts, total: meta?.total ?? attempts.length };
    },
  });
}
