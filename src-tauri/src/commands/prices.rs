use showrunner_api::prices::{self, PriceRowEdit, PriceTableView};

use super::{AppState, Result};

#[tauri::command]
pub async fn price_table(app: AppState<'_>) -> Result<PriceTableView> {
    prices::price_table(&app).await
}

#[tauri::command]
pub async fn update_price_row(app: AppState<'_>, row: PriceRowEdit) -> Result<PriceTableView> {
    prices::update_price_row(&app, row).await
}

#[tauri::command]
pub async fn restore_shipped_prices(app: AppState<'_>) -> Result<PriceTableView> {
    prices::restore_shipped_prices(&app).await
}
