"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.InitialSchema1795669714882 = void 0;
/**
 * The whole first schema. Raw SQL on purpose: the orchestrator queries these tables with raw SQL
 * on its hot path, so names, types and constraints here are a contract, not something an ORM
 * derives. Every constraint and index is named so errors and plans can be matched on the name.
 * Ids default to gen_random_uuid() (built in since PostgreSQL 13), so no extension is needed.
 */
class InitialSchema1795669714882 {
    constructor() {
        this.name = 'InitialSchema1795669714882';
    }
    async up(queryRunner) {
        for (const statement of UP) {
            await queryRunner.query(statement);
        }
    }
    async down(queryRunner) {
        // Children before parents, so the foreign keys never stand in the way.
        for (const table of ['outbox', 'step_attempts', 'run_steps', 'runs', 'workflows']) {
            await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
        }
    }
}
exports.InitialSchema1795669714882 = InitialSchema1795669714882;
// One statement per query, so a failure names the statement that failed.
const UP = [
    `CREATE TABLE workflows (
    id            uuid          NOT NULL DEFAULT gen_random_uuid(),
    tenant_id     varchar(100)  NOT NULL,
    name          varchar(200)  NOT NULL,
    version       integer       NOT NULL,
    title         varchar(500)  NOT NULL,
    description   text          NOT NULL DEFAULT '',
    content       text          NOT NULL,
    content_hash  varchar(64)   NOT NULL,
    definition    jsonb         NOT NULL,
    source        varchar(10)   NOT NULL,
    created_at    timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT pk_workflows PRIMARY KEY (id),
    CONSTRAINT uq_workflows_tenant_name_version UNIQUE (tenant_id, name, version),
    CONSTRAINT ck_workflows_source CHECK (source IN ('api', 'file'))
  )`,
    `CREATE INDEX ix_workflows_tenant_name ON workflows (tenant_id, name, version DESC)`,
    `CREATE TABLE runs (
    id                   uuid              NOT NULL,
    tenant_id            varchar(100)      NOT NULL,
    workflow_name        varchar(200)      NOT NULL,
    workflow_version     integer           NULL,
    definition           jsonb             NOT NULL,
    status               varchar(20)       NOT NULL DEFAULT 'queued',
    kind                 varchar(10)       NOT NULL DEFAULT 'original',
    input_data           jsonb             NOT NULL DEFAULT '{}',
    outputs              jsonb             NOT NULL DEFAULT '{}',
    error                text              NULL,
    total_cost_usd       double precision  NOT NULL DEFAULT 0,
    total_input_tokens   integer           NOT NULL DEFAULT 0,
    total_output_tokens  integer           NOT NULL DEFAULT 0,
    max_cost_usd         double precision  NULL,
    budget_warned        boolean           NOT NULL DEFAULT false,
    callback_url         text              NULL,
    idempotency_key      varchar(255)      NULL,
    request_hash         varchar(64)       NULL,
    parent_run_id        uuid              NULL,
    root_run_id          uuid              NULL,
    replay_from_step     varchar(200)      NULL,
    fork_changes         jsonb             NULL,
    created_at           timestamptz       NOT NULL DEFAULT now(),
    started_at           timestamptz       NULL,
    completed_at         timestamptz       NULL,
    updated_at           timestamptz       NOT NULL DEFAULT now(),
    CONSTRAINT pk_runs PRIMARY KEY (id),
    CONSTRAINT fk_runs_parent_run FOREIGN KEY (parent_run_id) REFERENCES runs (id) ON DELETE SET NULL,
    CONSTRAINT ck_runs_status CHECK (
      status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'budget_exceeded')
    ),
    CONSTRAINT ck_runs_kind CHECK (kind IN ('original', 'replay', 'fork'))
  )`,
    `CREATE INDEX ix_runs_tenant_created ON runs (tenant_id, created_at DESC)`,
    `CREATE INDEX ix_runs_tenant_status_created ON runs (tenant_id, status, created_at DESC)`,
    `CREATE INDEX ix_runs_tenant_workflow_created ON runs (tenant_id, workflow_name, created_at DESC)`,
    `CREATE INDEX ix_runs_parent ON runs (parent_run_id)`,
    // Small by construction: only live runs, which is what the reconciler and recovery scan.
    `CREATE INDEX ix_runs_active ON runs (status, created_at) WHERE status IN ('queued', 'running')`,
    // Partial: runs without a key never collide; with one, a tenant gets at most one run per key.
    `CREATE UNIQUE INDEX uq_runs_tenant_idempotency ON runs (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL`,
    `CREATE TABLE run_steps (
    id                uuid              NOT NULL DEFAULT gen_random_uuid(),
    run_id            uuid              NOT NULL,
    tenant_id         varchar(100)      NOT NULL,
    step_id           varchar(200)      NOT NULL,
    item_index        integer           NOT NULL DEFAULT -1,
    item_count        integer           NULL,
    status            varchar(20)       NOT NULL DEFAULT 'pending',
    attempt           integer           NOT NULL DEFAULT 0,
    output            jsonb             NULL,
    error             text              NULL,
    error_kind        varchar(20)       NULL,
    cost_usd          double precision  NOT NULL DEFAULT 0,
    input_tokens      integer           NOT NULL DEFAULT 0,
    output_tokens     integer           NOT NULL DEFAULT 0,
    num_turns         integer           NOT NULL DEFAULT 0,
    duration_seconds  double precision  NULL,
    model             varchar(200)      NULL,
    runtime           varchar(20)       NULL,
    prompt            text              NULL,
    is_fallback       boolean           NOT NULL DEFAULT false,
    executor_id       varchar(200)      NULL,
    queued_at         timestamptz       NULL,
    started_at        timestamptz       NULL,
    completed_at      timestamptz       NULL,
    next_attempt_at   timestamptz       NULL,
    deadline_at       timestamptz       NULL,
    restored_from     uuid              NULL,
    updated_at        timestamptz       NOT NULL DEFAULT now(),
    CONSTRAINT pk_run_steps PRIMARY KEY (id),
    CONSTRAINT fk_run_steps_run FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE,
    CONSTRAINT uq_run_steps_run_step_item UNIQUE (run_id, step_id, item_index),
    CONSTRAINT ck_run_steps_status CHECK (
      status IN ('pending', 'queued', 'running', 'completed', 'failed', 'skipped', 'cancelled')
    )
  )`,
    `CREATE INDEX ix_run_steps_retry_due ON run_steps (next_attempt_at) WHERE next_attempt_at IS NOT NULL`,
    `CREATE INDEX ix_run_steps_deadline ON run_steps (deadline_at) WHERE status IN ('queued', 'running')`,
    `CREATE TABLE step_attempts (
    run_id                       uuid              NOT NULL,
    step_id                      varchar(200)      NOT NULL,
    item_index                   integer           NOT NULL,
    attempt                      integer           NOT NULL,
    tenant_id                    varchar(100)      NOT NULL,
    outcome                      varchar(20)       NOT NULL,
    output                       jsonb             NULL,
    error                        text              NULL,
    error_kind                   varchar(20)       NULL,
    cost_usd                     double precision  NOT NULL DEFAULT 0,
    input_tokens                 integer           NOT NULL DEFAULT 0,
    output_tokens                integer           NOT NULL DEFAULT 0,
    cache_creation_input_tokens  integer           NOT NULL DEFAULT 0,
    cache_read_input_tokens      integer           NOT NULL DEFAULT 0,
    num_turns                    integer           NOT NULL DEFAULT 0,
    model                        varchar(200)      NULL,
    runtime                      varchar(20)       NULL,
    executor_id                  varchar(200)      NULL,
    started_at                   timestamptz       NULL,
    finished_at                  timestamptz       NULL,
    applied_at                   timestamptz       NOT NULL DEFAULT now(),
    CONSTRAINT pk_step_attempts PRIMARY KEY (run_id, step_id, item_index, attempt),
    CONSTRAINT fk_step_attempts_run FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE,
    CONSTRAINT ck_step_attempts_outcome CHECK (outcome IN ('completed', 'failed'))
  )`,
    `CREATE TABLE outbox (
    id          bigserial     NOT NULL,
    subject     varchar(300)  NOT NULL,
    msg_id      varchar(300)  NOT NULL,
    payload     text          NOT NULL,
    created_at  timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT pk_outbox PRIMARY KEY (id)
  )`,
    `CREATE INDEX ix_outbox_created ON outbox (created_at)`,
];
//# sourceMappingURL=1795669714882-InitialSchema.js.map