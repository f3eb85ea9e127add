//! The stable stage ids of the standard pipeline. They appear in the journal, the UI and prompt templates;
//! never rename one that has shipped.

pub const RESEARCH_DISCOVER: &str = "research.discover";
pub const RESEARCH_DEEP_DIVE: &str = "research.deep_dive";
pub const RESEARCH_VALIDATE: &str = "research.validate";
pub const RESEARCH_SYNTHESIZE: &str = "research.synthesize";
pub const PLAN: &str = "plan";
pub const SCRIPT_WRITE: &str = "script.write";
pub const SCRIPT_BRAND_CHECK: &str = "script.brand_check";
pub const SCRIPT_EVALUATE: &str = "script.evaluate";
pub const SCRIPT_POLISH: &str = "script.polish";
pub const SCRIPT_SIGNOFF: &str = "script.signoff";
pub const TTS_PREPARE: &str = "tts.prepare";
pub const AUDIO_SYNTHESIZE: &str = "audio.synthesize";
pub const AUDIO_MASTER: &str = "audio.master";
pub const AUDIO_VALIDATE: &str = "audio.validate";
pub const PACKAGE: &str = "package";
pub const RELEASE: &str = "release";

/// The model task that scores brand voice inside `script.brand_check`.
pub const TASK_BRAND_SCORE: &str = "script.brand_score";

/// The model task that writes one planned segment inside `script.write`, for a long episode.
pub const TASK_WRITE_SEGMENT: &str = "script.write_segment";
