import { Column, type ValueTransformer } from 'typeorm';

/**
 * `item_index` as stored for a step's own row (a plain step, or a fan-out step's aggregate).
 *
 * In TypeScript — the engine's rows, the messages and the API — "no fan-out item" is `null`. The
 * item_index columns of run_steps, step_attempts and dead_letter_items are NOT NULL instead,
 * because they are part of unique keys (a NULL never conflicts, so a redelivered write would add
 * a second row): the database stores -1. The two functions below are the only conversions; SQL
 * text that picks a step's own row interpolates this constant.
 */
export const STORED_STEP_ITEM_INDEX = -1;

/** The item index of a row → the value its item_index column stores. */
export function itemIndexToDb(itemIndex: number | null): number {
  return itemIndex === null ? STORED_STEP_ITEM_INDEX : itemIndex;
}

/** A stored item_index → the item index of the row (null for the step's own row). */
export function itemIndexFromDb(stored: number): number | null {
  return stored === STORED_STEP_ITEM_INDEX ? null : stored;
}

/** For an entity's item_index column: its property holds `number | null`, the column -1 for null. */
export const ITEM_INDEX_TRANSFORMER: ValueTransformer = {
  to: (value: number | null | undefined) => (value === undefined ? undefined : itemIndexToDb(value)),
  from: (stored: number | null) => (stored === null ? null : itemIndexFromDb(stored)),
};

/** The non-key item_index column of an entity (run_steps, dead_letter_items): -1 stored for null. */
export function ItemIndexColumn(): PropertyDecorator {
  return Column({
    name: 'item_index',
    type: 'integer',
    default: STORED_STEP_ITEM_INDEX,
    transformer: ITEM_INDEX_TRANSFORMER,
  });
}
