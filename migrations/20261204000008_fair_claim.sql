-- Workers pick a campaign first (the owner, then the campaign, with the fewest tasks in
-- flight), then that campaign's next company depth first: one user's 10,000-row list
-- no longer holds another user's 20 rows back until it is done.
CREATE INDEX pipeline_tasks_ready_in_campaign ON pipeline_tasks (campaign_id, company_id, id)
    WHERE status IN ('queued', 'running');
DROP INDEX pipeline_tasks_ready_by_company;
