-- Each episode's language (ISO 639-1). Episodes made before languages existed were all English. Never edit a
-- shipped migration; add the next one.
ALTER TABLE episodes ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
    CHECK (language IN ('en', 'de', 'fr', 'es', 'ru'));
