//! The Piper voice catalog against a local fake: progress adds up to the voice's size, a checksum mismatch
//! leaves nothing behind, a cut transfer resumes with a Range request, and a cancel removes the partial files.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use showrunner_provider_fakes::voice_catalog::{self, CatalogFaults, FakeCatalog};
use showrunner_providers::piper::catalog::{self, md5_hex, CatalogVoice, DownloadProgress};
use tokio_util::sync::CancellationToken;

const KEY: &str = "xx_XX-test-low";
const MODEL_PATH: &str = "xx/xx_XX/test/low/xx_XX-test-low.onnx";
const CONFIG_PATH: &str = "xx/xx_XX/test/low/xx_XX-test-low.onnx.json";

/// Bytes that differ from one position to the next, so a resume at the wrong offset changes the digest.
fn model_bytes() -> Vec<u8> {
    (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

fn voices_json(model: &[u8], config: &[u8], model_md5: &str) -> Vec<u8> {
    serde_json::json!({
        KEY: {
            "key": KEY, "name": "test", "quality": "low", "num_speakers": 1,
            "language": {"code": "xx_XX", "name_english": "Test", "country_english": "Nowhere"},
            "files": {
                MODEL_PATH: {"size_bytes": model.len(), "md5_digest": model_md5},
                CONFIG_PATH: {"size_bytes": config.len(), "md5_digest": md5_hex(config)},
            }
        }
    })
    .to_string()
    .into_bytes()
}

async fn serve(model_md5: Option<&str>, faults: CatalogFaults) -> (FakeCatalog, Vec<u8>, Vec<u8>) {
    let model = model_bytes();
    let config = br#"{"audio": {"sample_rate": 16000}}"#.to_vec();
    let md5 = model_md5.map(str::to_owned).unwrap_or_else(|| md5_hex(&model));
    let files = BTreeMap::from([
        ("voices.json".to_owned(), voices_json(&model, &config, &md5)),
        (MODEL_PATH.to_owned(), model.clone()),
        (CONFIG_PATH.to_owned(), config.clone()),
    ]);
    (voice_catalog::start(files, faults).await, model, config)
}

async fn the_voice(fake: &FakeCatalog) -> CatalogVoice {
    let client = catalog::client().unwrap();
    let voices = catalog::fetch_catalog(&client, &fake.url).await.unwrap();
    assert_eq!(voices.len(), 1, "{voices:?}");
    voices.into_iter().next().unwrap()
}

type Seen = Arc<Mutex<Vec<DownloadProgress>>>;

fn recorder() -> (Seen, impl Fn(DownloadProgress) + Send + Sync) {
    let seen: Seen = Arc::default();
    let sink = seen.clone();
    (seen, move |p| sink.lock().unwrap().push(p))
}

#[tokio::test]
async fn a_download_reports_progress_up_to_the_voices_size_and_leaves_the_checked_pair() {
    let (fake, model, config) = serve(None, CatalogFaults::default()).await;
    let voice = the_voice(&fake).await;
    assert_eq!(voice.key, KEY);
    assert_eq!(voice.language_name, "Test (Nowhere)");
    let dir = tempfile::tempdir().unwrap();
    let (seen, progress) = recorder();
    let client = catalog::client().unwrap();
    let path = catalog::download(
        &client,
        &fake.url,
        &voice,
        dir.path(),
        &CancellationToken::new(),
        &progress,
    )
    .await
    .unwrap();

    assert_eq!(std::fs::read(&path).unwrap(), model);
    assert_eq!(std::fs::read(format!("{}.json", path.display())).unwrap(), config);
    let seen = seen.lock().unwrap();
    let total = (model.len() + config.len()) as u64;
    assert!(
        seen.len() > 3,
        "progress arrives as the bytes do: {} events",
        seen.len()
    );
    assert!(seen.iter().all(|p| p.total_bytes == total));
    assert!(
        seen.windows(2).all(|w| w[0].received_bytes <= w[1].received_bytes),
        "never goes backwards"
    );
    assert_eq!(seen.last().unwrap().received_bytes, total, "ends at the voice's size");
}

#[tokio::test]
async fn a_checksum_mismatch_is_refused_and_nothing_is_kept() {
    let (fake, _, _) = serve(Some("0123456789abcdef0123456789abcdef"), CatalogFaults::default()).await;
    let voice = the_voice(&fake).await;
    let dir = tempfile::tempdir().unwrap();
    let (_, progress) = recorder();
    let client = catalog::client().unwrap();
    let e = catalog::download(
        &client,
        &fake.url,
        &voice,
        dir.path(),
        &CancellationToken::new(),
        &progress,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), "voice_checksum_mismatch", "{e}");
    assert!(e.to_string().contains("xx_XX-test-low.onnx"), "{e}");
    assert!(
        !catalog::partial_dir(dir.path(), KEY).exists(),
        "the mismatched download is deleted"
    );
}

#[tokio::test]
async fn a_cut_transfer_resumes_with_a_range_request_and_completes() {
    let faults = CatalogFaults {
        cut_suffix: Some(".onnx".into()),
        cut_after: 100_000,
        piece_delay: None,
    };
    let (fake, model, _) = serve(None, faults).await;
    let voice = the_voice(&fake).await;
    let dir = tempfile::tempdir().unwrap();
    let (seen, progress) = recorder();
    let client = catalog::client().unwrap();
    let path = catalog::download(
        &client,
        &fake.url,
        &voice,
        dir.path(),
        &CancellationToken::new(),
        &progress,
    )
    .await
    .unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        model,
        "the resumed file is whole and in order"
    );
    let model_requests: Vec<_> = fake.requests().into_iter().filter(|r| r.path == MODEL_PATH).collect();
    assert_eq!(model_requests.len(), 2, "{model_requests:?}");
    assert_eq!(model_requests[0].range, None);
    assert_eq!(model_requests[1].range.as_deref(), Some("bytes=100000-"));
    let total = voice.size_bytes();
    assert_eq!(seen.lock().unwrap().last().unwrap().received_bytes, total);
}

#[tokio::test]
async fn a_partial_file_left_by_an_earlier_try_is_resumed_not_fetched_again() {
    let (fake, model, _) = serve(None, CatalogFaults::default()).await;
    let voice = the_voice(&fake).await;
    let dir = tempfile::tempdir().unwrap();
    let partial = catalog::partial_dir(dir.path(), KEY);
    std::fs::create_dir_all(&partial).unwrap();
    std::fs::write(partial.join(format!("{KEY}.onnx.part")), &model[..123_456]).unwrap();
    let (_, progress) = recorder();
    let client = catalog::client().unwrap();
    let path = catalog::download(
        &client,
        &fake.url,
        &voice,
        dir.path(),
        &CancellationToken::new(),
        &progress,
    )
    .await
    .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), model);
    let ranges: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == MODEL_PATH)
        .map(|r| r.range)
        .collect();
    assert_eq!(ranges, vec![Some("bytes=123456-".to_owned())]);
}

#[tokio::test]
async fn a_cancelled_download_leaves_no_partial_voice() {
    let faults = CatalogFaults {
        piece_delay: Some(Duration::from_millis(20)),
        ..CatalogFaults::default()
    };
    let (fake, _, _) = serve(None, faults).await;
    let voice = the_voice(&fake).await;
    let dir = tempfile::tempdir().unwrap();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    // Cancel once some bytes have arrived, as a producer clicking Cancel mid-way would.
    let progress = move |p: DownloadProgress| {
        if p.received_bytes > 40_000 {
            trigger.cancel();
        }
    };
    let client = catalog::client().unwrap();
    let e = catalog::download(&client, &fake.url, &voice, dir.path(), &cancel, &progress)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "download_cancelled", "{e}");
    assert!(!catalog::partial_dir(dir.path(), KEY).exists());
    assert!(showrunner_providers::piper::installed(dir.path()).is_empty());
}

#[tokio::test]
async fn an_unreachable_catalog_is_a_coded_error() {
    let client = catalog::client().unwrap();
    let e = catalog::fetch_catalog(&client, "http://127.0.0.1:9").await.unwrap_err();
    assert_eq!(e.code(), "catalog_unreachable", "{e}");
}
