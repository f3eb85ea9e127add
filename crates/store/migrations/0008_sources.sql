-- A producer's own sources: on one episode, or standing on a show (copied onto each episode it starts, so a
-- source changed later changes the next episode, not this one). The text is kept as the reader's located
-- sections and as chunks, which an FTS5 index (ranked by bm25) searches for the research stages.
CREATE TABLE sources (
    id            TEXT PRIMARY KEY,
    episode_id    TEXT REFERENCES episodes(id),
    show_id       TEXT REFERENCES shows(id),
    kind          TEXT NOT NULL CHECK (kind IN ('file', 'url', 'note')),
    name          TEXT NOT NULL,
    origin        TEXT NOT NULL,
    format        TEXT NOT NULL,
    fetched_at_ms INTEGER,
    sections      TEXT NOT NULL CHECK (json_valid(sections)),
    chars         INTEGER NOT NULL,
    added_at_ms   INTEGER NOT NULL,
    CHECK ((episode_id IS NULL) <> (show_id IS NULL))
);
CREATE INDEX sources_by_episode ON sources(episode_id);
CREATE INDEX sources_by_show ON sources(show_id);

CREATE TABLE source_chunks (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    ordinal   INTEGER NOT NULL,
    location  TEXT,
    text      TEXT NOT NULL,
    UNIQUE (source_id, ordinal)
);

-- External-content FTS5: the text lives once, in source_chunks; triggers keep the index in step.
-- remove_diacritics folds "café" and "cafe" together, as a producer's query would.
CREATE VIRTUAL TABLE source_chunks_fts USING fts5(
    text,
    content = 'source_chunks',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER source_chunks_indexed AFTER INSERT ON source_chunks BEGIN
    INSERT INTO source_chunks_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER source_chunks_unindexed AFTER DELETE ON source_chunks BEGIN
    INSERT INTO source_chunks_fts (source_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
