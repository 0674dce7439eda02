-- Real research providers: fetched pages, token/cost accounting, budgets, a response
-- cache, and provider limits shared by every server instance.

-- Pages fetched or found by search for a company: [{url, title, text}], text capped.
ALTER TABLE companies ADD COLUMN pages JSONB NOT NULL DEFAULT '[]';
ALTER TABLE companies ADD COLUMN tokens_in BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN tokens_out BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0;

-- Optional spending cap; reaching it pauses the campaign.
ALTER TABLE campaigns ADD COLUMN budget_usd DOUBLE PRECISION CHECK (budget_usd IS NULL OR budget_usd > 0);

-- Raw provider answers by request hash, per owner, so a retry or re-run does not pay twice.
CREATE TABLE provider_cache (
    owner_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    request_hash TEXT NOT NULL,
    provider     TEXT NOT NULL,
    response     JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, request_hash)
);
CREATE INDEX provider_cache_age ON provider_cache (created_at);

-- Concurrency slots per provider: a row is a slot, held by one call at a time (with a
-- lease so a crashed instance's slot comes back).
CREATE TABLE provider_slots (
    provider    TEXT NOT NULL,
    slot        INT NOT NULL,
    holder      UUID,
    lease_until TIMESTAMPTZ,
    PRIMARY KEY (provider, slot)
);

-- Requests-per-second pacing per provider: each call reserves the next free instant.
CREATE TABLE provider_pace (
    provider TEXT PRIMARY KEY,
    next_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
