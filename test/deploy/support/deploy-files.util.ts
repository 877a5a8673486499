import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const REPO = path.resolve(__dirname, '..', '..', '..');

export const APPS = ['gateway', 'orchestrator', 'executor', 'scheduler', 'notifier'] as const;
export type App = (typeof APPS)[number];

/** Default port of each app (the launcher's layout, also used by compose and k8s). */
export const APP_PORTS: Record<App, number> = {
  gateway: 8080,
  orchestrator: 8081,
  executor: 8082,
  scheduler: 8083,
  notifier: 8084,
};

/** Apps that read DATABASE_URL: all but the executor. */
export const DB_APPS: readonly App[] = APPS.filter((app) => app !== 'executor');

/**
 * A parsed YAML/JSON document, walked freely by the assertions. Typing every compose and
 * Kubernetes field would restate their schemas; a wrong path fails the expectation instead.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = any;

export function readRepoFile(relative: string): string {
  return fs.readFileSync(path.join(REPO, relative), 'utf8');
}

export function repoFileExists(relative: string): boolean {
  return fs.existsSync(path.join(REPO, relative));
}

/** One YAML document; merge keys (`<<: *anchor`) resolved as Docker Compose does. */
export function readYaml(relative: string): Doc {
  return parse(readRepoFile(relative), { merge: true });
}

/** Every document of a multi-document YAML file, failing on any parse error. */
export function readYamlDocuments(relative: string): Doc[] {
  return parseAllDocuments(readRepoFile(relative), { merge: true }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${relative}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS();
  });
}
