// The Prices page's commands (src-tauri/src/commands/prices.rs).

import type { PriceRowEdit, PriceTableView } from './bindings';
import { call } from './call';

export const priceTable = () => call<PriceTableView>('price_table');
/** Rejects with field errors keyed like `input`, `long_context.output`, `source`, `effective`. */
export const updatePriceRow = (row: PriceRowEdit) => call<PriceTableView>('update_price_row', { row });
export const restoreShippedPrices = () => call<PriceTableView>('restore_shipped_prices');
