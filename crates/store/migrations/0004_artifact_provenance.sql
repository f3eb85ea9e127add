-- Who made a producer's version of an artifact (a script edit or restore), on what base and why. Versions a
-- stage made are explained by their attempt (stage, feedback); this table covers the versions made outside any
-- attempt. Additive: older rows simply have no provenance row.
CREATE TABLE artifact_provenance (
    artifact_id  TEXT PRIMARY KEY REFERENCES artifacts(id),
    origin       TEXT NOT NULL,
    author       TEXT NOT NULL,
    note         TEXT NOT NULL,
    base_version INTEGER NOT NULL
);
