// Small, typed backend values for tests.

import type { BrandVoice, Episode, RunView, Show, StageView } from '../lib/backend/bindings';

export function brand(name = 'Deep Dive'): BrandVoice {
  return {
    name,
    hosts: [
      { name: 'Alex', role: 'host', voice: 'en-us', voices: {} },
      { name: 'Sam', role: 'co-host', voice: 'en-gb', voices: {} },
    ],
    tone: 'warm, curious and precise',
    audience: 'curious listeners who want the real story',
    guidelines: ['Cite a fact for every claim.'],
    forbidden_phrases: ['game changer'],
    intro_line: `Welcome to ${name}.`,
    outro_line: `Thanks for listening to ${name}.`,
    target_minutes: 25,
    pronunciations: [],
    mastering: { target_lufs: -16, ceiling_dbtp: -1, bitrate_kbps: 128, channels: 1, sample_rate: 44100 },
    music: { intro: null, outro: null, sting: null, duck_depth_db: 15, bed_level_lu: -6 },
    artwork: null,
    default_format: 'deep_dive',
    default_language: 'en',
  };
}

export function show(id: string, name: string): Show {
  return { id, brand: brand(name), created_at_ms: 1_700_000_000_000, updated_at_ms: 1_700_000_000_000 };
}

export function episode(overrides: Partial<Episode> = {}): Episode {
  return {
    id: 'ep-1',
    show_id: 'show-1',
    show_name: 'Deep Dive',
    topic: 'How lighthouses kept ships safe',
    target_minutes: 25,
    budget_cap: 33_250_000,
    format: 'deep_dive',
    language: 'en',
    status: 'producing',
    run_id: 'run-1',
    spent: 1_200,
    duration_ms: null,
    parked_at: null,
    created_at_ms: 1_700_000_000_000,
    updated_at_ms: 1_700_000_100_000,
    ...overrides,
  };
}

export function stage(id: string, overrides: Partial<StageView> = {}): StageView {
  return {
    stage: id,
    label: id,
    kind: 'work',
    status: 'pending',
    attempts: 0,
    started_at_ms: null,
    finished_at_ms: null,
    duration_ms: null,
    cost: 0,
    route: null,
    verdict: null,
    error: null,
    feedback: null,
    artifacts: [],
    prompts: [],
    ...overrides,
  };
}

export function runView(overrides: Partial<RunView> = {}): RunView {
  return {
    run_id: 'run-1',
    episode_id: 'ep-1',
    status: 'running',
    park: null,
    stages: [stage('research.discover', { label: 'Discover', status: 'running', route: 'Rehearsal (offline)' })],
    spent: 0,
    budget_cap: 33_250_000,
    rehearsal: true,
    halt: null,
    decision: null,
    draft_master: null,
    ...overrides,
  };
}
