//! The Piper voice catalog through the API, against a local catalog server: the real test voice is listed
//! by language, downloaded with progress (its first transfer cut and resumed) and installed through the
//! checked install; a checksum mismatch and a cancel leave nothing installed.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use showrunner_api::voice_catalog::{self, VoiceDownloadProgress};
use showrunner_api::{local_voices, ErrorCode};
use showrunner_provider_fakes::voice_catalog::{self as fake_catalog, CatalogFaults, FakeCatalog};
use showrunner_providers::piper::catalog::{md5_hex, partial_dir};

use crate::local_voices::test_voice;
use crate::open;

const JOE: &str = "en_US-joe-medium";

fn catalog_files(key: &str, model: Vec<u8>, config: Vec<u8>, model_md5: String) -> BTreeMap<String, Vec<u8>> {
    let config_md5 = md5_hex(&config);
    fake_catalog::two_voice_catalog(key, model, model_md5, config, config_md5)
}

type Seen = Arc<Mutex<Vec<VoiceDownloadProgress>>>;

fn recorder() -> (Seen, Arc<dyn Fn(VoiceDownloadProgress) + Send + Sync>) {
    let seen: Seen = Arc::default();
    let sink = seen.clone();
    (seen, Arc::new(move |p| sink.lock().unwrap().push(p)))
}

async fn pointed_at(app: &showrunner_api::App, fake: &FakeCatalog) {
    let address = voice_catalog::set_catalog_url(app, Some(fake.url.clone()))
        .await
        .unwrap();
    assert_eq!(address.url, fake.url);
    assert_eq!(address.source, voice_catalog::CatalogAddressSource::Setting);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_catalog_voice_is_listed_by_language_downloaded_with_progress_resumed_after_a_cut_and_installed() {
    let Some(model_path) = test_voice() else { return };
    let model = std::fs::read(&model_path).unwrap();
    let config = std::fs::read(format!("{}.json", model_path.display())).unwrap();
    let (model_len, config_len) = (model.len() as u64, config.len() as u64);
    let md5 = md5_hex(&model);
    let faults = CatalogFaults {
        cut_suffix: Some(".onnx".into()),
        cut_after: 10_000_000,
        piece_delay: None,
    };
    let fake = fake_catalog::start(catalog_files(JOE, model, config, md5), faults).await;
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    pointed_at(&app, &fake).await;

    let all = voice_catalog::list_catalog_voices(&app, None).await.unwrap();
    assert_eq!(all.voices.len(), 2);
    let codes: Vec<_> = all.languages.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["de_DE", "en_US"]);
    let english = voice_catalog::list_catalog_voices(&app, Some("en")).await.unwrap();
    assert_eq!(english.voices.len(), 1, "{:?}", english.voices);
    let listed = &english.voices[0];
    assert_eq!(listed.key, JOE);
    assert_eq!(listed.language_name, "English (United States)");
    assert_eq!(listed.size_bytes, model_len + config_len);
    assert!(!listed.installed);

    let (seen, progress) = recorder();
    let installed = voice_catalog::download_catalog_voice(&app, JOE, progress)
        .await
        .unwrap();
    assert_eq!(installed.name, JOE);
    assert_eq!(installed.size_bytes, model_len);

    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() > 10, "progress arrives as bytes do: {} events", seen.len());
    assert!(seen.iter().all(|p| p.total_bytes == model_len + config_len));
    assert!(seen.windows(2).all(|w| w[0].received_bytes <= w[1].received_bytes));
    assert_eq!(seen.last().unwrap().received_bytes, model_len + config_len);

    let model_requests: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with(".onnx"))
        .collect();
    assert_eq!(model_requests.len(), 2, "one cut, one resume: {model_requests:?}");
    assert_eq!(model_requests[1].range.as_deref(), Some("bytes=10000000-"));

    let view = local_voices::list_installed_voices(&app).await.unwrap();
    assert_eq!(view.voices, vec![installed]);
    assert!(view.piper_ready, "{view:?}");
    assert!(
        !partial_dir(&dir.path().join("voices"), JOE).exists(),
        "the download folder is cleared"
    );
    let again = voice_catalog::list_catalog_voices(&app, Some("en_US")).await.unwrap();
    assert!(again.voices[0].installed);
    let twice = voice_catalog::download_catalog_voice(&app, JOE, recorder().1)
        .await
        .unwrap_err();
    assert_eq!(twice.code, ErrorCode::Duplicate, "{}", twice.message);
}

/// Bytes that are not a voice: enough for the refusals, which come before the install's checks.
fn not_a_model() -> Vec<u8> {
    (0..2_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_checksum_mismatch_is_refused_with_a_code_and_nothing_is_installed() {
    let fake = fake_catalog::start(
        catalog_files(JOE, not_a_model(), b"{}".to_vec(), "0".repeat(32)),
        CatalogFaults::default(),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    pointed_at(&app, &fake).await;
    let e = voice_catalog::download_catalog_voice(&app, JOE, recorder().1)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::VoiceInvalid, "{}", e.message);
    assert_eq!(e.details.as_ref().unwrap()["reason"], "voice_checksum_mismatch");
    assert!(e.message.contains("nothing was installed"), "{}", e.message);
    assert!(local_voices::list_installed_voices(&app)
        .await
        .unwrap()
        .voices
        .is_empty());
    assert!(!partial_dir(&dir.path().join("voices"), JOE).exists());
    let unknown = voice_catalog::download_catalog_voice(&app, "xx-none", recorder().1)
        .await
        .unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_download_leaves_no_partial_voice() {
    let model = not_a_model();
    let md5 = md5_hex(&model);
    let faults = CatalogFaults {
        piece_delay: Some(Duration::from_millis(10)),
        ..CatalogFaults::default()
    };
    let fake = fake_catalog::start(catalog_files(JOE, model, b"{}".to_vec(), md5), faults).await;
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    pointed_at(&app, &fake).await;
    let (seen, progress) = recorder();
    let download = tokio::spawn({
        let app = app.clone();
        async move { voice_catalog::download_catalog_voice(&app, JOE, progress).await }
    });
    // Cancel once bytes are arriving, as Cancel beside the progress bar does.
    tokio::time::timeout(Duration::from_secs(20), async {
        while seen.lock().unwrap().last().is_none_or(|p| p.received_bytes < 100_000) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("bytes arrive");
    let listed = voice_catalog::list_catalog_voices(&app, None).await.unwrap();
    assert!(listed.voices.iter().any(|v| v.key == JOE && v.downloading));
    assert!(voice_catalog::cancel_voice_download(&app, JOE));
    let e = download.await.unwrap().unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled, "{}", e.message);
    assert!(
        !partial_dir(&dir.path().join("voices"), JOE).exists(),
        "no partial files"
    );
    assert!(local_voices::list_installed_voices(&app)
        .await
        .unwrap()
        .voices
        .is_empty());
    assert!(!voice_catalog::cancel_voice_download(&app, JOE), "nothing left running");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_catalog_address_is_saved_checked_reset_and_pinned_by_the_environment() {
    use voice_catalog::CatalogAddressSource::{Default, Environment, Setting};
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let start = voice_catalog::catalog_address(&app).await;
    assert_eq!(
        (start.source, start.url.as_str()),
        (Default, start.default_url.as_str())
    );

    let saved = voice_catalog::set_catalog_url(&app, Some(" http://127.0.0.1:8080/voices/ ".into()))
        .await
        .unwrap();
    assert_eq!(
        (saved.source, saved.url.as_str()),
        (Setting, "http://127.0.0.1:8080/voices")
    );
    let refused = voice_catalog::set_catalog_url(&app, Some("http://voices.example.com".into()))
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput, "{}", refused.message);
    assert_eq!(refused.details.as_ref().unwrap()["errors"][0]["field"], "url");
    assert_eq!(
        voice_catalog::catalog_address(&app).await.url,
        "http://127.0.0.1:8080/voices",
        "a refused address loses the saved one"
    );
    let reset = voice_catalog::set_catalog_url(&app, Some("  ".into())).await.unwrap();
    assert_eq!(reset.source, Default);
    drop(app);

    // The app's environment pins the address: shown as such, and a save is refused rather than ignored.
    let mut env = crate::support::keyed_app::FakeEnvironment::with_keys(&[]);
    env.set(voice_catalog::CATALOG_URL_ENV, "http://127.0.0.1:9/mirror");
    let pinned_app = env.open(dir.path()).await;
    let pinned = voice_catalog::catalog_address(&pinned_app).await;
    assert_eq!(
        (pinned.source, pinned.url.as_str()),
        (Environment, "http://127.0.0.1:9/mirror")
    );
    let e = voice_catalog::set_catalog_url(&pinned_app, Some("http://127.0.0.1:8080".into()))
        .await
        .unwrap_err();
    assert!(e.message.contains(voice_catalog::CATALOG_URL_ENV), "{}", e.message);
}
