-- Schema version 19: the reason a case was closed is kept with the plan van aanpak,
-- under its row key (issue 9, point 1).  The procesregisseur's reason for afschaling or
-- closing (ZVH 11.6) is free text about the case, shown in the afsluitrapportage.  Since
-- this version ``close_reason`` is one more field of the plan's encrypted content
-- (app.store.joint_keys.PLAN_FIELDS) and the column becomes ''; its basis (an article)
-- stays readable.  A reason still in clear beside an encrypted plan is found through the
-- index below and written into the plan by the next holder of its key.

CREATE INDEX cases_close_clear ON cases(id)
    WHERE plan_content IS NOT NULL AND coalesce(close_reason, '') != '';

-- A plan in clear now includes a close reason in clear (the index must match the key
-- work's query, app.store.joint_keys._PLAN_CLEAR, for SQLite to use it).
DROP INDEX cases_plan_clear;
CREATE INDEX cases_plan_clear ON cases(id) WHERE plan_content IS NULL AND (
    goal != '' OR plan_problem != '' OR plan_monitoring != '' OR plan_informing != ''
    OR plan_exit_criteria != '' OR coalesce(close_reason, '') != '');
