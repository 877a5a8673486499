import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { NatsNames } from '@sandcastle/contracts';

/** A command the gateway published, as a spec compares it. */
export interface ReceivedCommand {
  subject: string;
  msgId: string | undefined;
  payload: { runId?: string } & Record<string, unknown>;
}

/** A durable consumer on the namespace's COMMANDS stream, for the commands on `subject` only. */
export async function addCommandConsumer(
  nc: NatsConnection,
  names: NatsNames,
  durable: string,
  subject: string,
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(names.streams.commands, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: subject,
  });
}

/**
 * Reads (and acks) the durable's commands until the one for `runId` shows up; commands of other
 * runs, left by earlier tests, are skipped.
 */
export async function commandFor(
  nc: NatsConnection,
  names: NatsNames,
  durable: string,
  runId: string,
): Promise<ReceivedCommand> {
  const consumer = await jetstream(nc).consumers.get(names.streams.commands, durable);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const messages = await consumer.fetch({ max_messages: 100, expires: 1000 });
    for await (const m of messages) {
      m.ack();
      const payload = m.json<ReceivedCommand['payload']>();
      if (payload.runId === runId) {
        return { subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), payload };
      }
    }
  }
  throw new Error(`no start command for run ${runId}`);
}
