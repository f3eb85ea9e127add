//! The Voices screen in the real window, as a producer on a fresh machine meets it: the system voice reads
//! offline episodes, a Piper voice is downloaded from the catalog (a local one, its address pinned by the
//! environment), and Piper reads them from then on.

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{Client, Locator};
use showrunner_e2e::*;
use showrunner_provider_fakes::voice_catalog::{self as fake_catalog, CatalogFaults};
use showrunner_providers::piper::catalog::md5_hex;

const JOE: &str = "en_US-joe-medium";

/// The real voice and ONNX Runtime that `.ci/setup.sh` installs; CI must have them.
fn test_voice() -> Option<PathBuf> {
    let voice = std::env::var_os("SHOWRUNNER_TEST_PIPER_VOICE").map(PathBuf::from);
    let runtime = std::env::var_os("ORT_DYLIB_PATH").map(PathBuf::from);
    if let (Some(v), Some(r)) = (&voice, &runtime) {
        if v.is_file() && r.is_file() {
            return voice;
        }
    }
    let why = "SHOWRUNNER_TEST_PIPER_VOICE and ORT_DYLIB_PATH must name a Piper voice and libonnxruntime";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI must run the Voices screen on the real Piper engine: {why} (see .ci/setup.sh)");
    }
    eprintln!("skipping the Voices e2e test: {why}");
    None
}

async fn text(c: &Client, id: &str) -> String {
    find(c, id, Duration::from_secs(15))
        .await
        .text()
        .await
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_voice_downloaded_from_the_catalog_becomes_the_offline_speaker() {
    let Some(model_path) = test_voice() else { return };
    let model = std::fs::read(&model_path).expect("read the test voice");
    let config = std::fs::read(model_path.with_extension("onnx.json")).expect("read the test voice's config");
    let (model_md5, config_md5) = (md5_hex(&model), md5_hex(&config));
    let files = fake_catalog::two_voice_catalog(JOE, model, model_md5, config, config_md5);
    let catalog = fake_catalog::start(files, CatalogFaults::default()).await;

    let data = tempfile::tempdir().expect("temp data dir");
    let env = [("SHOWRUNNER_PIPER_CATALOG_URL".to_owned(), catalog.url.clone())];
    let driver = start_driver_with(data.path(), &env);
    let c = launch(&driver).await;

    // Before: nothing installed, the system voice reads offline episodes.
    click(&c, "nav-voices").await;
    let before = text(&c, "offline-speaker").await;
    assert!(before.contains("System speech"), "before installing: {before}");
    screenshot(&c, "voices-before-install").await;

    // The catalog, from the address the environment pins (shown, not editable).
    click(&c, "voices-tab-catalog").await;
    let pinned = text(&c, "catalog-url-pinned").await;
    assert!(pinned.contains("SHOWRUNNER_PIPER_CATALOG_URL"), "{pinned}");
    find(&c, &format!("catalog-row-{JOE}"), Duration::from_secs(20)).await;
    find(&c, "catalog-row-de_DE-thorsten-low", Duration::from_secs(5)).await;
    click(&c, &format!("download-{JOE}")).await;
    find(&c, &format!("catalog-installed-{JOE}"), Duration::from_secs(60)).await;
    screenshot(&c, "voices-catalog-installed").await;

    // After: the voice is listed as installed and Piper reads offline episodes.
    click(&c, "voices-tab-installed").await;
    find(&c, &format!("voice-row-{JOE}"), Duration::from_secs(15)).await;
    let after = eventually(Duration::from_secs(15), "Piper as the offline speaker", || async {
        let t = c
            .find(Locator::Css(&testid("offline-speaker")))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        t.contains("Piper").then_some(t)
    })
    .await;
    assert!(!after.contains("System speech"), "after installing: {after}");
    screenshot(&c, "voices-after-install").await;

    let fetched = catalog.requests();
    assert!(
        fetched.iter().any(|r| r.path.ends_with(&format!("{JOE}.onnx"))),
        "the model was fetched from the local catalog: {fetched:?}"
    );
    c.close().await.ok();
}
