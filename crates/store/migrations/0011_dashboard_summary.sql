-- The dashboard's figures, kept up to date as rows are written instead of computed from every call and artifact
-- (and every evaluation panel's JSON) each time the Dashboard opens. Never edit a shipped migration; add the
-- next one.
--
-- Each summary is defined once, by a view holding the straightforward computation (the queries the dashboard
-- ran before this migration). The backfill below copies each view whole; every trigger recomputes from the
-- same view only the rows a change touches. Only the provider totals are kept as running sums: they are
-- integers, so adding and subtracting gives exactly what a recount would.
--
-- The summaries file each call and report under its episode's show when written. Nothing in the app moves a
-- run to another episode or an episode to another show, so the schema now refuses both rather than let the
-- summaries go stale. (Summary tables carry no foreign keys: they are derived, and go with their rows.)

CREATE TRIGGER runs_keep_their_episode BEFORE UPDATE OF episode_id ON runs
WHEN NEW.episode_id IS NOT OLD.episode_id
BEGIN
    SELECT RAISE(ABORT, 'a run belongs to one episode for good');
END;

CREATE TRIGGER episodes_keep_their_show BEFORE UPDATE OF show_id ON episodes
WHEN NEW.show_id IS NOT OLD.show_id
BEGIN
    SELECT RAISE(ABORT, 'an episode belongs to one show for good');
END;

-- ── Per episode: spend, caps, the newest master's length and the release time ─────────────────────────────

-- Spend is every call of every run of the episode (failed and billed calls included, as the Episodes list
-- counts); the master is the newest by time then version; the release is the last approval at the release gate.
CREATE VIEW dashboard_episode_facts AS
SELECT e.id AS episode_id, e.show_id,
       strftime('%Y-%m', e.created_at_ms / 1000, 'unixepoch') AS month,
       e.created_at_ms, e.budget_cap, e.status,
       COALESCE((SELECT SUM(c.cost) FROM provider_calls c
                  WHERE c.run_id IN (SELECT id FROM runs WHERE episode_id = e.id)), 0) AS spent,
       (SELECT json_extract(m.content, '$.duration_ms') FROM artifacts m
         WHERE m.run_id IN (SELECT id FROM runs WHERE episode_id = e.id) AND m.kind = 'master'
         ORDER BY m.created_at_ms DESC, m.version DESC LIMIT 1) AS master_ms,
       (SELECT MAX(d.decided_at_ms) FROM decisions d
         WHERE d.run_id IN (SELECT id FROM runs WHERE episode_id = e.id) AND d.gate = 'release') AS released_at_ms
  FROM episodes e;

-- `master_ms` has no declared type, so it holds exactly what json_extract returned (no affinity conversion).
CREATE TABLE dashboard_episodes (
    episode_id     TEXT PRIMARY KEY,
    show_id        TEXT NOT NULL,
    month          TEXT,
    created_at_ms  INTEGER NOT NULL,
    budget_cap     INTEGER NOT NULL,
    status         TEXT NOT NULL,
    spent          INTEGER NOT NULL,
    master_ms,
    released_at_ms INTEGER
);
-- Spend per show and month reads this index alone, already grouped.
CREATE INDEX dashboard_episodes_by_month ON dashboard_episodes(show_id, month, budget_cap, spent);
-- Cost per finished minute and time to release read the released episodes only, from this index alone.
CREATE INDEX dashboard_episodes_released ON dashboard_episodes(show_id, released_at_ms, created_at_ms, master_ms, spent)
    WHERE status = 'released';

INSERT INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
  FROM dashboard_episode_facts;

CREATE TRIGGER dashboard_episode_created AFTER INSERT ON episodes
BEGIN
    INSERT INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_facts WHERE episode_id = NEW.id;
END;

CREATE TRIGGER dashboard_episode_changed AFTER UPDATE OF id, status, budget_cap, created_at_ms ON episodes
BEGIN
    DELETE FROM dashboard_episodes WHERE episode_id = OLD.id;
    INSERT INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_facts WHERE episode_id = NEW.id;
END;

CREATE TRIGGER dashboard_episode_deleted AFTER DELETE ON episodes
BEGIN
    DELETE FROM dashboard_episodes WHERE episode_id = OLD.id;
END;

-- An episode's row recomputed after a call, master or release decision of one of its runs changed.
CREATE VIEW dashboard_episode_of_run AS
SELECT r.id AS run_id, f.*
  FROM runs r JOIN dashboard_episode_facts f ON f.episode_id = r.episode_id;

CREATE TRIGGER dashboard_spend_call_added AFTER INSERT ON provider_calls
BEGIN
    REPLACE INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_of_run WHERE run_id = NEW.run_id;
END;

CREATE TRIGGER dashboard_spend_call_changed AFTER UPDATE OF cost, run_id ON provider_calls
BEGIN
    REPLACE INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_of_run WHERE run_id IN (OLD.run_id, NEW.run_id);
END;

CREATE TRIGGER dashboard_spend_call_deleted AFTER DELETE ON provider_calls
BEGIN
    REPLACE INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_of_run WHERE run_id = OLD.run_id;
END;

CREATE TRIGGER dashboard_master_added AFTER INSERT ON artifacts WHEN NEW.kind = 'master'
BEGIN
    REPLACE INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_of_run WHERE run_id = NEW.run_id;
END;

-- Artifacts are never overwritten or deleted today; the summaries follow if that ever changes.
CREATE TRIGGER dashboard_master_changed AFTER UPDATE ON artifacts WHEN 'master' IN (OLD.kind, NEW.kind)
BEGIN
    REPLACE INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_of_run WHERE run_id IN (OLD.run_id, NEW.run_id);
END;

CREATE TRIGGER dashboard_master_deleted AFTER DELETE ON artifacts WHEN OLD.kind = 'master'
BEGIN
    REPLACE INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_of_run WHERE run_id = OLD.run_id;
END;

CREATE TRIGGER dashboard_release_added AFTER INSERT ON decisions WHEN NEW.gate = 'release'
BEGIN
    REPLACE INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_of_run WHERE run_id = NEW.run_id;
END;

CREATE TRIGGER dashboard_release_changed AFTER UPDATE ON decisions WHEN 'release' IN (OLD.gate, NEW.gate)
BEGIN
    REPLACE INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_of_run WHERE run_id IN (OLD.run_id, NEW.run_id);
END;

CREATE TRIGGER dashboard_release_deleted AFTER DELETE ON decisions WHEN OLD.gate = 'release'
BEGIN
    REPLACE INTO dashboard_episodes (episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms)
    SELECT episode_id, show_id, month, created_at_ms, budget_cap, status, spent, master_ms, released_at_ms
      FROM dashboard_episode_of_run WHERE run_id = OLD.run_id;
END;

-- ── Gate reports and evaluations: the JSON read once, when the artifact is written ─────────────────────────

-- A remediated try counts as not passed; a report without a verdict or score counts as the old query did
-- (NULL, which SUM and AVG skip). `passed` and `score` have no declared type: they hold json_extract's value.
CREATE VIEW dashboard_gate_report_facts AS
SELECT a.id AS artifact_id, e.show_id, strftime('%Y-%m', a.created_at_ms / 1000, 'unixepoch') AS month, a.stage,
       json_extract(a.content, '$.verdict') = 'pass' AS passed,
       json_extract(a.content, '$.score') AS score
  FROM artifacts a JOIN runs r ON r.id = a.run_id JOIN episodes e ON e.id = r.episode_id
 WHERE a.kind = 'gate_report';

CREATE TABLE dashboard_gate_reports (
    artifact_id TEXT PRIMARY KEY,
    show_id     TEXT NOT NULL,
    month       TEXT,
    stage       TEXT NOT NULL,
    passed,
    score
);
-- Read grouped by month and stage, for every show or one.
CREATE INDEX dashboard_gate_reports_by_month ON dashboard_gate_reports(month, stage, passed, score);
CREATE INDEX dashboard_gate_reports_by_show ON dashboard_gate_reports(show_id, month, stage, passed, score);

-- One row per evaluator of a panel: the mean of its six dimension scores.
CREATE VIEW dashboard_evaluation_facts AS
SELECT a.id AS artifact_id, v.key AS evaluator, e.show_id,
       strftime('%Y-%m', a.created_at_ms / 1000, 'unixepoch') AS month,
       (json_extract(v.value, '$.scores.factual_support') + json_extract(v.value, '$.scores.narrative_coherence')
        + json_extract(v.value, '$.scores.brand_voice') + json_extract(v.value, '$.scores.engagement')
        + json_extract(v.value, '$.scores.speech_readiness') + json_extract(v.value, '$.scores.format_compliance')) / 6.0
         AS score
  FROM artifacts a JOIN runs r ON r.id = a.run_id JOIN episodes e ON e.id = r.episode_id
  JOIN json_each(a.content, '$.evaluations') v
 WHERE a.kind = 'evaluation_panel';

-- `evaluator` is the entry's place in the panel's list. No uniqueness is declared on purpose: a trigger that
-- failed on an odd panel (an object with a repeated key) would refuse the artifact's write itself.
CREATE TABLE dashboard_evaluations (
    artifact_id TEXT NOT NULL,
    evaluator,
    show_id     TEXT NOT NULL,
    month       TEXT,
    score
);
CREATE INDEX dashboard_evaluations_by_artifact ON dashboard_evaluations(artifact_id);
CREATE INDEX dashboard_evaluations_by_month ON dashboard_evaluations(month, score);
CREATE INDEX dashboard_evaluations_by_show ON dashboard_evaluations(show_id, month, score);

INSERT INTO dashboard_gate_reports (artifact_id, show_id, month, stage, passed, score)
SELECT artifact_id, show_id, month, stage, passed, score FROM dashboard_gate_report_facts;
INSERT INTO dashboard_evaluations (artifact_id, evaluator, show_id, month, score)
SELECT artifact_id, evaluator, show_id, month, score FROM dashboard_evaluation_facts;

CREATE TRIGGER dashboard_gate_report_added AFTER INSERT ON artifacts WHEN NEW.kind = 'gate_report'
BEGIN
    INSERT INTO dashboard_gate_reports (artifact_id, show_id, month, stage, passed, score)
    SELECT artifact_id, show_id, month, stage, passed, score FROM dashboard_gate_report_facts WHERE artifact_id = NEW.id;
END;

CREATE TRIGGER dashboard_evaluation_added AFTER INSERT ON artifacts WHEN NEW.kind = 'evaluation_panel'
BEGIN
    INSERT INTO dashboard_evaluations (artifact_id, evaluator, show_id, month, score)
    SELECT artifact_id, evaluator, show_id, month, score FROM dashboard_evaluation_facts WHERE artifact_id = NEW.id;
END;

CREATE TRIGGER dashboard_reports_changed AFTER UPDATE ON artifacts
WHEN 'gate_report' IN (OLD.kind, NEW.kind) OR 'evaluation_panel' IN (OLD.kind, NEW.kind)
BEGIN
    DELETE FROM dashboard_gate_reports WHERE artifact_id = OLD.id;
    DELETE FROM dashboard_evaluations WHERE artifact_id = OLD.id;
    INSERT INTO dashboard_gate_reports (artifact_id, show_id, month, stage, passed, score)
    SELECT artifact_id, show_id, month, stage, passed, score FROM dashboard_gate_report_facts WHERE artifact_id = NEW.id;
    INSERT INTO dashboard_evaluations (artifact_id, evaluator, show_id, month, score)
    SELECT artifact_id, evaluator, show_id, month, score FROM dashboard_evaluation_facts WHERE artifact_id = NEW.id;
END;

CREATE TRIGGER dashboard_reports_deleted AFTER DELETE ON artifacts
WHEN OLD.kind IN ('gate_report', 'evaluation_panel')
BEGIN
    DELETE FROM dashboard_gate_reports WHERE artifact_id = OLD.id;
    DELETE FROM dashboard_evaluations WHERE artifact_id = OLD.id;
END;

-- ── Per show and provider: calls, failures, retries, cost; and the calls that fell back ────────────────────

-- Retries are the calls that repeat an earlier call's (run, call key) at the same provider, i.e. calls minus
-- distinct keys. Kept as running integer sums: a call joining a key that already has a call adds a retry, a
-- call leaving a key that keeps another call removes one.
CREATE TABLE dashboard_providers (
    show_id  TEXT NOT NULL,
    provider TEXT NOT NULL,
    calls    INTEGER NOT NULL,
    failed   INTEGER NOT NULL,
    retries  INTEGER NOT NULL,
    cost     INTEGER NOT NULL,
    PRIMARY KEY (show_id, provider)
);

INSERT INTO dashboard_providers (show_id, provider, calls, failed, retries, cost)
SELECT e.show_id, c.provider, COUNT(*), SUM(c.status = 'failed'),
       COUNT(*) - COUNT(DISTINCT c.run_id || char(0) || c.call_key), SUM(c.cost)
  FROM provider_calls c JOIN runs r ON r.id = c.run_id JOIN episodes e ON e.id = r.episode_id
 GROUP BY e.show_id, c.provider;

-- A fallback: a failed call never retried (no later call with its key) whose stage attempt went on with
-- another provider. Whether a call is one depends on the later calls of its attempt and of its key, so a
-- change to a call re-decides every call sharing its attempt or its key.
CREATE VIEW dashboard_fallback_facts AS
SELECT c.id AS call_id, e.show_id, c.provider
  FROM provider_calls c JOIN runs r ON r.id = c.run_id JOIN episodes e ON e.id = r.episode_id
 WHERE c.status = 'failed'
   AND EXISTS (SELECT 1 FROM provider_calls n WHERE n.attempt_id = c.attempt_id AND n.id > c.id AND n.provider <> c.provider)
   AND NOT EXISTS (SELECT 1 FROM provider_calls s WHERE s.run_id = c.run_id AND s.call_key = c.call_key AND s.id > c.id);

CREATE TABLE dashboard_fallbacks (
    call_id  INTEGER PRIMARY KEY,
    show_id  TEXT NOT NULL,
    provider TEXT NOT NULL
);
CREATE INDEX dashboard_fallbacks_by_show ON dashboard_fallbacks(show_id, provider);

INSERT INTO dashboard_fallbacks (call_id, show_id, provider) SELECT call_id, show_id, provider FROM dashboard_fallback_facts;

CREATE TRIGGER dashboard_provider_call_added AFTER INSERT ON provider_calls
BEGIN
    INSERT INTO dashboard_providers (show_id, provider, calls, failed, retries, cost)
    SELECT e.show_id, NEW.provider, 1, NEW.status = 'failed',
           EXISTS (SELECT 1 FROM provider_calls p
                    WHERE p.run_id = NEW.run_id AND p.call_key = NEW.call_key AND p.provider = NEW.provider AND p.id <> NEW.id),
           NEW.cost
      FROM runs r JOIN episodes e ON e.id = r.episode_id WHERE r.id = NEW.run_id
        ON CONFLICT (show_id, provider) DO UPDATE SET calls = calls + excluded.calls, failed = failed + excluded.failed,
           retries = retries + excluded.retries, cost = cost + excluded.cost;
    DELETE FROM dashboard_fallbacks
     WHERE call_id IN (SELECT NEW.id UNION SELECT id FROM provider_calls WHERE attempt_id = NEW.attempt_id
                       UNION SELECT id FROM provider_calls WHERE run_id = NEW.run_id AND call_key = NEW.call_key);
    INSERT INTO dashboard_fallbacks (call_id, show_id, provider)
    SELECT call_id, show_id, provider FROM dashboard_fallback_facts
     WHERE call_id IN (SELECT NEW.id UNION SELECT id FROM provider_calls WHERE attempt_id = NEW.attempt_id
                       UNION SELECT id FROM provider_calls WHERE run_id = NEW.run_id AND call_key = NEW.call_key);
END;

-- The old row's share comes off and the new row's goes on; "another call with the key" excludes the changed
-- row itself (it already holds the new values), so an update that keeps the key leaves the retries as they were.
CREATE TRIGGER dashboard_provider_call_changed AFTER UPDATE OF id, run_id, attempt_id, call_key, provider, status, cost ON provider_calls
BEGIN
    UPDATE dashboard_providers
       SET calls = calls - 1, failed = failed - (OLD.status = 'failed'), cost = cost - OLD.cost,
           retries = retries - EXISTS (SELECT 1 FROM provider_calls p
                                        WHERE p.run_id = OLD.run_id AND p.call_key = OLD.call_key AND p.provider = OLD.provider AND p.id <> NEW.id)
     WHERE provider = OLD.provider
       AND show_id = (SELECT e.show_id FROM runs r JOIN episodes e ON e.id = r.episode_id WHERE r.id = OLD.run_id);
    INSERT INTO dashboard_providers (show_id, provider, calls, failed, retries, cost)
    SELECT e.show_id, NEW.provider, 1, NEW.status = 'failed',
           EXISTS (SELECT 1 FROM provider_calls p
                    WHERE p.run_id = NEW.run_id AND p.call_key = NEW.call_key AND p.provider = NEW.provider AND p.id <> NEW.id),
           NEW.cost
      FROM runs r JOIN episodes e ON e.id = r.episode_id WHERE r.id = NEW.run_id
        ON CONFLICT (show_id, provider) DO UPDATE SET calls = calls + excluded.calls, failed = failed + excluded.failed,
           retries = retries + excluded.retries, cost = cost + excluded.cost;
    DELETE FROM dashboard_fallbacks
     WHERE call_id IN (SELECT OLD.id UNION SELECT NEW.id
                       UNION SELECT id FROM provider_calls WHERE attempt_id IN (OLD.attempt_id, NEW.attempt_id)
                       UNION SELECT id FROM provider_calls WHERE run_id = OLD.run_id AND call_key = OLD.call_key
                       UNION SELECT id FROM provider_calls WHERE run_id = NEW.run_id AND call_key = NEW.call_key);
    INSERT INTO dashboard_fallbacks (call_id, show_id, provider)
    SELECT call_id, show_id, provider FROM dashboard_fallback_facts
     WHERE call_id IN (SELECT NEW.id
                       UNION SELECT id FROM provider_calls WHERE attempt_id IN (OLD.attempt_id, NEW.attempt_id)
                       UNION SELECT id FROM provider_calls WHERE run_id = OLD.run_id AND call_key = OLD.call_key
                       UNION SELECT id FROM provider_calls WHERE run_id = NEW.run_id AND call_key = NEW.call_key);
END;

CREATE TRIGGER dashboard_provider_call_deleted AFTER DELETE ON provider_calls
BEGIN
    UPDATE dashboard_providers
       SET calls = calls - 1, failed = failed - (OLD.status = 'failed'), cost = cost - OLD.cost,
           retries = retries - EXISTS (SELECT 1 FROM provider_calls p
                                        WHERE p.run_id = OLD.run_id AND p.call_key = OLD.call_key AND p.provider = OLD.provider)
     WHERE provider = OLD.provider
       AND show_id = (SELECT e.show_id FROM runs r JOIN episodes e ON e.id = r.episode_id WHERE r.id = OLD.run_id);
    DELETE FROM dashboard_fallbacks
     WHERE call_id IN (SELECT OLD.id UNION SELECT id FROM provider_calls WHERE attempt_id = OLD.attempt_id
                       UNION SELECT id FROM provider_calls WHERE run_id = OLD.run_id AND call_key = OLD.call_key);
    INSERT INTO dashboard_fallbacks (call_id, show_id, provider)
    SELECT call_id, show_id, provider FROM dashboard_fallback_facts
     WHERE call_id IN (SELECT id FROM provider_calls WHERE attempt_id = OLD.attempt_id
                       UNION SELECT id FROM provider_calls WHERE run_id = OLD.run_id AND call_key = OLD.call_key);
END;
