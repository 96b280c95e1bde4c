-- Schema version 15: the plan van aanpak's own words under a key (issue 9, point 1).
-- The case goal and the four texts of the plan (problem, monitoring, informing, exit
-- criteria) are kept together in ``plan_content``: AES-256-GCM of their JSON under a
-- key of generation ``plan_gen``, sealed in ``joint_keys`` as kind 'plan' (row id = the
-- case id) to whoever the joint-record rule shows the case's table at some time
-- (app.services.joint_seal).  The five columns stay for what is written in clear until
-- the key work before the commit encrypts it; then they are ''.

ALTER TABLE cases ADD COLUMN plan_content BLOB;
ALTER TABLE cases ADD COLUMN plan_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN plan_rekey_due INTEGER NOT NULL DEFAULT 0;

CREATE INDEX cases_plan_clear ON cases(id) WHERE plan_content IS NULL AND (
    goal != '' OR plan_problem != '' OR plan_monitoring != '' OR plan_informing != ''
    OR plan_exit_criteria != '');
