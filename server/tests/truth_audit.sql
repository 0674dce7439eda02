-- The truth audit: one row per kind of violation, with how many were found. Zero rows
-- means every stored fact cites a source research retrieved for that company, every
-- judged verdict rests on evidence, and companies without evidence claim nothing.
-- Run by server/tests (common::truth_audit) and by scripts/test after the browser runs.
WITH checks AS (
    SELECT 'facts citing sources that were never retrieved' AS violation, count(*) AS n
      FROM companies co, LATERAL (
            SELECT s->'source' AS src FROM jsonb_array_elements(co.signals) s
            UNION ALL SELECT c->'source' FROM jsonb_array_elements(co.contacts) c
            UNION ALL SELECT e FROM jsonb_array_elements(COALESCE(co.assessment->'criteria', '[]')) k,
                                    jsonb_array_elements(k->'evidence') e) x
     WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(co.sources) r WHERE r = x.src)
    UNION ALL
    SELECT 'verdicts without evidence', count(*)
      FROM companies co, jsonb_array_elements(COALESCE(co.assessment->'criteria', '[]')) k
     WHERE k->>'verdict' <> 'unknown' AND jsonb_array_length(k->'evidence') = 0
    UNION ALL
    SELECT 'companies without evidence but with facts or verdicts', count(*)
      FROM companies co
     WHERE jsonb_array_length(co.sources) = 0 AND co.status = 'done'
       AND (jsonb_array_length(co.signals) > 0 OR jsonb_array_length(co.contacts) > 0
            OR EXISTS (SELECT 1 FROM jsonb_array_elements(co.assessment->'criteria') k
                        WHERE k->>'verdict' <> 'unknown'))
    UNION ALL
    SELECT 'page sources without their page text', count(*)
      FROM companies co, jsonb_array_elements(co.sources) r
     WHERE r->>'type' = 'url'
       AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(co.pages) p WHERE p->>'url' = r->>'url')
)
SELECT violation, n FROM checks WHERE n > 0;
