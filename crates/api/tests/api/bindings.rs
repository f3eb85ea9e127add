//! The frontend's types are generated, never retyped: this fails when the committed bindings drift from the
//! Rust types. Regenerate with `UPDATE_BINDINGS=1 cargo test -p showrunner-api --test api bindings`.

use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/backend/bindings.ts")
}

#[test]
fn the_committed_typescript_bindings_match_the_rust_types() {
    let generated = showrunner_api::bindings::typescript();
    let path = committed_path();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings.ts");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/lib/backend/bindings.ts is out of date with the Rust types; run \
         `UPDATE_BINDINGS=1 cargo test -p showrunner-api --test api bindings` and commit the result"
    );
}

#[test]
fn every_exported_type_is_declared_once() {
    let generated = showrunner_api::bindings::typescript();
    for name in ["RunView", "Episode", "BrandVoice", "ApiError", "Master", "ParkReason"] {
        let count = generated.matches(&format!("export type {name} ")).count();
        assert_eq!(count, 1, "{name} must be declared exactly once");
    }
}
