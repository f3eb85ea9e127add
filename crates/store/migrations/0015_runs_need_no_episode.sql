-- A run's episode is optional: a pipeline that produces no episode (the engine's own tests and benches, any
-- workflow that is not an episode's production) runs with none. The cap and the split already live on the
-- run (0013, 0014), so nothing else needs the episode. Never edit a shipped migration; add the next one.
--
-- SQLite cannot drop a NOT NULL in place, so the table is rebuilt; and `runs` is every other table's parent.
-- Migrations run inside a transaction with foreign keys on (where turning them off is a no-op), so the
-- children's checks are deferred to the commit instead: dropping `runs` counts each child row as missing its
-- parent, and putting every run back under the same name, afterwards, counts each one found again. A run
-- that did not come back would fail the commit, and the migration with it, leaving the old table as it was.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE runs_as_they_were AS SELECT rowid AS run_rowid, * FROM runs;

CREATE TABLE runs_rebuilt (
    id            TEXT PRIMARY KEY,
    episode_id    TEXT REFERENCES episodes(id),
    pipeline      TEXT NOT NULL,
    status        TEXT NOT NULL,
    park          TEXT CHECK (park IS NULL OR json_valid(park)),
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    duplicate_of  TEXT REFERENCES runs(id),
    budget_cap    INTEGER CHECK (budget_cap IS NULL OR budget_cap > 0),
    budget_split  TEXT CHECK (budget_split IS NULL OR json_valid(budget_split))
);

-- The other tables' REFERENCES runs(id), and the views and triggers that read runs, name it: the legacy
-- rename leaves them as written, and they reach the rebuilt table once it has the name.
DROP TABLE runs;
PRAGMA legacy_alter_table = ON;
ALTER TABLE runs_rebuilt RENAME TO runs;
PRAGMA legacy_alter_table = OFF;

-- Same rows, same rowids (the Episodes list breaks ties between runs by rowid).
INSERT INTO runs (rowid, id, episode_id, pipeline, status, park, created_at_ms, updated_at_ms, duplicate_of,
                  budget_cap, budget_split)
SELECT run_rowid, id, episode_id, pipeline, status, park, created_at_ms, updated_at_ms, duplicate_of, budget_cap,
       budget_split
  FROM runs_as_they_were;
DROP TABLE runs_as_they_were;

CREATE INDEX runs_by_episode ON runs(episode_id);
CREATE INDEX runs_by_status ON runs(status);
CREATE UNIQUE INDEX runs_one_per_episode ON runs(episode_id) WHERE duplicate_of IS NULL;

-- 0011's guard, as it was: a run that has an episode keeps it.
CREATE TRIGGER runs_keep_their_episode BEFORE UPDATE OF episode_id ON runs
WHEN NEW.episode_id IS NOT OLD.episode_id
BEGIN
    SELECT RAISE(ABORT, 'a run belongs to one episode for good');
END;
