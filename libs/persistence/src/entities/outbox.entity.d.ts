/**
 * A message to publish once the transaction that wrote it commits (transactional outbox). A
 * relay publishes rows in id order with `msg_id` as the JetStream message id, then deletes them;
 * a crash between publish and delete re-publishes, and the duplicate window drops the copy.
 */
export declare class OutboxEntity {
    id: string;
    subject: string;
    msgId: string;
    /** The message body as JSON text, published byte for byte. */
    payload: string;
    createdAt: Date;
}
