//! Opening the application context for the window: the data folder comes from `--data-dir DIR`, then
//! `SHOWRUNNER_DATA_DIR`, then the OS app-data folder (the CLI resolves it the same way).

use std::path::PathBuf;

use showrunner_api::{ApiError, App, AppOptions};

pub fn options_from_args() -> AppOptions {
    let mut args = std::env::args().skip(1);
    let mut data_dir = None;
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            data_dir = args.next().map(PathBuf::from);
        } else if let Some(dir) = arg.strip_prefix("--data-dir=") {
            data_dir = Some(PathBuf::from(dir));
        }
    }
    AppOptions {
        data_dir,
        offline: false,
    }
}

pub async fn open(options: AppOptions) -> Result<App, Box<dyn std::error::Error>> {
    App::open(options)
        .await
        .map_err(|e: ApiError| format!("Showrunner cannot open its data: {}", e.message).into())
}
