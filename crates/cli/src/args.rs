//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use showrunner_api::domain::{EpisodeFormat, Language, MusicSlot, UnknownFormat, UnknownLanguage};

#[derive(Debug, Parser)]
#[command(
    name = "showrunner",
    version,
    about = "Produce podcast episodes with an AI production crew (offline rehearsal by default)."
)]
pub struct Cli {
    /// Where Showrunner keeps its database and audio (shared with the desktop app).
    #[arg(long, global = true, env = "SHOWRUNNER_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// More log output on stderr.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Produce an episode (or a batch of them): runs until it is done or waits at a human gate.
    Produce {
        #[arg(long, required_unless_present = "batch", conflicts_with = "batch")]
        topic: Option<String>,
        /// Produce every row of a CSV (with a header row) or JSON Lines file: columns topic, show, minutes,
        /// budget, format, language, sources. A bad row is reported by its line and skipped.
        #[arg(long, value_name = "FILE")]
        batch: Option<PathBuf>,
        /// How many episodes of a batch are produced at once (under the shared provider limits).
        #[arg(long, default_value = "2", value_parser = clap::value_parser!(u16).range(1..=16), requires = "batch")]
        parallel: u16,
        /// Start even when the estimate exceeds the budget cap.
        #[arg(long)]
        yes: bool,
        /// The show (by name). Without it: the only show, or a new starter show when there is none.
        #[arg(long)]
        show: Option<String>,
        /// Target length in minutes (25, or 4 for a brief).
        #[arg(long, value_parser = parse_minutes)]
        minutes: Option<u32>,
        /// The episode's format: deep_dive, brief (2–5 minutes), interview, debate or solo. Without it: the
        /// show's default.
        #[arg(long, value_parser = parse_format)]
        format: Option<EpisodeFormat>,
        /// The episode's language: en, de, fr, es or ru (or its name, "German", "Deutsch"). Without it: the
        /// show's default.
        #[arg(long, value_parser = parse_language)]
        language: Option<Language>,
        /// Budget cap in US dollars.
        #[arg(long, default_value = "33.25", allow_hyphen_values = true)]
        budget: String,
        /// Use only the offline crew (rehearsal writer, system speech), even when API keys are set.
        #[arg(long)]
        offline: bool,
        /// Approve the script automatically and continue to the release gate.
        #[arg(long)]
        auto_approve_script: bool,
        /// A source the research is grounded in: a file (PDF, Markdown, text, HTML, DOCX) or a web
        /// address, fetched once. Repeat for more.
        #[arg(long = "source", value_name = "FILE_OR_URL")]
        sources: Vec<String>,
        /// A note the research is grounded in (pasted text). Repeat for more.
        #[arg(long = "note", value_name = "TEXT")]
        notes: Vec<String>,
        /// Print the episode summary as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// List and search episodes: words in the topic or the script, a show, a status; sorted, a page at a time.
    Episodes(EpisodesArgs),
    /// Spend against caps, cost per finished minute, gate pass rates, evaluation scores, provider retries and
    /// fallbacks, time to release, and the alerts.
    Dashboard {
        /// Only this show (by name).
        #[arg(long)]
        show: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one episode: status, stages, costs, verdicts, files. Or set a show's music and cover art
    /// (`show music`, `show artwork`).
    #[command(args_conflicts_with_subcommands = true)]
    Show {
        #[command(subcommand)]
        action: Option<ShowAction>,
        /// Episode id (a unique prefix is enough).
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List an episode's sources, or add some (`sources add EPISODE FILE_OR_URL…`).
    #[command(args_conflicts_with_subcommands = true)]
    Sources {
        #[command(subcommand)]
        action: Option<SourcesAction>,
        /// Episode id (a unique prefix is enough).
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the shows with their hosts, music and cover art.
    Shows {
        #[arg(long)]
        json: bool,
    },
    /// Approve the gate the episode waits at (script sign-off or release), or continue anyway past a gate that
    /// kept failing (recorded as an override with the failing figures).
    Approve {
        id: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// A show's prompt templates: list them, read one (with its diff against the shipped default), save a new
    /// version from a file, or roll back to an old one.
    Prompts {
        #[command(subcommand)]
        action: Option<PromptsAction>,
        /// The show (by name); without it, the only show.
        #[arg(long)]
        show: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Read the script: the newest version, one version, or a diff of two; with its version history.
    Script {
        id: String,
        /// Show this version instead of the newest.
        #[arg(long, value_name = "N", conflicts_with = "diff")]
        version: Option<u32>,
        /// Compare version A with version B, line by line with changed words marked.
        #[arg(long, num_args = 2, value_names = ["A", "B"])]
        diff: Option<Vec<u32>>,
        #[arg(long)]
        json: bool,
    },
    /// Edit one line of the script while it waits for sign-off (saved as a new version).
    Edit {
        id: String,
        /// The line id, as in the script and the transcript's cue identifiers (e.g. S1-L3).
        #[arg(long)]
        line: String,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        speaker: Option<String>,
        /// Lock the line: later model stages must keep it verbatim.
        #[arg(long, conflicts_with = "unlock")]
        lock: bool,
        #[arg(long)]
        unlock: bool,
        /// A note to self on the line (never spoken); an empty string clears it.
        #[arg(long)]
        comment: Option<String>,
        /// The version the edit is made on; a newer version refuses the edit. Default: the newest.
        #[arg(long, value_name = "N")]
        base_version: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Re-record one line at the release gate (a fresh take, new words, another voice or engine); only that
    /// line is spoken and paid, and the episode is re-mastered and waits at the release gate again.
    Regenerate {
        id: String,
        /// The line id, as in the transcript's cue identifiers (e.g. S1-L3).
        #[arg(long)]
        line: String,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        voice: Option<String>,
        /// A speech engine id (e.g. system, elevenlabs, openai_tts).
        #[arg(long)]
        engine: Option<String>,
        /// Add WORD=SAY_AS to the show's dictionary and say the line with it.
        #[arg(long, value_name = "WORD=SAY_AS")]
        pronounce: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List a line's takes (take 1 is the speech stage's, then each regenerate), with their audio files.
    Takes {
        id: String,
        #[arg(long)]
        line: String,
        #[arg(long)]
        json: bool,
    },
    /// Put a take of a line back into the master (no new speech is paid for).
    KeepTake {
        id: String,
        #[arg(long)]
        line: String,
        #[arg(long)]
        take: u32,
    },
    /// Speak every line of one host again with another voice (and engine), without paying for research or the
    /// script again; prints the estimate first and asks unless --yes.
    Revoice {
        id: String,
        /// The host's name.
        #[arg(long)]
        host: String,
        #[arg(long)]
        voice: String,
        #[arg(long)]
        engine: Option<String>,
        /// Go ahead without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Send the episode back from wherever it waits (sign-off, release, an escalated gate) to redo a stage.
    Reject {
        id: String,
        /// The stage to redo, e.g. script.write (`showrunner show ID` lists the choices).
        #[arg(long)]
        redo: String,
        #[arg(long)]
        note: String,
    },
    /// Run a failed episode again from the stage that failed, reusing every call already paid for.
    Retry { id: String },
    /// Stop the episode's run for good.
    Stop { id: String },
    /// Raise the budget cap of an episode stopped at its cap; the stopped stages run again.
    RaiseBudget {
        id: String,
        /// The new cap in US dollars.
        #[arg(long)]
        to: String,
    },
    /// Continue runs interrupted by a quit (all, or one episode).
    Resume { id: Option<String> },
    /// List the installed Piper voices (offline neural voices), or install, remove or sample one.
    Voices {
        #[command(subcommand)]
        action: Option<VoicesAction>,
        #[arg(long, global = true)]
        json: bool,
    },
    /// List the providers: key status, server address and calls at once; or set a provider's limit.
    Providers {
        #[command(subcommand)]
        action: Option<ProvidersAction>,
        /// Print JSON on stdout (also after `limit` / `use`).
        #[arg(long, global = true)]
        json: bool,
    },
    /// Find the models of Ollama and LM Studio on this computer; or put one first on the writing routes.
    LocalModels {
        #[command(subcommand)]
        action: Option<LocalModelsAction>,
        /// Print JSON on stdout (also after `limit` / `use`).
        #[arg(long, global = true)]
        json: bool,
    },
    /// Write the delivery package (tagged MP3, chapters, transcripts, show notes, promo, RSS item) as the
    /// folder DIR, created at once; a released episode only, unless --draft.
    Export {
        id: String,
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
        /// Export an unreleased episode, every file stamped DRAFT.
        #[arg(long)]
        draft: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ShowAction {
    /// Set a show's intro bed, outro bed or segment sting from a WAV, MP3, FLAC or Ogg file (checked by
    /// decoding it whole), or clear the slot.
    Music {
        /// The show's name.
        show: String,
        #[arg(value_name = "intro|outro|sting")]
        slot: MusicSlot,
        #[arg(value_name = "FILE", required_unless_present = "clear")]
        file: Option<PathBuf>,
        #[arg(long, conflicts_with = "file")]
        clear: bool,
        #[arg(long)]
        json: bool,
    },
    /// A show's standing sources, which join every episode it starts.
    Sources {
        /// The show's name.
        show: String,
        #[command(subcommand)]
        action: ShowSourcesAction,
    },
    /// Set the format a show's new episodes start with: deep_dive, brief, interview, debate or solo.
    Format {
        /// The show's name.
        show: String,
        #[arg(value_parser = parse_format)]
        format: EpisodeFormat,
        #[arg(long)]
        json: bool,
    },
    /// Set the language a show's new episodes are written and spoken in: en, de, fr, es or ru.
    Language {
        /// The show's name.
        show: String,
        #[arg(value_parser = parse_language)]
        language: Language,
        #[arg(long)]
        json: bool,
    },
    /// Set a show's cover art (a square PNG or JPEG, 1400–3000 px), or clear it.
    Artwork {
        /// The show's name.
        show: String,
        #[arg(value_name = "FILE", required_unless_present = "clear")]
        file: Option<PathBuf>,
        #[arg(long, conflicts_with = "file")]
        clear: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PromptsAction {
    /// Print a stage's template (the current version, or --version N) and its diff against the shipped one.
    Show {
        #[arg(value_name = "STAGE")]
        stage: String,
        #[arg(long)]
        show: Option<String>,
        #[arg(long, value_name = "N")]
        version: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Save a new version of a stage's template from a file (checked: it must render before it is saved).
    Set {
        #[arg(value_name = "STAGE")]
        stage: String,
        #[arg(long)]
        show: String,
        #[arg(long, value_name = "F")]
        file: PathBuf,
        #[arg(long, value_name = "N")]
        note: String,
        #[arg(long)]
        author: Option<String>,
    },
    /// Make an old version current again (saved as a new version).
    Rollback {
        #[arg(value_name = "STAGE")]
        stage: String,
        #[arg(long)]
        show: String,
        #[arg(long, value_name = "N")]
        version: u32,
        #[arg(long)]
        author: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SourcesAction {
    /// Add files, web addresses or notes to an episode; one that cannot be read is named, the rest kept.
    Add {
        /// Episode id (a unique prefix is enough).
        id: String,
        #[arg(value_name = "FILE_OR_URL")]
        inputs: Vec<String>,
        #[arg(long = "note", value_name = "TEXT")]
        notes: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProvidersAction {
    /// Set how many calls a provider may have in flight at once (1–64), or `default` for the usual number.
    Limit {
        /// The provider's id, as `showrunner providers` lists it (e.g. elevenlabs).
        id: String,
        #[arg(value_name = "N|default")]
        n: String,
    },
    /// Set how many requests a minute a provider may be sent (1–100000), or `none` to let its own 429s pace it.
    Rate {
        /// The provider's id, as `showrunner providers` lists it (e.g. perplexity).
        id: String,
        #[arg(value_name = "N|none")]
        n: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ShowSourcesAction {
    /// Add standing sources: each episode started afterwards gets them.
    Add {
        #[arg(value_name = "FILE_OR_URL")]
        inputs: Vec<String>,
        #[arg(long = "note", value_name = "TEXT")]
        notes: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Remove a standing source (episodes already started keep theirs).
    Remove {
        /// The source's id, as `list` prints it (a unique prefix is enough).
        source: String,
    },
    /// List the show's standing sources.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum LocalModelsAction {
    /// Put a local model first on every writing route (research, coordination, writing, evaluation).
    Use {
        model: String,
        /// ollama or lmstudio, when both servers have the model.
        #[arg(long)]
        provider: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum VoicesAction {
    /// Install a voice from its model file; its .onnx.json must be beside it.
    Install {
        #[arg(value_name = "FILE.onnx")]
        file: PathBuf,
    },
    /// Remove an installed voice.
    Remove { name: String },
    /// Speak a short sentence with a voice into a WAV file.
    Sample {
        name: String,
        #[arg(long, value_name = "FILE.wav")]
        out: Option<PathBuf>,
    },
    /// List the voices of the Piper voice catalog (online), in one language if given.
    Catalog {
        /// A language code such as en_US, or a family such as en.
        #[arg(long)]
        language: Option<String>,
    },
    /// Show the catalog's address, or save another (a mirror, a local server); `--reset` goes back to Hugging
    /// Face.
    CatalogUrl {
        #[arg(value_name = "URL", conflicts_with = "reset")]
        url: Option<String>,
        #[arg(long)]
        reset: bool,
    },
    /// Download a voice from the catalog (checked against its MD5, resumed if cut) and install it.
    Download {
        /// The catalog key, e.g. en_US-joe-medium.
        name: String,
    },
}

/// Why a target length was refused (`--minutes`, a batch row's `minutes`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MinutesError {
    #[error("'{0}' is not a whole number of minutes")]
    NotANumber(String),
    #[error("target length must be between 1 and 180 minutes")]
    OutOfRange,
}

/// A format by its id or its label ("deep_dive", "Deep dive", "deep-dive").
pub(crate) fn parse_format(s: &str) -> Result<EpisodeFormat, UnknownFormat> {
    s.parse()
}

/// A language by its code or its name ("de", "de-AT", "German", "Deutsch").
pub(crate) fn parse_language(s: &str) -> Result<Language, UnknownLanguage> {
    s.parse()
}

pub(crate) fn parse_minutes(s: &str) -> Result<u32, MinutesError> {
    let n: i64 = s.trim().parse().map_err(|_| MinutesError::NotANumber(s.to_owned()))?;
    if !(1..=180).contains(&n) {
        return Err(MinutesError::OutOfRange);
    }
    Ok(n as u32)
}

#[derive(Debug, clap::Args)]
pub struct EpisodesArgs {
    /// Words in the topic or the script (all must appear).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only this show (by name).
    #[arg(long, value_name = "NAME")]
    pub show: Option<String>,
    /// Only this status (producing, awaiting_script_signoff, awaiting_release, needs_attention, released,
    /// failed, cancelled).
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// relevance, newest, oldest, topic, show or spent.
    #[arg(long, default_value = "relevance")]
    pub sort: showrunner_api::domain::LibraryOrder,
    /// From 1.
    #[arg(long, default_value = "1")]
    pub page: u32,
    #[arg(long, default_value = "25")]
    pub page_size: u32,
    #[arg(long)]
    pub json: bool,
}
