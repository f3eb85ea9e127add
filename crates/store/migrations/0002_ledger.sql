-- The budget ledger. Never edit a shipped migration; add the next one.

-- One row per paid provider call. The row is written (as an `intent` holding a reservation) before the call goes
-- out and updated when it returns, so after a crash a finished call is reused from `result` instead of being
-- paid for again, and a call with no outcome is known to be ambiguous.
CREATE TABLE provider_calls (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         TEXT NOT NULL REFERENCES runs(id),
    stage          TEXT NOT NULL,
    attempt_id     INTEGER REFERENCES attempts(id),
    -- Chosen by the caller and stable across a resume (e.g. stage + a hash of the request).
    call_key       TEXT NOT NULL,
    phase          TEXT NOT NULL CHECK (phase IN ('research', 'production', 'audio')),
    provider       TEXT NOT NULL,
    model          TEXT NOT NULL,
    -- Micro-dollars held against the cap while the call is an intent (its worst case).
    reserved       INTEGER NOT NULL CHECK (reserved >= 0),
    status         TEXT NOT NULL CHECK (status IN ('intent', 'settled', 'failed', 'released')),
    -- Micro-dollars actually billed: set on settle, or on failure when the provider billed a failed call.
    cost           INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
    usage          TEXT CHECK (usage IS NULL OR json_valid(usage)),
    price_row      TEXT,
    request_id     TEXT,
    result         TEXT CHECK (result IS NULL OR json_valid(result)),
    -- The process stopped while the call was out: the provider may or may not have billed it.
    ambiguous      INTEGER NOT NULL DEFAULT 0 CHECK (ambiguous IN (0, 1)),
    error_code     TEXT,
    created_at_ms  INTEGER NOT NULL,
    finished_at_ms INTEGER
);
CREATE INDEX provider_calls_by_key ON provider_calls(run_id, call_key);
CREATE INDEX provider_calls_by_status ON provider_calls(run_id, status);
CREATE INDEX provider_calls_by_attempt ON provider_calls(attempt_id);
-- Two live reservations for the same request would pay for it twice.
CREATE UNIQUE INDEX provider_calls_one_intent_per_key ON provider_calls(run_id, call_key) WHERE status = 'intent';

-- Budget notices that fire once per run: the 80 / 95 / 100 % thresholds and "phase over its allocation".
CREATE TABLE budget_notices (
    run_id      TEXT NOT NULL REFERENCES runs(id),
    -- 'warn', 'degrade', 'halt', or 'phase_over:<phase>'.
    notice      TEXT NOT NULL,
    committed   INTEGER NOT NULL,
    cap         INTEGER NOT NULL,
    fired_at_ms INTEGER NOT NULL,
    PRIMARY KEY (run_id, notice)
);
