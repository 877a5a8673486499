import {
  APP_PORTS,
  APPS,
  KNOWN_METRICS,
  metricsIn,
  readRepoFile,
  readYaml,
  type Doc,
} from './support/deploy-files.util';

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readRepoFile('monitoring/grafana/dashboards/sandcastle.json'));
const panels: Panel[] = (dashboard.panels as Panel[]).filter((panel) => panel.type !== 'row');
const exprs = panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
const compose = readYaml('docker-compose.yml');

describe('Grafana dashboard', () => {
  it('gives every panel at least one query', () => {
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels)
      expect({ panel: panel.title, queries: panel.targets?.length ?? 0 }).not.toEqual({
        panel: panel.title,
        queries: 0,
      });
  });

  it('queries only metrics the apps export', () => {
    for (const expr of exprs) {
      const metrics = metricsIn(expr);
      expect({ expr, hasMetric: metrics.length > 0 }).toEqual({ expr, hasMetric: true });
      for (const metric of metrics)
        expect({ expr, metric, known: KNOWN_METRICS.has(metric) }).toEqual({ expr, metric, known: true });
    }
  });

  it('shows runs/s, success rate, step latency p50/p99, queue lag, in-flight, cost/h and memory per service', () => {
    const all = exprs.join('\n');
    expect(all).toContain('rate(sandcastle_orchestrator_runs_started_total');
    expect(all).toContain('sandcastle_orchestrator_runs_finished_total{status="completed"}');
    expect(all).toMatch(/histogram_quantile\(0\.5,[^\n]*sandcastle_executor_attempt_duration_seconds_bucket/);
    expect(all).toMatch(
      /histogram_quantile\(0\.99,[^\n]*sandcastle_executor_attempt_duration_seconds_bucket/,
    );
    expect(all).toContain('sandcastle_executor_message_lag_seconds_bucket');
    expect(all).toContain('sandcastle_executor_in_flight');
    expect(all).toMatch(/rate\(sandcastle_executor_cost_usd_total\[[^\]]+\]\)\) \* 3600/);
    for (const app of APPS) expect(all).toContain(`sandcastle_${app}_process_resident_memory_bytes`);
  });

  it('uses the provisioned Prometheus datasource', () => {
    const provisioned = readYaml('monitoring/grafana/provisioning/datasources/prometheus.yml');
    const uids = (provisioned.datasources as { uid: string }[]).map((ds) => ds.uid);
    for (const panel of panels) expect(uids).toContain(panel.datasource?.uid);
  });

  it('is loaded from the directory compose mounts it into', () => {
    const provider = readYaml('monitoring/grafana/provisioning/dashboards/sandcastle.yml').providers[0];
    const mounts: string[] = compose.services.grafana.volumes;
    expect(mounts).toContain(`./monitoring/grafana/dashboards:${provider.options.path}:ro`);
  });
});

describe('Prometheus', () => {
  const config = readYaml('monitoring/prometheus.yml');
  const jobs: Doc[] = config.scrape_configs;

  it.each(APPS)('scrapes %s on its compose service name and port', (app) => {
    const job = jobs.find((candidate) => candidate.job_name === app);
    expect(job).toBeDefined();
    expect(job.metrics_path).toBe('/metrics');
    const targets = [
      ...(job.static_configs ?? []).flatMap((c: Doc) => c.targets),
      ...(job.dns_sd_configs ?? []).flatMap((c: Doc) => c.names.map((n: string) => `${n}:${c.port}`)),
    ];
    expect(targets).toEqual([`${app}:${APP_PORTS[app]}`]);
    expect(Object.keys(compose.services)).toContain(app);
  });

  it('loads alert rules that compose mounts and that use known metrics', () => {
    const mounted = (compose.services.prometheus.volumes as string[]).map((mount) => mount.split(':')[1]);
    for (const file of config.rule_files as string[]) expect(mounted).toContain(file);
    const rules = (readYaml('monitoring/alerts.yml').groups as Doc[]).flatMap((group) => group.rules);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      for (const metric of metricsIn(rule.expr))
        expect({ metric, known: KNOWN_METRICS.has(metric) }).toEqual({ metric, known: true });
    }
  });
});
