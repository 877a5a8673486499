/**
 * NATS names. Everything hangs off one namespace (`sc` in production) so that a test run can
 * use its own streams and subjects on a shared server without seeing anyone else's messages.
 */
export interface NatsNames {
  readonly namespace: string;
  readonly streams: {
    readonly commands: string;
    readonly steps: string;
    readonly results: string;
    readonly events: string;
    /** Work for the notifier: results and approval requests of runs that have delivery targets. */
    readonly notifications: string;
    /** Messages given up on after their bounded deliveries (operator-visible, limits retention). */
    readonly deadLetters: string;
  };
  readonly subjects: {
    readonly runStart: string;
    readonly runCancel: string;
    readonly runApproval: string;
    readonly stepDispatch: string;
    readonly stepStarted: string;
    readonly stepResult: string;
    /** Wildcard matching every run's every event (the events stream's subject). */
    readonly runEventsAll: string;
    /** Wildcard of the notifications stream: `<ns>.notify.run.<runId>.<type>`. */
    readonly notificationsAll: string;
    /** Core NATS (not persisted) wildcard for abort signals to executors. */
    readonly cancelControlAll: string;
    /** Wildcard of the dead letter stream: `<ns>.dead.<service>`. */
    readonly deadLettersAll: string;
  };
  /**
   * Where an event of a run is published: `<ns>.evt.run.<runId>.<type>`. The type is in the
   * subject so that a consumer interested in one kind (the notifier: results and approvals)
   * filters on the server instead of receiving, decoding and acking every step event.
   */
  runEvent(runId: string, type: string): string;
  /** Wildcard matching every event of one run (SSE feeds, completion waiters). */
  runEvents(runId: string): string;
  /** Wildcard matching one type of event of every run. */
  runEventsOfType(type: string): string;
  /**
   * Where the notifier is asked to plan deliveries for a run's event (`result`, `approval`): only
   * runs with a target (a callback, a schedule, a workflow webhook or Slack) send one, so the
   * notifier never wakes for a run that has nobody to tell.
   */
  notification(runId: string, type: string): string;
  cancelControl(runId: string): string;
}

export const DEFAULT_NATS_NAMESPACE = 'sc';

/** Builds stream and subject names for a namespace: `sc` → streams `SC_*`, subjects `sc.*`. */
export function natsNames(namespace: string = DEFAULT_NATS_NAMESPACE): NatsNames {
  if (!/^[a-z][a-z0-9_]*$/.test(namespace)) {
    throw new Error(`NATS namespace must match [a-z][a-z0-9_]*, got '${namespace}'`);
  }
  const upper = namespace.toUpperCase();
  return {
    namespace,
    streams: {
      commands: `${upper}_COMMANDS`,
      steps: `${upper}_STEPS`,
      results: `${upper}_RESULTS`,
      events: `${upper}_EVENTS`,
      notifications: `${upper}_NOTIFICATIONS`,
      deadLetters: `${upper}_DEAD_LETTERS`,
    },
    subjects: {
      runStart: `${namespace}.cmd.run.start`,
      runCancel: `${namespace}.cmd.run.cancel`,
      runApproval: `${namespace}.cmd.run.approval`,
      stepDispatch: `${namespace}.step.dispatch`,
      stepStarted: `${namespace}.step.started`,
      stepResult: `${namespace}.step.result`,
      runEventsAll: `${namespace}.evt.run.>`,
      notificationsAll: `${namespace}.notify.run.>`,
      cancelControlAll: `${namespace}.ctl.cancel.*`,
      deadLettersAll: `${namespace}.dead.>`,
    },
    runEvent: (runId, type) => `${namespace}.evt.run.${runId}.${type}`,
    runEvents: (runId) => `${namespace}.evt.run.${runId}.>`,
    runEventsOfType: (type) => `${namespace}.evt.run.*.${type}`,
    notification: (runId, type) => `${namespace}.notify.run.${runId}.${type}`,
    cancelControl: (runId) => `${namespace}.ctl.cancel.${runId}`,
  };
}

/** Item part of an id: fan-out items by index, plain steps as `-`. */
function itemKey(itemIndex: number | null): string {
  return itemIndex === null ? '-' : String(itemIndex);
}

/**
 * Deterministic JetStream message ids (`Nats-Msg-Id`). A re-publish after a crash carries the
 * same id, so the stream's duplicate window drops it instead of running work twice.
 */
export const messageIds = {
  runStart: (runId: string) => `start:${runId}`,
  runCancel: (runId: string) => `cancel:${runId}`,
  runApproval: (runId: string, stepId: string) => `approval:${runId}:${stepId}`,
  stepDispatch: (runId: string, stepId: string, itemIndex: number | null, attempt: number) =>
    `dispatch:${runId}:${stepId}:${itemKey(itemIndex)}:${attempt}`,
  stepStarted: (runId: string, stepId: string, itemIndex: number | null, attempt: number) =>
    `started:${runId}:${stepId}:${itemKey(itemIndex)}:${attempt}`,
  stepResult: (runId: string, stepId: string, itemIndex: number | null, attempt: number) =>
    `result:${runId}:${stepId}:${itemKey(itemIndex)}:${attempt}`,
  schedule: (scheduleId: string, fireTime: string) => `sched:${scheduleId}:${fireTime}`,
} as const;

/**
 * Patterns JetStream handlers are registered under (`@MessagePattern`): the subject without its
 * namespace, so handler code does not depend on the configured namespace.
 */
export const HandlerPatterns = {
  runStart: 'cmd.run.start',
  runCancel: 'cmd.run.cancel',
  runApproval: 'cmd.run.approval',
  stepDispatch: 'step.dispatch',
  stepStarted: 'step.started',
  stepResult: 'step.result',
} as const;
