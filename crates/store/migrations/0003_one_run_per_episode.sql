-- One run per episode, enforced by the schema: two processes (or two resumes) that both find an episode
-- without a run can no longer each create one. Never edit a shipped migration; add the next one.

-- A folder written before this migration may already hold extra runs of one episode (the race above). They
-- keep their rows and their ledger, marked as duplicates of the episode's current run (the newest, which
-- is the one the app shows), so the index below can hold for everything else.
ALTER TABLE runs ADD COLUMN duplicate_of TEXT REFERENCES runs(id);

UPDATE runs
   SET duplicate_of = (SELECT newest.id FROM runs AS newest
                        WHERE newest.episode_id = runs.episode_id
                        ORDER BY newest.created_at_ms DESC, newest.rowid DESC LIMIT 1)
 WHERE id <> (SELECT newest.id FROM runs AS newest
               WHERE newest.episode_id = runs.episode_id
               ORDER BY newest.created_at_ms DESC, newest.rowid DESC LIMIT 1);

CREATE UNIQUE INDEX runs_one_per_episode ON runs(episode_id) WHERE duplicate_of IS NULL;
