use showrunner_api::dashboard::{self, DashboardView};
use showrunner_api::domain::ShowId;
use showrunner_api::library::{self, LibraryPageView, LibrarySearch};

use super::{AppState, Result};

/// The Episodes screen's library: search, filters, sort and one page.
#[tauri::command]
pub async fn search_episodes(app: AppState<'_>, search: LibrarySearch) -> Result<LibraryPageView> {
    library::search_episodes(&app, search).await
}

/// Every Dashboard figure at once, for one show or all.
#[tauri::command]
pub async fn dashboard(app: AppState<'_>, show_id: Option<ShowId>) -> Result<DashboardView> {
    dashboard::dashboard(&app, show_id).await
}
