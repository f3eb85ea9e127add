//! One function per subcommand, each a thin layer over `showrunner_api`.

use showrunner_api::decisions::{self, AvailableDecision, ParkView, ProducerDecision};
use showrunner_api::domain::{
    BrandVoice, Episode, EpisodeFormat, EpisodeId, EpisodeStatus, Language, Money, NewEpisode, ParkReason, RunStatus,
    StageId,
};
use showrunner_api::dto::EpisodeDetail;
use showrunner_api::{
    episodes, export, local_voices, release, runs, script, shows, voice_catalog, Access, ApiError, App, AppOptions,
    ErrorCode, WriterRole,
};

use crate::args::{Cli, Command, VoicesAction};
use crate::batch;
use crate::line_takes;
use crate::output::{self, json};
use crate::progress;
use crate::prompts;
use crate::providers;
use crate::script_room;
use crate::show_assets;

/// What `produce` and a batch row without a value use (as `produce --help` says).
pub const DEFAULT_MINUTES: u32 = 25;
pub const DEFAULT_BUDGET: &str = "33.25";

pub async fn run(cli: Cli) -> Result<(), ApiError> {
    let offline = matches!(cli.command, Command::Produce { offline: true, .. });
    let app = App::open_with(
        AppOptions {
            data_dir: cli.data_dir,
            offline,
        },
        access(&cli.command),
    )
    .await?;
    match cli.command {
        Command::Produce {
            batch: Some(file),
            parallel,
            yes,
            auto_approve_script,
            json: as_json,
            ..
        } => {
            let options = batch::BatchOptions {
                parallel,
                auto_approve: auto_approve_script,
                over_cap_confirmed: yes,
                as_json,
            };
            batch::produce_batch(&app, &file, options).await
        }
        Command::Produce {
            topic,
            show,
            minutes,
            format,
            language,
            budget,
            yes,
            auto_approve_script,
            sources,
            notes,
            json: as_json,
            ..
        } => {
            let topic = topic.unwrap_or_default();
            let sources = crate::sources::inputs(&sources, &notes);
            let wanted = Produce {
                show,
                minutes,
                format,
                language,
                budget: &budget,
                sources: &sources,
                over_cap_confirmed: yes,
                auto_approve: auto_approve_script,
                as_json,
            };
            produce(&app, topic, wanted).await
        }
        Command::Sources {
            action: Some(action), ..
        } => {
            let crate::args::SourcesAction::Add { id, .. } = &action;
            let id = resolve(&app, id).await?;
            crate::sources::episode(&app, &id, Some(action), false).await
        }
        Command::Sources {
            action: None,
            id,
            json: as_json,
        } => {
            let id = id.ok_or_else(|| {
                ApiError::field(
                    ErrorCode::InvalidInput,
                    "id",
                    "Name the episode: showrunner sources ID (or showrunner sources add ID FILE_OR_URL…).",
                )
            })?;
            let id = resolve(&app, &id).await?;
            crate::sources::episode(&app, &id, None, as_json).await
        }
        Command::Episodes(args) => crate::library::episodes(&app, args).await,
        Command::Dashboard { show, json: as_json } => crate::library::dashboard(&app, show, as_json).await,
        Command::Show {
            action: Some(action), ..
        } => show_assets::act(&app, action).await,
        Command::Shows { json: as_json } => show_assets::list(&app, as_json).await,
        Command::Prompts {
            action,
            show,
            json: as_json,
        } => prompts::act(&app, show, action, as_json).await,
        Command::Show {
            action: None,
            id,
            json: as_json,
        } => {
            let id = id.ok_or_else(|| {
                ApiError::field(
                    ErrorCode::InvalidInput,
                    "id",
                    "Name the episode: showrunner show ID (or showrunner show music|artwork SHOW …).",
                )
            })?;
            let id = resolve(&app, &id).await?;
            let detail = episodes::get_episode(&app, &id).await?;
            if as_json {
                return json(&summary(&app, detail).await?);
            }
            print_detail(&app, &detail).await
        }
        Command::Approve { id, note } => {
            let id = resolve(&app, &id).await?;
            let park = park_of(&app, &id).await?;
            // At an escalated gate, approving means going on anyway; the park says which one applies.
            let decision = if park.available.contains(&AvailableDecision::ContinueAnyway) {
                ProducerDecision::ContinueAnyway { note }
            } else {
                ProducerDecision::Approve { note }
            };
            let continued = matches!(decision, ProducerDecision::ContinueAnyway { .. });
            decide_at(&app, &id, &park, decision).await?;
            eprintln!(
                "{}",
                if continued {
                    "Continued anyway (recorded as an override)."
                } else {
                    "Approved."
                }
            );
            settle(&app, &id).await
        }
        Command::Script {
            id,
            version,
            diff,
            json: as_json,
        } => {
            let id = resolve(&app, &id).await?;
            script_room::show(&app, &id, version, diff, as_json).await
        }
        Command::Edit {
            id,
            line,
            text,
            speaker,
            lock,
            unlock,
            comment,
            base_version,
            json: as_json,
        } => {
            let id = resolve(&app, &id).await?;
            let change = script_room::LineChange {
                text,
                speaker,
                lock: match (lock, unlock) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
                comment,
            };
            script_room::edit(&app, &id, &line, change, base_version, as_json).await
        }
        Command::Regenerate {
            id,
            line,
            text,
            voice,
            engine,
            pronounce,
            json: as_json,
        } => {
            let id = resolve(&app, &id).await?;
            let change = line_takes::Change {
                text,
                voice,
                engine,
                pronounce,
            };
            line_takes::regenerate(&app, &id, &line, change, as_json).await?;
            settle_drafting(&app, &id).await
        }
        Command::Takes {
            id,
            line,
            json: as_json,
        } => {
            let id = resolve(&app, &id).await?;
            line_takes::list(&app, &id, &line, as_json).await
        }
        Command::KeepTake { id, line, take } => {
            let id = resolve(&app, &id).await?;
            line_takes::keep(&app, &id, &line, take).await?;
            settle_drafting(&app, &id).await
        }
        Command::Revoice {
            id,
            host,
            voice,
            engine,
            yes,
        } => {
            let id = resolve(&app, &id).await?;
            if line_takes::revoice(&app, &id, host, voice, engine, yes).await? {
                settle(&app, &id).await
            } else {
                Ok(())
            }
        }
        Command::Reject { id, redo, note } => {
            let id = resolve(&app, &id).await?;
            let park = park_of(&app, &id).await?;
            let decision = ProducerDecision::SendBack {
                stage: StageId::new(redo.clone()),
                note,
            };
            decide_at(&app, &id, &park, decision).await?;
            eprintln!("Sent back to {redo}.");
            settle(&app, &id).await
        }
        Command::Retry { id } => {
            let id = resolve(&app, &id).await?;
            let park = park_of(&app, &id).await?;
            decide_at(&app, &id, &park, ProducerDecision::Retry).await?;
            eprintln!("Retrying from {}.", park.label);
            settle(&app, &id).await
        }
        Command::Stop { id } => {
            let id = resolve(&app, &id).await?;
            let episode = episodes::episode(&app, &id).await?;
            let run = episode
                .run_id
                .ok_or_else(|| ApiError::conflict(format!("Episode {id} has no run to stop.")))?;
            app.engine().cancel(&run).await?;
            eprintln!("Stopped.");
            Ok(())
        }
        Command::RaiseBudget { id, to } => {
            let id = resolve(&app, &id).await?;
            let cap = Money::parse_dollars(&to)
                .map_err(|e| ApiError::field(ErrorCode::InvalidInput, "budget_cap", &format!("--to: {e}")))?;
            let park = park_of(&app, &id).await?;
            decide_at(&app, &id, &park, ProducerDecision::RaiseBudget { cap }).await?;
            eprintln!("Budget raised to {cap}.");
            settle(&app, &id).await
        }
        Command::Voices { action, json: as_json } => voices(&app, action, as_json).await,
        Command::Providers { action, json: as_json } => providers::providers(&app, action, as_json).await,
        Command::LocalModels { action, json: as_json } => providers::local_models(&app, action, as_json).await,
        Command::Resume { id } => {
            let resumed = app.resume_interrupted().await?;
            let wanted = match &id {
                Some(id) => Some(resolve(&app, id).await?),
                None => None,
            };
            eprintln!("Resuming {} interrupted run(s).", resumed.len());
            for run in resumed {
                let record = app.store().run(&run).await?;
                let episode = record.and_then(|r| r.episode_id);
                if let Some(episode) = episode.filter(|e| wanted.as_ref().is_none_or(|w| e == w)) {
                    settle(&app, &episode).await?;
                }
            }
            Ok(())
        }
        Command::Export { id, to, draft } => {
            let id = resolve(&app, &id).await?;
            let package = export::export(&app, &id, &to, draft).await?;
            for f in &package.files {
                println!("{}  {} bytes", to.join(&f.name).display(), f.bytes);
            }
            if let Some(feed) = &package.feed {
                eprintln!("Added to the show's feed: {feed}");
            }
            Ok(())
        }
    }
}

/// Commands that drive runs or change them take the data folder's writer lock (refused while the app or
/// another command holds it); the ones that only read work beside the writer.
fn access(command: &Command) -> Access {
    match command {
        Command::Produce { .. }
        | Command::Approve { .. }
        | Command::Reject { .. }
        | Command::Retry { .. }
        | Command::Stop { .. }
        | Command::RaiseBudget { .. }
        | Command::Edit { .. }
        | Command::Regenerate { .. }
        | Command::KeepTake { .. }
        | Command::Revoice { .. }
        | Command::Resume { .. } => Access::Writer(WriterRole::Cli),
        // Voices live in their own folder, installed by one rename; the export writes its folder and, with a
        // feed, one setting; a show's music or artwork is one blob and one write; a provider's limit and a
        // local model on the routes are one setting each: none drives a run, so all work beside the app.
        Command::Episodes(_)
        | Command::Dashboard { .. }
        | Command::Show { .. }
        | Command::Shows { .. }
        | Command::Prompts { .. }
        | Command::Sources { .. }
        | Command::Script { .. }
        | Command::Takes { .. }
        | Command::Voices { .. }
        | Command::Providers { .. }
        | Command::LocalModels { .. }
        | Command::Export { .. } => Access::ReadOnly,
    }
}

/// What `produce` was asked for besides the topic.
struct Produce<'a> {
    show: Option<String>,
    minutes: Option<u32>,
    format: Option<EpisodeFormat>,
    language: Option<Language>,
    budget: &'a str,
    sources: &'a [showrunner_api::sources::SourceInput],
    over_cap_confirmed: bool,
    auto_approve: bool,
    as_json: bool,
}

async fn produce(app: &App, topic: String, wanted: Produce<'_>) -> Result<(), ApiError> {
    let Produce {
        show,
        minutes,
        format,
        language,
        budget,
        sources,
        over_cap_confirmed,
        auto_approve,
        as_json,
    } = wanted;
    let budget_cap = Money::parse_dollars(budget)
        .map_err(|e| ApiError::field(ErrorCode::InvalidInput, "budget_cap", &format!("--budget: {e}")))?;
    let length = |format: EpisodeFormat| minutes.unwrap_or(format.default_minutes(DEFAULT_MINUTES));
    // Check what the producer typed before anything is created, the default show included.
    let typed = format.unwrap_or_default();
    let draft = NewEpisode {
        show_id: Default::default(),
        topic: topic.clone(),
        target_minutes: length(typed),
        budget_cap,
        format: typed,
        language: None,
    };
    draft.validate()?;
    let show = match show {
        Some(name) => shows::find_show(app, &name).await?,
        None => default_show(app).await?,
    };
    let format = format.unwrap_or(show.brand.default_format);
    let minutes = length(format);
    let request = showrunner_api::estimate::EstimateRequest {
        target_minutes: minutes,
        budget_cap,
        format: Some(format),
        show_id: Some(show.id.clone()),
        sources: sources.to_vec(),
    };
    let estimate = showrunner_api::estimate::estimate_cost(app, &request).await?;
    eprintln!(
        "Estimated cost: {} ({}) of a {} cap.",
        estimate.total,
        showrunner_api::estimate::phase_costs(&estimate),
        budget_cap
    );
    for phase in estimate
        .phases
        .iter()
        .filter(|p| estimate.over_allocation.contains(&p.phase))
    {
        eprintln!(
            "  note: {} is expected to spend more than its share of the cap ({} planned).",
            phase.label, phase.allocation
        );
    }
    if estimate.total > budget_cap && !over_cap_confirmed {
        let mut refusal = showrunner_api::batch::over_cap(&estimate, budget_cap);
        refusal.message.push_str(" (--yes starts it anyway)");
        return Err(refusal);
    }
    let episode = episodes::start_episode_with_sources(
        app,
        NewEpisode {
            show_id: show.id.clone(),
            topic,
            target_minutes: minutes,
            budget_cap,
            format,
            language,
        },
        sources,
    )
    .await?;
    eprintln!(
        "Producing \"{}\" for {} ({}, episode {}, in {}).",
        episode.topic,
        show.brand.name,
        episode.format.label().to_lowercase(),
        episode.id,
        episode.language.name()
    );
    let mut episode = settle_quiet(app, &episode.id).await?;
    if auto_approve && parked_stage(&episode).as_deref() == Some(showrunner_api::stage_ids::SCRIPT_SIGNOFF) {
        eprintln!("Script approved automatically (--auto-approve-script).");
        script::approve_script(app, &episode.id, "approved with --auto-approve-script").await?;
        episode = settle_quiet(app, &episode.id).await?;
    }
    finish(app, episode, as_json).await
}

/// The show to use when none is named: the only one, or a starter show created on first use.
async fn voices(app: &App, action: Option<VoicesAction>, as_json: bool) -> Result<(), ApiError> {
    match action {
        None => {
            let view = local_voices::list_installed_voices(app).await?;
            if as_json {
                return json(&view);
            }
            if view.voices.is_empty() {
                println!("No Piper voices installed (folder: {}).", view.folder);
                println!("Download one with: showrunner voices download NAME   (names: showrunner voices catalog)");
                println!("or install one with: showrunner voices install FILE.onnx   (its .onnx.json beside it)");
            }
            for v in &view.voices {
                println!(
                    "{}  {}  {}  {} speaker(s)  {} Hz  {:.1} MB",
                    v.name,
                    v.language,
                    v.quality.as_deref().unwrap_or("-"),
                    v.speakers,
                    v.sample_rate,
                    v.size_bytes as f64 / 1_000_000.0
                );
            }
            if let Some(problem) = &view.problem {
                println!("{} [{}]", problem.message, problem.code);
            }
            println!("Offline episodes are read by: {}", view.offline_speaker);
            Ok(())
        }
        Some(VoicesAction::Install { file }) => {
            let installed = local_voices::install_voice(app, &file.to_string_lossy()).await?;
            if as_json {
                return json(&installed);
            }
            println!(
                "Installed {} ({}). Offline episodes now use it.",
                installed.name, installed.language
            );
            Ok(())
        }
        Some(VoicesAction::Remove { name }) => {
            local_voices::remove_voice(app, &name).await?;
            println!("Removed {name}.");
            Ok(())
        }
        Some(VoicesAction::Sample { name, out }) => {
            let sample = local_voices::sample_voice(app, &name).await?;
            let path = match out {
                Some(out) => {
                    std::fs::copy(&sample.path, &out).map_err(|e| {
                        ApiError::new(ErrorCode::Storage, format!("cannot write {}: {e}", out.display()))
                    })?;
                    out.display().to_string()
                }
                None => sample.path.clone(),
            };
            if as_json {
                return json(&sample);
            }
            println!(
                "{path} ({:.1} s at {} Hz)",
                sample.duration_ms as f64 / 1000.0,
                sample.sample_rate
            );
            Ok(())
        }
        Some(VoicesAction::Catalog { language }) => {
            let view = voice_catalog::list_catalog_voices(app, language.as_deref()).await?;
            if as_json {
                return json(&view);
            }
            if view.voices.is_empty() {
                let known: Vec<&str> = view.languages.iter().map(|l| l.code.as_str()).collect();
                println!("No catalog voices in that language. Languages: {}", known.join(", "));
            }
            for v in &view.voices {
                println!(
                    "{}  {}  {}  {} speaker(s)  {:.1} MB{}",
                    v.key,
                    v.language_name,
                    v.quality,
                    v.speakers,
                    v.size_bytes as f64 / 1_000_000.0,
                    if v.installed { "  (installed)" } else { "" }
                );
            }
            Ok(())
        }
        Some(VoicesAction::CatalogUrl { url, reset }) => {
            let address = if url.is_some() || reset {
                voice_catalog::set_catalog_url(app, url).await?
            } else {
                voice_catalog::catalog_address(app).await
            };
            if as_json {
                return json(&address);
            }
            let from = match address.source {
                voice_catalog::CatalogAddressSource::Environment => "set by SHOWRUNNER_PIPER_CATALOG_URL",
                voice_catalog::CatalogAddressSource::Setting => "saved",
                voice_catalog::CatalogAddressSource::Default => "the default",
            };
            println!("{} ({from})", address.url);
            Ok(())
        }
        Some(VoicesAction::Download { name }) => {
            let line = crate::progress::download_line(&name);
            let installed = voice_catalog::download_catalog_voice(app, &name, line).await;
            eprintln!();
            let installed = installed?;
            if as_json {
                return json(&installed);
            }
            println!(
                "Installed {} ({}). Offline episodes now use it.",
                installed.name, installed.language
            );
            Ok(())
        }
    }
}

pub(crate) async fn default_show(app: &App) -> Result<showrunner_api::domain::Show, ApiError> {
    let list = shows::list_shows(app).await?;
    match list.len() {
        0 => {
            eprintln!("No show yet: creating \"My Podcast\" with a starter brand voice (edit it in the app).");
            shows::create_show(app, BrandVoice::starter("My Podcast")).await
        }
        1 => Ok(list.into_iter().next().expect("one show")),
        n => Err(ApiError::field(
            ErrorCode::InvalidInput,
            "show",
            &format!("There are {n} shows; name one with --show."),
        )),
    }
}

/// Drives the episode's run until it rests, printing progress.
async fn settle_quiet(app: &App, id: &EpisodeId) -> Result<Episode, ApiError> {
    let episode = episodes::episode(app, id).await?;
    let Some(run) = episode.run_id.clone() else {
        return Ok(episode);
    };
    let follower = progress::follow(app, &run);
    let status = app.engine().drive_to_rest(&run).await;
    // Let the follower print the last transition before it stops.
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    follower.abort();
    status?;
    episodes::episode(app, id).await
}

async fn settle(app: &App, id: &EpisodeId) -> Result<(), ApiError> {
    let episode = settle_quiet(app, id).await?;
    finish(app, episode, false).await
}

/// [`settle`] after one take changed: the draft master is announced as soon as it is playable.
async fn settle_drafting(app: &App, id: &EpisodeId) -> Result<(), ApiError> {
    let draft = line_takes::announce_draft(app, id);
    let settled = settle(app, id).await;
    draft.abort();
    settled
}

async fn finish(app: &App, episode: Episode, as_json: bool) -> Result<(), ApiError> {
    let detail = episodes::get_episode(app, &episode.id).await?;
    if as_json {
        json(&summary(app, detail.clone()).await?)?;
    }
    match episode.status {
        EpisodeStatus::Failed => {
            let failed = detail
                .run
                .as_ref()
                .and_then(|r| r.stages.iter().find(|s| s.status.as_str() == "failed"));
            let message = failed
                .map(|s| format!("{} failed: {}", s.label, s.error.clone().unwrap_or_default()))
                .unwrap_or_else(|| "the run failed".into());
            let advice = detail
                .run
                .as_ref()
                .and_then(|r| r.decision.as_ref())
                .and_then(|p| p.advice.clone())
                .unwrap_or_default();
            Err(ApiError::new(
                ErrorCode::Provider,
                format!(
                    "{message}\n{advice}\nThen: showrunner retry {0}   (or give up: showrunner stop {0})",
                    episode.id
                ),
            ))
        }
        EpisodeStatus::AwaitingScriptSignoff => {
            eprintln!(
                "Waiting for script sign-off. Read it in the app, or approve with: showrunner approve {}",
                episode.id
            );
            Ok(())
        }
        EpisodeStatus::AwaitingRelease => {
            eprintln!(
                "Master ready at the release gate ({}). Listen in the app, then: showrunner approve {}",
                output::duration(episode.duration_ms),
                episode.id
            );
            Ok(())
        }
        EpisodeStatus::NeedsAttention => {
            let why = detail.run.as_ref().and_then(|r| r.park.clone()).map(|p| match p {
                ParkReason::GateEscalated { stage, summary } => format!("{stage} needs your decision: {summary}"),
                ParkReason::BudgetExhausted { stage } => format!("the budget ran out at {stage}"),
                ParkReason::HumanGate { stage } => format!("waiting at {stage}"),
            });
            eprintln!("Needs your attention: {}", why.unwrap_or_default());
            if let Some(park) = detail.run.as_ref().and_then(|r| r.decision.as_ref()) {
                eprint!("{}", output::decisions(park, &episode.id));
            }
            Ok(())
        }
        EpisodeStatus::Released => {
            eprintln!("Released. Export it with: showrunner export {} --to DIR", episode.id);
            Ok(())
        }
        other => {
            eprintln!("Episode is {}.", other.as_str());
            Ok(())
        }
    }
}

/// Where the episode's run waits for a decision, or a `conflict` saying it does not.
async fn park_of(app: &App, id: &EpisodeId) -> Result<ParkView, ApiError> {
    let episode = episodes::episode(app, id).await?;
    let run = episode
        .run_id
        .ok_or_else(|| ApiError::conflict(format!("Episode {id} has not started production.")))?;
    decisions::park(app, &run).await?.ok_or_else(|| {
        ApiError::conflict(format!(
            "Episode {id} is not waiting for a decision (it is {}).",
            episode.status.as_str()
        ))
    })
}

async fn decide_at(app: &App, id: &EpisodeId, park: &ParkView, decision: ProducerDecision) -> Result<(), ApiError> {
    let episode = episodes::episode(app, id).await?;
    let run = episode.run_id.ok_or_else(|| ApiError::not_found("The episode's run"))?;
    decisions::decide(app, &run, &park.stage, decision).await?;
    Ok(())
}

fn parked_stage(episode: &Episode) -> Option<String> {
    episode.parked_at.as_ref().map(|s| s.as_str().to_owned())
}

/// Accepts a full episode id or a unique prefix of one.
async fn resolve(app: &App, id: &str) -> Result<EpisodeId, ApiError> {
    let id = id.trim();
    let matches: Vec<Episode> = episodes::list_episodes(app)
        .await?
        .into_iter()
        .filter(|e| e.id.as_str().starts_with(id))
        .collect();
    match matches.len() {
        1 => Ok(matches[0].id.clone()),
        0 => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("No episode has the id {id}."),
        )),
        n => Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("{n} episodes start with {id}; type more of the id."),
        )),
    }
}

#[derive(serde::Serialize)]
struct Summary {
    #[serde(flatten)]
    detail: EpisodeDetail,
    master_wav: Option<String>,
    master_mp3: Option<String>,
}

async fn summary(app: &App, detail: EpisodeDetail) -> Result<Summary, ApiError> {
    let parked_or_done = detail
        .run
        .as_ref()
        .is_some_and(|r| matches!(r.status, RunStatus::Parked | RunStatus::Done));
    let release = if parked_or_done {
        release::get_release(app, &detail.episode.id).await.ok()
    } else {
        None
    };
    Ok(Summary {
        master_wav: release.as_ref().map(|r| r.wav_path.clone()),
        master_mp3: release.map(|r| r.mp3_path),
        detail,
    })
}

async fn print_detail(app: &App, detail: &EpisodeDetail) -> Result<(), ApiError> {
    let e = &detail.episode;
    println!(
        "{}\n  show: {}\n  status: {}\n  target: {} min   budget: {}   spent: {}",
        e.topic,
        e.show_name,
        e.status.as_str(),
        e.target_minutes,
        e.budget_cap,
        e.spent
    );
    if let Some(run) = &detail.run {
        if let Ok(ledger) = showrunner_api::ledger::run_ledger(app, &run.run_id).await {
            println!("  by phase: {}", output::phase_spend(&ledger));
        }
        println!("  run {} ({}):", run.run_id, run.status);
        print!("{}", output::run_table(run));
        if let Some(park) = &run.decision {
            print!("{}", output::decisions(park, &e.id));
        }
        if let Ok(r) = release::get_release(app, &e.id).await {
            println!(
                "  master: {} ({})\n          {}",
                r.wav_path,
                output::duration(Some(r.master.duration_ms)),
                r.mp3_path
            );
        }
        if let Some(view) = runs::run_view(app, &run.run_id).await.ok().filter(|v| v.rehearsal) {
            let _ = view;
            println!("  crew: Rehearsal (offline) — a deterministic stand-in, not AI");
        }
    }
    Ok(())
}
