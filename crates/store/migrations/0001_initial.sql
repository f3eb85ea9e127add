-- Showrunner's first schema. Migrations are embedded in the binary and run at start; never edit a shipped one.

CREATE TABLE shows (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    -- Show names are unique regardless of case and surrounding spaces.
    name_key      TEXT NOT NULL UNIQUE,
    brand         TEXT NOT NULL CHECK (json_valid(brand)),
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);

CREATE TABLE episodes (
    id             TEXT PRIMARY KEY,
    show_id        TEXT NOT NULL REFERENCES shows(id),
    topic          TEXT NOT NULL,
    target_minutes INTEGER NOT NULL CHECK (target_minutes > 0),
    budget_cap     INTEGER NOT NULL CHECK (budget_cap > 0),
    status         TEXT NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    updated_at_ms  INTEGER NOT NULL
);
CREATE INDEX episodes_by_show ON episodes(show_id);

CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    episode_id    TEXT NOT NULL REFERENCES episodes(id),
    pipeline      TEXT NOT NULL,
    status        TEXT NOT NULL,
    park          TEXT CHECK (park IS NULL OR json_valid(park)),
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
CREATE INDEX runs_by_episode ON runs(episode_id);
CREATE INDEX runs_by_status ON runs(status);

-- One row per try of a stage; rows are updated through their state machine, never deleted.
CREATE TABLE attempts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         TEXT NOT NULL REFERENCES runs(id),
    stage          TEXT NOT NULL,
    attempt        INTEGER NOT NULL,
    status         TEXT NOT NULL,
    feedback       TEXT,
    started_at_ms  INTEGER NOT NULL,
    finished_at_ms INTEGER,
    cost           INTEGER NOT NULL DEFAULT 0,
    route          TEXT,
    verdict        TEXT,
    error_code     TEXT,
    error_message  TEXT,
    UNIQUE (run_id, stage, attempt)
);
CREATE INDEX attempts_by_run ON attempts(run_id);

-- Versioned per run and kind; never overwritten.
CREATE TABLE artifacts (
    id            TEXT PRIMARY KEY,
    run_id        TEXT NOT NULL REFERENCES runs(id),
    stage         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    attempt_id    INTEGER REFERENCES attempts(id),
    content       TEXT NOT NULL CHECK (json_valid(content)),
    created_at_ms INTEGER NOT NULL,
    UNIQUE (run_id, kind, version)
);
CREATE INDEX artifacts_by_attempt ON artifacts(attempt_id);

-- A producer's decisions at human gates (approvals and send-backs).
CREATE TABLE decisions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id           TEXT NOT NULL REFERENCES runs(id),
    gate             TEXT NOT NULL,
    decision         TEXT NOT NULL CHECK (json_valid(decision)),
    note             TEXT NOT NULL,
    decided_by       TEXT NOT NULL,
    decided_at_ms    INTEGER NOT NULL,
    artifact_version INTEGER NOT NULL
);
CREATE INDEX decisions_by_run ON decisions(run_id);

CREATE TABLE settings (
    key           TEXT PRIMARY KEY,
    value         TEXT NOT NULL CHECK (json_valid(value)),
    updated_at_ms INTEGER NOT NULL
);

-- The journal: every state change above appends one row here in the same transaction.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms      INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    run_id     TEXT,
    episode_id TEXT,
    payload    TEXT NOT NULL CHECK (json_valid(payload))
);
CREATE INDEX events_by_run ON events(run_id, seq);
