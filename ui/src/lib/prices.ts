// Prices page logic: rows grouped by provider, what a row costs in one line, and the edit draft with the
// same checks the backend makes (so a typo is flagged at once; the backend still has the last word).

import type { PriceRowEdit, PriceRowView, PriceUnit } from './backend/bindings';
import type { FieldErrors } from './backend/errors';

export interface PriceGroup {
  provider: string;
  label: string;
  rows: PriceRowView[];
}

/** Rows by provider, providers in the order the table first names them. */
export function groupByProvider(rows: readonly PriceRowView[]): PriceGroup[] {
  const groups: PriceGroup[] = [];
  for (const row of rows) {
    let group = groups.find((g) => g.provider === row.provider);
    if (!group) {
      group = { provider: row.provider, label: row.provider_label, rows: [] };
      groups.push(group);
    }
    group.rows.push(row);
  }
  return groups;
}

export function unitText(unit: PriceUnit): string {
  return unit === 'tokens' ? 'USD per million tokens' : 'USD per 1,000 characters';
}

function valueOf(row: PriceRowView, field: string): string {
  return row.prices.find((p) => p.field === field)?.value ?? '';
}

/** "$3.00 in · $15.00 out" for token rows, "$0.30" for character rows. */
export function priceSummary(row: PriceRowView): string {
  if (row.unit === 'characters') return `$${valueOf(row, 'per_1k_characters')}`;
  return `$${valueOf(row, 'input')} in · $${valueOf(row, 'output')} out`;
}

/** Sources are links for shipped rows; a producer may type anything ("my invoice, May 2026"). */
export function isLink(source: string): boolean {
  return /^https?:\/\/\S+$/.test(source.trim());
}

/** The site a source link points to, as the link's text ("platform.claude.com"). */
export function sourceHost(source: string): string {
  try {
    return new URL(source.trim()).hostname || source;
  } catch {
    return source;
  }
}

export interface PriceDraft {
  label: string;
  prices: Record<string, string>;
  source: string;
  effective: string;
  note: string;
}

export function draftOf(row: PriceRowView): PriceDraft {
  return {
    label: row.label ?? '',
    prices: Object.fromEntries(row.prices.map((p) => [p.field, p.value])),
    source: row.source,
    effective: row.effective,
    note: row.note ?? '',
  };
}

export function editOf(row: PriceRowView, draft: PriceDraft): PriceRowEdit {
  const optional = (text: string) => (text.trim() === '' ? null : text.trim());
  return {
    provider: row.provider,
    model: row.model,
    label: optional(draft.label),
    prices: row.prices.map((p) => ({ field: p.field, value: (draft.prices[p.field] ?? '').trim() })),
    source: draft.source.trim(),
    effective: draft.effective.trim(),
    note: optional(draft.note),
  };
}

const THRESHOLD = 'long_context.threshold_tokens';

function isDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const month = Number(match[2]);
  const day = Number(match[3]);
  const longest = month === 2 ? 29 : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= longest;
}

/** The checks the price table makes, worded the same way; empty when the draft can be sent. */
export function checkDraft(row: PriceRowView, draft: PriceDraft): FieldErrors {
  const errors: FieldErrors = {};
  for (const price of row.prices) {
    const text = (draft.prices[price.field] ?? '').trim();
    if (text === '') {
      if (price.required) errors[price.field] = `${price.label} is required.`;
      continue;
    }
    if (price.field === THRESHOLD) {
      if (!/^\d+$/.test(text) || Number(text) === 0) {
        errors[price.field] = 'Enter a whole number of tokens, e.g. 200000.';
      }
      continue;
    }
    const number = text.replace(/^\$\s*/, '');
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(number)) {
      errors[price.field] = `${price.label}: "${text}" is not a number; use digits like 3.00.`;
    } else if (number.startsWith('-') && Number(number) !== 0) {
      errors[price.field] = `${price.label} is ${number}; a price cannot be negative.`;
    }
  }
  if (draft.source.trim() === '') errors.source = 'Source is missing: say where the price comes from.';
  if (!isDate(draft.effective.trim())) {
    errors.effective = `Effective date "${draft.effective.trim()}" is not a date like 2025-05-22.`;
  }
  return errors;
}
