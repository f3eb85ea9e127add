//! The names existing databases and journals hold for the domain's enums, pinned: renaming a variant or its
//! naming rule must not change them, or stored rows stop reading (the store reads them with `FromStr`).

use std::fmt::Debug;
use std::str::FromStr;

use serde::Serialize;

use crate::{ArtifactKind, AttemptStatus, EpisodeStatus, GateVerdict, RunStatus, SourceKind};

/// Each value is written as its name and read back from it, and serde (the API's form) agrees.
fn assert_names<T>(names: &[(T, &str)])
where
    T: Copy + Debug + PartialEq + Serialize + FromStr,
    T::Err: Debug,
    &'static str: From<T>,
{
    for &(value, name) in names {
        assert_eq!(<&'static str>::from(value), name);
        assert_eq!(name.parse::<T>().unwrap(), value);
        assert_eq!(serde_json::to_value(value).unwrap(), name);
    }
}

#[test]
fn run_and_attempt_words_are_the_stored_ones() {
    use AttemptStatus as A;
    use RunStatus as R;
    assert_names(&[
        (R::Running, "running"),
        (R::Parked, "parked"),
        (R::Done, "done"),
        (R::Failed, "failed"),
        (R::Cancelled, "cancelled"),
    ]);
    assert_names(&[
        (A::Pending, "pending"),
        (A::Running, "running"),
        (A::WaitingRetry, "waiting_retry"),
        (A::Done, "done"),
        (A::Failed, "failed"),
        (A::Parked, "parked"),
        (A::Cancelled, "cancelled"),
        (A::Superseded, "superseded"),
    ]);
    assert_names(&[
        (GateVerdict::Pass, "pass"),
        (GateVerdict::Remediate, "remediate"),
        (GateVerdict::Escalate, "escalate"),
    ]);
}

#[test]
fn episode_source_and_artifact_words_are_the_stored_ones() {
    use ArtifactKind as K;
    use EpisodeStatus as E;
    assert_names(&[
        (E::Producing, "producing"),
        (E::AwaitingScriptSignoff, "awaiting_script_signoff"),
        (E::AwaitingRelease, "awaiting_release"),
        (E::NeedsAttention, "needs_attention"),
        (E::Released, "released"),
        (E::Failed, "failed"),
        (E::Cancelled, "cancelled"),
    ]);
    assert_names(&[
        (SourceKind::File, "file"),
        (SourceKind::Url, "url"),
        (SourceKind::Note, "note"),
    ]);
    let kinds = [
        (K::ResearchBrief, "research_brief"),
        (K::ResearchNotes, "research_notes"),
        (K::ResearchPackage, "research_package"),
        (K::GateReport, "gate_report"),
        (K::Plan, "plan"),
        (K::Script, "script"),
        (K::Evaluation, "evaluation"),
        (K::EvaluationPanel, "evaluation_panel"),
        (K::SpeechScript, "speech_script"),
        (K::SpeechTakes, "speech_takes"),
        (K::Master, "master"),
        (K::ShowNotes, "show_notes"),
        (K::Decision, "decision"),
    ];
    assert_eq!(kinds.len(), K::ALL.len());
    assert_names(&kinds);
}

#[test]
fn only_the_exact_name_reads() {
    // As before: no case folding, no trimming, nothing guessed.
    for typed in ["Running", " running", "runnin", ""] {
        assert!(typed.parse::<RunStatus>().is_err(), "{typed:?}");
    }
    assert!("waiting-retry".parse::<AttemptStatus>().is_err());
}
