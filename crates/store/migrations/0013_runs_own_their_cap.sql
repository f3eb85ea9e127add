-- A run owns its budget cap: the ledger reads it from the run, so the engine enforces a cap without knowing
-- what the run produces. The episode keeps its copy for the Episodes list and the dashboard; raising a run's
-- cap raises it too, in the same transaction. Runs made before this take their episode's cap.
-- Never edit a shipped migration; add the next one.
ALTER TABLE runs ADD COLUMN budget_cap INTEGER CHECK (budget_cap IS NULL OR budget_cap > 0);

UPDATE runs SET budget_cap = (SELECT e.budget_cap FROM episodes e WHERE e.id = runs.episode_id);
