-- The columns traject indicators reads, selected once: the floor for its load time.
SELECT id, birth_date, gender, schooling_level, literacy, learning_route, civic_status FROM learners;
SELECT learner, date, provider FROM referrals;
SELECT code, module, start_date, end_date, planned_hours FROM course_groups;
SELECT learner, date, listening, reading, spoken_interaction, spoken_production, writing FROM placements;
SELECT learner, group_code, start_date, end_date, status, hours_attended FROM enrollments;
SELECT learner, group_code, date, kind, listening, reading, spoken_interaction, spoken_production, writing, decision FROM evaluations;
SELECT learner, kind, module, date FROM certificates;
SELECT learner, date, type, reason, destination, provider FROM outflows;
SELECT learner, date, status FROM followups;
SELECT code, provider, target_level FROM modules;
