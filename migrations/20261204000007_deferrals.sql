-- How often a task waited for a provider's rate limit without using up an attempt: those
-- waits are bounded too, so a provider that always answers 429 cannot park a row forever.
ALTER TABLE pipeline_tasks ADD COLUMN deferrals INT NOT NULL DEFAULT 0;
