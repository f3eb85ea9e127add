//! A producer's sources: stored with their chunks, searched through FTS5 by bm25, removed with their index.

use serde_json::json;
use showrunner_domain::{BrandVoice, Money, NewEpisode, SourceKind, SourceOwner};
use showrunner_store::{NewChunk, NewSource, Store};

fn source(name: &str, chunks: &[(&str, &str)]) -> NewSource {
    NewSource {
        kind: SourceKind::File,
        name: name.into(),
        origin: name.into(),
        format: "markdown".into(),
        fetched_at_ms: None,
        sections: json!([]),
        chars: chunks.iter().map(|(_, t)| t.len() as u32).sum(),
        chunks: chunks
            .iter()
            .map(|(loc, text)| NewChunk {
                location: Some((*loc).into()),
                text: (*text).into(),
            })
            .collect(),
    }
}

async fn episode(store: &Store) -> (showrunner_domain::Show, showrunner_domain::Episode) {
    let show = store.create_show(&BrandVoice::starter("Tides"), 1).await.unwrap();
    let input = NewEpisode {
        show_id: show.id.clone(),
        topic: "Lighthouses".into(),
        target_minutes: 25,
        budget_cap: Money(33_250_000),
        format: Default::default(),
        language: None,
    };
    let episode = store.create_episode(&input, 2).await.unwrap();
    (show, episode)
}

#[tokio::test]
async fn the_bundled_sqlite_has_fts5() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", store.database_path().display()))
        .await
        .unwrap();
    let fts5: i64 = sqlx::query_scalar("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(fts5, 1, "the bundled SQLite must be built with FTS5");
    pool.close().await;
}

#[tokio::test]
async fn search_ranks_the_chunk_that_answers_the_question_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let (_, ep) = episode(&store).await;
    let owner = SourceOwner::Episode(ep.id.clone());
    store
        .add_source(
            &owner,
            &source(
                "keepers.md",
                &[
                    ("§ Food", "The keepers grew vegetables and kept goats on the island."),
                    (
                        "§ The lamp",
                        "Each night the keeper trimmed the lamp wick and wound the clockwork that turned the lens.",
                    ),
                    (
                        "§ Weather",
                        "Storms cut the island off for weeks; the lamp still had to burn.",
                    ),
                ],
            ),
            3,
        )
        .await
        .unwrap();
    store
        .add_source(
            &owner,
            &source(
                "ships.md",
                &[("§ Ships", "Ships counted the flashes to know which light it was.")],
            ),
            4,
        )
        .await
        .unwrap();

    let hits = store
        .search_sources(&ep.id, "How did the keeper tend the lamp wick and the lens?", 3)
        .await
        .unwrap();
    let got: Vec<(&str, Option<&str>)> = hits
        .iter()
        .map(|h| (h.source_name.as_str(), h.location.as_deref()))
        .collect();
    assert_eq!(got[0], ("keepers.md", Some("§ The lamp")), "{hits:#?}");
    assert_eq!(got.len(), 2, "only chunks sharing a word match: {got:?}");

    let listed = store.sources(&owner).await.unwrap();
    assert_eq!(
        listed.iter().map(|s| (s.name.as_str(), s.chunks)).collect::<Vec<_>>(),
        [("keepers.md", 3), ("ships.md", 1)]
    );
    // Another episode's sources never answer this one's search.
    let (_, other) = episode_named(&store, "Other").await;
    assert!(store.search_sources(&other, "lamp", 5).await.unwrap().is_empty());

    assert!(store.remove_source(&owner, &listed[0].id, 5).await.unwrap());
    assert!(
        store.search_sources(&ep.id, "lamp wick", 5).await.unwrap().is_empty(),
        "a removed source leaves the index too"
    );
}

async fn episode_named(store: &Store, show: &str) -> (showrunner_domain::Show, showrunner_domain::EpisodeId) {
    let show = store.create_show(&BrandVoice::starter(show), 1).await.unwrap();
    let input = NewEpisode {
        show_id: show.id.clone(),
        topic: "Other".into(),
        target_minutes: 25,
        budget_cap: Money(33_250_000),
        format: Default::default(),
        language: None,
    };
    let episode = store.create_episode(&input, 2).await.unwrap();
    (show, episode.id)
}

#[tokio::test]
async fn a_shows_standing_sources_are_copied_onto_an_episode() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let (show, ep) = episode(&store).await;
    let standing = SourceOwner::Show(show.id.clone());
    store
        .add_source(
            &standing,
            &source("style.md", &[("§ Voice", "Lighthouse beams reach twenty miles.")]),
            3,
        )
        .await
        .unwrap();
    assert_eq!(store.copy_show_sources(&show.id, &ep.id, 4).await.unwrap(), 1);
    let hits = store.search_sources(&ep.id, "beams", 5).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].source_name, "style.md");
    // Removing the show's source later leaves the episode's copy.
    let show_sources = store.sources(&standing).await.unwrap();
    store.remove_source(&standing, &show_sources[0].id, 5).await.unwrap();
    assert_eq!(
        store.sources(&SourceOwner::Episode(ep.id.clone())).await.unwrap().len(),
        1
    );
    assert_eq!(store.search_sources(&ep.id, "beams", 5).await.unwrap().len(), 1);
}
