//! The names existing databases and journals hold for the domain's enums, pinned: renaming a variant or its
//! naming rule must not change them, or stored rows stop reading (the store reads them with `FromStr`).

use crate::testing::assert_stored_names;
use crate::{ArtifactKind, AttemptStatus, EpisodeStatus, GateVerdict, RunStatus, SourceKind};

#[test]
fn run_and_attempt_words_are_the_stored_ones() {
    use AttemptStatus as A;
    use RunStatus as R;
    assert_stored_names(&[
        (R::Running, "running"),
        (R::Parked, "parked"),
        (R::Done, "done"),
        (R::Failed, "failed"),
        (R::Cancelled, "cancelled"),
    ]);
    assert_stored_names(&[
        (A::Pending, "pending"),
        (A::Running, "running"),
        (A::WaitingRetry, "waiting_retry"),
        (A::Done, "done"),
        (A::Failed, "failed"),
        (A::Parked, "parked"),
        (A::Cancelled, "cancelled"),
        (A::Superseded, "superseded"),
    ]);
    assert_stored_names(&[
        (GateVerdict::Pass, "pass"),
        (GateVerdict::Remediate, "remediate"),
        (GateVerdict::Escalate, "escalate"),
    ]);
}

#[test]
fn episode_source_and_artifact_words_are_the_stored_ones() {
    use ArtifactKind as K;
    use EpisodeStatus as E;
    assert_stored_names(&[
        (E::Producing, "producing"),
        (E::AwaitingScriptSignoff, "awaiting_script_signoff"),
        (E::AwaitingRelease, "awaiting_release"),
        (E::NeedsAttention, "needs_attention"),
        (E::Released, "released"),
        (E::Failed, "failed"),
        (E::Cancelled, "cancelled"),
    ]);
    assert_stored_names(&[
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
    assert_stored_names(&kinds);
}

#[test]
fn only_the_exact_name_reads() {
    // As before: no case folding, no trimming, nothing guessed.
    for typed in ["Running", " running", "runnin", ""] {
        assert!(typed.parse::<RunStatus>().is_err(), "{typed:?}");
    }
    assert!("waiting-retry".parse::<AttemptStatus>().is_err());
}
