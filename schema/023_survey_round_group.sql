-- A survey round can be aimed at one group (issue 20, surveys): its link
-- and QR code are then for that class, the round's page counts the
-- group's learners beside the answers, and the number of answers expected
-- defaults to them. Only a round of learners has a group, and the group is
-- one of the round's provider (store.OpenSurveyRound). NULL: a round of the
-- whole provider, as before. Portable SQL (SQLite and PostgreSQL).

ALTER TABLE survey_rounds ADD COLUMN group_code TEXT REFERENCES course_groups (code);
CREATE INDEX survey_rounds_group ON survey_rounds (group_code);
