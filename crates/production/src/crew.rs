//! The production crew: which provider does which job. Offline, the rehearsal writer and the system voice
//! do everything; later routes put real models here.

use std::sync::Arc;

use showrunner_providers::{LanguageModel, SpeechEngine};

#[derive(Clone)]
pub struct Crew {
    /// Research, planning, writing, polish, packaging.
    pub writer: Arc<dyn LanguageModel>,
    /// Two independent evaluators, each labelled with its own name in the evaluation.
    pub evaluators: [(String, Arc<dyn LanguageModel>); 2],
    pub speech: Arc<dyn SpeechEngine>,
    /// How many lines (or research questions) run at once.
    pub concurrency: usize,
}
