import type { MigrationInterface, QueryRunner } from 'typeorm';
/**
 * The whole first schema. Raw SQL on purpose: the orchestrator queries these tables with raw SQL
 * on its hot path, so names, types and constraints here are a contract, not something an ORM
 * derives. Every constraint and index is named so errors and plans can be matched on the name.
 * Ids default to gen_random_uuid() (built in since PostgreSQL 13), so no extension is needed.
 */
export declare class InitialSchema1795669714882 implements MigrationInterface {
    name: string;
    up(queryRunner: QueryRunner): Promise<void>;
    down(queryRunner: QueryRunner): Promise<void>;
}
