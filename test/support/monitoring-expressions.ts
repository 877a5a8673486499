import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const REPO = path.resolve(__dirname, '..', '..');
export const DASHBOARD_DIR = 'monitoring/grafana/dashboards';
export const RULES_DIR = 'monitoring/rules';

export interface Expression {
  /** Where it comes from: `<dashboard file> › <panel title>` or `<rules file> › <alert>`. */
  source: string;
  expr: string;
}

interface Panel {
  type: string;
  title: string;
  targets?: { expr?: string }[];
}

export function dashboardFiles(): string[] {
  return fs
    .readdirSync(path.join(REPO, DASHBOARD_DIR))
    .filter((file) => file.endsWith('.json'))
    .sort();
}

export function readDashboard(file: string): { uid: string; title: string; panels: Panel[] } {
  return JSON.parse(fs.readFileSync(path.join(REPO, DASHBOARD_DIR, file), 'utf8')) as {
    uid: string;
    title: string;
    panels: Panel[];
  };
}

/** Every query of every panel of every provisioned dashboard. */
export function dashboardExpressions(): Expression[] {
  return dashboardFiles().flatMap((file) =>
    readDashboard(file)
      .panels.filter((panel) => panel.type !== 'row')
      .flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({
          source: `${file} › ${panel.title}`,
          expr: target.expr ?? '',
        })),
      ),
  );
}

export function ruleFiles(): string[] {
  return fs
    .readdirSync(path.join(REPO, RULES_DIR))
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
}

export interface AlertRule {
  alert: string;
  expr: string;
  annotations?: Record<string, string>;
}

export function alertRules(): AlertRule[] {
  return ruleFiles().flatMap((file) =>
    (
      parse(fs.readFileSync(path.join(REPO, RULES_DIR, file), 'utf8')) as { groups: { rules: AlertRule[] }[] }
    ).groups.flatMap((group) => group.rules),
  );
}

export function alertExpressions(): Expression[] {
  return alertRules().map((rule) => ({ source: `alert ${rule.alert}`, expr: rule.expr }));
}

/** Grafana's interval macros, replaced by a duration PromQL accepts. */
export function withoutGrafanaMacros(expr: string): string {
  return expr.replace(/\$__(rate_)?interval|\$__range/g, '5m');
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are not functions, keywords,
 * label names (in `{…}` or `by (…)`) or durations. Histogram series (`_bucket`, `_sum`,
 * `_count`) map to their histogram's name.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = withoutGrafanaMacros(expr)
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    if (KEYWORDS.has(name.toLowerCase())) continue;
    // A function name is followed by `(`.
    const rest = stripped.slice((match.index ?? 0) + name.length);
    if (/^\s*\(/.test(rest)) continue;
    if (/^[0-9]/.test(name)) continue;
    names.add(name.replace(/_(bucket|sum|count)$/, ''));
  }
  return [...names];
}

/**
 * Parses every expression with Prometheus' own parser (`promtool check rules` on a file of
 * recording rules, one per expression). Returns promtool's complaints, empty when all parse.
 */
export function promtoolParseErrors(expressions: readonly Expression[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-promql-'));
  try {
    const rules = expressions.map(
      (e, i) =>
        `      - record: sandcastle:check_${i}\n        expr: ${JSON.stringify(withoutGrafanaMacros(e.expr))}`,
    );
    const file = path.join(dir, 'rules.yml');
    fs.writeFileSync(file, `groups:\n  - name: check\n    rules:\n${rules.join('\n')}\n`);
    try {
      execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
      return [];
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
      if (e.code === 'ENOENT')
        throw new Error('promtool is not installed (apt-get install prometheus; see .ci/run)', {
          cause: err,
        });
      const text = `${e.stdout ?? ''}${e.stderr ?? ''}`;
      // Name the expressions promtool refers to by index.
      return [text.replace(/sandcastle:check_(\d+)/g, (_, i: string) => expressions[Number(i)]!.source)];
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Metric family names in a Prometheus text exposition (from its `# TYPE` lines). */
export function exportedFamilies(exposition: string): Set<string> {
  return new Set([...exposition.matchAll(/^# TYPE (\S+) \S+$/gm)].map((m) => m[1]!));
}

/** Names an expression may use without any service exporting them: Prometheus' own series. */
export const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);
