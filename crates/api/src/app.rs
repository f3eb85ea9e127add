//! The application context: the data folder, the store, the engine with the offline crew, the OS keychain
//! and the release-gate player. One per process; cheap to clone.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use showrunner_audio::PlayerHandle;
use showrunner_domain::{EpisodeStatus, RunId};
use showrunner_engine::{Clock, Engine, EngineError, RetryPolicy, RunChanged, SystemClock};
use showrunner_production::{provider_retry_policies, standard_workflow, Crew, PriceBook, Roster, STANDARD_PIPELINE};
use showrunner_providers::{LanguageModel, PriceTable, RehearsalWriter, SpeechEngine, SystemSpeech};
use showrunner_secrets::Keychain;
use showrunner_store::{Store, StoreError, WriterLock, WriterRole};
use tokio::sync::broadcast;

use crate::environment::Environment;
use crate::local_voices::{system_program, LocalSpeech};
use crate::roster::{KeyedRoster, LocalRoster};
use crate::{ApiError, ErrorCode};

/// Where the data lives when nothing says otherwise is the OS app-data folder.
pub const DATA_DIR_ENV: &str = "SHOWRUNNER_DATA_DIR";

#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// `--data-dir`; falls back to `SHOWRUNNER_DATA_DIR`, then the OS app-data folder.
    pub data_dir: Option<PathBuf>,
    /// Use only the offline crew (rehearsal writer, system speech), whatever keys are set.
    pub offline: bool,
}

impl AppOptions {
    pub fn resolve_data_dir(&self) -> Result<PathBuf, ApiError> {
        if let Some(dir) = &self.data_dir {
            return Ok(dir.clone());
        }
        if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
            return Ok(PathBuf::from(dir));
        }
        directories::ProjectDirs::from("dev", "Showrunner", "Showrunner")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Storage,
                    "Cannot find a folder for app data; pass --data-dir DIR.",
                )
            })
    }
}

/// How a process uses the data folder. One writer per folder drives runs and changes things; any number of
/// readers list, show and export beside it (SQLite's WAL lets them read while the writer writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Takes the folder's writer lock; refused with `data_dir_in_use` while another process holds it.
    Writer(WriterRole),
    /// No lock, and no runs driven: for commands that only read.
    ReadOnly,
}

#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    engine: Engine,
    keychain: Keychain,
    environment: Environment,
    player: PlayerHandle,
    writer: Arc<dyn LanguageModel>,
    speech: Arc<dyn SpeechEngine>,
    /// Installed Piper voices, then system speech: the offline end of every speech cast.
    local_speech: Arc<LocalSpeech>,
    /// The crew the engine's stages use, for estimates made before a run starts.
    crew: Crew,
    /// Held while the app lives when it opened as the writer.
    writer_lock: Option<Arc<WriterLock>>,
}

impl App {
    /// Opens the data folder as its writer, as the desktop app does (tests too).
    pub async fn open(options: AppOptions) -> Result<App, ApiError> {
        App::open_with(options, Access::Writer(WriterRole::App)).await
    }

    /// Opens with the process environment as it is now (read once; see [`Environment`]).
    pub async fn open_with(options: AppOptions, access: Access) -> Result<App, ApiError> {
        App::open_in(options, access, Environment::capture()).await
    }

    /// Opens with `environment` standing for the process environment: keys' fallback variables and base-URL
    /// overrides come from it alone, so tests configure one app without touching the process.
    pub async fn open_in(options: AppOptions, access: Access, environment: Environment) -> Result<App, ApiError> {
        let data_dir = options.resolve_data_dir()?;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        // Taken before the database is touched, so a refused writer changes nothing (not even a migration).
        let writer_lock = match access {
            Access::Writer(role) => Some(Arc::new(WriterLock::acquire(&data_dir, role, clock.now_ms())?)),
            Access::ReadOnly => None,
        };
        let store = Store::open(&data_dir).await?;
        let writer: Arc<dyn LanguageModel> = Arc::new(RehearsalWriter::new());
        // A machine without espeak-ng still opens the app; starting an episode says what to install.
        let system = SystemSpeech::detect().unwrap_or_else(|_| SystemSpeech::default_program());
        let program = system_program(&system);
        let speech: Arc<dyn SpeechEngine> = Arc::new(system);
        let local_speech = Arc::new(LocalSpeech::new(store.data_dir(), speech.clone(), program));
        let keychain = {
            let environment = environment.clone();
            Keychain::system()
                .with_backend_setting(environment.get(showrunner_secrets::BACKEND_ENV_VAR).as_deref())
                .with_environment(move |name| environment.get(name))
        };
        // `--offline` (and tests) keep the offline crew alone (an installed Piper voice, else system speech);
        // otherwise each job is cast from the route plan
        // and the keys present, with the offline crew as the last resort.
        let roster: Arc<dyn Roster> = if options.offline {
            Arc::new(LocalRoster {
                writer: writer.clone(),
                speech: local_speech.clone(),
            })
        } else {
            Arc::new(KeyedRoster::new(
                store.clone(),
                keychain.clone(),
                environment.clone(),
                writer.clone(),
                local_speech.clone(),
            ))
        };
        // The producer's edited prices, if any; an unreadable copy must not stop the app from opening.
        let prices = match crate::prices::saved_table(&store).await {
            Ok(Some(table)) => table,
            Ok(None) => PriceTable::default_table(),
            Err(e) => {
                tracing::warn!("using the shipped prices: {}", e.message);
                PriceTable::default_table()
            }
        };
        let crew = Crew {
            roster,
            prices: PriceBook::new(prices),
            concurrency: 4,
            master_takes: Default::default(),
        };
        let engine = provider_retry_policies().into_iter().fold(
            Engine::new(store.clone(), clock, vec![standard_workflow(crew.clone())])?,
            |engine, (provider, policy)| engine.with_provider_retry(provider, policy),
        );
        Ok(App {
            inner: Arc::new(Inner {
                store,
                engine,
                keychain,
                environment,
                player: PlayerHandle::spawn(),
                writer,
                speech,
                local_speech,
                crew,
                writer_lock,
            }),
        })
    }

    /// Whether this process holds the data folder's writer lock (and so may drive runs).
    pub fn is_writer(&self) -> bool {
        self.inner.writer_lock.is_some()
    }

    pub fn data_dir(&self) -> &Path {
        self.inner.store.data_dir()
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The same app with one retry policy for every stage and every provider (soak tests shorten the waits). A
    /// method rather than an `AppOptions` field so callers that spell the options out in full keep compiling.
    pub fn with_retry_policy(self, retry: RetryPolicy) -> App {
        let inner = Arc::try_unwrap(self.inner).unwrap_or_else(|shared| Inner {
            store: shared.store.clone(),
            engine: shared.engine.clone(),
            keychain: shared.keychain.clone(),
            environment: shared.environment.clone(),
            player: shared.player.clone(),
            writer: shared.writer.clone(),
            speech: shared.speech.clone(),
            local_speech: shared.local_speech.clone(),
            crew: shared.crew.clone(),
            writer_lock: shared.writer_lock.clone(),
        });
        App {
            inner: Arc::new(Inner {
                engine: provider_retry_policies().into_iter().fold(
                    inner.engine.with_retry_policy(retry.clone()),
                    |engine, (provider, _)| engine.with_provider_retry(provider, retry.clone()),
                ),
                ..inner
            }),
        }
    }

    pub fn keychain(&self) -> &Keychain {
        &self.inner.keychain
    }

    /// The environment as read at open.
    pub fn environment(&self) -> &Environment {
        &self.inner.environment
    }

    pub fn player(&self) -> &PlayerHandle {
        &self.inner.player
    }

    pub fn writer(&self) -> &Arc<dyn LanguageModel> {
        &self.inner.writer
    }

    pub fn speech(&self) -> &Arc<dyn SpeechEngine> {
        &self.inner.speech
    }

    /// Installed Piper voices and system speech.
    pub fn local_speech(&self) -> &Arc<LocalSpeech> {
        &self.inner.local_speech
    }

    pub fn crew(&self) -> &Crew {
        &self.inner.crew
    }

    /// The price table new calls are billed with.
    pub fn prices(&self) -> Arc<PriceTable> {
        self.inner.crew.prices.current()
    }

    pub fn now_ms(&self) -> i64 {
        self.inner.engine.clock().now_ms()
    }

    /// How large a source may be and how long reading or fetching one may take.
    pub fn source_limits(&self) -> showrunner_sources::Limits {
        showrunner_sources::Limits::default()
    }

    /// Announcements of every durable change to any run.
    pub fn subscribe(&self) -> broadcast::Receiver<RunChanged> {
        self.inner.engine.subscribe()
    }

    /// Resumes runs that were interrupted by the last quit. Call once at start.
    pub async fn resume_interrupted(&self) -> Result<Vec<RunId>, ApiError> {
        if !self.is_writer() {
            return Err(ApiError::new(
                ErrorCode::Internal,
                "this process opened the data folder read-only and cannot drive runs",
            ));
        }
        let mut resumed = self.inner.engine.resume_interrupted().await?;
        // An episode saved just before a quit or crash, whose run was never created: start it now, as the
        // producer asked. (Creating the episode and its run are two steps; this closes the gap between them.)
        for episode in self.inner.store.list_episodes().await? {
            if episode.run_id.is_none() && episode.status == EpisodeStatus::Producing {
                match self
                    .inner
                    .engine
                    .start(Some(&episode.id), STANDARD_PIPELINE, episode.budget_cap)
                    .await
                {
                    Ok(run) => resumed.push(run.id),
                    // A resume beside this one created it first; that one drives it.
                    Err(EngineError::Store(StoreError::RunExists { .. })) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(resumed)
    }
}
