-- Rows that hang off a campaign always have the campaign's owner: the database itself
-- refuses a company, task or event whose owner_id differs from its campaign's.
ALTER TABLE campaigns ADD CONSTRAINT campaigns_id_owner UNIQUE (id, owner_id);
ALTER TABLE companies ADD CONSTRAINT companies_campaign_owner
    FOREIGN KEY (campaign_id, owner_id) REFERENCES campaigns (id, owner_id) ON DELETE CASCADE;
ALTER TABLE pipeline_tasks ADD CONSTRAINT pipeline_tasks_campaign_owner
    FOREIGN KEY (campaign_id, owner_id) REFERENCES campaigns (id, owner_id) ON DELETE CASCADE;
ALTER TABLE campaign_events ADD CONSTRAINT campaign_events_campaign_owner
    FOREIGN KEY (campaign_id, owner_id) REFERENCES campaigns (id, owner_id) ON DELETE CASCADE;
