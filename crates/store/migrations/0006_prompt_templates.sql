-- A show's own versions of a stage's prompt template. Version 1 of every template is the shipped default,
-- embedded in the app and never stored; a show's overrides (and rollbacks, which save an old content again)
-- are versions 2, 3, … and the newest is the one the stage renders.
CREATE TABLE prompt_templates (
    show_id       TEXT NOT NULL REFERENCES shows(id),
    template_id   TEXT NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 2),
    content       TEXT NOT NULL,
    author        TEXT NOT NULL,
    note          TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (show_id, template_id, version)
);
