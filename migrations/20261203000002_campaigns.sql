-- Company profiles, campaigns, their companies and research results.
-- Every table carries owner_id (cascading from users) so that "delete my account"
-- is one DELETE and every query can filter by owner.

CREATE TABLE profiles (
    id          UUID PRIMARY KEY,
    owner_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    website     TEXT NOT NULL DEFAULT '',
    product     TEXT NOT NULL,
    audience    TEXT NOT NULL DEFAULT '',
    samples     JSONB NOT NULL DEFAULT '[]',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX profiles_owner ON profiles (owner_id, created_at DESC);

CREATE TABLE campaigns (
    id               UUID PRIMARY KEY,
    owner_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    icp              TEXT NOT NULL,
    personas         JSONB NOT NULL DEFAULT '[]',
    funding_months   INT,
    hiring_roles     JSONB NOT NULL DEFAULT '[]',
    tools            JSONB NOT NULL DEFAULT '[]',
    profile_id       UUID REFERENCES profiles (id) ON DELETE SET NULL,
    -- The profile as it was when the campaign started: results stay explainable.
    profile_snapshot JSONB,
    status           TEXT NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'running', 'paused', 'done', 'failed', 'cancelled')),
    status_reason    TEXT,
    import_summary   JSONB,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    deleted_at       TIMESTAMPTZ
);
CREATE INDEX campaigns_owner ON campaigns (owner_id, created_at DESC);
CREATE INDEX campaigns_deleted ON campaigns (deleted_at) WHERE deleted_at IS NOT NULL;

-- One row per company of a campaign; the research results live on the same row.
CREATE TABLE companies (
    id             BIGSERIAL PRIMARY KEY,
    campaign_id    UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    owner_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position       INT NOT NULL,
    source_row     INT,
    name           TEXT NOT NULL,
    domain         TEXT,
    website_status TEXT NOT NULL DEFAULT 'missing',
    website_raw    TEXT,
    website_note   TEXT,
    fields         JSONB NOT NULL DEFAULT '[]',
    attributes     JSONB NOT NULL DEFAULT '[]',
    status         TEXT NOT NULL DEFAULT 'queued',
    score          SMALLINT,
    assessment     JSONB,
    signals        JSONB NOT NULL DEFAULT '[]',
    contacts       JSONB NOT NULL DEFAULT '[]',
    sources        JSONB NOT NULL DEFAULT '[]',
    error          TEXT,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX companies_domain ON companies (campaign_id, domain) WHERE domain IS NOT NULL;
CREATE INDEX companies_campaign ON companies (campaign_id, position);

CREATE TABLE outreach_versions (
    id          BIGSERIAL PRIMARY KEY,
    company_id  BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    owner_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version     INT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    -- 'generated', 'instruction', 'manual' or 'restore'
    kind        TEXT NOT NULL,
    instruction TEXT,
    author      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (company_id, version)
);
