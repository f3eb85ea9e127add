//! A producer's sources end to end, offline: an episode made from a Markdown file and a PDF speaks their
//! sentences, cites them by page and section, and lists them in its show notes; a file that cannot be read
//! is refused by name with the others kept; hostile sources are handled.

use std::path::{Path, PathBuf};

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Object, Stream};
use showrunner_api::domain::artifacts::{ResearchPackage, Script};
use showrunner_api::domain::{ArtifactKind, Episode, EpisodeStatus, Money, NewEpisode, Show};
use showrunner_api::sources::{self, SourceInput};
use showrunner_api::{episodes, export, script, App, ErrorCode};

use super::{assert_status, open, settle, show};

const MARKDOWN: &str = "# Keeping the light\n\n\
## The lamp\n\n\
Each night the keeper trimmed the wick and polished the great Fresnel lens until it gleamed. \
The lamp burned whale oil until the 1870s, when kerosene took its place along the coast.\n\n\
## Life on the rock\n\n\
Keepers grew vegetables in sheltered gardens and kept goats for milk on the bare island. \
Supply boats came once a month, weather permitting, and storms sometimes delayed them for weeks.\n";

const PDF_PAGES: [&str; 2] = [
    "Ships counted the flashes of each lighthouse to know exactly which light they were seeing.",
    "Fog signals such as bells and horns warned ships when the beam could not pierce the mist.",
];

/// A PDF with one line of Helvetica text per page, built with lopdf's writer.
fn pdf(pages: &[&str]) -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for text in pages {
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 700.into()]),
                Operation::new("Tj", vec![Object::string_literal(*text)]),
                Operation::new("ET", vec![]),
            ],
        };
        let stream = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => stream,
            "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn file(path: &Path) -> SourceInput {
    SourceInput::File {
        path: path.display().to_string(),
    }
}

fn new_episode(show: &Show, topic: &str) -> NewEpisode {
    NewEpisode {
        show_id: show.id.clone(),
        topic: topic.into(),
        target_minutes: 1,
        budget_cap: Money::from_micros(33_250_000),
        format: Default::default(),
        language: None,
    }
}

async fn research(app: &App, episode: &Episode) -> ResearchPackage {
    let run = episodes::episode(app, &episode.id).await.unwrap().run_id.unwrap();
    let record = app
        .store()
        .latest_artifact(&run, ArtifactKind::ResearchPackage)
        .await
        .unwrap()
        .expect("a research package");
    serde_json::from_value(record.content).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_offline_episode_from_a_markdown_file_and_a_pdf_speaks_and_cites_them() {
    let dir = tempfile::tempdir().unwrap();
    let docs = tempfile::tempdir().unwrap();
    let md = write(docs.path(), "keepers.md", MARKDOWN.as_bytes());
    let pdf_path = write(docs.path(), "signals.pdf", &pdf(&PDF_PAGES));
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;

    let episode = episodes::start_episode_with_sources(
        &app,
        new_episode(&show, "How lighthouse keepers kept the lamp and warned ships"),
        &[file(&md), file(&pdf_path)],
    )
    .await
    .expect("the episode starts with its sources");
    let listed = sources::list_episode_sources(&app, &episode.id).await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|s| (s.name.as_str(), s.format.as_str()))
            .collect::<Vec<_>>(),
        [("keepers.md", "markdown"), ("signals.pdf", "pdf")]
    );
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingScriptSignoff);

    // The facts are the documents' own sentences, each cited to its file with the page or section.
    let package = research(&app, &episode).await;
    let cited: Vec<(String, String, String)> = package
        .facts
        .iter()
        .flat_map(|f| {
            f.sources.iter().filter(|s| s.source_id.is_some()).map(|s| {
                (
                    f.statement.clone(),
                    s.title.clone(),
                    s.location.clone().unwrap_or_default(),
                )
            })
        })
        .collect();
    assert!(
        cited.iter().any(|(statement, title, loc)| title == "keepers.md"
            && loc.starts_with("§ ")
            && MARKDOWN.contains(statement.as_str())),
        "a fact quotes the Markdown with its section: {cited:#?}"
    );
    assert!(
        cited.iter().any(|(statement, title, loc)| title == "signals.pdf"
            && loc.starts_with("p. ")
            && PDF_PAGES.iter().any(|p| p == statement)),
        "a fact quotes the PDF with its page: {cited:#?}"
    );
    // The page is the one the sentence is on.
    for (statement, title, loc) in &cited {
        if title == "signals.pdf" {
            let page = PDF_PAGES.iter().position(|p| p == statement).unwrap() + 1;
            assert_eq!(loc, &format!("p. {page}"));
        }
    }

    // The script speaks those sentences, and its fact references resolve to them.
    let view = script::get_script(&app, &episode.id).await.unwrap();
    let script: Script = serde_json::from_value(serde_json::to_value(&view.script).unwrap()).unwrap();
    let spoken: String = script
        .segments
        .iter()
        .flat_map(|s| s.lines.iter().map(|l| l.text.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    let from_docs = [
        "trimmed the wick",
        "whale oil",
        "counted the flashes",
        "Fog signals",
        "vegetables",
        "Supply boats",
    ];
    let lower = spoken.to_lowercase();
    let heard: Vec<&str> = from_docs
        .iter()
        .copied()
        .filter(|p| lower.contains(&p.to_lowercase()))
        .collect();
    assert!(
        heard.len() >= 2,
        "the script speaks the documents' content: heard {heard:?} in\n{spoken}"
    );
    for line in script.segments.iter().flat_map(|s| &s.lines) {
        for fact in &line.facts {
            assert!(
                package.fact(fact).is_some(),
                "line {} cites {fact}, which the research lacks",
                line.id
            );
        }
    }
    assert!(
        spoken.to_lowercase().contains("rehearsal"),
        "still labelled the rehearsal writer"
    );

    // The show notes list both files and cite the page or section.
    script::approve_script(&app, &episode.id, "").await.unwrap();
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingRelease);
    let out = tempfile::tempdir().unwrap();
    let package_dir = export::export_into(&app, &episode.id, out.path(), true).await.unwrap();
    let notes = std::fs::read_to_string(Path::new(&package_dir.folder).join("show-notes-DRAFT.md")).unwrap();
    assert!(notes.contains("## Source material"), "{notes}");
    assert!(
        notes.contains("- keepers\\.md") && notes.contains("- signals\\.pdf"),
        "{notes}"
    );
    assert!(
        notes.contains("p\\. 1") || notes.contains("p\\. 2") || notes.contains("§"),
        "{notes}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_file_is_refused_by_name_and_the_others_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let docs = tempfile::tempdir().unwrap();
    let good = write(docs.path(), "keepers.md", MARKDOWN.as_bytes());
    let broken = write(docs.path(), "broken.pdf", b"this is not a PDF at all");
    let missing = docs.path().join("missing.txt");
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;

    // At start: refused, naming the file, and nothing is created.
    let refused =
        episodes::start_episode_with_sources(&app, new_episode(&show, "Lighthouses"), &[file(&good), file(&broken)])
            .await
            .unwrap_err();
    assert_eq!(refused.code, ErrorCode::SourceUnreadable, "{}", refused.message);
    assert!(refused.message.contains("broken.pdf"), "{}", refused.message);
    assert!(
        episodes::list_episodes(&app).await.unwrap().is_empty(),
        "nothing was started"
    );

    // On an episode: the good one is added, each bad one refused with its own code and name.
    let episode = episodes::start_episode(&app, new_episode(&show, "Lighthouses"))
        .await
        .unwrap();
    let added = sources::add_episode_sources(&app, &episode.id, &[file(&broken), file(&good), file(&missing)])
        .await
        .unwrap();
    assert_eq!(
        added.added.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["keepers.md"]
    );
    let refusals: Vec<(&str, ErrorCode)> = added.refused.iter().map(|r| (r.name.as_str(), r.error.code)).collect();
    assert_eq!(
        refusals,
        [
            ("broken.pdf", ErrorCode::SourceUnreadable),
            ("missing.txt", ErrorCode::SourceUnreadable)
        ]
    );
    assert!(added.refused.iter().all(|r| r.error.message.contains(&r.name)));
    assert_eq!(sources::list_episode_sources(&app, &episode.id).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_sources_are_refused_or_kept_intact() {
    let dir = tempfile::tempdir().unwrap();
    let docs = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let episode = episodes::start_episode(&app, new_episode(&show, "Lighthouses"))
        .await
        .unwrap();

    // Larger than the limit: refused by its size before it is read.
    let limit = app.source_limits().max_bytes as usize;
    let huge = write(docs.path(), "huge.txt", &vec![b'a'; limit + 1]);
    // Binary behind a text name.
    let binary = write(docs.path(), "image.md", b"\x89PNG\r\n\x1a\n\0\0\0binary");
    let odd =
        "Keeper's log --> <script>alert(1)</script> \u{202e}evil\u{202c} zero\u{200b}width café e\u{301} 灯台 🚢 \
               \"quoted\" NEAR(lamp*) AND OR NOT.";
    let added = sources::add_episode_sources(
        &app,
        &episode.id,
        &[file(&huge), file(&binary), SourceInput::Note { text: odd.into() }],
    )
    .await
    .unwrap();
    let refusals: Vec<(&str, ErrorCode)> = added.refused.iter().map(|r| (r.name.as_str(), r.error.code)).collect();
    assert_eq!(
        refusals,
        [
            ("huge.txt", ErrorCode::SourceTooLarge),
            ("image.md", ErrorCode::SourceUnreadable)
        ]
    );
    assert_eq!(added.added.len(), 1);
    assert!(
        added.added[0].name.starts_with("Note: Keeper's log -->"),
        "{}",
        added.added[0].name
    );

    // The note's text is kept whole and searchable, and query syntax in a search is only words.
    for query in ["café", "灯台", "-->", "NEAR(lamp*)", "\"", "script"] {
        let hits = app.store().search_sources(&episode.id, query, 5).await.unwrap();
        if query == "-->" || query == "\"" {
            assert!(hits.is_empty(), "{query}");
        } else {
            assert_eq!(hits.len(), 1, "{query}");
            assert!(
                hits[0].text.contains("\u{202e}evil") && hits[0].text.contains("🚢"),
                "{:?}",
                hits[0].text
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shows_standing_sources_join_each_episode_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let docs = tempfile::tempdir().unwrap();
    let md = write(docs.path(), "keepers.md", MARKDOWN.as_bytes());
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let added = sources::add_show_sources(&app, &show.id, &[file(&md)]).await.unwrap();
    assert_eq!(added.added.len(), 1);
    let first = episodes::start_episode(&app, new_episode(&show, "Lighthouses"))
        .await
        .unwrap();
    assert_eq!(
        sources::list_episode_sources(&app, &first.id).await.unwrap()[0].name,
        "keepers.md"
    );
    sources::remove_show_source(&app, &show.id, &added.added[0].id)
        .await
        .unwrap();
    let second = episodes::start_episode(&app, new_episode(&show, "Fog horns"))
        .await
        .unwrap();
    assert!(sources::list_episode_sources(&app, &second.id)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        sources::list_episode_sources(&app, &first.id).await.unwrap().len(),
        1,
        "an episode keeps what the show had when it started"
    );
}

/// Serves each request on its own connection with the next of `answers` (status line, content type, body).
fn serve(answers: Vec<(&'static str, &'static str, Vec<u8>)>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for (status, content_type, body) in answers {
            let Ok((mut stream, _)) = listener.accept() else { return };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    address
}

#[tokio::test(flavor = "multi_thread")]
async fn a_web_page_is_fetched_once_named_by_its_title_and_a_404_or_binary_body_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let episode = episodes::start_episode(&app, new_episode(&show, "Tides"))
        .await
        .unwrap();
    let page = b"<html><head><title>Why tides turn</title></head><body><nav>Home</nav><article><h1>Tides</h1>\
<p>The Moon's pull raises two bulges of water on opposite sides of the Earth.</p></article></body></html>"
        .to_vec();
    let base = serve(vec![
        ("200 OK", "text/html; charset=utf-8", page),
        ("404 Not Found", "text/html", b"<html><body>gone</body></html>".to_vec()),
        ("200 OK", "image/png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
    ]);
    let url = |path: &str| SourceInput::Url {
        url: format!("{base}/{path}"),
    };
    let added = sources::add_episode_sources(&app, &episode.id, &[url("tides")])
        .await
        .unwrap();
    assert!(added.refused.is_empty(), "{:?}", added.refused);
    let page = &added.added[0];
    assert_eq!(page.name, "Why tides turn");
    assert_eq!(page.origin, format!("{base}/tides"));
    assert!(page.fetched_at_ms.is_some_and(|t| t > 0));
    let hits = app.store().search_sources(&episode.id, "Moon bulges", 3).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        !hits[0].text.contains("Home"),
        "navigation is not the page's text: {:?}",
        hits[0].text
    );

    for (path, code) in [
        ("gone", ErrorCode::SourceUnreachable),
        ("image", ErrorCode::SourceUnreadable),
    ] {
        let added = sources::add_episode_sources(&app, &episode.id, &[url(path)])
            .await
            .unwrap();
        let refusal = &added.refused[0];
        assert_eq!(refusal.error.code, code, "{path}: {}", refusal.error.message);
        assert!(
            refusal.error.message.contains(&format!("{base}/{path}")),
            "{}",
            refusal.error.message
        );
    }
}
