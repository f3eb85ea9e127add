//! Who does which job: a route per job (primary → fallbacks), as data the producer can edit. The defaults
//! follow the seeds: research on Perplexity Sonar, writing on Claude Opus, evaluation on Claude and Gemini in
//! parallel, coordination on Claude Sonnet, speech on ElevenLabs. The offline crew is always the last resort,
//! so a machine with no keys still produces a (rehearsal) episode.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use showrunner_domain::ProviderId;
use ts_rs::TS;

/// A job a stage hands to a provider. Several stages share a job (plan, synthesis, polish and packaging are
/// all "coordinate").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Job {
    /// Breaking the topic into questions, finding sources.
    Research,
    /// Answering each research question in depth.
    DeepResearch,
    /// Synthesis, planning, brand scoring, polish, show notes.
    Coordinate,
    /// Writing the script.
    Write,
    /// The first evaluator.
    EvaluateA,
    /// The second evaluator, on a different provider than the first.
    EvaluateB,
    /// Settles a disagreement between the evaluators.
    Arbitrate,
    /// Speech synthesis.
    Speak,
}

impl Job {
    pub const ALL: [Job; 8] = [
        Job::Research,
        Job::DeepResearch,
        Job::Coordinate,
        Job::Write,
        Job::EvaluateA,
        Job::EvaluateB,
        Job::Arbitrate,
        Job::Speak,
    ];

    /// Shown to the producer.
    pub fn label(self) -> &'static str {
        match self {
            Job::Research => "Research",
            Job::DeepResearch => "Deep research",
            Job::Coordinate => "Coordination (plan, synthesis, polish, show notes)",
            Job::Write => "Script writing",
            Job::EvaluateA => "Evaluator A",
            Job::EvaluateB => "Evaluator B",
            Job::Arbitrate => "Arbiter",
            Job::Speak => "Speech",
        }
    }

    pub fn is_speech(self) -> bool {
        self == Job::Speak
    }
}

/// One provider and model, e.g. `anthropic` / `claude-sonnet-4-5`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
pub struct ModelChoice {
    /// A catalog id ([`ProviderId`]). Kept as text so a plan naming a provider this build does not know
    /// (typed by hand, or saved by a newer version) is reported step by step instead of lost whole.
    pub provider: String,
    pub model: String,
}

impl ModelChoice {
    pub fn new(provider: &str, model: &str) -> ModelChoice {
        ModelChoice {
            provider: provider.to_owned(),
            model: model.to_owned(),
        }
    }

    /// The catalog row this step names, when it names one.
    pub fn provider_id(&self) -> Option<ProviderId> {
        ProviderId::parse(&self.provider)
    }
}

/// Every job's route, primary first. The offline crew is not listed: it always follows the last entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct RoutePlan {
    pub routes: BTreeMap<Job, Vec<ModelChoice>>,
}

/// The settings key the producer's edited plan is stored under.
pub const ROUTES_SETTING: &str = "routes";

impl Default for RoutePlan {
    fn default() -> Self {
        let m = ModelChoice::new;
        let routes = BTreeMap::from([
            (
                Job::Research,
                vec![m("perplexity", "sonar"), m("anthropic", "claude-sonnet-4-5")],
            ),
            (
                Job::DeepResearch,
                vec![m("perplexity", "sonar-pro"), m("perplexity", "sonar")],
            ),
            (
                Job::Coordinate,
                vec![m("anthropic", "claude-sonnet-4-5"), m("anthropic", "claude-haiku-4-5")],
            ),
            (
                Job::Write,
                vec![m("anthropic", "claude-opus-4-5"), m("anthropic", "claude-sonnet-4-5")],
            ),
            (
                Job::EvaluateA,
                vec![m("anthropic", "claude-sonnet-4-5"), m("openai", "gpt-4.1")],
            ),
            (
                Job::EvaluateB,
                vec![m("gemini", "gemini-2.5-pro"), m("gemini", "gemini-2.5-flash")],
            ),
            (Job::Arbitrate, vec![m("anthropic", "claude-opus-4-5")]),
            (
                Job::Speak,
                vec![m("elevenlabs", "eleven_flash_v2_5"), m("openai_tts", "tts-1-hd")],
            ),
        ]);
        RoutePlan { routes }
    }
}

/// Why a route plan cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("{job}: '{provider}' is not a provider Showrunner knows")]
    UnknownProvider { job: &'static str, provider: String },
    #[error("{job}: '{provider}' is a speech provider and cannot write text")]
    SpeechProviderForText { job: &'static str, provider: String },
    #[error("{job}: '{provider}' cannot speak; choose ElevenLabs, OpenAI TTS or leave the offline voice")]
    TextProviderForSpeech { job: &'static str, provider: String },
    #[error("{job}: a model name is empty")]
    EmptyModel { job: &'static str },
}

impl RoutePlan {
    /// Puts `choice` first on every text job's route (a step already naming it moves up, so it is not
    /// tried twice). Speech routes are left alone.
    pub fn put_first_on_text_routes(&mut self, choice: &ModelChoice) {
        for job in Job::ALL.into_iter().filter(|j| !j.is_speech()) {
            let chain = self.routes.entry(job).or_default();
            chain.retain(|step| step != choice);
            chain.insert(0, choice.clone());
        }
    }

    /// The route for `job`, primary first (empty when the producer chose offline only).
    pub fn route(&self, job: Job) -> &[ModelChoice] {
        self.routes.get(&job).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Checks every entry names a known provider of the right kind and a model.
    pub fn validate(&self) -> Result<(), RouteError> {
        for (job, chain) in &self.routes {
            let label = job.label();
            for choice in chain {
                let provider = choice.provider.clone();
                let known = choice.provider_id();
                let text = known.is_some_and(ProviderId::writes_text);
                let speech = known.is_some_and(|p| !p.writes_text());
                match (job.is_speech(), text, speech) {
                    (_, false, false) => return Err(RouteError::UnknownProvider { job: label, provider }),
                    (true, true, _) => return Err(RouteError::TextProviderForSpeech { job: label, provider }),
                    (false, _, true) => return Err(RouteError::SpeechProviderForText { job: label, provider }),
                    _ => {}
                }
                if choice.model.trim().is_empty() {
                    return Err(RouteError::EmptyModel { job: label });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_follow_the_seeds_and_validate() {
        let plan = RoutePlan::default();
        plan.validate().unwrap();
        assert_eq!(plan.route(Job::Research)[0].provider, "perplexity");
        assert_eq!(plan.route(Job::Write)[0].model, "claude-opus-4-5");
        assert_ne!(
            plan.route(Job::EvaluateA)[0].provider,
            plan.route(Job::EvaluateB)[0].provider,
            "the two evaluators must be different providers"
        );
        assert_eq!(plan.route(Job::Speak)[0].provider, "elevenlabs");
        assert!(Job::ALL.iter().all(|j| !plan.route(*j).is_empty()));
    }

    #[test]
    fn a_speech_provider_cannot_write_and_a_writer_cannot_speak() {
        let mut plan = RoutePlan::default();
        plan.routes
            .insert(Job::Write, vec![ModelChoice::new("elevenlabs", "eleven_v3")]);
        assert!(matches!(plan.validate(), Err(RouteError::SpeechProviderForText { .. })));
        let mut plan = RoutePlan::default();
        plan.routes
            .insert(Job::Speak, vec![ModelChoice::new("anthropic", "claude-haiku-4-5")]);
        assert!(matches!(plan.validate(), Err(RouteError::TextProviderForSpeech { .. })));
        let mut plan = RoutePlan::default();
        plan.routes.insert(Job::Write, vec![ModelChoice::new("acme", "x")]);
        assert_eq!(
            plan.validate().unwrap_err().to_string(),
            "Script writing: 'acme' is not a provider Showrunner knows"
        );
    }

    #[test]
    fn a_local_model_goes_first_on_every_text_route_once_and_speech_is_untouched() {
        let mut plan = RoutePlan::default();
        let local = ModelChoice::new("ollama", "llama3.1:8b");
        plan.put_first_on_text_routes(&local);
        plan.put_first_on_text_routes(&local);
        for job in Job::ALL {
            let chain = plan.route(job);
            if job.is_speech() {
                assert_eq!(chain, RoutePlan::default().route(job));
            } else {
                assert_eq!(chain[0], local, "{job:?}");
                assert_eq!(chain.iter().filter(|c| **c == local).count(), 1);
                assert_eq!(&chain[1..], RoutePlan::default().route(job));
            }
        }
        plan.validate().unwrap();
    }

    #[test]
    fn openrouter_writes_and_cannot_speak() {
        let mut plan = RoutePlan::default();
        plan.routes.insert(
            Job::Write,
            vec![ModelChoice::new("openrouter", "anthropic/claude-sonnet-4.5")],
        );
        plan.validate().unwrap();
        plan.routes.insert(
            Job::Speak,
            vec![ModelChoice::new("openrouter", "openai/gpt-4o-mini-tts")],
        );
        assert!(matches!(plan.validate(), Err(RouteError::TextProviderForSpeech { .. })));
    }

    #[test]
    fn a_plan_round_trips_through_its_stored_json() {
        let plan = RoutePlan::default();
        let json = serde_json::to_value(&plan).unwrap();
        assert_eq!(json["routes"]["write"][0]["provider"], "anthropic");
        assert_eq!(serde_json::from_value::<RoutePlan>(json).unwrap(), plan);
    }
}
