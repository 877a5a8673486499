import { Inject, Injectable } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { NatsNames } from '@sandcastle/contracts';
import { NATS_CONNECTION, NATS_NAMES, readDeadLetters } from '@sandcastle/messaging';
import { Paged } from '../http/paged';
import { messageDeadLetterView, type MessageDeadLetterView } from './message-dead-letter.view';

/** Reads the `<NS>_DEAD_LETTERS` stream, newest first. */
@Injectable()
export class ListMessageDeadLettersUseCase {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
  ) {}

  async execute(page: { limit: number; before?: number }): Promise<Paged<MessageDeadLetterView>> {
    const found = await readDeadLetters(await jetstreamManager(this.nc), this.names, page);
    return new Paged(found.items.map(messageDeadLetterView), {
      total: found.total,
      limit: page.limit,
      offset: 0,
      ...(found.nextBefore === null ? {} : { next_before: found.nextBefore }),
    });
  }
}
