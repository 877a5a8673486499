import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { natsNames } from '@sandcastle/contracts';
import { APP_PORTS, APPS, DB_APPS, readRepoFile, type App, type Doc } from './support/deploy-files.util';
import { validateAgainstApiSchema } from './support/k8s-schema.util';
import { kustomize, kustomizeWithComponents } from './support/kustomize.util';
import { allowed, type Peer, type PodPeer } from './support/network-policy.util';

/** What each overlay is, rendered the way `kubectl apply -k` renders it. */
const RENDERED: Record<string, Doc[]> = {
  dev: kustomize('k8s/overlays/dev'),
  prod: kustomize('k8s/overlays/prod'),
  'prod + keda': kustomizeWithComponents('k8s/overlays/prod', ['k8s/components/keda']),
};
const NAMESPACE = 'sandcastle';
/** The uid:gid the Dockerfile's runtime stage runs as. */
const [IMAGE_UID, IMAGE_GID] = /^USER (\d+):(\d+)$/m.exec(readRepoFile('Dockerfile'))!.slice(1).map(Number);
/** startService's forced exit after SIGTERM (libs/observability/src/start-service.ts). */
const SHUTDOWN_TIMEOUT_S = 25;

function finder(objects: Doc[]) {
  return (kind: string, name: string): Doc => {
    const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
    if (!found) throw new Error(`no ${kind} named ${name}`);
    return found;
  };
}

function podSpecs(objects: Doc[]): { owner: string; spec: Doc; labels: Doc }[] {
  return objects
    .filter((o) => o.spec?.template?.spec)
    .map((o) => ({
      owner: `${o.kind}/${o.metadata.name}`,
      spec: o.spec.template.spec,
      labels: o.spec.template.metadata.labels,
    }));
}

describe.each(Object.keys(RENDERED))('k8s overlay %s', (overlay) => {
  const objects = RENDERED[overlay]!;
  const find = finder(objects);
  const keda = overlay.includes('keda');
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const config = find('ConfigMap', 'sandcastle-config').data;

  it('renders only objects valid against the Kubernetes API and CRD schemas (kubernetes-models, KEDA, prometheus-operator)', () => {
    const problems: string[] = [];
    for (const object of objects) {
      try {
        validateAgainstApiSchema(object);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    expect(problems).toEqual([]);
  });

  it('puts every namespaced object in the sandcastle namespace', () => {
    for (const object of objects.filter((o) => o.kind !== 'Namespace'))
      expect(`${object.kind}/${object.metadata.name}: ${object.metadata.namespace}`).toBe(
        `${object.kind}/${object.metadata.name}: ${NAMESPACE}`,
      );
  });

  it('pins every image by tag (no :latest, no untagged image)', () => {
    for (const { owner, spec } of podSpecs(objects))
      for (const c of [...(spec.initContainers ?? []), ...spec.containers])
        expect({
          owner,
          image: c.image,
          pinned: /:(?!latest$)[\w.-]+$|@sha256:[0-9a-f]{64}$/.test(c.image),
        }).toEqual({
          owner,
          image: c.image,
          pinned: true,
        });
  });

  it('runs every pod non-root with a numeric user (the Dockerfile’s), read-only root fs, a writable /tmp or data volume', () => {
    for (const { owner, spec } of podSpecs(objects)) {
      expect({ owner, ...spec.securityContext }).toEqual(
        expect.objectContaining({
          owner,
          runAsNonRoot: true,
          runAsUser: IMAGE_UID,
          runAsGroup: IMAGE_GID,
          seccompProfile: { type: 'RuntimeDefault' },
        }),
      );
      expect(spec.automountServiceAccountToken).toBe(false);
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        expect({ owner, container: c.name, ...c.securityContext }).toEqual({
          owner,
          container: c.name,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  describe.each(APPS)('%s', (app: App) => {
    const name = `sandcastle-${app}`;
    const deployment = find('Deployment', name);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const podLabels = deployment.spec.template.metadata.labels;
    const selects = (selector: Doc) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);

    it('probes /health/live and /health/ready on its port and declares requests and limits', () => {
      expect(container.ports).toEqual([
        expect.objectContaining({ name: 'http', containerPort: APP_PORTS[app] }),
      ]);
      expect(container.env).toEqual(
        expect.arrayContaining([{ name: 'PORT', value: String(APP_PORTS[app]) }]),
      );
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.startupProbe.httpGet.path).toBe('/health/live');
      for (const kind of ['requests', 'limits'])
        expect(container.resources[kind]).toEqual(
          expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
        );
    });

    it('mounts an emptyDir at /tmp (the root filesystem is read-only)', () => {
      const mount = (container.volumeMounts as Doc[]).find((m) => m.mountPath === '/tmp');
      expect((pod.volumes as Doc[]).find((v) => v.name === mount?.name)?.emptyDir).toBeDefined();
    });

    it('gives SIGTERM the preStop pause plus the whole drain before the kubelet kills it', () => {
      const preStop = container.lifecycle.preStop.exec.command as string[];
      expect(preStop[0]).toBe('sleep');
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(preStop[1]) + SHUTDOWN_TIMEOUT_S);
    });

    it('spreads replicas over nodes, keeps a disruption budget and a Service on its pods', () => {
      expect(pod.topologySpreadConstraints[0]).toEqual(
        expect.objectContaining({
          topologyKey: 'kubernetes.io/hostname',
          labelSelector: { matchLabels: deployment.spec.selector.matchLabels },
        }),
      );
      expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
      expect(selects(find('PodDisruptionBudget', name).spec.selector.matchLabels)).toBe(true);
      const service = find('Service', name);
      expect(selects(service.spec.selector)).toBe(true);
      expect(service.spec.ports[0].targetPort).toBe('http');
      expect(deployment.spec.template.metadata.annotations).toEqual(
        expect.objectContaining({
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(APP_PORTS[app]),
          'prometheus.io/path': '/metrics',
        }),
      );
    });

    it('waits for the schema before starting when it uses the database (never the executor)', () => {
      const init = (pod.initContainers ?? []) as Doc[];
      if (app === 'executor') {
        expect(init).toEqual([]);
        return;
      }
      expect(init).toHaveLength(1);
      expect(init[0].command).toEqual(['node', 'scripts/wait-for-schema.mjs']);
      expect(init[0].image).toBe(container.image);
      expect(init[0].envFrom).toEqual([{ secretRef: { name: 'sandcastle-db' } }]);
    });

    it('reads only the ConfigMap and the Secrets that exist', () => {
      for (const source of container.envFrom as Doc[]) {
        if (source.configMapRef) expect(find('ConfigMap', source.configMapRef.name)).toBeDefined();
        if (source.secretRef) expect(find('Secret', source.secretRef.name)).toBeDefined();
      }
    });
  });

  it('autoscales the gateway on CPU and the executor on CPU, or with KEDA on its queue', () => {
    const hpa = (name: string) =>
      objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === name);
    for (const app of keda ? ['gateway'] : ['gateway', 'executor']) {
      const name = `sandcastle-${app}`;
      const scaler = hpa(name);
      expect(scaler.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      expect(scaler.spec.minReplicas).toBeLessThanOrEqual(scaler.spec.maxReplicas);
      expect(scaler.spec.minReplicas).toBeLessThanOrEqual(find('Deployment', name).spec.replicas);
      expect(scaler.spec.metrics).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }),
        ]),
      );
    }
    if (!keda) return;
    // Two autoscalers on one Deployment fight: the component removes the CPU HPA.
    expect(hpa('sandcastle-executor')).toBeUndefined();
    const scaled = find('ScaledObject', 'sandcastle-executor');
    expect(scaled.spec.scaleTargetRef.name).toBe('sandcastle-executor');
    const trigger = (scaled.spec.triggers as Doc[]).find((t) => t.type === 'nats-jetstream').metadata;
    expect(trigger.stream).toBe(natsNames(config.NATS_NAMESPACE).streams.steps);
    expect(trigger.consumer).toBe('executor');
    // The executor's durable consumer name (apps/executor/src/main.ts).
    expect(readRepoFile('apps/executor/src/main.ts')).toMatch(/durable: 'executor'/);
    const [host, port] = String(trigger.natsServerMonitoringEndpoint).split(':');
    expect(host).toBe(`nats.${NAMESPACE}.svc.cluster.local`);
    expect((find('Service', 'nats').spec.ports as Doc[]).map((p) => p.port)).toContain(Number(port));
    expect(Number(trigger.lagThreshold)).toBeGreaterThan(0);
  });

  it('splits secrets: each app sees only its own, the executor never the API key secrets', () => {
    const keysOf = (app: string) =>
      (find('Deployment', `sandcastle-${app}`).spec.template.spec.containers[0].envFrom as Doc[])
        .filter((source) => source.secretRef)
        .flatMap((source) => Object.keys(find('Secret', source.secretRef.name).stringData ?? {}))
        .sort();
    expect(keysOf('gateway')).toEqual(['ADMIN_API_KEY', 'API_KEY_SECRET', 'DATABASE_URL']);
    expect(keysOf('executor')).toEqual(['ANTHROPIC_API_KEY', 'E2B_API_KEY', 'SANDSTORM_API_KEY']);
    expect(keysOf('orchestrator')).toEqual(['DATABASE_URL']);
    expect(keysOf('scheduler')).toEqual(['DATABASE_URL']);
    expect(keysOf('notifier')).toEqual(['DATABASE_URL', 'WEBHOOK_SECRET']);
    // Nothing reaches a container any other way (env valueFrom a secret, a mounted secret volume).
    for (const { owner, spec } of podSpecs(objects)) {
      for (const c of spec.containers as Doc[])
        for (const env of c.env ?? [])
          expect({ owner, env: env.name, fromSecret: Boolean(env.valueFrom?.secretKeyRef) }).toEqual({
            owner,
            env: env.name,
            fromSecret: false,
          });
      expect({ owner, secretVolumes: (spec.volumes ?? []).filter((v: Doc) => v.secret) }).toEqual({
        owner,
        secretVolumes: [],
      });
    }
    expect(Object.keys(config).filter((key) => /KEY|SECRET|PASSWORD|DATABASE_URL/.test(key))).toEqual([]);
  });

  it('migrates with a Job on the database secret alone', () => {
    const job = find('Job', 'sandcastle-migrate');
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toEqual(['node', 'scripts/migrate.mjs']);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'sandcastle-db' } }]);
  });

  it('runs NATS with JetStream on a persistent volume at the store_dir of its (valid) configuration', () => {
    const nats = find('StatefulSet', 'nats');
    const conf: string = find('ConfigMap', 'nats-config').data['nats.conf'];
    const storeDir = /store_dir:\s*(\S+)/.exec(conf)![1];
    const claim = nats.spec.volumeClaimTemplates[0];
    const mount = (nats.spec.template.spec.containers[0].volumeMounts as Doc[]).find(
      (m) => m.name === claim.metadata.name,
    );
    expect(mount.mountPath).toBe(storeDir);
    expect(claim.spec.resources.requests.storage).toMatch(/Gi$/);
    expect(config.NATS_URL).toBe('nats://nats:4222');
    expect(nats.spec.serviceName).toBe('nats-headless');
    expect(find('Service', 'nats-headless').spec.clusterIP).toBe('None');
    // nats-server itself parses the configuration (paths moved into a temp dir).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-nats-conf-'));
    try {
      const local = conf.replaceAll(storeDir!, path.join(dir, 'data')).replaceAll('/var/run/nats', dir);
      fs.writeFileSync(path.join(dir, 'nats.conf'), local);
      const out = execFileSync('nats-server', ['-c', path.join(dir, 'nats.conf'), '-t'], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
      expect(out + '').toBeDefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('network policies', () => {
    const podOf = (name: string): PodPeer => {
      const owner = objects.find(
        (o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind) && o.metadata.name === name,
      );
      return {
        namespace: NAMESPACE,
        namespaceLabels: { 'kubernetes.io/metadata.name': NAMESPACE },
        pod: owner.spec.template.metadata.labels,
        ports: owner.spec.template.spec.containers[0].ports,
      };
    };
    const outside: Peer = {
      namespace: 'ingress-nginx',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
      pod: { app: 'ingress' },
    };
    const prometheus: Peer = {
      namespace: 'monitoring',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring', 'sandcastle.io/monitoring': 'true' },
      pod: { app: 'prometheus' },
    };
    const postgres: Peer = { ip: '10.20.0.5' };
    const publicHost: Peer = { ip: '93.184.216.34' };
    const privateHost: Peer = { ip: '10.1.2.3' };
    const dns: Peer = {
      namespace: 'kube-system',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
      pod: { 'k8s-app': 'kube-dns' },
    };
    const app = (a: App) => podOf(`sandcastle-${a}`);

    it('denies everything by default', () => {
      const deny = find('NetworkPolicy', 'default-deny');
      expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    });

    it('lets only the gateway be reached from outside the namespace (and Prometheus scrape /metrics)', () => {
      expect(allowed(policies, outside, app('gateway'), APP_PORTS.gateway)).toBe(true);
      for (const a of APPS.filter((x) => x !== 'gateway'))
        expect({ a, open: allowed(policies, outside, app(a), APP_PORTS[a]) }).toEqual({ a, open: false });
      expect(allowed(policies, outside, podOf('nats'), 4222)).toBe(false);
      for (const a of APPS)
        expect({ a, scraped: allowed(policies, prometheus, app(a), APP_PORTS[a]) }).toEqual({
          a,
          scraped: true,
        });
    });

    it('lets each app reach NATS and DNS; only the database apps reach PostgreSQL', () => {
      for (const a of APPS) {
        expect({ a, nats: allowed(policies, app(a), podOf('nats'), 4222) }).toEqual({ a, nats: true });
        expect({ a, dns: allowed(policies, app(a), dns, 53, 'UDP') }).toEqual({ a, dns: true });
        expect({ a, db: allowed(policies, app(a), postgres, 5432) }).toEqual({
          a,
          db: (DB_APPS as readonly string[]).includes(a),
        });
      }
      expect(allowed(policies, podOf('sandcastle-migrate'), postgres, 5432)).toBe(true);
      expect(allowed(policies, podOf('sandcastle-migrate'), podOf('nats'), 4222)).toBe(false);
    });

    it('keeps the apps apart: no app calls another app directly', () => {
      for (const from of APPS)
        for (const to of APPS)
          if (from !== to)
            expect({ from, to, open: allowed(policies, app(from), app(to), APP_PORTS[to]) }).toEqual({
              from,
              to,
              open: false,
            });
    });

    it('lets the executor and notifier reach public HTTPS, never private addresses', () => {
      for (const a of ['executor', 'notifier'] as const) {
        expect(allowed(policies, app(a), publicHost, 443)).toBe(true);
        expect(allowed(policies, app(a), privateHost, 443)).toBe(false);
      }
      for (const a of ['orchestrator', 'scheduler'] as const)
        expect(allowed(policies, app(a), publicHost, 443)).toBe(false);
    });
  });

  it('offers a ServiceMonitor (prod) that selects every app Service by its http port', () => {
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor');
    if (overlay === 'dev') {
      expect(monitor).toBeUndefined();
      return;
    }
    expect(`${monitor.apiVersion}/${monitor.kind}`).toBe('monitoring.coreos.com/v1/ServiceMonitor');
    expect(monitor.spec.namespaceSelector.matchNames).toEqual([NAMESPACE]);
    expect(monitor.spec.endpoints[0]).toEqual(expect.objectContaining({ port: 'http', path: '/metrics' }));
    for (const a of APPS) {
      const service = find('Service', `sandcastle-${a}`);
      const labels = service.metadata.labels;
      expect(Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => labels[k] === v)).toBe(true);
      expect((service.spec.ports as Doc[]).map((p) => p.name)).toContain('http');
    }
  });
});

describe('k8s overlays differ where they should', () => {
  const replicas = (objects: Doc[], name: string) =>
    objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name).spec.replicas;
  it('runs one replica of each app in dev and at least two in prod', () => {
    for (const app of APPS) {
      expect(replicas(RENDERED.dev!, `sandcastle-${app}`)).toBe(1);
      expect(replicas(RENDERED.prod!, `sandcastle-${app}`)).toBeGreaterThanOrEqual(2);
    }
  });
});
