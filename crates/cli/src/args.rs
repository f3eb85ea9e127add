//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use showrunner_api::domain::MusicSlot;

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
    /// Produce an episode: runs until it is done or waits at a human gate.
    Produce {
        #[arg(long)]
        topic: String,
        /// The show (by name). Without it: the only show, or a new starter show when there is none.
        #[arg(long)]
        show: Option<String>,
        /// Target length in minutes.
        #[arg(long, default_value = "25", value_parser = parse_minutes)]
        minutes: u32,
        /// Budget cap in US dollars.
        #[arg(long, default_value = "33.25", allow_hyphen_values = true)]
        budget: String,
        /// Use only the offline crew (rehearsal writer, system speech), even when API keys are set.
        #[arg(long)]
        offline: bool,
        /// Approve the script automatically and continue to the release gate.
        #[arg(long)]
        auto_approve_script: bool,
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
        #[arg(long)]
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
}

fn parse_minutes(s: &str) -> Result<u32, String> {
    let n: i64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a whole number of minutes"))?;
    if !(1..=180).contains(&n) {
        return Err("target length must be between 1 and 180 minutes".into());
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
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortArg,
    /// From 1.
    #[arg(long, default_value = "1")]
    pub page: u32,
    #[arg(long, default_value = "25")]
    pub page_size: u32,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    /// Best match first when searching, else newest.
    Relevance,
    Newest,
    Oldest,
    Topic,
    Show,
    /// Dearest first.
    Spent,
}
