-- A run owns its split of the cap over its pipeline's budget phases (a JSON list of {id, label,
-- share_percent}), written when it is created: the ledger allocates from it, so the phases are the pipeline's
-- data rather than names the schema knows. Runs made before this were split the seed's way, which they get.
-- Never edit a shipped migration; add the next one.
ALTER TABLE runs ADD COLUMN budget_split TEXT CHECK (budget_split IS NULL OR json_valid(budget_split));

UPDATE runs SET budget_split = '[{"id":"research","label":"Research","share_percent":20},'
    || '{"id":"production","label":"Writing & review","share_percent":51},'
    || '{"id":"audio","label":"Audio","share_percent":29}]';

-- provider_calls.phase named the three seed phases in a CHECK; SQLite cannot drop a CHECK in place, so the
-- table is rebuilt with the same columns, rows and ids, and a phase may be any well-formed phase id. Nothing
-- references provider_calls; its indexes and the dashboard's triggers on it are made again below, as they were.
CREATE TABLE provider_calls_rebuilt (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id           TEXT NOT NULL REFERENCES runs(id),
    stage            TEXT NOT NULL,
    attempt_id       INTEGER REFERENCES attempts(id),
    call_key         TEXT NOT NULL,
    phase            TEXT NOT NULL CHECK (phase <> '' AND phase NOT GLOB '*[^a-z0-9_]*'),
    provider         TEXT NOT NULL,
    model            TEXT NOT NULL,
    reserved         INTEGER NOT NULL CHECK (reserved >= 0),
    status           TEXT NOT NULL CHECK (status IN ('intent', 'settled', 'failed', 'released')),
    cost             INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
    usage            TEXT CHECK (usage IS NULL OR json_valid(usage)),
    price_row        TEXT,
    request_id       TEXT,
    result           TEXT CHECK (result IS NULL OR json_valid(result)),
    ambiguous        INTEGER NOT NULL DEFAULT 0 CHECK (ambiguous IN (0, 1)),
    error_code       TEXT,
    created_at_ms    INTEGER NOT NULL,
    finished_at_ms   INTEGER,
    rejected_at_ms   INTEGER,
    template_id      TEXT,
    template_version INTEGER,
    prompt_sha256    TEXT,
    reuse_key        TEXT
);

INSERT INTO provider_calls_rebuilt (id, run_id, stage, attempt_id, call_key, phase, provider, model, reserved, status, cost,
                                    usage, price_row, request_id, result, ambiguous, error_code, created_at_ms,
                                    finished_at_ms, rejected_at_ms, template_id, template_version, prompt_sha256, reuse_key)
SELECT id, run_id, stage, attempt_id, call_key, phase, provider, model, reserved, status, cost,
       usage, price_row, request_id, result, ambiguous, error_code, created_at_ms,
       finished_at_ms, rejected_at_ms, template_id, template_version, prompt_sha256, reuse_key
  FROM provider_calls;

-- The views over provider_calls name it, not the rebuilt table: the legacy rename leaves them as written, and
-- they read the new table once it has the name.
DROP TABLE provider_calls;
PRAGMA legacy_alter_table = ON;
ALTER TABLE provider_calls_rebuilt RENAME TO provider_calls;
PRAGMA legacy_alter_table = OFF;

CREATE INDEX provider_calls_by_key ON provider_calls(run_id, call_key);
CREATE INDEX provider_calls_by_status ON provider_calls(run_id, status);
CREATE INDEX provider_calls_by_attempt ON provider_calls(attempt_id);
CREATE UNIQUE INDEX provider_calls_one_intent_per_key ON provider_calls(run_id, call_key) WHERE status = 'intent';
CREATE INDEX provider_calls_by_reuse_key ON provider_calls(reuse_key) WHERE reuse_key IS NOT NULL;

-- The dashboard's triggers on provider_calls, as 0011 made them.
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
