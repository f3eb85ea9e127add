-- Each episode's format (deep dive, brief, interview, debate, solo). Episodes made before formats existed were
-- all deep dives. Never edit a shipped migration; add the next one.
ALTER TABLE episodes ADD COLUMN format TEXT NOT NULL DEFAULT 'deep_dive'
    CHECK (format IN ('deep_dive', 'brief', 'interview', 'debate', 'solo'));
