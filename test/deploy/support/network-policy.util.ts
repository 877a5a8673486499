import type { Doc } from './deploy-files.util';

/**
 * A small evaluator of Kubernetes NetworkPolicy semantics (what a CNI enforces) over rendered
 * manifests, so tests can ask "may A reach B on port P" instead of restating the YAML.
 * Covers what the manifests use: podSelector / namespaceSelector (matchLabels, matchExpressions
 * In/NotIn/Exists), ipBlock with except, named and numeric ports, TCP/UDP.
 */
export type Labels = Record<string, string>;
interface ContainerPort {
  name?: string;
  containerPort: number;
}

/** One end of a connection: a pod in a namespace, or an address outside the cluster. */
export interface PodPeer {
  namespace: string;
  namespaceLabels: Labels;
  pod: Labels;
  ports?: ContainerPort[];
}
export type Peer = PodPeer | { ip: string };

function selects(selector: Doc, labels: Labels): boolean {
  if (!selector) return true;
  const byLabel = Object.entries<string>(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e: Doc) => {
    const has = e.key in labels;
    if (e.operator === 'In') return has && (e.values as string[]).includes(labels[e.key]!);
    if (e.operator === 'NotIn') return !has || !(e.values as string[]).includes(labels[e.key]!);
    if (e.operator === 'Exists') return has;
    if (e.operator === 'DoesNotExist') return !has;
    throw new Error(`unknown operator ${e.operator}`);
  });
  return byLabel && byExpression;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base!) / size) * size;
  return ipToNumber(ip) >= start && ipToNumber(ip) < start + size;
}

function peerMatches(rule: Doc, peer: Peer, policyNamespace: string): boolean {
  if ('ip' in peer) {
    if (!rule.ipBlock) return false;
    return (
      inCidr(peer.ip, rule.ipBlock.cidr) &&
      !(rule.ipBlock.except ?? []).some((c: string) => inCidr(peer.ip, c))
    );
  }
  if (rule.ipBlock) return false;
  const namespaceOk = rule.namespaceSelector
    ? selects(rule.namespaceSelector, peer.namespaceLabels)
    : peer.namespace === policyNamespace;
  return namespaceOk && selects(rule.podSelector, peer.pod);
}

function portMatches(rulePorts: Doc[] | undefined, port: number, protocol: string, target: Peer): boolean {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.port === port;
    // A named port resolves on the pod the traffic goes to.
    const named = 'ip' in target ? undefined : (target.ports ?? []).find((c) => c.name === p.port);
    return named?.containerPort === port;
  });
}

function direction(
  policies: Doc[],
  subject: PodPeer,
  type: 'Ingress' | 'Egress',
  other: Peer,
  port: number,
  protocol: string,
  target: Peer,
): boolean {
  const applying = policies.filter(
    (p) =>
      p.metadata.namespace === subject.namespace &&
      selects(p.spec.podSelector, subject.pod) &&
      (p.spec.policyTypes ?? ['Ingress']).includes(type),
  );
  if (applying.length === 0) return true;
  const key = type === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = type === 'Ingress' ? 'from' : 'to';
  return applying.some((p) =>
    (p.spec[key] ?? []).some(
      (rule: Doc) =>
        (!rule[peersKey] || rule[peersKey].some((r: Doc) => peerMatches(r, other, p.metadata.namespace))) &&
        portMatches(rule.ports, port, protocol, target),
    ),
  );
}

/** Whether a connection from `from` to `to` on `port` is allowed by both sides' policies. */
export function allowed(policies: Doc[], from: Peer, to: Peer, port: number, protocol = 'TCP'): boolean {
  const egressOk = 'ip' in from || direction(policies, from, 'Egress', to, port, protocol, to);
  const ingressOk = 'ip' in to || direction(policies, to, 'Ingress', from, port, protocol, to);
  return egressOk && ingressOk;
}
