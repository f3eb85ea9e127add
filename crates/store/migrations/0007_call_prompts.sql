-- Which prompt produced a model call: the template, its version and a SHA-256 of the prompt as sent.
ALTER TABLE provider_calls ADD COLUMN template_id TEXT;
ALTER TABLE provider_calls ADD COLUMN template_version INTEGER;
ALTER TABLE provider_calls ADD COLUMN prompt_sha256 TEXT;
-- What a call produced regardless of run or line (a speech take: engine, voice, settings, prepared text), so
-- another episode of the same show reuses the answer instead of paying for it again.
ALTER TABLE provider_calls ADD COLUMN reuse_key TEXT;
CREATE INDEX provider_calls_by_reuse_key ON provider_calls(reuse_key) WHERE reuse_key IS NOT NULL;
