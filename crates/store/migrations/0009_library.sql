-- The library's full-text index and the dashboard's lookups. Never edit a shipped migration; add the next one.

-- One document per episode: its topic and the text of its newest script version (title and every line), so
-- the library finds an episode by a word that is said in it. FTS5 rowids must be integers and stable; the
-- episodes' own rowids may change on VACUUM, so each episode gets its document number here.
CREATE TABLE episode_search_docs (
    doc        INTEGER PRIMARY KEY AUTOINCREMENT,
    episode_id TEXT NOT NULL UNIQUE REFERENCES episodes(id)
);

-- Accents folded, so "cafe" finds "café".
CREATE VIRTUAL TABLE episode_search USING fts5(topic, script, tokenize = 'unicode61 remove_diacritics 2');

-- The whole text of a script artifact, in one place for the backfill and the trigger.
CREATE VIEW script_text AS
SELECT a.id AS artifact_id, a.run_id,
       COALESCE(json_extract(a.content, '$.title'), '') || ' ' ||
       COALESCE((SELECT group_concat(json_extract(l.value, '$.text'), ' ')
                   FROM json_each(a.content, '$.segments') s, json_each(s.value, '$.lines') l), '') AS body
  FROM artifacts a
 WHERE a.kind = 'script';

INSERT INTO episode_search_docs (episode_id) SELECT id FROM episodes ORDER BY created_at_ms, id;
INSERT INTO episode_search (rowid, topic, script)
SELECT d.doc, e.topic,
       COALESCE((SELECT t.body FROM script_text t JOIN artifacts a ON a.id = t.artifact_id JOIN runs r ON r.id = a.run_id
                  WHERE r.episode_id = e.id ORDER BY a.created_at_ms DESC, a.version DESC LIMIT 1), '')
  FROM episode_search_docs d JOIN episodes e ON e.id = d.episode_id;

CREATE TRIGGER episode_search_created AFTER INSERT ON episodes
BEGIN
    INSERT INTO episode_search_docs (episode_id) VALUES (NEW.id);
    INSERT INTO episode_search (rowid, topic, script)
    VALUES ((SELECT doc FROM episode_search_docs WHERE episode_id = NEW.id), NEW.topic, '');
END;

CREATE TRIGGER episode_search_topic AFTER UPDATE OF topic ON episodes
BEGIN
    UPDATE episode_search SET topic = NEW.topic
     WHERE rowid = (SELECT doc FROM episode_search_docs WHERE episode_id = NEW.id);
END;

-- Every script version is a new artifact row (a stage's, a producer's edit, a restore): the newest is current.
CREATE TRIGGER episode_search_script AFTER INSERT ON artifacts WHEN NEW.kind = 'script'
BEGIN
    UPDATE episode_search SET script = (SELECT body FROM script_text WHERE artifact_id = NEW.id)
     WHERE rowid = (SELECT d.doc FROM episode_search_docs d JOIN runs r ON r.episode_id = d.episode_id
                     WHERE r.id = NEW.run_id);
END;

-- The dashboard reads gate reports, evaluations and masters across all runs by kind.
CREATE INDEX artifacts_by_kind ON artifacts(kind, run_id);
CREATE INDEX episodes_by_created ON episodes(created_at_ms, id);
