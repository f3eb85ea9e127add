// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p showrunner-api --test api bindings`.
// Do not edit by hand: change the Rust type and regenerate.

export type ShowId = string;

export type EpisodeId = string;

export type RunId = string;

export type ArtifactId = string;

export type StageId = string;

export type PhaseId = string;

export type BlobHash = string;

export type Money = number;

export type FieldError = { field: string, message: string, };

export type Show = { id: ShowId, brand: BrandVoice, created_at_ms: number, updated_at_ms: number, };

export type BrandVoice = { 
/**
 * The show's name, unique across shows.
 */
name: string, hosts: Array<Host>, 
/**
 * e.g. "warm, curious, lightly funny".
 */
tone: string, audience: string, 
/**
 * Free-form rules, one per entry.
 */
guidelines: Array<string>, 
/**
 * Phrases the show never says; the brand check fails a script that contains one.
 */
forbidden_phrases: Array<string>, 
/**
 * Spoken word for word at the start of every episode.
 */
intro_line: string, 
/**
 * Spoken word for word at the end of every episode.
 */
outro_line: string, target_minutes: number, pronunciations: Array<Pronunciation>, 
/**
 * Loudness target, true-peak ceiling and MP3 format. Shows saved before these settings existed load
 * with the delivery-spec defaults.
 */
mastering: MasteringSettings, 
/**
 * Intro and outro beds, a sting, and how speech ducks them. Uploaded files only: the form sets the
 * levels, the upload commands set the files.
 */
music: ShowMusic, 
/**
 * Cover art for the MP3's tags and the feed.
 */
artwork: Artwork | null, 
/**
 * The format a new episode of this show starts with (each episode may pick another).
 */
default_format: EpisodeFormat, 
/**
 * The language a new episode of this show is written and spoken in (each episode may pick another).
 * Shows saved before languages existed are English.
 */
default_language: Language, };

export type MasteringSettings = { 
/**
 * Integrated loudness of the master (BS.1770-4, gated), LUFS.
 */
target_lufs: number, 
/**
 * Highest true peak allowed, dBTP.
 */
ceiling_dbtp: number, 
/**
 * Constant MP3 bitrate.
 */
bitrate_kbps: number, 
/**
 * 1 (mono) or 2 (stereo).
 */
channels: number, sample_rate: number, };

export type MusicSlot = "intro" | "outro" | "sting";

export type StoredAsset = { blob: BlobHash, 
/**
 * The blob store's extension for it (`mp3`, `flac`, `ogg`, `wav`, `png`, `jpg`).
 */
ext: string, 
/**
 * The uploaded file's name, for the form and the show notes.
 */
file_name: string, bytes: number, };

export type MusicFile = { asset: StoredAsset, duration_ms: number, sample_rate: number, channels: number, };

export type ShowMusic = { intro: MusicFile | null, outro: MusicFile | null, sting: MusicFile | null, 
/**
 * How far speech pushes a bed down, dB.
 */
duck_depth_db: number, 
/**
 * A bed's level in the clear, relative to the loudness target, LU.
 */
bed_level_lu: number, };

export type Artwork = { asset: StoredAsset, 
/**
 * `image/png` or `image/jpeg`.
 */
mime_type: string, width: number, height: number, };

export type Host = { name: string, 
/**
 * e.g. "host", "co-host", "expert".
 */
role: string, 
/**
 * The system speech voice for this host (e.g. `en-us`).
 */
voice: string, 
/**
 * The voice picked for this host on each other speech engine: engine id (`elevenlabs`, `openai_tts`)
 * → that engine's voice id. Kept apart so a fallback engine is never handed another engine's id.
 * Shows saved before this field existed load with none picked.
 */
voices: { [key in string]: string }, };

export type Pronunciation = { word: string, say_as: string, };

export type Episode = { id: EpisodeId, show_id: ShowId, show_name: string, topic: string, target_minutes: number, budget_cap: Money, format: EpisodeFormat, language: Language, status: EpisodeStatus, 
/**
 * The current (latest) run, if production has started.
 */
run_id: RunId | null, 
/**
 * Settled spend across all runs.
 */
spent: Money, 
/**
 * Length of the latest master, once there is one.
 */
duration_ms: number | null, 
/**
 * The stage the run is parked at, if it is parked.
 */
parked_at: StageId | null, created_at_ms: number, updated_at_ms: number, };

export type EpisodeStatus = "producing" | "awaiting_script_signoff" | "awaiting_release" | "needs_attention" | "released" | "failed" | "cancelled";

export type NewEpisode = { show_id: ShowId, topic: string, target_minutes: number, budget_cap: Money, 
/**
 * Episodes started before formats existed, and requests that leave it out, are deep dives.
 */
format: EpisodeFormat, 
/**
 * `None` takes the show's default language.
 */
language?: Language, };

export type EpisodeFormat = "deep_dive" | "brief" | "interview" | "debate" | "solo";

export type Language = "en" | "de" | "fr" | "es" | "ru";

export type RunStatus = "running" | "parked" | "done" | "failed" | "cancelled";

export type AttemptStatus = "pending" | "running" | "waiting_retry" | "done" | "failed" | "parked" | "cancelled" | "superseded";

export type GateVerdict = "pass" | "remediate" | "escalate";

export type ParkReason = { "kind": "human_gate", stage: StageId, } | { "kind": "gate_escalated", stage: StageId, summary: string, } | { "kind": "budget_exhausted", stage: StageId, };

export type ArtifactKind = "research_brief" | "research_notes" | "research_package" | "gate_report" | "plan" | "script" | "evaluation" | "evaluation_panel" | "speech_script" | "speech_takes" | "master" | "show_notes" | "decision";

export type Source = { title: string, url: string, 
/**
 * Who published it; used for the source-diversity check.
 */
publisher: string, 
/**
 * The producer's own source this cites (stamped by the stage from the chunk used, never by a model).
 */
source_id?: string, 
/**
 * Where in that source: `p. 3`, `§ Keeping the light` (stamped with `source_id`).
 */
location?: string, };

export type SourceKind = "file" | "url" | "note";

export type SourceId = string;

export type ProducerSource = { id: SourceId, kind: SourceKind, 
/**
 * What a citation and the show notes call it: the file's name, the page's title or address, "Note: " and a
 * note's first line.
 */
name: string, 
/**
 * The original file name or the address it was fetched from (after redirects); empty for a note.
 */
origin: string, 
/**
 * The reader that read it (`pdf`, `markdown`, …).
 */
format: string, fetched_at_ms: number | null, added_at_ms: number, chars: number, sections: number, chunks: number, };

export type ResearchQuestion = { 
/**
 * `Q1`, `Q2`, …
 */
id: string, question: string, };

export type ResearchBrief = { topic: string, questions: Array<ResearchQuestion>, };

export type Finding = { question_id: string, claim: string, sources: Array<Source>, };

export type ResearchNotes = { findings: Array<Finding>, };

export type Fact = { 
/**
 * `F1`, `F2`, …: what script lines cite.
 */
id: string, statement: string, sources: Array<Source>, };

export type ResearchPackage = { topic: string, facts: Array<Fact>, open_questions: Array<string>, uncertainties: Array<string>, };

export type GateCheck = { name: string, passed: boolean, 
/**
 * What was measured, in a producer's words ("3 of 14 lines cite no fact").
 */
detail: string, };

export type GateReport = { verdict: GateVerdict, 
/**
 * 0.0–1.0.
 */
score: number, threshold: number, checks: Array<GateCheck>, 
/**
 * What to change, sent back to the stage that made the work when the verdict is `remediate`.
 */
feedback: string, 
/**
 * The audio gate's figures: per check, what was measured against what target.
 */
figures?: Array<CheckFigure>, 
/**
 * Set by the audio gate when a technical check failed: what the next mastering pass changes.
 */
master_correction?: MasterCorrection | null, };

export type CheckFigure = { check: string, 
/**
 * `None` when there was nothing to measure (e.g. a silent master has no loudness).
 */
measured: number | null, unit: string, 
/**
 * The target in words, e.g. "−16.0 ±0.5" or "≤ −1.0".
 */
target: string, passed: boolean, };

export type PlannedSegment = { 
/**
 * `S1`, `S2`, …
 */
id: string, title: string, goal: string, 
/**
 * Time budget for this segment.
 */
seconds: number, speakers: Array<string>, 
/**
 * Fact ids (`F3`) this segment should use.
 */
facts: Array<string>, };

export type EpisodePlan = { title: string, target_seconds: number, segments: Array<PlannedSegment>, };

export type Line = { 
/**
 * Stable within a script (`S2-L4`), so edits, takes and transcript cues refer to the same line.
 */
id: string, speaker: string, text: string, 
/**
 * Fact ids this line relies on.
 */
facts: Array<string>, 
/**
 * Set by the producer: every later model stage must pass the line through verbatim. A model's own
 * value is never trusted; the stage copies locks from the version it was given.
 */
locked: boolean, 
/**
 * The producer's note to self about this line; kept with the version, never spoken.
 */
comment: string, };

export type ScriptSegment = { id: string, title: string, lines: Array<Line>, };

export type Script = { title: string, segments: Array<ScriptSegment>, };

export type Dimension = "factual_support" | "narrative_coherence" | "brand_voice" | "engagement" | "speech_readiness" | "format_compliance";

export type DimensionScores = { factual_support: number, narrative_coherence: number, brand_voice: number, engagement: number, speech_readiness: number, format_compliance: number, };

export type Evaluation = { 
/**
 * Which provider and model evaluated, as shown to the producer (e.g. "Rehearsal (offline)").
 */
evaluator: string, scores: DimensionScores, 
/**
 * Specific, actionable comments.
 */
comments: Array<string>, };

export type EvaluationPanel = { evaluations: Array<Evaluation>, 
/**
 * 1 − (largest per-dimension gap ÷ 10): 1.0 when the evaluators agree exactly.
 */
consensus: number, passed: boolean, 
/**
 * Synthesized feedback for `script.write` when the panel fails the script.
 */
feedback: string, 
/**
 * Who settled a disagreement between the two evaluators (their evaluation is the last one), if anyone had
 * to.
 */
arbiter?: string, };

export type SpeechLine = { line_id: string, speaker: string, 
/**
 * The host's system speech voice.
 */
voice: string, 
/**
 * The host's picked voice per other speech engine (engine id → voice id), as in [`crate::Host`].
 */
voices: { [key in string]: string }, 
/**
 * The text as the speech engine should read it (numbers spelled, pronunciations applied).
 */
text: string, };

export type SpeechScript = { lines: Array<SpeechLine>, 
/**
 * The episode's language: each engine speaks it with a voice that does (speech scripts made before
 * languages were English).
 */
language: Language, };

export type SpeechTake = { line_id: string, speaker: string, 
/**
 * The WAV file, content-addressed beside the database.
 */
audio: BlobHash, duration_ms: number, 
/**
 * The engine that spoke it, as shown to the producer (e.g. "System speech (espeak-ng)").
 */
engine: string, 
/**
 * Which take of the line this is: 1 is the stage's own, each regenerate at the release gate adds one.
 */
take: number, };

export type SpeechTakes = { takes: Array<SpeechTake>, };

export type Cue = { line_id: string, speaker: string, text: string, start_ms: number, end_ms: number, };

export type Master = { wav: BlobHash, mp3: BlobHash, duration_ms: number, sample_rate: number, cues: Array<Cue>, 
/**
 * What the shipped MP3 measures and what it was mastered to. Absent on masters made before mastering
 * measured loudness.
 */
figures: MasterFigures | null, 
/**
 * One chapter per plan segment, from the real cue times (the MP3 carries them as ID3 CHAP frames).
 */
chapters: Array<ChapterCue>, };

export type MasterFigures = { integrated_lufs: number, true_peak_dbtp: number, loudness_range_lu: number, target_lufs: number, ceiling_dbtp: number, channels: number, bitrate_kbps: number, 
/**
 * Limiter/gain passes it took to land on the target (at least 1).
 */
passes: number, 
/**
 * Integrated loudness of each host's lines in the master, for the speaker-balance check.
 */
speakers: Array<SpeakerLoudness>, };

export type ChapterCue = { segment_id: string, title: string, start_ms: number, end_ms: number, };

export type MasterCorrection = { 
/**
 * Added to the loudness target (the gate measured this far off).
 */
gain_db: number, 
/**
 * Extra headroom under the ceiling for the limiter (the gate measured a peak this far over).
 */
ceiling_margin_db: number, };

export type SpeakerLoudness = { speaker: string, 
/**
 * `None` when the host's lines are too quiet to measure (below the −70 LUFS gate).
 */
integrated_lufs: number | null, };

export type ChapterMark = { title: string, start_ms: number, };

export type Citation = { fact_id: string, statement: string, sources: Array<Source>, };

export type ShowNotes = { title: string, summary: string, 
/**
 * Chapter titles with their start offsets, from the plan.
 */
chapters: Array<ChapterMark>, citations: Array<Citation>, promo: Array<string>, };

export type DecisionKind = { "kind": "approve" } | { "kind": "continue_anyway", failing: Array<string>, } | { "kind": "send_back", stage: StageId, };

export type Decision = { gate: StageId, decision: DecisionKind, note: string, decided_by: string, decided_at_ms: number, 
/**
 * Version of the artifact the producer looked at (the script, or the master).
 */
artifact_version: number, };

export type ErrorCode = "invalid_input" | "not_found" | "duplicate" | "conflict" | "keyring_unavailable" | "no_key" | "speech_engine_missing" | "voice_invalid" | "audio_device_unavailable" | "storage" | "disk_full" | "data_dir_in_use" | "store_failed" | "provider" | "not_released" | "target_not_writable" | "music_unreadable" | "artwork_invalid" | "asset_too_large" | "estimate_over_cap" | "template_invalid" | "cancelled" | "source_unreadable" | "source_too_large" | "source_unreachable" | "internal";

export type ApiError = { code: ErrorCode, message: string, details: unknown, };

export type CostEstimate = { 
/**
 * The pipeline's phases, in its order.
 */
phases: Array<PhaseCostView>, total: Money, 
/**
 * Each job and the provider that would do it, e.g. ("Script writing", "Claude (Anthropic) · claude-opus-4-5").
 */
providers: Array<[string, string]>, 
/**
 * Phases expected to spend more than their share of the cap (a warning; only the cap refuses).
 */
over_allocation: Array<PhaseId>, };

export type PhaseCostView = { phase: PhaseId, 
/**
 * What the producer sees ("Research").
 */
label: string, cost: Money, allocation: Money, };

export type EstimateRequest = { target_minutes: number, budget_cap: Money, 
/**
 * `None` is a deep dive.
 */
format: EpisodeFormat | null, 
/**
 * The show whose standing sources join the episode's.
 */
show_id: ShowId | null, 
/**
 * The sources on the form, not read yet.
 */
sources: Array<SourceInput>, };

export type BatchRow = { show_id: ShowId, topic: string, target_minutes: number, budget_cap: Money, 
/**
 * The episode's format; `None` takes the show's default.
 */
format: EpisodeFormat | null, 
/**
 * The episode's language as the producer typed it (a code or a name); empty or `None` takes the show's
 * default.
 */
language: string | null, 
/**
 * Files, web pages and notes the episode is researched from (the show's standing sources are added too).
 */
sources: Array<SourceInput>, 
/**
 * The producer has seen that the estimate exceeds the cap and starts anyway.
 */
over_cap_confirmed: boolean, };

export type BatchRowResult = { 
/**
 * The row's place in the batch, from 0.
 */
index: number, episode: Episode | null, estimate: CostEstimate | null, error: ApiError | null, };

export type SourceInput = { "kind": "file", path: string, } | { "kind": "url", url: string, } | { "kind": "note", text: string, };

export type SourceRefusal = { name: string, error: ApiError, };

export type SourcesAdded = { added: Array<ProducerSource>, refused: Array<SourceRefusal>, };

export type EpisodeDetail = { episode: Episode, run: RunView | null, };

export type RunView = { run_id: RunId, episode_id: EpisodeId, status: RunStatus, park: ParkReason | null, stages: Array<StageView>, spent: Money, budget_cap: Money, 
/**
 * True when offline stand-ins (the rehearsal writer) did the work: the app labels it, never calls it AI.
 */
rehearsal: boolean, 
/**
 * Where the run waits for the producer (parked or failed) and the decisions available there.
 */
decision: ParkView | null, 
/**
 * Set when the storage stopped the run (a full disk): why, and that resuming continues it.
 */
halt: RunHaltView | null, 
/**
 * A new take spliced into the master, playable while the full master is made behind it.
 */
draft_master: DraftMasterView | null, };

export type HaltCodeView = "disk_full" | "store_failed";

export type RunHaltView = { code: HaltCodeView, message: string, stage: StageId | null, };

export type StageKindView = "work" | "gate" | "human_gate";

export type StageView = { stage: StageId, label: string, kind: StageKindView, status: AttemptStatus, attempts: number, started_at_ms: number | null, finished_at_ms: number | null, duration_ms: number | null, cost: Money, route: string | null, verdict: GateVerdict | null, error: string | null, feedback: string | null, artifacts: Array<ArtifactMeta>, 
/**
 * The prompt templates that produced this attempt's artifacts, e.g. "plan v2 (override)", from the
 * ledger rows of its calls.
 */
prompts: Array<string>, };

export type ArtifactMeta = { id: ArtifactId, kind: ArtifactKind, stage: StageId, version: number, created_at_ms: number, };

export type ArtifactView = { meta: ArtifactMeta, content: unknown, };

export type ScriptView = { episode_id: EpisodeId, artifact: ArtifactMeta, script: Script, research: ResearchPackage | null, 
/**
 * Only the newest version can be edited, and only while the run waits at script sign-off.
 */
editable: boolean, 
/**
 * The newest version: what an edit's `base_version` must be.
 */
latest_version: number, 
/**
 * Who may speak a line: the show's hosts (and anyone already speaking in the script).
 */
speakers: Array<string>, };

export type ScriptEditRequest = { base_version: number, edits: Array<ScriptEdit>, };

export type ScriptEdit = { "op": "set_text", line_id: string, text: string, } | { "op": "set_speaker", line_id: string, speaker: string, } | { "op": "add_line", segment_id: string, after: string | null, speaker: string, text: string, } | { "op": "delete_line", line_id: string, } | { "op": "split_line", line_id: string, at: number, } | { "op": "merge_with_next", line_id: string, } | { "op": "move_line", line_id: string, segment_id: string, index: number, } | { "op": "set_lock", line_id: string, locked: boolean, } | { "op": "set_comment", line_id: string, comment: string, } | { "op": "attach_fact", line_id: string, fact_id: string, } | { "op": "detach_fact", line_id: string, fact_id: string, };

export type ScriptVersion = { version: number, origin: VersionOrigin, 
/**
 * "Remediation round 2", "Restore of v3", …
 */
label: string, 
/**
 * The model route that wrote it, or the producer.
 */
author: string, 
/**
 * Why: the gate's feedback, the producer's note, or what the edit did.
 */
note: string, stage: StageId, created_at_ms: number, lines: number, locked_lines: number, };

export type VersionOrigin = "writer" | "remediation" | "send_back" | "polish" | "producer_edit" | "restore";

export type ScriptDiff = { from_version: number, to_version: number, rows: Array<DiffRow>, changed: number, added: number, removed: number, };

export type DiffRow = { change: LineChange, old: DiffSide | null, new: DiffSide | null, };

export type DiffSide = { line_id: string, speaker: string, locked: boolean, facts: Array<string>, spans: Array<WordSpan>, };

export type LineChange = "same" | "changed" | "added" | "removed";

export type WordSpan = { text: string, changed: boolean, };

export type RegenerateLine = { 
/**
 * The `transcript.vtt` cue id.
 */
line_id: string, 
/**
 * The master version the producer listened to: a newer one means someone else changed it.
 */
master_version: number, text: string | null, voice: string | null, engine: string | null, 
/**
 * Added to the show's dictionary (so later episodes say it too) and applied to this line.
 */
pronunciation: Pronunciation | null, };

export type KeepTake = { line_id: string, take: number, master_version: number, };

export type TakeView = { take: number, 
/**
 * What it says (the producer's words for a re-worded take).
 */
text: string, 
/**
 * What changed from take 1, in a producer's words ("fresh take", "voice en-gb").
 */
change: string, 
/**
 * The WAV to play; `None` while the take is still being spoken.
 */
wav_path: string | null, duration_ms: number | null, 
/**
 * The take in the current master.
 */
in_master: boolean, };

export type LineTakesView = { line_id: string, speaker: string, 
/**
 * The take chosen for the master (it is in the master once the run parks at the release gate again).
 */
current: number, takes: Array<TakeView>, master_version: number, };

export type TakeChosen = { line_id: string, take: number, };

export type DraftMasterView = { line_id: string, take: number, wav_path: string, duration_ms: number, 
/**
 * The line's cue in the draft.
 */
cue: Cue, integrated_lufs: number, 
/**
 * From the master stage's start to the draft written.
 */
took_ms: number, };

export type Revoice = { 
/**
 * The host's name, as in the show and the transcript.
 */
host: string, voice: string, engine: string | null, master_version: number, };

export type RevoiceEstimate = { host: string, lines: number, characters: number, 
/**
 * The engine that would speak them (the episode's own when none is named).
 */
engine: string, 
/**
 * The worst case reserved against the cap; a local engine's is zero.
 */
estimate: Money, };

export type StageOption = { stage: StageId, label: string, };

export type ParkKind = "script_signoff" | "release" | "research" | "brand" | "evaluation" | "arbiter" | "audio" | "other_gate" | "budget" | "failed";

export type EditTarget = "script" | "research" | "plan" | "master";

export type AvailableDecision = { "kind": "approve" } | { "kind": "continue_anyway" } | { "kind": "send_back", stages: Array<StageOption>, } | { "kind": "edit", target: EditTarget, artifact: ArtifactMeta, } | { "kind": "raise_budget", cap: Money, spent: Money, } | { "kind": "retry" } | { "kind": "stop" };

export type ProducerDecision = { "kind": "approve", note: string, } | { "kind": "continue_anyway", note: string, } | { "kind": "send_back", stage: StageId, note: string, } | { "kind": "raise_budget", cap: Money, } | { "kind": "retry" } | { "kind": "stop" };

export type ParkView = { kind: ParkKind, 
/**
 * The gate (or failed stage) the run stopped at.
 */
stage: StageId, label: string, 
/**
 * What the run waits for, in a producer's words.
 */
headline: string, 
/**
 * What happened, in the gate's or the failure's words.
 */
summary: string, 
/**
 * The checks that failed, with their figures (an override records these).
 */
failing: Array<string>, 
/**
 * For a failed run: what to do about it, and the same in words.
 */
hint: FailureHint | null, advice: string | null, available: Array<AvailableDecision>, };

export type FailureHint = "add_key" | "top_up_account" | "raise_cap" | "free_disk_space" | "check_network" | "wait_for_provider" | "install_speech_engine" | "retry_or_change_route" | "report_bug" | "retry";

export type VoicesView = { voices: Array<InstalledVoiceView>, 
/**
 * True when an installed voice will speak offline episodes.
 */
piper_ready: boolean, 
/**
 * Why Piper cannot speak yet (a code such as `piper_runtime_missing`), when it cannot.
 */
problem: VoiceProblem | null, 
/**
 * Who speaks an episode when no keyed engine can: "Piper (offline neural voice)" or the system voice.
 */
offline_speaker: string, 
/**
 * The folder voices are kept in.
 */
folder: string, };

export type InstalledVoiceView = { 
/**
 * e.g. `en_US-joe-medium`: what `voices remove` and ▶ take.
 */
name: string, 
/**
 * e.g. `en_US`.
 */
language: string, 
/**
 * e.g. `medium`.
 */
quality: string | null, 
/**
 * The model file's size.
 */
size_bytes: number, speakers: number, sample_rate: number, };

export type VoiceProblem = { code: string, message: string, };

export type VoiceSample = { path: string, duration_ms: number, sample_rate: number, };

export type CatalogVoiceView = { 
/**
 * e.g. `en_US-joe-medium`: what `voices download` takes, and the installed voice's name.
 */
key: string, 
/**
 * e.g. `en_US`.
 */
language: string, 
/**
 * e.g. `English (United States)`.
 */
language_name: string, quality: string, speakers: number, 
/**
 * Model and config together: what the download fetches.
 */
size_bytes: number, installed: boolean, 
/**
 * A download of this voice is under way.
 */
downloading: boolean, };

export type CatalogLanguage = { code: string, name: string, voices: number, };

export type VoiceCatalogView = { 
/**
 * The voices in the chosen language (all when none was chosen), by key.
 */
voices: Array<CatalogVoiceView>, 
/**
 * Every language in the catalog, by code.
 */
languages: Array<CatalogLanguage>, 
/**
 * Where the catalog was read from.
 */
url: string, };

export type VoiceDownloadProgress = { received_bytes: number, total_bytes: number, };

export type CatalogAddress = { url: string, source: CatalogAddressSource, 
/**
 * The address used when none is saved.
 */
default_url: string, };

export type CatalogAddressSource = "environment" | "setting" | "default";

export type ReleaseView = { episode: Episode, master: Master, 
/**
 * The master artifact's version: a line's regenerate or keep names it, so a newer master refuses it.
 */
master_version: number, mp3_path: string, wav_path: string, audio_report: GateReport | null, evaluation: EvaluationPanel | null, show_notes: ShowNotes | null, spent: Money, budget_cap: Money, 
/**
 * Stages the producer may send the episode back to.
 */
redo_stages: Array<StageOption>, 
/**
 * The latest report of every automatic gate of the run, in pipeline order.
 */
gate_reports: Array<GateReportView>, };

export type GateReportView = { stage: StageId, label: string, report: GateReport, };

export type ExportedFile = { name: string, bytes: number, };

export type ExportedPackage = { 
/**
 * The package folder.
 */
folder: string, draft: boolean, files: Array<ExportedFile>, 
/**
 * Where the episode went into the show's feed, when it keeps one and this was not a draft.
 */
feed: string | null, };

export type FeedSettings = { 
/**
 * The local folder that mirrors the public site.
 */
folder: string, 
/**
 * Where that folder is served from, e.g. `https://example.org/podcast`.
 */
base_url: string, title: string, description: string, author: string, 
/**
 * An absolute http(s) URL of the show's artwork, if any.
 */
artwork_url: string | null, 
/**
 * e.g. `en`, `en-us`.
 */
language: string, 
/**
 * An Apple Podcasts category, e.g. `Technology`.
 */
category: string, };

export type WaveformChapter = { title: string, start_ms: number, };

export type WaveformView = { duration_ms: number, 
/**
 * Per bucket (equal slices of the master), the lowest and highest sample in [-1, 1].
 */
min: Array<number>, max: Array<number>, chapters: Array<WaveformChapter>, };

export type PlaybackView = { loaded: string | null, playing: boolean, position_ms: number, duration_ms: number, finished: boolean, };

export type ProviderKind = "language_model" | "research" | "speech";

export type KeySourceView = "keyring" | "environment" | "none";

export type KeyStatusView = { provider: string, set: boolean, ends_with: string | null, source: KeySourceView, };

export type BaseUrlSource = "default" | "setting" | "environment";

export type BaseUrlView = { url: string, source: BaseUrlSource, default_url: string, 
/**
 * The environment variable that overrides the setting (named even when unset).
 */
env_var: string, };

export type ProviderInfo = { id: string, label: string, kind: ProviderKind, offline: boolean, needs_key: boolean, key: KeyStatusView | null, note: string, 
/**
 * The server address calls go to; `None` for the offline defaults, which have none.
 */
base_url: BaseUrlView | null, 
/**
 * Calls in flight at once, settable; `None` for the offline defaults, which run in the app.
 */
limit: ProviderLimitView | null, 
/**
 * Runs on this computer (Ollama, LM Studio): no key, but its server must be running.
 */
local: boolean, };

export type ProviderId = "anthropic" | "gemini" | "perplexity" | "openai" | "openrouter" | "ollama" | "lmstudio" | "elevenlabs" | "openai_tts";

export type ProviderLimitView = { 
/**
 * Calls in flight at once, in force now.
 */
concurrent: number, 
/**
 * What "Reset" puts back (the catalog's number).
 */
default_concurrent: number, 
/**
 * The producer set `concurrent`; otherwise it is the default.
 */
customized: boolean, 
/**
 * The largest number the card accepts.
 */
max_concurrent: number, 
/**
 * Requests a minute the limiter allows, when the producer set a number; none paces by the provider's
 * own 429s.
 */
requests_per_minute: number | null, 
/**
 * The largest requests-a-minute number the card accepts.
 */
max_requests_per_minute: number, };

export type LocalModelView = { provider: ProviderId, model: string, 
/**
 * Tokens the model can hold, when the server says.
 */
context_tokens: number | null, 
/**
 * Why this model may cut a stage's answer off (too small a context, or an unknown one).
 */
warning: string | null, 
/**
 * It is first on the script-writing route now.
 */
in_use: boolean, };

export type LocalServerView = { provider: ProviderId, label: string, 
/**
 * Where it was looked for.
 */
base_url: string, running: boolean, 
/**
 * Why it could not be asked (not running, or something else answered).
 */
problem: string | null, models: Array<LocalModelView>, };

export type LocalModelsView = { servers: Array<LocalServerView>, 
/**
 * The episode length the warnings assume.
 */
target_minutes: number, };

export type EpisodeChanged = { episode_id: EpisodeId, status: EpisodeStatus, topic: string, 
/**
 * The budget notices the episode's run has fired, oldest first, so any screen can tell the producer when
 * a threshold is crossed (the app shows each one once).
 */
budget_notices: Array<BudgetNoticeView>, };

export type PriceUnit = "tokens" | "characters";

export type PriceFieldView = { field: string, 
/**
 * What the producer reads, e.g. "Cache read".
 */
label: string, 
/**
 * An exact decimal, e.g. "3.00"; empty when the row does not list this optional price.
 */
value: string, 
/**
 * A required price cannot be left empty.
 */
required: boolean, };

export type PriceRowView = { provider: string, 
/**
 * The provider as the producer knows it, e.g. "Anthropic (Claude)".
 */
provider_label: string, 
/**
 * A model id, or `*` for every model of the provider.
 */
model: string, label: string | null, unit: PriceUnit, prices: Array<PriceFieldView>, 
/**
 * Where the price comes from (usually a link to the provider's pricing page).
 */
source: string, 
/**
 * `YYYY-MM-DD`: the date the source vouches for the price.
 */
effective: string, note: string | null, };

export type PriceTableView = { 
/**
 * The saved table's version: the shipped one, or it with `+editN`.
 */
version: string, effective: string, 
/**
 * The version new calls are priced with now; differs from `version` until the app restarts.
 */
in_use_version: string, 
/**
 * True once the producer has edited a row (the shipped table can be restored).
 */
edited: boolean, 
/**
 * Grouped by provider, in the table's order.
 */
rows: Array<PriceRowView>, };

export type PriceValue = { field: string, value: string, };

export type PriceRowEdit = { provider: string, model: string, label: string | null, prices: Array<PriceValue>, source: string, effective: string, note: string | null, };

export type TemplateSource = "shipped" | "override";

export type PromptTemplateView = { 
/**
 * The stage task it prompts, e.g. `plan` or `script.write`.
 */
template_id: string, version: number, source: TemplateSource, author: string, note: string, 
/**
 * When it was saved; none for the shipped default.
 */
created_at_ms: number | null, content: string, 
/**
 * The version the stage renders now.
 */
current: boolean, };

export type PromptLineChange = "same" | "added" | "removed";

export type PromptDiffLine = { change: PromptLineChange, text: string, };

export type PromptDiff = { template_id: string, version: number, lines: Array<PromptDiffLine>, 
/**
 * Whether the version's wording is the shipped default's.
 */
same_as_shipped: boolean, };

export type PromptSave = { template_id: string, content: string, note: string, 
/**
 * Empty: the producer.
 */
author: string, };

export type Job = "research" | "deep_research" | "coordinate" | "write" | "evaluate_a" | "evaluate_b" | "arbitrate" | "speak";

export type ModelChoice = { 
/**
 * A catalog id ([`ProviderId`]). Kept as text so a plan naming a provider this build does not know
 * (typed by hand, or saved by a newer version) is reported step by step instead of lost whole.
 */
provider: string, model: string, };

export type RoutePlan = { routes: { [key in Job]?: Array<ModelChoice> }, };

export type ModelOption = { model: string, 
/**
 * e.g. "Claude Sonnet 4.5".
 */
label: string | null, };

export type RouteProviderView = { id: string, label: string, kind: ProviderKind, needs_key: boolean, 
/**
 * A key is set (keyring or environment). Steps on a provider without one are passed over.
 */
has_key: boolean, 
/**
 * Runs on this computer (Ollama, LM Studio): no key, but its server must be running.
 */
local: boolean, 
/**
 * Models with a price; a model without one is passed over when the job runs.
 */
models: Array<ModelOption>, 
/**
 * The table has a price for any model of this provider (local servers).
 */
any_model_priced: boolean, };

export type JobRouteView = { job: Job, label: string, 
/**
 * Speech jobs take speech providers; every other job takes text providers.
 */
speech: boolean, 
/**
 * Primary first; the offline crew follows the last step.
 */
chain: Array<ModelChoice>, 
/**
 * What "Reset to defaults" puts back.
 */
default_chain: Array<ModelChoice>, };

export type OfflineStep = { id: string, label: string, };

export type RoutePlanView = { jobs: Array<JobRouteView>, providers: Array<RouteProviderView>, 
/**
 * Ends every text route.
 */
offline_writer: OfflineStep, 
/**
 * Ends the speech route.
 */
offline_speech: OfflineStep, 
/**
 * The producer's plan differs from the defaults.
 */
customized: boolean, };

export type ConnectionOutcome = "ok" | "bad_key" | "out_of_quota" | "unreachable" | "wrong_url" | "no_key" | "error";

export type ConnectionVerdict = { verdict: ConnectionOutcome, message: string, 
/**
 * The model the check asked for, when it got that far.
 */
model: string | null, };

export type VoiceOption = { 
/**
 * What goes in the host's `voices[engine]` (or `voice` for system speech).
 */
id: string, name: string, 
/**
 * A short remote sample (https) the producer can play before choosing.
 */
preview_url: string | null, 
/**
 * e.g. "british, female, narration".
 */
description: string | null, 
/**
 * The language the voice speaks ("de", "en_US"); `None` when it speaks any. The pickers offer a show the
 * voices of its language.
 */
language: string | null, };

export type BudgetLevel = "normal" | "warn" | "degrade" | "halt";

export type BudgetNoticeKind = "warn" | "degrade" | "halt" | "phase_over";

export type BudgetNoticeView = { kind: BudgetNoticeKind, 
/**
 * For `phase_over`: the phase, and what the producer sees for it.
 */
phase: PhaseId | null, phase_label: string | null, 
/**
 * Billed plus held when it fired.
 */
committed: Money, 
/**
 * The cap when it fired.
 */
cap: Money, fired_at_ms: number, };

export type PhaseSpendView = { phase: PhaseId, 
/**
 * What the producer sees ("Research"), from the run's split.
 */
label: string, 
/**
 * Its planned share of the cap (soft: only the cap refuses a call).
 */
allocation: Money, settled: Money, reserved: Money, };

export type CallStatusView = "in_flight" | "settled" | "failed" | "released";

export type CallView = { id: number, stage: StageId, phase: PhaseId, provider: string, provider_label: string, model: string, 
/**
 * The worst case held against the cap while it was out.
 */
reserved: Money, 
/**
 * What the provider billed.
 */
cost: Money, status: CallStatusView, 
/**
 * Cut off mid-flight: the provider may have billed up to `reserved` without us seeing it.
 */
ambiguous: boolean, 
/**
 * The provider's id for the request, for a support ticket.
 */
request_id: string | null, error_code: string | null, 
/**
 * An answer is stored (`call_answer` returns it).
 */
has_answer: boolean, 
/**
 * The prompt template the call rendered (`plan`, `script.write`…), its version, and a SHA-256 of the
 * prompt it sent; none for speech.
 */
template_id: string | null, template_version: number | null, prompt_sha256: string | null, created_at_ms: number, finished_at_ms: number | null, };

export type StageCallsView = { stage: StageId, label: string, 
/**
 * Billed by this stage's calls.
 */
cost: Money, 
/**
 * Held by its calls still out.
 */
reserved: Money, 
/**
 * Oldest first.
 */
calls: Array<CallView>, };

export type LedgerView = { run_id: RunId, cap: Money, 
/**
 * Billed so far.
 */
settled: Money, 
/**
 * Held by calls still out.
 */
reserved: Money, 
/**
 * What cut-off calls may have cost on top of `settled`.
 */
unconfirmed: Money, 
/**
 * 80 % of the cap: the bar's first mark.
 */
warn_at: Money, 
/**
 * 95 % of the cap: past it, stages use fallback routes.
 */
degrade_at: Money, level: BudgetLevel, 
/**
 * The run waits at the cap; raising it continues the run.
 */
parked_on_budget: boolean, 
/**
 * The cap can still be raised (the run has not finished).
 */
can_raise: boolean, 
/**
 * The run's budget phases, in its pipeline's order.
 */
phases: Array<PhaseSpendView>, 
/**
 * In the order they fired; they stay after a raise, as history.
 */
notices: Array<BudgetNoticeView>, 
/**
 * In pipeline order, only stages that made paid calls.
 */
stages: Array<StageCallsView>, };

export type LibraryOrder = "relevance" | "newest" | "oldest" | "topic" | "show" | "spent";

export type LibrarySearch = { 
/**
 * Words in the topic or the script; all must appear (the last may be the start of a word).
 */
text: string | null, show_id: ShowId | null, status: EpisodeStatus | null, order: LibraryOrder, 
/**
 * From 1.
 */
page: number | null, page_size: number | null, };

export type LibraryPageView = { episodes: Array<Episode>, 
/**
 * Episodes matching across all pages.
 */
total: number, page: number, page_size: number, 
/**
 * At least 1, so "page 1 of 1" reads right with no match.
 */
pages: number, };

export type ShowMonthSpendView = { show_id: ShowId, show_name: string, 
/**
 * `YYYY-MM` (UTC) of the episodes' start.
 */
month: string, episodes: number, 
/**
 * The episodes' caps added up.
 */
caps: Money, spent: Money, };

export type CostPerMinuteView = { show_id: ShowId, show_name: string, 
/**
 * Released episodes with a master.
 */
episodes: number, finished_minutes: number, spent: Money, 
/**
 * `spent ÷ finished_minutes`, micro-dollars; `None` with no finished minute.
 */
per_minute: Money | null, };

export type GateMonthView = { month: string, 
/**
 * The gate's stage id (`script.evaluate`).
 */
gate: string, 
/**
 * The gate as the Run view names it ("Dual evaluation"); the id for a stage no pipeline declares.
 */
label: string, reports: number, passed: number, 
/**
 * `passed ÷ reports`, 0–1.
 */
pass_rate: number, 
/**
 * 0–1.
 */
mean_score: number, };

export type EvaluationMonthView = { month: string, evaluations: number, 
/**
 * Mean of the evaluators' six dimension scores, 0–10.
 */
mean_score: number, };

export type ProviderReliabilityView = { provider: string, label: string, calls: number, failed: number, 
/**
 * Calls that repeated an earlier request to the same model.
 */
retries: number, 
/**
 * Failed calls, not retried, that the same stage try handed to another provider.
 */
fallbacks: number, cost: Money, };

export type ReleaseMonthView = { show_id: ShowId, show_name: string, month: string, episodes: number, 
/**
 * From the episode's start to its release approval.
 */
mean_ms: number, max_ms: number, };

export type AlertKind = "budget_warn" | "budget_degrade" | "budget_halt" | "failed" | "needs_attention";

export type DashboardAlert = { kind: AlertKind, episode_id: EpisodeId, topic: string, show_name: string, 
/**
 * What happened, in a producer's words.
 */
message: string, at_ms: number, };

export type DashboardView = { 
/**
 * The show the figures are limited to, if any.
 */
show_id: ShowId | null, spend: Array<ShowMonthSpendView>, cost_per_minute: Array<CostPerMinuteView>, gates: Array<GateMonthView>, evaluations: Array<EvaluationMonthView>, providers: Array<ProviderReliabilityView>, releases: Array<ReleaseMonthView>, 
/**
 * Budget and failure alerts, newest first, at most [`ALERT_LIMIT`].
 */
alerts: Array<DashboardAlert>, };

/** The standard pipeline's stage ids, in pipeline order. */
export const STAGE = {
  RESEARCH_DISCOVER: 'research.discover',
  RESEARCH_DEEP_DIVE: 'research.deep_dive',
  RESEARCH_VALIDATE: 'research.validate',
  RESEARCH_SYNTHESIZE: 'research.synthesize',
  PLAN: 'plan',
  SCRIPT_WRITE: 'script.write',
  SCRIPT_BRAND_CHECK: 'script.brand_check',
  SCRIPT_EVALUATE: 'script.evaluate',
  SCRIPT_POLISH: 'script.polish',
  SCRIPT_SIGNOFF: 'script.signoff',
  TTS_PREPARE: 'tts.prepare',
  AUDIO_SYNTHESIZE: 'audio.synthesize',
  AUDIO_MASTER: 'audio.master',
  AUDIO_VALIDATE: 'audio.validate',
  PACKAGE: 'package',
  RELEASE: 'release',
} as const;

export type StandardStageId = (typeof STAGE)[keyof typeof STAGE];

/** The model tasks run inside a stage, which have prompt templates of their own. */
export const TASK = {
  BRAND_SCORE: 'script.brand_score',
  WRITE_SEGMENT: 'script.write_segment',
} as const;

/** Every episode format, in the order the picker lists them. */
export const EPISODE_FORMATS: readonly { id: EpisodeFormat; label: string; description: string; hostsNeeded: number }[] = [
  { id: "deep_dive", label: "Deep dive", description: "The hosts explore the topic together, angle by angle.", hostsNeeded: 1 },
  { id: "brief", label: "Brief", description: "Two to five minutes: the facts that matter and one takeaway.", hostsNeeded: 1 },
  { id: "interview", label: "Interview", description: "The first host asks; the second answers as the expert.", hostsNeeded: 2 },
  { id: "debate", label: "Debate", description: "The first two hosts take opposite sides and argue it out.", hostsNeeded: 2 },
  { id: "solo", label: "Solo narration", description: "The first host narrates alone.", hostsNeeded: 1 },
];

/** A brief's shortest and longest length, and its length when none is given (minutes). */
export const BRIEF_MINUTES = { min: 2, max: 5, default: 4 } as const;

/** Every language an episode can be made in, in the order the pickers list them. */
export const LANGUAGES: readonly { code: Language; name: string; nativeName: string }[] = [
  { code: "en", name: "English", nativeName: "English" },
  { code: "de", name: "German", nativeName: "Deutsch" },
  { code: "fr", name: "French", nativeName: "Français" },
  { code: "es", name: "Spanish", nativeName: "Español" },
  { code: "ru", name: "Russian", nativeName: "Русский" },
];
