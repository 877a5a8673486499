import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  alertExpressions,
  alertRules,
  dashboardExpressions,
  dashboardFiles,
  metricNamesIn,
  PROMETHEUS_SERIES,
  promtoolParseErrors,
  readDashboard,
  ruleFiles,
  RULES_DIR,
} from '../support/monitoring-expressions';
import { REGISTERED_METRICS } from './support/catalogue.util';
import { APP_PORTS, APPS, readRepoFile, readYaml, REPO, type Doc } from './support/deploy-files.util';

const compose = readYaml('docker-compose.yml');

function allExprs(file: string): string {
  return readDashboard(file)
    .panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ''))
    .join('\n');
}

describe('Grafana dashboards', () => {
  it('are the overview, engine and services dashboards, each with a unique uid', () => {
    expect(dashboardFiles()).toEqual([
      'sandcastle-engine.json',
      'sandcastle-overview.json',
      'sandcastle-services.json',
    ]);
    const uids = dashboardFiles().map((file) => readDashboard(file).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('give every panel at least one query, on the provisioned Prometheus datasource', () => {
    const provisioned = readYaml('monitoring/grafana/provisioning/datasources/prometheus.yml');
    const uids = (provisioned.datasources as { uid: string }[]).map((ds) => ds.uid);
    for (const file of dashboardFiles())
      for (const panel of readDashboard(file).panels.filter((p) => p.type !== 'row') as Doc[]) {
        expect({ panel: panel.title, queries: panel.targets?.length ?? 0 }).not.toEqual({
          panel: panel.title,
          queries: 0,
        });
        expect(uids).toContain(panel.datasource?.uid);
      }
  });

  it('parse with Prometheus’ own parser (promtool)', () => {
    expect(promtoolParseErrors(dashboardExpressions())).toEqual([]);
  });

  it('query only metrics the services register (the live check is e2e/observability.e2e-spec.ts)', () => {
    for (const { source, expr } of dashboardExpressions()) {
      const names = metricNamesIn(expr);
      expect({ source, hasMetric: names.length > 0 }).toEqual({ source, hasMetric: true });
      for (const name of names)
        expect({ source, name, registered: REGISTERED_METRICS.has(name) }).toEqual({
          source,
          name,
          registered: true,
        });
    }
  });

  it('overview: throughput, failures and cost', () => {
    const all = allExprs('sandcastle-overview.json');
    expect(all).toContain('rate(sandcastle_orchestrator_runs_started_total');
    expect(all).toContain('sandcastle_orchestrator_runs_finished_total{status!="completed"}');
    expect(all).toContain('sandcastle_orchestrator_workflow_runs_finished_total');
    expect(all).toMatch(/rate\(sandcastle_executor_cost_usd_total\[[^\]]+\]\)\) \* 3600/);
    expect(all).toContain('sandcastle_orchestrator_workflow_cost_usd_total');
  });

  it('engine: dispatch latency, consumer lag, retries, outbox and dead letters', () => {
    const all = allExprs('sandcastle-engine.json');
    expect(all).toMatch(/histogram_quantile\(0\.99, [^\n]*sandcastle_executor_message_lag_seconds_bucket/);
    expect(all).toContain('sandcastle_executor_consumer_pending_messages');
    expect(all).toContain('sandcastle_orchestrator_step_retries_total');
    expect(all).toContain('sandcastle_orchestrator_outbox_pending_rows');
    expect(all).toContain('sandcastle_orchestrator_outbox_oldest_pending_age_seconds');
    for (const app of APPS) expect(all).toContain(`sandcastle_${app}_messages_dead_lettered_total`);
  });

  it('services: CPU, memory and event loop lag of every replica of every service', () => {
    const all = allExprs('sandcastle-services.json');
    for (const app of APPS) {
      expect(all).toContain(`rate(sandcastle_${app}_process_cpu_seconds_total`);
      expect(all).toContain(`sandcastle_${app}_process_resident_memory_bytes`);
      expect(all).toContain(`sandcastle_${app}_nodejs_eventloop_lag_p99_seconds`);
    }
  });

  it('are loaded from the directory compose mounts them into', () => {
    const provider = readYaml('monitoring/grafana/provisioning/dashboards/sandcastle.yml').providers[0];
    const mounts: string[] = compose.services.grafana.volumes;
    expect(mounts).toContain(`./monitoring/grafana/dashboards:${provider.options.path}:ro`);
  });
});

describe('Prometheus alert rules', () => {
  const rules = alertRules();

  it('pass promtool check rules', () => {
    for (const file of ruleFiles())
      expect(
        execFileSync('promtool', ['check', 'rules', path.join(REPO, RULES_DIR, file)], { encoding: 'utf8' }),
      ).toContain('SUCCESS');
  });

  it('read only metrics the services register (or Prometheus’ own `up`)', () => {
    for (const { source, expr } of alertExpressions()) {
      const names = metricNamesIn(expr);
      expect({ source, hasMetric: names.length > 0 }).toEqual({ source, hasMetric: true });
      for (const name of names)
        expect({ source, name, known: REGISTERED_METRICS.has(name) || PROMETHEUS_SERIES.has(name) }).toEqual({
          source,
          name,
          known: true,
        });
    }
  });

  it('cover failure rate, dead letters, consumer lag, outbox age, service down and webhook failures', () => {
    const exprs = rules.map((rule) => rule.expr).join('\n');
    expect(exprs).toContain('sandcastle_orchestrator_runs_finished_total{status!="completed"}');
    expect(exprs).toContain('messages_dead_lettered_total');
    expect(exprs).toContain('consumer_pending_messages');
    expect(exprs).toContain('sandcastle_orchestrator_outbox_oldest_pending_age_seconds');
    expect(exprs).toMatch(/^up\{/m);
    expect(exprs).toContain('sandcastle_notifier_deliveries_total{outcome!="delivered"}');
  });

  it('link each alert to its section of docs/operations.md', () => {
    const operations = readRepoFile('docs/operations.md');
    const anchors = new Set(
      [...operations.matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const rule of rules) {
      const anchor = rule.annotations?.runbook?.split('#')[1];
      expect({ alert: rule.alert, anchor, documented: anchor !== undefined && anchors.has(anchor) }).toEqual({
        alert: rule.alert,
        anchor,
        documented: true,
      });
    }
  });
});

describe('Prometheus configuration (compose)', () => {
  const config = readYaml('monitoring/prometheus.yml');
  const jobs: Doc[] = config.scrape_configs;
  const mounts = (compose.services.prometheus.volumes as string[]).filter((m) => m.startsWith('./'));

  it.each(APPS)('discovers every %s replica through Docker DNS on its port', (app) => {
    const job = jobs.find((candidate) => candidate.job_name === app);
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs).toBeUndefined();
    expect(job.dns_sd_configs).toEqual([
      expect.objectContaining({ names: [app], type: 'A', port: APP_PORTS[app] }),
    ]);
    expect(Object.keys(compose.services)).toContain(app);
  });

  it('passes promtool check config with the files compose mounts, rule files included', () => {
    // Lay the bind mounts out under a temp root, point the config's absolute paths there.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-prometheus-'));
    try {
      for (const mount of mounts) {
        const [host, container] = mount.split(':') as [string, string];
        const target = path.join(root, container);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.cpSync(path.join(REPO, host), target, { recursive: true });
      }
      const configPath = path.join(root, 'etc/prometheus/prometheus.yml');
      const rewritten = fs
        .readFileSync(configPath, 'utf8')
        .replaceAll('/etc/prometheus/', `${root}/etc/prometheus/`);
      fs.writeFileSync(configPath, rewritten);
      const out = execFileSync('promtool', ['check', 'config', configPath], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
      expect(out).toContain('SUCCESS');
      // Every rule file in the repository is loaded (the glob finds them in the mounted folder).
      for (const file of ruleFiles()) expect(out).toContain(file);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
