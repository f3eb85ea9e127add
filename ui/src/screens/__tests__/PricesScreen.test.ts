import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import PricesScreen from '../PricesScreen.svelte';
import { apiError } from '../../test-utils/tauri';
import { characterRow, tokenRow } from '../../test-utils/producer';
import type { PriceTableView } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);

const table: PriceTableView = {
  version: '2026.06.21',
  effective: '2026-06-21',
  in_use_version: '2026.06.21',
  edited: false,
  rows: [tokenRow(), characterRow()],
};

beforeEach(() => {
  invokeMock.mockReset();
});

describe('PricesScreen', () => {
  it('shows the table version and each provider’s rows with their source links', async () => {
    invokeMock.mockResolvedValueOnce(table);
    render(PricesScreen);
    expect(await screen.findByTestId('price-version')).toHaveTextContent('Table version 2026.06.21');
    expect(screen.getByRole('heading', { name: 'Anthropic (Claude)' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'ElevenLabs' })).toBeInTheDocument();
    const row = screen.getByTestId('price-row-anthropic_claude-sonnet-4-5');
    expect(row).toHaveTextContent('Claude Sonnet 4.5');
    expect(row).toHaveTextContent('$3.00 in · $15.00 out');
    expect(row).toHaveTextContent('USD per million tokens');
    expect(within(row).getByRole('link', { name: 'platform.claude.com' })).toHaveAttribute(
      'href',
      'https://platform.claude.com/docs/en/docs/about-claude/pricing',
    );
    expect(screen.queryByTestId('restore-prices')).not.toBeInTheDocument();
  });

  it('edits a row inline, flags a bad value beside its field without sending it, then saves', async () => {
    invokeMock.mockResolvedValueOnce(table);
    render(PricesScreen);
    await fireEvent.click(await screen.findByTestId('price-edit-anthropic_claude-sonnet-4-5'));
    const input = screen.getByTestId('price-input-input');
    await fireEvent.input(input, { target: { value: '-3' } });
    await fireEvent.click(screen.getByTestId('price-save'));
    expect(await screen.findByText('Input is -3; a price cannot be negative.')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(invokeMock).toHaveBeenCalledTimes(1);

    const edited = tokenRow({
      prices: tokenRow().prices.map((p) => (p.field === 'input' ? { ...p, value: '3.30' } : p)),
    });
    invokeMock.mockResolvedValueOnce({ ...table, version: '2026.06.21+edit1', edited: true, rows: [edited] });
    await fireEvent.input(input, { target: { value: '3.30' } });
    await fireEvent.click(screen.getByTestId('price-save'));
    expect(invokeMock).toHaveBeenLastCalledWith('update_price_row', {
      row: expect.objectContaining({
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        prices: expect.arrayContaining([{ field: 'input', value: '3.30' }]),
      }),
    });
    expect(await screen.findByTestId('price-row-anthropic_claude-sonnet-4-5')).toHaveTextContent('$3.30 in');
    expect(screen.getByTestId('price-version')).toHaveTextContent('2026.06.21+edit1');
    expect(screen.getByTestId('prices-restart')).toHaveTextContent('every new call uses the saved prices');
    expect(screen.getByTestId('restore-prices')).toBeInTheDocument();
  });

  it('shows the backend’s refusal on the field it names and keeps what was typed', async () => {
    invokeMock.mockResolvedValueOnce(table);
    render(PricesScreen);
    await fireEvent.click(await screen.findByTestId('price-edit-anthropic_claude-sonnet-4-5'));
    const source = screen.getByTestId('price-input-source');
    await fireEvent.input(source, { target: { value: 'my invoice' } });
    invokeMock.mockRejectedValueOnce(
      apiError('invalid_input', 'Price row anthropic/claude-sonnet-4-5: source is not trusted.', {
        source: 'Source is not trusted.',
      }),
    );
    await fireEvent.click(screen.getByTestId('price-save'));
    expect(await screen.findByText('Source is not trusted.')).toBeInTheDocument();
    expect(source).toHaveValue('my invoice');
    expect(screen.getByTestId('price-editor')).toBeInTheDocument();
  });
});
