//! The delivery package and the feed on a real offline episode: refused before release, a draft stamped
//! DRAFT everywhere, the released package's files parsed back, a folder that cannot be written, the feed
//! rewritten on release and on export, and the waveform computed once.

use std::path::Path;

use showrunner_api::delivery::transcript_reader::{read_srt, read_vtt};
use showrunner_api::domain::{Episode, EpisodeStatus};
use showrunner_api::feed::FeedSettings;
use showrunner_api::{export, feed, release, script, waveform, App, ErrorCode};

use crate::{assert_status, open, settle, show, start};

async fn at_release_gate(app: &App) -> (showrunner_api::domain::Show, Episode) {
    let show = show(app, 1).await;
    let episode = start(app, &show, 1).await;
    settle(app, &episode).await;
    script::approve_script(app, &episode.id, "").await.unwrap();
    let episode = settle(app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingRelease);
    (show, episode)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// (local name, attributes, text) of every element, by a parser that fails on malformed XML.
/// (name, attributes, text) of one element.
pub type XmlElement = (String, Vec<(String, String)>, String);

pub fn xml_elements(xml: &str) -> Vec<XmlElement> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out: Vec<XmlElement> = Vec::new();
    // Indexes of the open elements: text belongs to the innermost.
    let mut open: Vec<usize> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("malformed XML: {e}\n{xml}"));
        if let Event::Start(_) = &event {
            open.push(out.len());
        }
        match event {
            Event::End(_) => {
                open.pop();
            }
            Event::Start(e) | Event::Empty(e) => out.push((
                e.local_name().as_ref().to_owned(),
                e.attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            a.key.as_ref().to_owned(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect(),
                String::new(),
            )),
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].2.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.xml10_content().as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unknown entity {other}"),
                };
                if let Some(&i) = open.last() {
                    out[i].2.push_str(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

pub fn attr<'a>(els: &'a [XmlElement], element: &str, name: &str) -> &'a str {
    els.iter()
        .find(|e| e.0 == element)
        .and_then(|e| e.1.iter().find(|a| a.0 == name))
        .map(|a| a.1.as_str())
        .unwrap_or_else(|| panic!("no {element}@{name}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_package_is_refused_before_release_stamped_as_a_draft_and_complete_after_release() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let (show, episode) = at_release_gate(&app).await;
    let out = tempfile::tempdir().unwrap();

    // Not released, no draft asked for: refused, nothing written.
    let target = out.path().join("pkg");
    let refused = export::export(&app, &episode.id, &target, false).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotReleased, "{}", refused.message);
    assert!(
        entries(out.path()).is_empty(),
        "nothing left behind: {:?}",
        entries(out.path())
    );

    // A draft: every file name and every file says DRAFT.
    let draft = export::export_into(&app, &episode.id, out.path(), true).await.unwrap();
    assert!(draft.draft && draft.feed.is_none());
    assert!(draft.folder.ends_with("-DRAFT"), "{}", draft.folder);
    assert_eq!(draft.files.len(), 8);
    for f in &draft.files {
        assert!(f.name.contains("-DRAFT."), "{}", f.name);
        let bytes = std::fs::read(Path::new(&draft.folder).join(&f.name)).unwrap();
        let says_draft = bytes.windows(5).any(|w| w == b"DRAFT");
        assert!(says_draft, "{} does not say DRAFT", f.name);
    }
    let tag = id3::Tag::read_from_path(Path::new(&draft.folder).join("episode-DRAFT.mp3")).unwrap();
    use id3::TagLike;
    assert!(tag.title().unwrap().starts_with("DRAFT: "), "{:?}", tag.title());

    // The show keeps a feed; the release goes into it.
    let feed_dir = tempfile::tempdir().unwrap();
    let settings = FeedSettings {
        folder: feed_dir.path().display().to_string(),
        base_url: "https://example.org/harbour/".into(),
        title: "Harbour Lights & <Friends>".into(),
        description: "Stories of the coast.".into(),
        author: "Ana".into(),
        artwork_url: None,
        language: "en".into(),
        category: "History".into(),
    };
    let bad = feed::set_feed_settings(
        &app,
        &show.id,
        FeedSettings {
            base_url: "ftp://x".into(),
            ..settings.clone()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidInput);
    feed::set_feed_settings(&app, &show.id, settings).await.unwrap();
    release::approve_release(&app, &episode.id, "ship it").await.unwrap();
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::Released);

    let feed_xml = std::fs::read_to_string(feed_dir.path().join("feed.xml")).expect("the release wrote feed.xml");
    let els = xml_elements(&feed_xml);
    assert_eq!(els.iter().filter(|e| e.0 == "item").count(), 1);
    assert_eq!(
        els.iter().find(|e| e.0 == "title").unwrap().2,
        "Harbour Lights & <Friends>"
    );
    let url = attr(&els, "enclosure", "url").to_owned();
    let folder = url
        .strip_prefix("https://example.org/harbour/")
        .and_then(|r| r.strip_suffix("/episode.mp3"))
        .unwrap_or_else(|| panic!("enclosure {url}"));
    let mp3 = feed_dir.path().join(folder).join("episode.mp3");
    assert_eq!(
        attr(&els, "enclosure", "length"),
        std::fs::metadata(&mp3).unwrap().len().to_string(),
        "the enclosure length is the file's"
    );

    // The released package: everything parses back.
    let package = out.path().join("released");
    let exported = export::export(&app, &episode.id, &package, false).await.unwrap();
    assert!(!exported.draft);
    let vtt = std::fs::read_to_string(package.join("transcript.vtt")).unwrap();
    let cues = read_vtt(&vtt).unwrap();
    let master = release::get_release(&app, &episode.id).await.unwrap().master;
    assert_eq!(cues.len(), master.cues.len());
    assert_eq!(cues[0].identifier.as_deref(), Some(master.cues[0].line_id.as_str()));
    assert_eq!(cues[0].speaker.as_deref(), Some(master.cues[0].speaker.as_str()));
    assert_eq!(
        read_srt(&std::fs::read_to_string(package.join("transcript.srt")).unwrap())
            .unwrap()
            .len(),
        master.cues.len()
    );
    let chapters: serde_json::Value =
        serde_json::from_slice(&std::fs::read(package.join("chapters.json")).unwrap()).unwrap();
    assert_eq!(chapters["version"], "1.2.0");
    assert_eq!(chapters["chapters"][0]["startTime"], 0.0);
    assert!(chapters["chapters"][0]["title"].is_string());
    let item = xml_elements(&std::fs::read_to_string(package.join("item.xml")).unwrap());
    assert_eq!(attr(&item, "enclosure", "type"), "audio/mpeg");
    assert_eq!(attr(&item, "transcript", "type"), "text/vtt");
    assert_eq!(attr(&item, "chapters", "type"), "application/json+chapters");
    let tag = id3::Tag::read_from_path(package.join("episode.mp3")).unwrap();
    assert_eq!(tag.chapters().count(), chapters["chapters"].as_array().unwrap().len());
    let html = std::fs::read_to_string(package.join("show-notes.html")).unwrap();
    assert!(html.contains("<h2>Chapters</h2>") && !html.contains("DRAFT"));

    // Exporting again updates the episode's item in the feed rather than adding a second one.
    let again = export::export(&app, &episode.id, &package, false).await.unwrap();
    assert!(again.feed.is_some());
    let feed_xml = std::fs::read_to_string(feed_dir.path().join("feed.xml")).unwrap();
    assert_eq!(xml_elements(&feed_xml).iter().filter(|e| e.0 == "item").count(), 1);
    assert!(
        entries(feed_dir.path())
            .iter()
            .all(|n| !n.ends_with(".partial") && !n.ends_with(".old")),
        "{:?}",
        entries(feed_dir.path())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_that_cannot_be_written_is_a_coded_error_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let (_, episode) = at_release_gate(&app).await;
    let out = tempfile::tempdir().unwrap();

    // Under a file: no folder can be made there (tests run as root too, so permissions would not stop it).
    std::fs::write(out.path().join("a-file"), b"x").unwrap();
    let e = export::export(&app, &episode.id, &out.path().join("a-file").join("pkg"), true)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::TargetNotWritable, "{}", e.message);

    // A folder holding someone else's files is not replaced.
    let theirs = out.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("notes.txt"), b"mine").unwrap();
    let e = export::export(&app, &episode.id, &theirs, true).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::TargetNotWritable, "{}", e.message);
    assert_eq!(entries(&theirs), ["notes.txt"]);
    assert_eq!(entries(out.path()), ["a-file", "theirs"], "no temporary folder is left");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_waveform_is_computed_once_and_then_read_from_its_cache() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let (_, episode) = at_release_gate(&app).await;
    let first = waveform::get_waveform(&app, &episode.id).await.unwrap();
    let gate = release::get_release(&app, &episode.id).await.unwrap();
    assert_eq!(first.min.len(), showrunner_audio::WAVEFORM_BUCKETS.min(first.min.len()));
    assert!(first.min.len() > 100 && first.min.len() == first.max.len());
    assert!(first.max.iter().any(|&m| m > 0.05), "speech shows up in the peaks");
    assert!(first.min.iter().zip(&first.max).all(|(lo, hi)| lo <= hi));
    assert!(first.duration_ms.abs_diff(gate.master.duration_ms) <= 1);
    assert_eq!(first.chapters[0].start_ms, 0);

    // With the master WAV gone, only the cache can answer.
    std::fs::remove_file(&gate.wav_path).unwrap();
    let second = waveform::get_waveform(&app, &episode.id).await.unwrap();
    assert_eq!(second, first);
}
