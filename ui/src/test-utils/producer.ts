// Fixtures for the Prices, Routes and ledger views.

import type { LedgerView, PriceRowView, RoutePlanView, RouteProviderView } from '../lib/backend/bindings';

export function tokenRow(overrides: Partial<PriceRowView> = {}): PriceRowView {
  return {
    provider: 'anthropic',
    provider_label: 'Anthropic (Claude)',
    model: 'claude-sonnet-4-5',
    label: 'Claude Sonnet 4.5',
    unit: 'tokens',
    prices: [
      { field: 'input', label: 'Input', value: '3.00', required: true },
      { field: 'output', label: 'Output', value: '15.00', required: true },
      { field: 'cache_read', label: 'Cache read', value: '0.30', required: false },
      { field: 'batch_input', label: 'Batch input', value: '', required: false },
    ],
    source: 'https://platform.claude.com/docs/en/docs/about-claude/pricing',
    effective: '2025-09-29',
    note: null,
    ...overrides,
  };
}

export function characterRow(): PriceRowView {
  return {
    provider: 'elevenlabs',
    provider_label: 'ElevenLabs',
    model: 'eleven_flash_v2_5',
    label: 'Flash v2.5',
    unit: 'characters',
    prices: [{ field: 'per_1k_characters', label: 'Per 1,000 characters', value: '0.06', required: true }],
    source: 'https://elevenlabs.io/pricing/api',
    effective: '2026-01-01',
    note: null,
  };
}

export function provider(id: string, overrides: Partial<RouteProviderView> = {}): RouteProviderView {
  return {
    id,
    label: id,
    kind: 'language_model',
    needs_key: true,
    has_key: true,
    local: false,
    models: [],
    any_model_priced: false,
    ...overrides,
  };
}

export function routePlanView(): RoutePlanView {
  const anthropic = provider('anthropic', {
    label: 'Anthropic (Claude)',
    models: [
      { model: 'claude-opus-4-5', label: 'Claude Opus 4.5' },
      { model: 'claude-sonnet-4-5', label: 'Claude Sonnet 4.5' },
    ],
  });
  const openai = provider('openai', { label: 'OpenAI', has_key: false, models: [{ model: 'gpt-4.1', label: 'GPT-4.1' }] });
  const elevenlabs = provider('elevenlabs', {
    label: 'ElevenLabs',
    kind: 'speech',
    models: [{ model: 'eleven_flash_v2_5', label: 'Flash v2.5' }],
  });
  return {
    jobs: [
      {
        job: 'write',
        label: 'Script writing',
        speech: false,
        chain: [
          { provider: 'anthropic', model: 'claude-opus-4-5' },
          { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        ],
        default_chain: [
          { provider: 'anthropic', model: 'claude-opus-4-5' },
          { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        ],
      },
      {
        job: 'speak',
        label: 'Speech',
        speech: true,
        chain: [],
        default_chain: [{ provider: 'elevenlabs', model: 'eleven_flash_v2_5' }],
      },
    ],
    providers: [anthropic, openai, elevenlabs],
    offline_writer: { id: 'rehearsal', label: 'Rehearsal (offline)' },
    offline_speech: { id: 'system-speech', label: 'System voice (offline)' },
    customized: true,
  };
}

export function ledgerView(overrides: Partial<LedgerView> = {}): LedgerView {
  return {
    run_id: 'run-1',
    cap: 10_000_000,
    settled: 2_000_000,
    reserved: 500_000,
    unconfirmed: 0,
    warn_at: 8_000_000,
    degrade_at: 9_500_000,
    level: 'normal',
    parked_on_budget: false,
    can_raise: true,
    phases: [
      { phase: 'research', label: 'Research', allocation: 2_000_000, settled: 1_000_000, reserved: 0 },
      { phase: 'production', label: 'Writing & review', allocation: 5_100_000, settled: 1_000_000, reserved: 500_000 },
      { phase: 'audio', label: 'Audio', allocation: 2_900_000, settled: 0, reserved: 0 },
    ],
    notices: [],
    stages: [
      {
        stage: 'script.write',
        label: 'Script · write',
        cost: 1_000_000,
        reserved: 500_000,
        calls: [
          {
            id: 7,
            stage: 'script.write',
            phase: 'production',
            provider: 'anthropic',
            provider_label: 'Anthropic (Claude)',
            model: 'claude-opus-4-5',
            reserved: 1_200_000,
            cost: 1_000_000,
            status: 'settled',
            ambiguous: false,
            request_id: 'req_011',
            error_code: null,
            has_answer: true,
            template_id: 'script.write',
            template_version: 1,
            prompt_sha256: 'c0ffee',
            created_at_ms: 1_700_000_000_000,
            finished_at_ms: 1_700_000_004_000,
          },
        ],
      },
    ],
    ...overrides,
  };
}
