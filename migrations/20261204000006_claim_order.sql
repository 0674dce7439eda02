-- Workers take a company's next step before the next company's first one (depth first),
-- so rows finish one by one while a campaign runs instead of all at the very end.
CREATE INDEX pipeline_tasks_ready_by_company ON pipeline_tasks (company_id, id) WHERE status IN ('queued', 'running');
