//! The desktop shell: builder wiring only. Commands live in `commands/<domain>.rs` and delegate to
//! `showrunner_api` in one line each; app-wide events are forwarded by `events`.

mod commands;
mod events;
mod picker_stand_in;
mod state;

use tauri::Manager;

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SHOWRUNNER_LOG").unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();

    tauri::Builder::default()
        // First, as the plugin asks: a second launch hands over to this instance, which comes to the front.
        // The data folder's writer lock refuses a second writer anyway; this makes that a non-event.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        // Export…: the native folder picker and "show in folder"; OS notifications when a run needs the
        // producer while the window is in the background.
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let shell = tauri::async_runtime::block_on(state::open(state::options_from_args()))?;
            events::forward_episode_changes(app.handle().clone(), shell.clone());
            let resumer = shell.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = resumer.resume_interrupted().await {
                    tracing::warn!(code = ?e.code, "could not resume interrupted runs: {}", e.message);
                }
            });
            app.manage(shell);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::shows::list_shows,
            commands::shows::starter_brand_voice,
            commands::shows::create_show,
            commands::shows::update_show,
            commands::show_assets::set_show_music,
            commands::show_assets::clear_show_music,
            commands::show_assets::set_show_artwork,
            commands::show_assets::clear_show_artwork,
            commands::voices::list_voices,
            commands::local_voices::list_installed_voices,
            commands::local_voices::install_voice,
            commands::local_voices::remove_voice,
            commands::local_voices::play_voice_sample,
            commands::local_voices::voice_catalog,
            commands::local_voices::voice_catalog_address,
            commands::local_voices::set_voice_catalog_address,
            commands::local_voices::download_catalog_voice,
            commands::local_voices::cancel_voice_download,
            commands::episodes::list_episodes,
            commands::episodes::start_episode,
            commands::episodes::start_episodes,
            commands::episodes::estimate_cost,
            commands::episodes::get_episode,
            commands::sources::add_episode_sources,
            commands::sources::list_episode_sources,
            commands::sources::remove_episode_source,
            commands::sources::add_show_sources,
            commands::sources::list_show_sources,
            commands::sources::remove_show_source,
            commands::runs::watch_run,
            commands::runs::get_artifact,
            commands::runs::cancel_run,
            commands::runs::resume_run,
            commands::decisions::decide,
            commands::script::get_script,
            commands::script::edit_line,
            commands::script::get_script_version,
            commands::script::script_versions,
            commands::script::diff_script,
            commands::script::edit_script,
            commands::script::restore_script_version,
            commands::script::send_back_script,
            commands::script::approve_script,
            commands::release::get_release,
            commands::release::approve_release,
            commands::release::send_back,
            commands::line_takes::regenerate_line,
            commands::line_takes::line_takes,
            commands::line_takes::keep_take,
            commands::line_takes::player_load_take,
            commands::line_takes::draft_master,
            commands::line_takes::player_load_draft,
            commands::line_takes::revoice_estimate,
            commands::line_takes::revoice,
            commands::delivery::pick_export_folder,
            commands::delivery::export_episode,
            commands::delivery::get_waveform,
            commands::delivery::feed_settings,
            commands::delivery::set_feed_settings,
            commands::playback::player_load,
            commands::playback::player_play,
            commands::playback::player_pause,
            commands::playback::player_seek,
            commands::playback::watch_player,
            commands::keys::list_providers,
            commands::keys::set_api_key,
            commands::keys::clear_api_key,
            commands::keys::set_base_url,
            commands::keys::set_provider_limit,
            commands::keys::set_provider_rate,
            commands::keys::local_models,
            commands::keys::use_local_model,
            commands::routing::test_connection,
            commands::routing::route_plan,
            commands::routing::save_route_plan,
            commands::prices::price_table,
            commands::prices::update_price_row,
            commands::prices::restore_shipped_prices,
            commands::prompts::list_prompts,
            commands::prompts::prompt_history,
            commands::prompts::diff_prompt,
            commands::prompts::save_prompt,
            commands::prompts::rollback_prompt,
            commands::ledger::run_ledger,
            commands::ledger::call_answer,
            commands::ledger::raise_budget,
            commands::library::search_episodes,
            commands::library::dashboard,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Showrunner");
}
