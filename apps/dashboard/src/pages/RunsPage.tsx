import { useState } from 'react';
import { useRuns, useSchedules, useWorkflows, type RunFilter } from '../api/queries';
import { RunTable } from '../components/RunTable';
import { Button, Card, inputClass, PageHeader } from '../components/ui';
import { QueryView } from '../components/QueryView';

const STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'budget_exceeded'];
const PAGE = 25;

export function RunsPage() {
  const initial = new URLSearchParams(window.location.search);
  const [filter, setFilter] = useState<RunFilter>({
    status: initial.get('status') ?? '',
    workflow: initial.get('workflow') ?? '',
    schedule_id: initial.get('schedule_id') ?? '',
    since: '',
    until: '',
    limit: PAGE,
    offset: 0,
  });
  const runs = useRuns({
    ...filter,
    since: filter.since ? new Date(filter.since).toISOString() : '',
    until: filter.until ? new Date(`${filter.until}T23:59:59.999`).toISOString() : '',
  });
  const workflows = useWorkflows();
  const schedules = useSchedules();
  const set = (patch: Partial<RunFilter>) =>
    setFilter((f) => ({ ...f, ...patch, offset: 'offset' in patch ? (patch.offset ?? 0) : 0 }));
  const total = runs.data?.total ?? 0;
  return (
    <div>
      <PageHeader title="Runs" />
      <Card className="mb-4">
        <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
          <label className="text-sm">
            Status
            <select
              className={inputClass}
              value={filter.status}
              onChange={(e) => set({ status: e.target.value })}
            >
              <option value="">any</option>
              {STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            Workflow
            <select
              className={inputClass}
              value={filter.workflow}
              onChange={(e) => set({ workflow: e.target.value })}
            >
              <option value="">any</option>
              {workflows.data?.map((w) => (
                <option key={w.name}>{w.name}</option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            Schedule
            <select
              className={inputClass}
              value={filter.schedule_id}
              onChange={(e) => set({ schedule_id: e.target.value })}
            >
              <option value="">any</option>
              {schedules.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.workflow_name} · {s.cron_expression}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            From
            <input
              type="date"
              className={inputClass}
              value={filter.since}
              onChange={(e) => set({ since: e.target.value })}
            />
          </label>
          <label className="text-sm">
            To
            <input
              type="date"
              className={inputClass}
              value={filter.until}
              onChange={(e) => set({ until: e.target.value })}
            />
          </label>
        </div>
      </Card>
      <Card>
        <QueryView
          query={runs}
          isEmpty={(data) => data.runs.length === 0}
          empty="No runs match these filters."
        >
          {(data) => (
            <>
              <RunTable runs={data.runs} />
              <div className="mt-3 flex items-center justify-between text-sm">
                <span>
                  {filter.offset + 1}–{filter.offset + data.runs.length} of {total}
                </span>
                <div className="flex gap-2">
                  <Button
                    disabled={filter.offset === 0}
                    onClick={() => set({ offset: Math.max(0, filter.offset - PAGE) })}
                  >
                    Previous
                  </Button>
                  <Button
                    disabled={filter.offset + PAGE >= total}
                    onClick={() => set({ offset: filter.offset + PAGE })}
                  >
                    Next
                  </Button>
                </div>
              </div>
            </>
          )}
        </QueryView>
      </Card>
    </div>
  );
}
