-- The research pipeline: durable tasks, an append-only event log, and provenance.

CREATE TABLE pipeline_tasks (
    id           BIGSERIAL PRIMARY KEY,
    campaign_id  UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    company_id   BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    owner_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    step         TEXT NOT NULL CHECK (step IN ('research', 'score', 'signals', 'contacts', 'outreach')),
    -- queued -> running -> done | failed | cancelled
    status       TEXT NOT NULL DEFAULT 'queued',
    attempts     INT NOT NULL DEFAULT 0,
    max_attempts INT NOT NULL DEFAULT 5,
    run_after    TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_until  TIMESTAMPTZ,
    lease_token  UUID,
    last_error   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, company_id, step)
);
CREATE INDEX pipeline_tasks_ready ON pipeline_tasks (run_after, id) WHERE status IN ('queued', 'running');
CREATE INDEX pipeline_tasks_campaign ON pipeline_tasks (campaign_id, status);

-- Written in the same transaction as the state it reports; NOTIFY carries ids only.
CREATE TABLE campaign_events (
    id          BIGSERIAL PRIMARY KEY,
    campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    owner_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    payload     JSONB NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX campaign_events_campaign ON campaign_events (campaign_id, id);

-- Which provider, model and prompt version produced a company's results, per step.
ALTER TABLE companies ADD COLUMN provenance JSONB NOT NULL DEFAULT '{}';
ALTER TABLE companies ADD COLUMN finished_at TIMESTAMPTZ;
