//! A producer's sources and their chunks, with the FTS5 index research searches (ranked by bm25).

use showrunner_domain::{EpisodeId, ProducerSource, ShowId, SourceChunk, SourceId, SourceKind, SourceOwner};
use sqlx::types::Text;
use sqlx::{FromRow, Sqlite, Transaction};

use crate::journal::{append, Subject};
use crate::JournalEvent;
use crate::{Store, StoreError};

/// A source read and chunked, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSource {
    pub kind: SourceKind,
    pub name: String,
    pub origin: String,
    pub format: String,
    pub fetched_at_ms: Option<i64>,
    /// The reader's sections as `[{ "location": "p. 1" | null, "text": … }]`.
    pub sections: serde_json::Value,
    pub chars: u32,
    pub chunks: Vec<NewChunk>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChunk {
    pub location: Option<String>,
    pub text: String,
}

/// The most terms a search query keeps: a long question adds noise past this, and FTS5 work grows with it.
const MAX_QUERY_TERMS: usize = 32;

/// Words too common to say anything about which chunk answers a question.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "did", "do", "does", "for", "from", "has", "have", "how", "in",
    "is", "it", "its", "of", "on", "or", "that", "the", "their", "them", "they", "this", "to", "was", "were", "what",
    "when", "where", "which", "who", "whose", "why", "with",
];

/// An FTS5 query matching any of the text's words. Every term is quoted, so nothing a producer or a model
/// writes (`-->`, `NEAR(`, `"`, `*`) is read as query syntax.
pub fn match_query(text: &str) -> Option<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        let word = word.to_lowercase();
        if word.chars().count() < 2 || STOP_WORDS.contains(&word.as_str()) || terms.contains(&word) {
            continue;
        }
        terms.push(word);
        if terms.len() == MAX_QUERY_TERMS {
            break;
        }
    }
    if terms.is_empty() {
        return None;
    }
    Some(
        terms
            .iter()
            .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" OR "),
    )
}

fn owner_columns(owner: &SourceOwner) -> (Option<&str>, Option<&str>) {
    match owner {
        SourceOwner::Episode(id) => (Some(id.as_str()), None),
        SourceOwner::Show(id) => (None, Some(id.as_str())),
    }
}

const SOURCE_COLUMNS: &str = "s.id, s.kind, s.name, s.origin, s.format, s.fetched_at_ms, s.added_at_ms, s.chars,
    json_array_length(s.sections) AS section_count,
    (SELECT COUNT(*) FROM source_chunks c WHERE c.source_id = s.id) AS chunk_count";

/// A source row with its counts (see `SOURCE_COLUMNS`).
#[derive(FromRow)]
struct SourceRow {
    id: String,
    kind: Text<SourceKind>,
    name: String,
    origin: String,
    format: String,
    fetched_at_ms: Option<i64>,
    added_at_ms: i64,
    chars: u32,
    section_count: u32,
    chunk_count: u32,
}

impl From<SourceRow> for ProducerSource {
    fn from(row: SourceRow) -> ProducerSource {
        ProducerSource {
            id: SourceId(row.id),
            kind: row.kind.0,
            name: row.name,
            origin: row.origin,
            format: row.format,
            fetched_at_ms: row.fetched_at_ms,
            added_at_ms: row.added_at_ms,
            chars: row.chars,
            sections: row.section_count,
            chunks: row.chunk_count,
        }
    }
}

/// A chunk with its source's name, kind and origin.
#[derive(FromRow)]
struct ChunkRow {
    source_id: String,
    name: String,
    kind: Text<SourceKind>,
    origin: String,
    ordinal: u32,
    location: Option<String>,
    text: String,
}

impl From<ChunkRow> for SourceChunk {
    fn from(row: ChunkRow) -> SourceChunk {
        SourceChunk {
            source_id: SourceId(row.source_id),
            source_name: row.name,
            kind: row.kind.0,
            origin: row.origin,
            ordinal: row.ordinal,
            location: row.location,
            text: row.text,
        }
    }
}

async fn insert(
    tx: &mut Transaction<'_, Sqlite>,
    owner: &SourceOwner,
    source: &NewSource,
    now_ms: i64,
) -> Result<SourceId, StoreError> {
    let id = SourceId::new();
    let (episode_id, show_id) = owner_columns(owner);
    sqlx::query(
        "INSERT INTO sources (id, episode_id, show_id, kind, name, origin, format, fetched_at_ms, sections, chars, added_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.as_str())
    .bind(episode_id)
    .bind(show_id)
    .bind(source.kind.as_str())
    .bind(&source.name)
    .bind(&source.origin)
    .bind(&source.format)
    .bind(source.fetched_at_ms)
    .bind(source.sections.to_string())
    .bind(source.chars as i64)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    for (ordinal, c) in source.chunks.iter().enumerate() {
        sqlx::query("INSERT INTO source_chunks (source_id, ordinal, location, text) VALUES (?, ?, ?, ?)")
            .bind(id.as_str())
            .bind(ordinal as i64)
            .bind(c.location.as_deref())
            .bind(&c.text)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

impl Store {
    /// Stores a source with its chunks (indexed by the triggers) in one transaction.
    pub async fn add_source(
        &self,
        owner: &SourceOwner,
        source: &NewSource,
        now_ms: i64,
    ) -> Result<ProducerSource, StoreError> {
        let mut tx = self.write().await?;
        let exists = match owner {
            SourceOwner::Episode(id) => sqlx::query("SELECT 1 FROM episodes WHERE id = ?").bind(id.as_str()),
            SourceOwner::Show(id) => sqlx::query("SELECT 1 FROM shows WHERE id = ?").bind(id.as_str()),
        }
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            return Err(match owner {
                SourceOwner::Episode(id) => StoreError::NotFound {
                    what: "Episode",
                    id: id.to_string(),
                },
                SourceOwner::Show(id) => StoreError::UnknownShow(id.to_string()),
            });
        }
        let id = insert(&mut tx, owner, source, now_ms).await?;
        let (episode_id, show_id) = owner_columns(owner);
        append(
            &mut tx,
            now_ms,
            Subject {
                episode_id,
                run_id: None,
            },
            &JournalEvent::SourceAdded {
                source_id: id.clone(),
                show_id: show_id.map(str::to_owned),
                kind: source.kind,
                name: source.name.clone(),
                chunks: source.chunks.len(),
            },
        )
        .await?;
        crate::kill_points::commit(tx).await?;
        self.source(&id).await?.ok_or(StoreError::NotFound {
            what: "Source",
            id: id.to_string(),
        })
    }

    pub async fn source(&self, id: &SourceId) -> Result<Option<ProducerSource>, StoreError> {
        let row = sqlx::query_as::<_, SourceRow>(&format!("SELECT {SOURCE_COLUMNS} FROM sources s WHERE s.id = ?"))
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(ProducerSource::from))
    }

    /// An episode's or a show's sources, in the order they were added.
    pub async fn sources(&self, owner: &SourceOwner) -> Result<Vec<ProducerSource>, StoreError> {
        let (episode_id, show_id) = owner_columns(owner);
        let rows = sqlx::query_as::<_, SourceRow>(&format!(
            "SELECT {SOURCE_COLUMNS} FROM sources s
              WHERE s.episode_id IS ? AND s.show_id IS ? ORDER BY s.added_at_ms, s.rowid"
        ))
        .bind(episode_id)
        .bind(show_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(ProducerSource::from).collect())
    }

    /// Removes a source of `owner` and its chunks; `false` when it has no such source.
    pub async fn remove_source(&self, owner: &SourceOwner, id: &SourceId, now_ms: i64) -> Result<bool, StoreError> {
        let (episode_id, show_id) = owner_columns(owner);
        let mut tx = self.write().await?;
        // The chunks first, one by one through the delete trigger, so the index forgets them too.
        let owned = sqlx::query("SELECT 1 FROM sources WHERE id = ? AND episode_id IS ? AND show_id IS ?")
            .bind(id.as_str())
            .bind(episode_id)
            .bind(show_id)
            .fetch_optional(&mut *tx)
            .await?;
        if owned.is_none() {
            return Ok(false);
        }
        sqlx::query("DELETE FROM source_chunks WHERE source_id = ?")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sources WHERE id = ?")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            now_ms,
            Subject {
                episode_id,
                run_id: None,
            },
            &JournalEvent::SourceRemoved {
                source_id: id.clone(),
                show_id: show_id.map(str::to_owned),
            },
        )
        .await?;
        crate::kill_points::commit(tx).await?;
        Ok(true)
    }

    /// Copies a show's standing sources onto an episode (text and chunks), so the episode keeps what the
    /// show had when it started.
    pub async fn copy_show_sources(&self, show: &ShowId, episode: &EpisodeId, now_ms: i64) -> Result<u32, StoreError> {
        let mut tx = self.write().await?;
        let standing: Vec<String> =
            sqlx::query_scalar("SELECT id FROM sources WHERE show_id = ? ORDER BY added_at_ms, rowid")
                .bind(show.as_str())
                .fetch_all(&mut *tx)
                .await?;
        for old in &standing {
            let new = SourceId::new();
            sqlx::query(
                "INSERT INTO sources (id, episode_id, show_id, kind, name, origin, format, fetched_at_ms, sections, chars, added_at_ms)
                 SELECT ?, ?, NULL, kind, name, origin, format, fetched_at_ms, sections, chars, ? FROM sources WHERE id = ?",
            )
            .bind(new.as_str())
            .bind(episode.as_str())
            .bind(now_ms)
            .bind(old)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO source_chunks (source_id, ordinal, location, text)
                 SELECT ?, ordinal, location, text FROM source_chunks WHERE source_id = ? ORDER BY ordinal",
            )
            .bind(new.as_str())
            .bind(old)
            .execute(&mut *tx)
            .await?;
        }
        if !standing.is_empty() {
            append(
                &mut tx,
                now_ms,
                Subject {
                    episode_id: Some(episode.as_str()),
                    run_id: None,
                },
                &JournalEvent::SourceCopiedFromShow {
                    show_id: show.clone(),
                    sources: standing.len(),
                },
            )
            .await?;
        }
        crate::kill_points::commit(tx).await?;
        Ok(standing.len() as u32)
    }

    /// The episode's chunks that best match `text` (any of its words), best first by bm25.
    pub async fn search_sources(
        &self,
        episode: &EpisodeId,
        text: &str,
        limit: u32,
    ) -> Result<Vec<SourceChunk>, StoreError> {
        let Some(query) = match_query(text) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query_as::<_, ChunkRow>(
            "SELECT c.source_id, c.ordinal, c.location, c.text, s.name, s.kind, s.origin
               FROM source_chunks_fts f
               JOIN source_chunks c ON c.id = f.rowid
               JOIN sources s ON s.id = c.source_id
              WHERE source_chunks_fts MATCH ? AND s.episode_id = ?
              ORDER BY bm25(source_chunks_fts), c.id
              LIMIT ?",
        )
        .bind(query)
        .bind(episode.as_str())
        .bind(limit as i64)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(SourceChunk::from).collect())
    }

    /// Every chunk of an episode's sources, in source then document order.
    pub async fn source_chunks(&self, episode: &EpisodeId) -> Result<Vec<SourceChunk>, StoreError> {
        let rows = sqlx::query_as::<_, ChunkRow>(
            "SELECT c.source_id, c.ordinal, c.location, c.text, s.name, s.kind, s.origin
               FROM source_chunks c JOIN sources s ON s.id = c.source_id
              WHERE s.episode_id = ? ORDER BY s.added_at_ms, s.rowid, c.ordinal",
        )
        .bind(episode.as_str())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(SourceChunk::from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_terms_are_quoted_so_nothing_is_syntax() {
        assert_eq!(
            match_query("What did the \"keeper\" do --> NEAR(lamp*)?").as_deref(),
            Some("\"keeper\" OR \"near\" OR \"lamp\"")
        );
        assert_eq!(match_query("the of -- ?"), None);
    }
}
