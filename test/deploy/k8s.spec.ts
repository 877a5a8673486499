import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  APP_PORTS,
  APPS,
  DB_APPS,
  REPO,
  readYaml,
  readYamlDocuments,
  type Doc,
} from './support/deploy-files.util';

const kustomization = readYaml('k8s/kustomization.yaml');
const resources: string[] = kustomization.resources;
const manifests = resources.flatMap((file) => readYamlDocuments(path.join('k8s', file)));

function find(kind: string, name: string): Doc {
  const found = manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in k8s/`);
  return found;
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

describe('k8s/kustomization.yaml', () => {
  it('lists every manifest in k8s/ and nothing missing', () => {
    const onDisk = fs
      .readdirSync(path.join(REPO, 'k8s'))
      .filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml');
    expect([...resources].sort()).toEqual(onDisk.sort());
  });

  it('puts everything in the sandcastle namespace, which exists', () => {
    expect(kustomization.namespace).toBe('sandcastle');
    expect(find('Namespace', 'sandcastle')).toBeDefined();
  });

  it('maps every image a manifest uses to a registry image', () => {
    const used = manifests.flatMap((m) => {
      const pod = m.spec?.template?.spec;
      return pod ? (pod.containers as Doc[]).map((c) => c.image as string) : [];
    });
    const mapped = (kustomization.images as Doc[]).map((image) => image.name as string);
    expect(mapped).toEqual(expect.arrayContaining([...new Set(used)]));
  });
});

describe.each(APPS)('k8s: %s', (app) => {
  const name = `sandcastle-${app}`;
  const deployment = find('Deployment', name);
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('has a Deployment whose selector matches its pods', () => {
    expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(
      true,
    );
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
  });

  it('listens on its port and probes /health/live and /health/ready', () => {
    expect(container.ports).toEqual([
      expect.objectContaining({ name: 'http', containerPort: APP_PORTS[app] }),
    ]);
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'PORT', value: String(APP_PORTS[app]) }]));
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
  });

  it('declares CPU and memory requests and limits', () => {
    for (const kind of ['requests', 'limits']) {
      expect(container.resources[kind]).toEqual(
        expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
      );
    }
  });

  it('runs locked down: non-root, read-only root fs, no privilege escalation, no capabilities', () => {
    expect(pod.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: 1000 }));
    expect(pod.securityContext.seccompProfile.type).toBe('RuntimeDefault');
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    // A read-only root needs a writable /tmp.
    expect(container.volumeMounts).toEqual(
      expect.arrayContaining([expect.objectContaining({ mountPath: '/tmp' })]),
    );
  });

  it('gives SIGTERM time to drain (at least 30 s)', () => {
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
  });

  it('is scraped by Prometheus on /metrics', () => {
    expect(deployment.spec.template.metadata.annotations).toEqual(
      expect.objectContaining({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(APP_PORTS[app]),
        'prometheus.io/path': '/metrics',
      }),
    );
  });

  it('has a Service routing to its pods', () => {
    const service = find('Service', name);
    expect(matches(service.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
    expect(service.spec.ports[0].targetPort).toBe('http');
  });

  it('has a HorizontalPodAutoscaler on its Deployment scaling on CPU', () => {
    const hpa = find('HorizontalPodAutoscaler', name);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    expect(hpa.spec.metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }),
      ]),
    );
  });

  it('has a PodDisruptionBudget covering its pods', () => {
    const pdb = find('PodDisruptionBudget', name);
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(matches(pdb.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
  });

  it('gets its settings from the ConfigMap and Secrets that exist', () => {
    for (const source of container.envFrom as Doc[]) {
      if (source.configMapRef) expect(find('ConfigMap', source.configMapRef.name)).toBeDefined();
      if (source.secretRef) expect(find('Secret', source.secretRef.name)).toBeDefined();
    }
  });
});

describe('k8s: configuration', () => {
  it('gives the database secret to every app but the executor', () => {
    const secretsOf = (app: string) =>
      (find('Deployment', `sandcastle-${app}`).spec.template.spec.containers[0].envFrom as Doc[])
        .filter((source) => source.secretRef)
        .map((source) => source.secretRef.name as string);
    for (const app of DB_APPS) expect(secretsOf(app)).toContain('sandcastle-db');
    expect(secretsOf('executor')).not.toContain('sandcastle-db');
    expect(find('Secret', 'sandcastle-db').stringData.DATABASE_URL).toMatch(/^postgres:\/\//);
  });

  it('gives each app only the secrets it uses; the executor never sees the API key secrets', () => {
    const secretsOf = (app: string) =>
      (find('Deployment', `sandcastle-${app}`).spec.template.spec.containers[0].envFrom as Doc[])
        .filter((source) => source.secretRef)
        .map((source) => source.secretRef.name as string)
        .sort();
    const keysOf = (app: string) =>
      secretsOf(app)
        .flatMap((name) => Object.keys(find('Secret', name).stringData ?? {}))
        .sort();
    expect(keysOf('gateway')).toEqual(['ADMIN_API_KEY', 'API_KEY_SECRET', 'DATABASE_URL']);
    expect(keysOf('executor')).toEqual(['ANTHROPIC_API_KEY', 'E2B_API_KEY', 'SANDSTORM_API_KEY']);
    expect(keysOf('orchestrator')).toEqual(['DATABASE_URL']);
    expect(keysOf('scheduler')).toEqual(['DATABASE_URL']);
    expect(keysOf('notifier')).toEqual(['DATABASE_URL', 'WEBHOOK_SECRET']);
    for (const app of APPS) {
      if (app !== 'gateway') expect(keysOf(app)).not.toEqual(expect.arrayContaining(['ADMIN_API_KEY']));
      if (app !== 'gateway') expect(keysOf(app)).not.toEqual(expect.arrayContaining(['API_KEY_SECRET']));
      if (app !== 'executor') expect(keysOf(app)).not.toEqual(expect.arrayContaining(['SANDSTORM_API_KEY']));
    }
    // Secrets never travel in the ConfigMap every app mounts.
    const shared = Object.keys(find('ConfigMap', 'sandcastle-config').data);
    expect(shared.filter((key) => /KEY|SECRET|PASSWORD|DATABASE_URL/.test(key))).toEqual([]);
  });

  it('shares NATS settings through the ConfigMap', () => {
    const config = find('ConfigMap', 'sandcastle-config').data;
    expect(config.NATS_URL).toMatch(/^nats:\/\//);
    expect(config.NATS_NAMESPACE).toBe('sc');
  });

  it('migrates with a Job running scripts/migrate.mjs against the database secret', () => {
    const job = find('Job', 'sandcastle-migrate');
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toEqual(['node', 'scripts/migrate.mjs']);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'sandcastle-db' } }]);
    expect(job.spec.template.spec.restartPolicy).toBe('OnFailure');
  });

  it('offers a ServiceMonitor that selects the labels the base puts on every Service', () => {
    const [monitor] = readYamlDocuments('k8s/extras/service-monitor.yaml');
    const commonLabels = (kustomization.labels as Doc[]).reduce(
      (all, entry) => ({ ...all, ...entry.pairs }),
      {},
    );
    expect(monitor.kind).toBe('ServiceMonitor');
    expect(matches(monitor.spec.selector.matchLabels, commonLabels)).toBe(true);
    expect(monitor.spec.endpoints[0]).toEqual(expect.objectContaining({ port: 'http', path: '/metrics' }));
  });
});
