import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useRuns, useStats } from '../api/queries';
import { RunTable } from '../components/RunTable';
import { Card, Empty, ErrorState, Loading, PageHeader } from '../components/ui';
import { formatCost, formatDuration, formatPercent } from '../lib/format';
import { QueryView } from '../components/QueryView';

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <p className="text-sm text-slate-600 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold" data-testid={`kpi-${label}`}>
        {value}
      </p>
    </Card>
  );
}

export function OverviewPage() {
  const stats = useStats();
  const recent = useRuns({ limit: 8, offset: 0 });
  if (stats.isPending) return <Loading />;
  if (stats.isError) return <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />;
  const s = stats.data;
  return (
    <div>
      <PageHeader title="Overview" />
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Kpi label="Runs today" value={String(s.total_runs_today)} />
        <Kpi label="Success rate" value={formatPercent(s.success_rate)} />
        <Kpi label="Cost today" value={formatCost(s.total_cost_today)} />
        <Kpi label="Average duration" value={formatDuration(s.avg_duration_seconds)} />
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <Card title="Last 30 days: completed vs failed" className="lg:col-span-2">
          <div className="h-64">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={s.runs_by_day}>
                <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} vertical={false} />
                <XAxis
                  dataKey="date"
                  tick={{ fontSize: 11 }}
                  tickFormatter={(d: string) => d.slice(5)}
                  stroke="currentColor"
                />
                <YAxis allowDecimals={false} tick={{ fontSize: 11 }} stroke="currentColor" />
                <Tooltip />
                <Legend />
                <Bar dataKey="completed" stackId="runs" fill="#059669" isAnimationActive={false} />
                <Bar dataKey="failed" stackId="runs" fill="#dc2626" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Card title="Cost by workflow">
          {s.cost_by_workflow.length === 0 ? (
            <Empty>No cost yet.</Empty>
          ) : (
            <div className="h-64">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={s.cost_by_workflow} layout="vertical" margin={{ left: 20 }}>
                  <XAxis type="number" tick={{ fontSize: 11 }} stroke="currentColor" />
                  <YAxis
                    type="category"
                    dataKey="workflow"
                    width={110}
                    tick={{ fontSize: 11 }}
                    stroke="currentColor"
                  />
                  <Tooltip formatter={(v) => formatCost(Number(v))} />
                  <Bar dataKey="cost_usd" name="cost (USD)" fill="#2563eb" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>
      </div>
      <Card title="Recent runs" className="mt-4">
        <QueryView
          query={recent}
          retry={false}
          isEmpty={(data) => data.runs.length === 0}
          empty="No runs yet: start one from Workflows."
        >
          {(data) => <RunTable runs={data.runs} />}
        </QueryView>
      </Card>
    </div>
  );
}
