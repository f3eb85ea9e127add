import { describe, expect, it } from 'vitest';
import { checkDraft, draftOf, editOf, groupByProvider, isLink, priceSummary, sourceHost } from './prices';
import { characterRow, tokenRow } from '../test-utils/producer';

describe('prices', () => {
  it('groups rows by provider in the order the table names them', () => {
    const groups = groupByProvider([
      tokenRow({ model: 'a' }),
      characterRow(),
      tokenRow({ model: 'b' }),
    ]);
    expect(groups.map((g) => [g.label, g.rows.map((r) => r.model)])).toEqual([
      ['Anthropic (Claude)', ['a', 'b']],
      ['ElevenLabs', ['eleven_flash_v2_5']],
    ]);
  });

  it('sums a row up in one line, per unit', () => {
    expect(priceSummary(tokenRow())).toBe('$3.00 in · $15.00 out');
    expect(priceSummary(characterRow())).toBe('$0.06');
  });

  it('links sources that are web addresses and shows their site', () => {
    expect(isLink('https://elevenlabs.io/pricing/api')).toBe(true);
    expect(sourceHost('https://elevenlabs.io/pricing/api')).toBe('elevenlabs.io');
    expect(isLink('my invoice, May 2026')).toBe(false);
  });

  it('flags a bad value on its own field, in the backend’s words, and keeps the draft', () => {
    const row = tokenRow();
    const draft = draftOf(row);
    draft.prices.input = 'three';
    draft.prices.output = '-2';
    draft.prices.cache_read = '';
    draft.source = ' ';
    draft.effective = '2025-02-30';
    expect(checkDraft(row, draft)).toEqual({
      input: 'Input: "three" is not a number; use digits like 3.00.',
      output: 'Output is -2; a price cannot be negative.',
      source: 'Source is missing: say where the price comes from.',
      effective: 'Effective date "2025-02-30" is not a date like 2025-05-22.',
    });
    expect(draft.prices.input).toBe('three');

    draft.prices.output = '';
    expect(checkDraft(row, draft).output).toBe('Output is required.');
  });

  it('accepts dollar signs and sends every price, optional ones empty when cleared', () => {
    const row = tokenRow();
    const draft = draftOf(row);
    draft.prices.input = ' $3.5 ';
    draft.prices.cache_read = '';
    draft.label = '  ';
    expect(checkDraft(row, draft)).toEqual({});
    expect(editOf(row, draft)).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      label: null,
      prices: [
        { field: 'input', value: '$3.5' },
        { field: 'output', value: '15.00' },
        { field: 'cache_read', value: '' },
        { field: 'batch_input', value: '' },
      ],
      source: row.source,
      effective: '2025-09-29',
      note: null,
    });
  });
});
