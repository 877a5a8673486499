import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';

/** A message that failed validation; never retried, because it can never become valid. */
export class InvalidMessageError extends Error {
  constructor(
    readonly messageType: string,
    readonly problems: string[],
  ) {
    super(`invalid ${messageType}: ${problems.join('; ')}`);
    this.name = 'InvalidMessageError';
  }
}

/** Validates a decoded JSON payload against its message class; returns it typed or throws. */
export function validateMessage<T extends object>(cls: ClassConstructor<T>, payload: unknown): T {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new InvalidMessageError(cls.name, ['payload is not a JSON object']);
  }
  const instance = plainToInstance(cls, payload);
  const errors = validateSync(instance, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const problems = errors.flatMap((e) =>
      Object.values(e.constraints ?? { nested: `${e.property} is invalid` }).map((m) => m),
    );
    throw new InvalidMessageError(cls.name, problems);
  }
  return instance;
}
