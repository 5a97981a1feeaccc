-- A survey round's link can no longer be stuffed (issue 18, finding 7): one
-- answer per learner per round, a cap on a round's answers, and what was
-- replaced or refused counted for the round's page. Portable SQL (SQLite and
-- PostgreSQL).

-- expected is how many people the coordinator asks to answer; the round
-- takes at most half again as many, and five more (store.SurveyRound.Limit).
-- refused_full counts answers refused because the round had reached that
-- cap; refused_busy those refused because too many came from one network at
-- once (auth.SurveyRatePerNetwork).
ALTER TABLE survey_rounds ADD COLUMN expected INTEGER NOT NULL DEFAULT 25;
ALTER TABLE survey_rounds ADD COLUMN refused_full INTEGER NOT NULL DEFAULT 0;
ALTER TABLE survey_rounds ADD COLUMN refused_busy INTEGER NOT NULL DEFAULT 0;

-- A round opened before this migration keeps taking answers: it expects at
-- least as many as it has.
UPDATE survey_rounds SET expected = (SELECT COUNT(*) FROM survey_nonces n WHERE n.round = survey_rounds.id)
    WHERE (SELECT COUNT(*) FROM survey_nonces n WHERE n.round = survey_rounds.id) > 25;

-- replaced is 1 when a later answer of the same learner replaced this one
-- (its survey response is deleted; the round counts the learner once).
-- unknown_learner is 1 when the answer carried a learner number that names
-- no learner of the round's provider, and was kept anonymous. Neither
-- repeats a learner's number: which learner an answer is of stays in
-- survey_responses alone, where access and erasure find it.
ALTER TABLE survey_nonces ADD COLUMN replaced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE survey_nonces ADD COLUMN unknown_learner INTEGER NOT NULL DEFAULT 0;
