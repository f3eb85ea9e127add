//! Every kind of journal event with its payload, as one enum: the store writes these and replay reads them
//! back typed, so a renamed field or a mistyped kind is a compile error, not a silently skipped event. The
//! wire form is unchanged (`events.kind` is the tag, `events.payload` the fields), so journals written before
//! the enum read back as they were; fields added since are optional or defaulted.

use serde::{Deserialize, Serialize};
use showrunner_domain::{
    ArtifactKind, AttemptStatus, BudgetSplit, Decision, EpisodeFormat, EpisodeStatus, GateVerdict, Language, Money,
    ParkReason, PhaseId, Route, RunStatus, ShowId, SourceId, SourceKind, StageId,
};

use crate::{BudgetThreshold, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload")]
pub enum JournalEvent {
    #[serde(rename = "show.created")]
    ShowCreated { show_id: ShowId, name: String },
    #[serde(rename = "show.updated")]
    ShowUpdated { show_id: ShowId, name: String },
    /// Its music or cover art changed.
    #[serde(rename = "show.assets_changed")]
    ShowAssetsChanged { show_id: ShowId, name: String },
    #[serde(rename = "episode.created")]
    EpisodeCreated {
        show_id: ShowId,
        topic: String,
        target_minutes: u32,
        budget_cap: Money,
        #[serde(default)]
        format: EpisodeFormat,
        #[serde(default)]
        language: Language,
    },
    #[serde(rename = "run.created")]
    RunCreated {
        pipeline: String,
        /// The run's own cap; runs created before runs owned one have none here.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        budget_cap: Option<Money>,
        /// The run's own split of the cap over its phases; runs created before runs owned one have none here.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        budget_split: Option<BudgetSplit>,
    },
    #[serde(rename = "run.status_changed")]
    RunStatusChanged {
        status: RunStatus,
        park: Option<ParkReason>,
        /// The status the run's episode moved to with it; none when the run's status moved nothing else.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        episode_status: Option<EpisodeStatus>,
    },
    #[serde(rename = "attempt.started")]
    AttemptStarted {
        attempt_id: i64,
        stage: StageId,
        attempt: i64,
        feedback: Option<String>,
    },
    #[serde(rename = "attempt.finished")]
    AttemptFinished {
        attempt_id: i64,
        stage: StageId,
        attempt: u32,
        from: AttemptStatus,
        status: AttemptStatus,
        cost: Money,
        route: Option<Route>,
        verdict: Option<GateVerdict>,
        error_code: Option<String>,
    },
    /// Attempts a quit left running, marked interrupted on resume.
    #[serde(rename = "attempts.interrupted")]
    AttemptsInterrupted { attempt_ids: Vec<i64> },
    /// Stages sent back: their attempts no longer count.
    #[serde(rename = "stages.superseded")]
    StagesSuperseded {
        stages: Vec<StageId>,
        attempt_ids: Vec<i64>,
    },
    #[serde(rename = "artifact.saved")]
    ArtifactSaved {
        artifact_id: String,
        stage: StageId,
        kind: ArtifactKind,
        version: i64,
        attempt_id: Option<i64>,
    },
    #[serde(rename = "decision.recorded")]
    DecisionRecorded(Decision),
    #[serde(rename = "setting.changed")]
    SettingChanged { key: String, value: serde_json::Value },
    #[serde(rename = "prompt_template.saved")]
    PromptTemplateSaved {
        show_id: ShowId,
        template_id: String,
        version: u32,
        author: String,
        note: String,
    },
    #[serde(rename = "source.added")]
    SourceAdded {
        source_id: SourceId,
        /// Set for a show's standing source; an episode's is the event's subject.
        show_id: Option<String>,
        kind: SourceKind,
        name: String,
        chunks: usize,
    },
    #[serde(rename = "source.removed")]
    SourceRemoved {
        source_id: SourceId,
        show_id: Option<String>,
    },
    #[serde(rename = "source.copied_from_show")]
    SourceCopiedFromShow { show_id: ShowId, sources: usize },
    /// A call refused before it was made: its reservation would pass the cap.
    #[serde(rename = "provider_call.refused")]
    ProviderCallRefused {
        stage: StageId,
        call_key: String,
        phase: PhaseId,
        requested: Money,
        committed: Money,
        cap: Money,
    },
    #[serde(rename = "provider_call.reserved")]
    ProviderCallReserved {
        call_id: i64,
        stage: StageId,
        attempt_id: Option<i64>,
        call_key: String,
        phase: PhaseId,
        provider: String,
        model: String,
        reserved: Money,
    },
    #[serde(rename = "provider_call.settled")]
    ProviderCallSettled {
        call_id: i64,
        call_key: String,
        stage: StageId,
        phase: PhaseId,
        reserved: Money,
        cost: Money,
        over_reservation: bool,
        /// The call's status before it settled.
        was: String,
        price_row: Option<String>,
        request_id: Option<String>,
    },
    #[serde(rename = "provider_call.failed")]
    ProviderCallFailed {
        call_id: i64,
        call_key: String,
        stage: StageId,
        phase: PhaseId,
        error_code: String,
        cost: Money,
        was: String,
        price_row: Option<String>,
        request_id: Option<String>,
        counted_at_reservation: bool,
    },
    /// Cut off with no answer: the provider may or may not bill it.
    #[serde(rename = "provider_call.ambiguous")]
    ProviderCallAmbiguous {
        call_id: i64,
        call_key: String,
        stage: StageId,
        reserved: Money,
    },
    /// An ambiguous call's outcome, from the provider's bill.
    #[serde(rename = "provider_call.resolved")]
    ProviderCallResolved {
        call_id: i64,
        call_key: String,
        stage: StageId,
        phase: PhaseId,
        reserved: Money,
        cost: Money,
    },
    /// Calls in flight when their run stopped: ambiguous from here on.
    #[serde(rename = "provider_calls.released")]
    ProviderCallsReleased {
        call_ids: Vec<i64>,
        reason: String,
        released: Money,
    },
    #[serde(rename = "budget.threshold")]
    BudgetThreshold {
        threshold: BudgetThreshold,
        percent: i64,
        committed: Money,
        cap: Money,
    },
    #[serde(rename = "budget.phase_over")]
    BudgetPhaseOver {
        phase: PhaseId,
        committed: Money,
        allocation: Money,
        cap: Money,
    },
    #[serde(rename = "budget.cap_raised")]
    BudgetCapRaised { from: Money, to: Money },
}

impl JournalEvent {
    /// The event's kind and payload as the journal's columns hold them.
    pub(crate) fn columns(&self) -> Result<(String, serde_json::Value), StoreError> {
        let mut value = serde_json::to_value(self)?;
        let kind = value["kind"]
            .as_str()
            .ok_or_else(|| StoreError::corrupt("a journal event serialized without its kind"))?
            .to_owned();
        let payload = value
            .get_mut("payload")
            .map(serde_json::Value::take)
            .unwrap_or(serde_json::Value::Null);
        Ok((kind, payload))
    }

    /// Reads the journal's columns back; an unknown kind or a payload that does not fit it is `corrupt`.
    pub fn from_columns(kind: &str, payload: &serde_json::Value) -> Result<JournalEvent, StoreError> {
        serde_json::from_value(serde_json::json!({ "kind": kind, "payload": payload }))
            .map_err(|e| StoreError::corrupt(format!("journal event '{kind}' cannot be read: {e}")))
    }

    /// The kind as the journal names it (`provider_call.settled`).
    pub fn kind(&self) -> String {
        self.columns().map(|(kind, _)| kind).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_reads_back_from_its_columns_and_a_wrong_payload_is_corrupt() {
        let event = JournalEvent::BudgetCapRaised {
            from: Money(1),
            to: Money(2),
        };
        let (kind, payload) = event.columns().unwrap();
        assert_eq!(kind, "budget.cap_raised");
        assert_eq!(payload, serde_json::json!({ "from": 1, "to": 2 }));
        assert_eq!(JournalEvent::from_columns(&kind, &payload).unwrap(), event);
        let wrong = JournalEvent::from_columns("budget.cap_raised", &serde_json::json!({ "from": "x" }));
        assert!(matches!(wrong, Err(StoreError::Corrupt(_))), "{wrong:?}");
        assert!(JournalEvent::from_columns("no.such_kind", &serde_json::json!({})).is_err());
    }

    #[test]
    fn an_episode_created_before_formats_reads_as_a_deep_dive() {
        let old = serde_json::json!({ "show_id": "s", "topic": "Tides", "target_minutes": 25, "budget_cap": 5 });
        let JournalEvent::EpisodeCreated { format, .. } = JournalEvent::from_columns("episode.created", &old).unwrap()
        else {
            panic!("an episode.created event");
        };
        assert_eq!(format, EpisodeFormat::DeepDive);
    }
}
