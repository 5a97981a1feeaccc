-- A counter that every write transaction on the domain data increments
-- (store.Tx.Commit), so caches of indicators and pages learn that the data
-- changed, whichever process changed it; bookkeeping writes (sessions,
-- tokens, the scheduler's lock and run history) do not touch it.
CREATE TABLE data_changes (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_changes (id, version) VALUES (1, 0);
