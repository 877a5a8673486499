import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A message to publish once the transaction that wrote it commits (transactional outbox). A
 * relay publishes rows in id order with `msg_id` as the JetStream message id, then deletes them;
 * a crash between publish and delete re-publishes, and the duplicate window drops the copy.
 */
@Entity({ name: 'outbox' })
export class OutboxEntity {
  // bigserial: node-postgres returns int8 as a string, which keeps every value exact.
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'bigint' })
  id!: string;

  @Column({ name: 'subject', type: 'varchar', length: 300 })
  subject!: string;

  @Column({ name: 'msg_id', type: 'varchar', length: 300 })
  msgId!: string;

  /** The message body as JSON text, published byte for byte. */
  @Column({ name: 'payload', type: 'text' })
  payload!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** `stream`: a JetStream message; `stop`: a stopped run's abort (core-NATS signal + stopped-runs mark). */
  @Column({ name: 'kind', type: 'varchar', length: 10, default: 'stream' })
  kind!: 'stream' | 'stop';

  /** W3C trace context the message is published with (its run's trace). */
  @Column({ name: 'traceparent', type: 'varchar', length: 55, nullable: true })
  traceparent!: string | null;

  /** Failed publish tries so far. */
  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** Set aside after too many failed tries: not retried automatically, reported to operators. */
  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;
}
