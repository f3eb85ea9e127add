//! The names existing databases hold for the ledger's enums, pinned: renaming a variant or its naming rule must
//! not change them, or stored calls and notices stop reading.

use crate::{BudgetThreshold, CallStatus, NoticeKind};
use showrunner_domain::testing::assert_stored_names;
use showrunner_domain::PhaseId;

#[test]
fn ledger_words_are_the_stored_ones() {
    assert_stored_names(&[
        (CallStatus::Intent, "intent"),
        (CallStatus::Settled, "settled"),
        (CallStatus::Failed, "failed"),
        (CallStatus::Released, "released"),
    ]);
    assert_stored_names(&[
        (BudgetThreshold::Warn, "warn"),
        (BudgetThreshold::Degrade, "degrade"),
        (BudgetThreshold::Halt, "halt"),
    ]);
}

#[test]
fn notice_keys_read_back_and_nothing_else_does() {
    let keys = [
        (
            NoticeKind::Threshold {
                threshold: BudgetThreshold::Warn,
            },
            "warn",
        ),
        (
            NoticeKind::Threshold {
                threshold: BudgetThreshold::Halt,
            },
            "halt",
        ),
        (
            NoticeKind::PhaseOver {
                phase: PhaseId::new("audio"),
            },
            "phase_over:audio",
        ),
        (
            NoticeKind::PhaseOver {
                phase: PhaseId::new("research"),
            },
            "phase_over:research",
        ),
    ];
    for (kind, key) in keys {
        assert_eq!(kind.key(), key);
        assert_eq!(key.parse::<NoticeKind>().unwrap(), kind);
    }
    // A phase is the pipeline's to name, but a stored one is still a well-formed id.
    for key in ["phase_over:", "phase_over:Audio", "phase_over:a b", "audio", "Warn", ""] {
        assert!(key.parse::<NoticeKind>().is_err(), "{key:?}");
    }
}
