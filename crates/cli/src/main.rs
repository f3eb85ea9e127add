//! `showrunner`: produce and manage episodes from the command line, over the same API and data as the app.

mod args;
mod batch;
mod batch_file;
mod commands;
mod library;
mod line_takes;
mod output;
mod progress;
mod prompts;
mod providers;
mod script_room;
mod show_assets;
mod sources;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse();
    output::init_logging(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error[internal]: cannot start: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            output::print_error(&e);
            std::process::ExitCode::from(e.exit_code() as u8)
        }
    }
}
