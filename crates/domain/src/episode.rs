//! An episode: one topic, produced for one show, within one budget.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::{EpisodeFormat, EpisodeId, Language, Money, RunId, ShowId, StageId, ValidationErrors};

pub const DEFAULT_TARGET_MINUTES: u32 = 25;
/// The per-episode cap from the seeds.
pub const DEFAULT_BUDGET_CAP: Money = Money(33_250_000);
pub const MAX_TOPIC_CHARS: usize = 500;

/// Where an episode stands, in a producer's words. Stored by its snake_case name (`as_str`), read back with
/// `FromStr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EpisodeStatus {
    /// The crew is working on it.
    Producing,
    /// Parked: the producer reads and signs off the script.
    AwaitingScriptSignoff,
    /// Parked: the producer listens and approves or sends it back.
    AwaitingRelease,
    /// Parked for a producer decision that is not a routine gate (a gate escalated, the budget ran out).
    NeedsAttention,
    Released,
    Failed,
    Cancelled,
}

impl EpisodeStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Finished for good: nothing more will run.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            EpisodeStatus::Released | EpisodeStatus::Failed | EpisodeStatus::Cancelled
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Episode {
    pub id: EpisodeId,
    pub show_id: ShowId,
    pub show_name: String,
    pub topic: String,
    pub target_minutes: u32,
    pub budget_cap: Money,
    pub format: EpisodeFormat,
    pub language: Language,
    pub status: EpisodeStatus,
    /// The current (latest) run, if production has started.
    pub run_id: Option<RunId>,
    /// Settled spend across all runs.
    pub spent: Money,
    /// Length of the latest master, once there is one.
    #[ts(type = "number | null")]
    pub duration_ms: Option<u64>,
    /// The stage the run is parked at, if it is parked.
    pub parked_at: Option<StageId>,
    #[ts(type = "number")]
    pub created_at_ms: i64,
    #[ts(type = "number")]
    pub updated_at_ms: i64,
}

/// What a producer fills in on "New episode".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewEpisode {
    pub show_id: ShowId,
    pub topic: String,
    pub target_minutes: u32,
    pub budget_cap: Money,
    /// Episodes started before formats existed, and requests that leave it out, are deep dives.
    #[serde(default)]
    pub format: EpisodeFormat,
    /// `None` takes the show's default language.
    #[serde(default)]
    #[ts(optional)]
    pub language: Option<Language>,
}

impl NewEpisode {
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let topic = self.topic.trim();
        if topic.is_empty() {
            errors.add("topic", "Type the topic this episode is about.");
        } else if topic.chars().count() > MAX_TOPIC_CHARS {
            errors.add("topic", format!("Keep the topic under {MAX_TOPIC_CHARS} characters."));
        }
        if !(crate::brand_voice::MIN_TARGET_MINUTES..=crate::brand_voice::MAX_TARGET_MINUTES)
            .contains(&self.target_minutes)
        {
            errors.add("target_minutes", "Target length must be between 1 and 180 minutes.");
        } else if let Some(problem) = self.format.length_problem(self.target_minutes) {
            errors.add("format", problem);
        }
        if self.budget_cap <= Money::ZERO {
            errors.add("budget_cap", "The budget must be more than $0.");
        } else if self.budget_cap > Money(10_000_000_000) {
            errors.add("budget_cap", "The budget must be at most $10,000.");
        }
        errors.into_result()
    }

    /// The checks that need the show: whether its `hosts` hosts can make the episode's format.
    pub fn check_cast(&self, hosts: usize) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if let Some(problem) = self.format.hosts_problem(hosts) {
            errors.add("format", problem);
        }
        errors.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_topic_and_a_zero_budget_are_both_reported() {
        let e = NewEpisode {
            show_id: ShowId::new(),
            topic: "   ".into(),
            target_minutes: 25,
            budget_cap: Money::ZERO,
            format: EpisodeFormat::DeepDive,
            language: None,
        };
        let fields: Vec<String> = e.validate().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["topic", "budget_cap"]);
    }

    #[test]
    fn status_strings_round_trip() {
        for s in [
            EpisodeStatus::Producing,
            EpisodeStatus::AwaitingScriptSignoff,
            EpisodeStatus::AwaitingRelease,
            EpisodeStatus::NeedsAttention,
            EpisodeStatus::Released,
            EpisodeStatus::Failed,
            EpisodeStatus::Cancelled,
        ] {
            assert_eq!(s.as_str().parse(), Ok(s));
        }
    }
}
