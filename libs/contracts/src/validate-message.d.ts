import { type ClassConstructor } from 'class-transformer';
/** A message that failed validation; never retried, because it can never become valid. */
export declare class InvalidMessageError extends Error {
    readonly messageType: string;
    readonly problems: string[];
    constructor(messageType: string, problems: string[]);
}
/** Validates a decoded JSON payload against its message class; returns it typed or throws. */
export declare function validateMessage<T extends object>(cls: ClassConstructor<T>, payload: unknown): T;
