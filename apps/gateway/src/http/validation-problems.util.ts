import type { ValidationError } from 'class-validator';
import type { FieldProblem } from '@sandcastle/contracts';

function joinPath(parent: string, property: string): string {
  if (parent === '') return property;
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}

/**
 * class-validator's error tree → one problem per bad field, with the path as the client wrote
 * it (`input`, `items[2].name`) and every failed rule of that field in one message.
 */
export function validationProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = joinPath(parent, error.property);
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) problems.push({ field, message: messages.join('; ') });
    problems.push(...validationProblems(error.children ?? [], field));
  }
  return problems;
}
