//! Data shapes the frontend and the CLI receive. Domain types cross as they are; these add the views that
//! combine several (a run with its stages, the release gate's page). All derive `TS`.

use serde::Serialize;
use showrunner_domain::artifacts::{EvaluationPanel, GateReport, Master, ResearchPackage, Script, ShowNotes};
use showrunner_domain::{
    ArtifactId, ArtifactKind, AttemptStatus, Episode, EpisodeId, EpisodeStatus, GateVerdict, Money, ParkReason, RunId,
    RunStatus, StageId,
};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EpisodeDetail {
    pub episode: Episode,
    pub run: Option<RunView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RunView {
    pub run_id: RunId,
    pub episode_id: EpisodeId,
    pub status: RunStatus,
    pub park: Option<ParkReason>,
    pub stages: Vec<StageView>,
    pub spent: Money,
    pub budget_cap: Money,
    /// True when offline stand-ins (the rehearsal writer) did the work: the app labels it, never calls it AI.
    pub rehearsal: bool,
    /// Where the run waits for the producer (parked or failed) and the decisions available there.
    pub decision: Option<crate::decisions::ParkView>,
    /// Set when the storage stopped the run (a full disk): why, and that resuming continues it.
    pub halt: Option<RunHaltView>,
    /// A new take spliced into the master, playable while the full master is made behind it.
    pub draft_master: Option<crate::draft_master::DraftMasterView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HaltCodeView {
    DiskFull,
    StoreFailed,
}

/// Why the storage stopped a run; `resume_run` continues it once the cause is fixed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RunHaltView {
    pub code: HaltCodeView,
    pub message: String,
    pub stage: Option<StageId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StageKindView {
    Work,
    Gate,
    HumanGate,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StageView {
    pub stage: StageId,
    pub label: String,
    pub kind: StageKindView,
    pub status: AttemptStatus,
    pub attempts: u32,
    #[ts(type = "number | null")]
    pub started_at_ms: Option<i64>,
    #[ts(type = "number | null")]
    pub finished_at_ms: Option<i64>,
    #[ts(type = "number | null")]
    pub duration_ms: Option<i64>,
    pub cost: Money,
    pub route: Option<String>,
    pub verdict: Option<GateVerdict>,
    pub error: Option<String>,
    pub feedback: Option<String>,
    pub artifacts: Vec<ArtifactMeta>,
    /// The prompt templates that produced this attempt's artifacts, e.g. "plan v2 (override)", from the
    /// ledger rows of its calls.
    pub prompts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ArtifactMeta {
    pub id: ArtifactId,
    pub kind: ArtifactKind,
    pub stage: StageId,
    pub version: u32,
    #[ts(type = "number")]
    pub created_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ArtifactView {
    pub meta: ArtifactMeta,
    #[ts(type = "unknown")]
    pub content: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ScriptView {
    pub episode_id: EpisodeId,
    pub artifact: ArtifactMeta,
    pub script: Script,
    pub research: Option<ResearchPackage>,
    /// Only the newest version can be edited, and only while the run waits at script sign-off.
    pub editable: bool,
    /// The newest version: what an edit's `base_version` must be.
    pub latest_version: u32,
    /// Who may speak a line: the show's hosts (and anyone already speaking in the script).
    pub speakers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StageOption {
    pub stage: StageId,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReleaseView {
    pub episode: Episode,
    pub master: Master,
    /// The master artifact's version: a line's regenerate or keep names it, so a newer master refuses it.
    pub master_version: u32,
    pub mp3_path: String,
    pub wav_path: String,
    pub audio_report: Option<GateReport>,
    pub evaluation: Option<EvaluationPanel>,
    pub show_notes: Option<ShowNotes>,
    pub spent: Money,
    pub budget_cap: Money,
    /// Stages the producer may send the episode back to.
    pub redo_stages: Vec<StageOption>,
    /// The latest report of every automatic gate of the run, in pipeline order.
    pub gate_reports: Vec<GateReportView>,
}

/// One gate's report with the gate's name.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct GateReportView {
    pub stage: StageId,
    pub label: String,
    pub report: GateReport,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PlaybackView {
    pub loaded: Option<String>,
    pub playing: bool,
    #[ts(type = "number")]
    pub position_ms: u64,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub finished: bool,
}

impl From<showrunner_audio::PlaybackState> for PlaybackView {
    fn from(s: showrunner_audio::PlaybackState) -> PlaybackView {
        PlaybackView {
            loaded: s.loaded,
            playing: s.playing,
            position_ms: s.position_ms,
            duration_ms: s.duration_ms,
            finished: s.finished,
        }
    }
}

/// The catalog's kind (language model, research, speech) crosses as it is.
pub use showrunner_domain::ProviderKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeySourceView {
    Keyring,
    Environment,
    None,
}

/// Whether a provider's key is set, and its last four characters: never the key itself.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct KeyStatusView {
    pub provider: String,
    pub set: bool,
    pub ends_with: Option<String>,
    pub source: KeySourceView,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ProviderInfo {
    pub id: String,
    pub label: String,
    pub kind: ProviderKind,
    pub offline: bool,
    pub needs_key: bool,
    pub key: Option<KeyStatusView>,
    pub note: String,
    /// The server address calls go to; `None` for the offline defaults, which have none.
    pub base_url: Option<BaseUrlView>,
    /// Calls in flight at once, settable; `None` for the offline defaults, which run in the app.
    pub limit: Option<crate::provider_limits::ProviderLimitView>,
    /// Runs on this computer (Ollama, LM Studio): no key, but its server must be running.
    pub local: bool,
}

/// Where the address in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BaseUrlSource {
    /// The provider's own address.
    Default,
    /// Saved on the Providers page (the `base_urls` setting).
    Setting,
    /// `env_var` is set; it wins over the setting, so the page cannot change it.
    Environment,
}

/// A provider's server address: the one in force, where it comes from, and the provider's own.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BaseUrlView {
    pub url: String,
    pub source: BaseUrlSource,
    pub default_url: String,
    /// The environment variable that overrides the setting (named even when unset).
    pub env_var: String,
}

/// The app-wide "episode-changed" event.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EpisodeChanged {
    pub episode_id: EpisodeId,
    pub status: EpisodeStatus,
    pub topic: String,
    /// The budget notices the episode's run has fired, oldest first, so any screen can tell the producer when
    /// a threshold is crossed (the app shows each one once).
    pub budget_notices: Vec<crate::ledger::BudgetNoticeView>,
}

/// How the CLI and the desktop shell list every type for generation, in dependency-free order.
#[macro_export]
macro_rules! for_each_exported_type {
    ($m:ident) => {
        $m!(
            showrunner_domain::ShowId,
            showrunner_domain::EpisodeId,
            showrunner_domain::RunId,
            showrunner_domain::ArtifactId,
            showrunner_domain::StageId,
            showrunner_domain::PhaseId,
            showrunner_domain::BlobHash,
            showrunner_domain::Money,
            showrunner_domain::FieldError,
            showrunner_domain::Show,
            showrunner_domain::BrandVoice,
            showrunner_domain::MasteringSettings,
            showrunner_domain::MusicSlot,
            showrunner_domain::StoredAsset,
            showrunner_domain::MusicFile,
            showrunner_domain::ShowMusic,
            showrunner_domain::Artwork,
            showrunner_domain::Host,
            showrunner_domain::Pronunciation,
            showrunner_domain::Episode,
            showrunner_domain::EpisodeStatus,
            showrunner_domain::NewEpisode,
            showrunner_domain::EpisodeFormat,
            showrunner_domain::Language,
            showrunner_domain::RunStatus,
            showrunner_domain::AttemptStatus,
            showrunner_domain::GateVerdict,
            showrunner_domain::ParkReason,
            showrunner_domain::ArtifactKind,
            showrunner_domain::artifacts::Source,
            showrunner_domain::SourceKind,
            showrunner_domain::SourceId,
            showrunner_domain::ProducerSource,
            showrunner_domain::artifacts::ResearchQuestion,
            showrunner_domain::artifacts::ResearchBrief,
            showrunner_domain::artifacts::Finding,
            showrunner_domain::artifacts::ResearchNotes,
            showrunner_domain::artifacts::Fact,
            showrunner_domain::artifacts::ResearchPackage,
            showrunner_domain::artifacts::GateCheck,
            showrunner_domain::artifacts::GateReport,
            showrunner_domain::artifacts::CheckFigure,
            showrunner_domain::artifacts::PlannedSegment,
            showrunner_domain::artifacts::EpisodePlan,
            showrunner_domain::artifacts::Line,
            showrunner_domain::artifacts::ScriptSegment,
            showrunner_domain::artifacts::Script,
            showrunner_domain::artifacts::Dimension,
            showrunner_domain::artifacts::DimensionScores,
            showrunner_domain::artifacts::Evaluation,
            showrunner_domain::artifacts::EvaluationPanel,
            showrunner_domain::artifacts::SpeechLine,
            showrunner_domain::artifacts::SpeechScript,
            showrunner_domain::artifacts::SpeechTake,
            showrunner_domain::artifacts::SpeechTakes,
            showrunner_domain::artifacts::Cue,
            showrunner_domain::artifacts::Master,
            showrunner_domain::artifacts::MasterFigures,
            showrunner_domain::artifacts::ChapterCue,
            showrunner_domain::artifacts::MasterCorrection,
            showrunner_domain::artifacts::SpeakerLoudness,
            showrunner_domain::artifacts::ChapterMark,
            showrunner_domain::artifacts::Citation,
            showrunner_domain::artifacts::ShowNotes,
            showrunner_domain::artifacts::DecisionKind,
            showrunner_domain::artifacts::Decision,
            $crate::ErrorCode,
            $crate::ApiError,
            $crate::estimate::CostEstimate,
            $crate::estimate::PhaseCostView,
            $crate::estimate::EstimateRequest,
            $crate::batch::BatchRow,
            $crate::batch::BatchRowResult,
            $crate::sources::SourceInput,
            $crate::sources::SourceRefusal,
            $crate::sources::SourcesAdded,
            $crate::dto::EpisodeDetail,
            $crate::dto::RunView,
            $crate::dto::HaltCodeView,
            $crate::dto::RunHaltView,
            $crate::dto::StageKindView,
            $crate::dto::StageView,
            $crate::dto::ArtifactMeta,
            $crate::dto::ArtifactView,
            $crate::dto::ScriptView,
            $crate::script::ScriptEditRequest,
            $crate::script_room::ScriptEdit,
            $crate::script_room::ScriptVersion,
            $crate::script_room::VersionOrigin,
            $crate::script_room::ScriptDiff,
            $crate::script_room::DiffRow,
            $crate::script_room::DiffSide,
            $crate::script_room::LineChange,
            $crate::script_room::WordSpan,
            $crate::line_takes::RegenerateLine,
            $crate::line_takes::KeepTake,
            $crate::line_takes::TakeView,
            $crate::line_takes::LineTakesView,
            $crate::line_takes::TakeChosen,
            $crate::draft_master::DraftMasterView,
            $crate::revoice::Revoice,
            $crate::revoice::RevoiceEstimate,
            $crate::dto::StageOption,
            $crate::decisions::ParkKind,
            $crate::decisions::EditTarget,
            $crate::decisions::AvailableDecision,
            $crate::decisions::ProducerDecision,
            $crate::decisions::ParkView,
            $crate::FailureHint,
            $crate::local_voices::VoicesView,
            $crate::local_voices::InstalledVoiceView,
            $crate::local_voices::VoiceProblem,
            $crate::local_voices::VoiceSample,
            $crate::voice_catalog::CatalogVoiceView,
            $crate::voice_catalog::CatalogLanguage,
            $crate::voice_catalog::VoiceCatalogView,
            $crate::voice_catalog::VoiceDownloadProgress,
            $crate::voice_catalog::CatalogAddress,
            $crate::voice_catalog::CatalogAddressSource,
            $crate::dto::ReleaseView,
            $crate::dto::GateReportView,
            $crate::export::ExportedFile,
            $crate::export::ExportedPackage,
            $crate::feed::FeedSettings,
            $crate::waveform::WaveformChapter,
            $crate::waveform::WaveformView,
            $crate::dto::PlaybackView,
            $crate::dto::ProviderKind,
            $crate::dto::KeySourceView,
            $crate::dto::KeyStatusView,
            $crate::dto::BaseUrlSource,
            $crate::dto::BaseUrlView,
            $crate::dto::ProviderInfo,
            showrunner_domain::ProviderId,
            $crate::provider_limits::ProviderLimitView,
            $crate::local_models::LocalModelView,
            $crate::local_models::LocalServerView,
            $crate::local_models::LocalModelsView,
            $crate::dto::EpisodeChanged,
            $crate::prices::PriceUnit,
            $crate::prices::PriceFieldView,
            $crate::prices::PriceRowView,
            $crate::prices::PriceTableView,
            $crate::prices::PriceValue,
            $crate::prices::PriceRowEdit,
            $crate::prompts::TemplateSource,
            $crate::prompts::PromptTemplateView,
            $crate::prompts::PromptLineChange,
            $crate::prompts::PromptDiffLine,
            $crate::prompts::PromptDiff,
            $crate::prompts::PromptSave,
            showrunner_production::Job,
            showrunner_production::ModelChoice,
            showrunner_production::RoutePlan,
            $crate::routing::ModelOption,
            $crate::routing::RouteProviderView,
            $crate::routing::JobRouteView,
            $crate::routing::OfflineStep,
            $crate::routing::RoutePlanView,
            $crate::connection::ConnectionOutcome,
            $crate::connection::ConnectionVerdict,
            $crate::voices::VoiceOption,
            $crate::ledger::BudgetLevel,
            $crate::ledger::BudgetNoticeKind,
            $crate::ledger::BudgetNoticeView,
            $crate::ledger::PhaseSpendView,
            $crate::ledger::CallStatusView,
            $crate::ledger::CallView,
            $crate::ledger::StageCallsView,
            $crate::ledger::LedgerView,
            $crate::library::LibraryOrder,
            $crate::library::LibrarySearch,
            $crate::library::LibraryPageView,
            $crate::dashboard::ShowMonthSpendView,
            $crate::dashboard::CostPerMinuteView,
            $crate::dashboard::GateMonthView,
            $crate::dashboard::EvaluationMonthView,
            $crate::dashboard::ProviderReliabilityView,
            $crate::dashboard::ReleaseMonthView,
            $crate::dashboard::AlertKind,
            $crate::dashboard::DashboardAlert,
            $crate::dashboard::DashboardView
        )
    };
}
