//! Any JSON against an artifact's schema: a bounded list of named problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use showrunner_domain::ArtifactKind;

fuzz_target!(|text: &str| {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else { return };
    for kind in [ArtifactKind::ResearchNotes, ArtifactKind::Plan, ArtifactKind::Script] {
        let problems = showrunner_contracts::schema_problems(kind, &value);
        assert!(problems.len() <= 9);
    }
});
