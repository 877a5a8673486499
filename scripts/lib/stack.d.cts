// Types of the launcher (stack.cjs) for TypeScript callers such as the e2e tests:
//   import { startStack, findFreeBasePort } from '../scripts/lib/stack.cjs';
import type { ChildProcess } from 'node:child_process';

/** The five apps, in port order (gateway P, orchestrator P+1, executor P+2, scheduler P+3, notifier P+4). */
export type AppName = 'gateway' | 'orchestrator' | 'executor' | 'scheduler' | 'notifier';

/**
 * An app, an extra executor process `executor-2`, `executor-3`, … (ports P+5 … P+19), or an extra
 * orchestrator process `orchestrator-2`, `orchestrator-3`, … (ports P+20, P+21, …).
 */
export type ServiceName = AppName | `executor-${number}` | `orchestrator-${number}`;

/** Where children's log lines go: our stdout/stderr, nowhere, or a callback per line. */
export type StackStdio = 'inherit' | 'pipe' | 'ignore' | ((line: string, service: string) => void);

export interface StartStackOptions {
  /** Default: DATABASE_URL, else postgres://postgres@127.0.0.1:5432/sandcastle (embedded if nothing answers). */
  databaseUrl?: string;
  /** Default: NATS_URL, else nats://127.0.0.1:4222 (embedded nats-server if nothing answers). */
  natsUrl?: string;
  /** Stream/subject namespace handed to every service as NATS_NAMESPACE. Default `sc`. */
  natsNamespace?: string;
  /** Port of the gateway; the others follow (see AppName). Default 8080. */
  basePort?: number;
  /** Extra environment for every service (the launcher's own URLs, namespace and PORT still win). */
  env?: Record<string, string | number | boolean>;
  /** Number of executor processes (1–16). Default 1. */
  executors?: number;
  /** Number of orchestrator processes (replicas sharing the durable consumers). Default 1. */
  orchestrators?: number;
  /** Subset of apps to run. Default all five. */
  services?: readonly AppName[];
  /** Allow embedded PostgreSQL / nats-server when no URL was given and nothing answers. Default true. */
  embedded?: boolean;
  /** Without a nats-server on PATH, install one with the system's package manager (apt-get, brew). Default false. */
  installDeps?: boolean;
  /** Default 'inherit'. In 'pipe' mode read `processes.get(name).stdout` yourself. */
  stdio?: StackStdio;
  /** Print one line per launcher step on stderr. Default: stdio === 'inherit'. */
  progress?: boolean;
  /** Repository root (where apps/ and .sandcastle/ are). Default: the repo holding this file. */
  cwd?: string;
  /** How long each service may take to answer 200 on /health/ready. Default 30000. */
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. Default 40000 (apps drain for up to ~25 s). */
  stopTimeoutMs?: number;
  /** Run scripts/migrate.mjs before starting the apps. Default true. */
  migrate?: boolean;
  /** Aborting it during startup stops whatever was started and rejects (e.g. Ctrl-C while starting). */
  signal?: AbortSignal;
  /** Script to run for an app. Default `<cwd>/apps/<app>/dist/main.js`; tests substitute fixtures. */
  entry?: (app: AppName) => string;
  /** Extra node options per service process (name as in `processes`, e.g. `executor-2`); the bench's CPU profiles. */
  nodeArgs?: (name: string) => string[];
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Stack {
  /** http://127.0.0.1:<gateway port> */
  gatewayUrl: string;
  /** The database the services use (the embedded one's URL when it was started). */
  databaseUrl: string;
  natsUrl: string;
  natsNamespace: string;
  basePort: number;
  /** Names of the services started, e.g. ['gateway', 'orchestrator', 'orchestrator-2', 'executor', 'executor-2', …]. */
  services: ServiceName[];
  /** The current process of each service (replaced by start()). */
  processes: Map<string, ChildProcess>;
  /** http://127.0.0.1:<port of that service> */
  urlOf(name: ServiceName): string;
  /** The last log lines the service printed (up to 40). */
  logsOf(name: ServiceName): string[];
  /** Sends a signal (default SIGKILL) and resolves when the process has exited. */
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<ExitInfo>;
  /** (Re)starts a service on its port; by default waits until it is ready. */
  start(name: ServiceName, options?: { wait?: boolean }): Promise<ChildProcess>;
  /** Polls GET /health/ready until 200; throws with the last log lines if it exits or times out. */
  waitReady(name: ServiceName, timeoutMs?: number): Promise<void>;
  /** SIGTERM to every service, wait (SIGKILL after stopTimeoutMs), then stop embedded servers. Idempotent. */
  stop(): Promise<void>;
}

export const APPS: readonly AppName[];
export function startStack(options?: StartStackOptions): Promise<Stack>;
/** A base port P with P … P+count-1 free: gives parallel test stacks their own port blocks. */
export function findFreeBasePort(count?: number): Promise<number>;
/** A TCP port on 127.0.0.1 that the OS says is free right now. */
export function freePort(): Promise<number>;
/** The kernel's range of local ports for outgoing connections: [low, high]. */
export function ephemeralPortRange(): [number, number];
/** Consecutive ports a stack with these replica counts needs from its base port (for findFreeBasePort). */
export function stackPortCount(options?: { executors?: number; orchestrators?: number }): number;
export function portOf(name: ServiceName, basePort: number): number;
export function serviceNames(options: {
  services?: readonly string[];
  executors?: number;
  orchestrators?: number;
}): ServiceName[];
/** Absolute path of the repository root. */
export const REPO_ROOT: string;
