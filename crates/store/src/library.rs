//! The library: episodes found by words in their topic or current script (FTS5, migration `0009`), by show
//! and by status, sorted and paged. The page's ids are chosen first and only those rows get the Episodes
//! list's figures (spend, length), so a page costs the same in a library of ten or ten thousand.

use showrunner_domain::{Episode, EpisodeId, EpisodeStatus, LibraryOrder, ShowId};
use sqlx::query::QueryScalar;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{FromRow, Sqlite};

use crate::episodes::SELECT as EPISODE_SELECT;
use crate::rows::EpisodeRow;
use crate::{Store, StoreError};

#[derive(Debug, Clone, Default)]
pub struct LibraryQuery {
    /// Words a producer typed; see [`match_expression`].
    pub text: Option<String>,
    pub show_id: Option<ShowId>,
    pub status: Option<EpisodeStatus>,
    pub sort: LibraryOrder,
    pub limit: u32,
    pub offset: u32,
}

#[derive(Debug, Clone)]
pub struct LibraryPage {
    pub episodes: Vec<Episode>,
    /// Every episode the filters match, across pages.
    pub total: u64,
}

/// Turns typed words into an FTS5 expression that cannot be a syntax error: each word quoted, all required,
/// the last a prefix (so results follow the typing). `None` when nothing searchable was typed.
pub fn match_expression(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let (last, rest) = words.split_last()?;
    let mut terms: Vec<String> = rest.iter().map(|w| format!("\"{w}\"")).collect();
    terms.push(format!("\"{last}\"*"));
    Some(terms.join(" "))
}

/// A one-column query with the filters bound in the order `search_library` wrote their placeholders.
fn bind_filters<'q, O>(
    sql: &'q str,
    expression: Option<&str>,
    query: &LibraryQuery,
) -> QueryScalar<'q, Sqlite, O, SqliteArguments<'q>>
where
    (O,): for<'r> FromRow<'r, SqliteRow>,
{
    let mut q = sqlx::query_scalar(sql);
    if let Some(e) = expression {
        q = q.bind(e.to_owned());
    }
    if let Some(show) = &query.show_id {
        q = q.bind(show.as_str().to_owned());
    }
    if let Some(status) = query.status {
        q = q.bind(status.as_str());
    }
    q
}

impl Store {
    pub async fn search_library(&self, query: &LibraryQuery) -> Result<LibraryPage, StoreError> {
        let expression = query.text.as_deref().and_then(match_expression);
        let mut from = String::from("FROM episodes e JOIN shows s ON s.id = e.show_id");
        let mut filters = Vec::new();
        if expression.is_some() {
            from.push_str(
                " JOIN episode_search_docs d ON d.episode_id = e.id JOIN episode_search f ON f.rowid = d.doc",
            );
            filters.push("episode_search MATCH ?");
        }
        if query.show_id.is_some() {
            filters.push("e.show_id = ?");
        }
        if query.status.is_some() {
            filters.push("e.status = ?");
        }
        let filter = if filters.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", filters.join(" AND "))
        };
        let order = match (query.sort, expression.is_some()) {
            (LibraryOrder::Relevance, true) => "f.rank, e.created_at_ms DESC",
            (LibraryOrder::Relevance | LibraryOrder::Newest, _) => "e.created_at_ms DESC",
            (LibraryOrder::Oldest, _) => "e.created_at_ms ASC",
            (LibraryOrder::Topic, _) => "e.topic COLLATE NOCASE ASC, e.created_at_ms DESC",
            (LibraryOrder::Show, _) => "s.name COLLATE NOCASE ASC, e.created_at_ms DESC",
            (LibraryOrder::Spent, _) => "COALESCE(sp.spent, 0) DESC, e.created_at_ms DESC",
        };
        if query.sort == LibraryOrder::Spent {
            from.push_str(
                " LEFT JOIN (SELECT r.episode_id, SUM(c.cost) AS spent FROM provider_calls c
                               JOIN runs r ON r.id = c.run_id GROUP BY r.episode_id) sp ON sp.episode_id = e.id",
            );
        }
        // The id breaks every tie, so a page never repeats or skips an episode between requests.
        let page_sql = format!("SELECT e.id {from}{filter} ORDER BY {order}, e.id LIMIT ? OFFSET ?");
        let count_sql = format!("SELECT COUNT(*) {from}{filter}");

        let ids: Vec<String> = bind_filters(&page_sql, expression.as_deref(), query)
            .bind(i64::from(query.limit))
            .bind(i64::from(query.offset))
            .fetch_all(self.pool())
            .await?;
        let total: i64 = bind_filters(&count_sql, expression.as_deref(), query)
            .fetch_one(self.pool())
            .await?;

        let rows = sqlx::query_as::<_, EpisodeRow>(&format!(
            "{EPISODE_SELECT} WHERE e.id IN (SELECT value FROM json_each(?))"
        ))
        .bind(serde_json::to_string(&ids)?)
        .fetch_all(self.pool())
        .await?;
        let mut found: Vec<Episode> = rows.into_iter().map(Episode::from).collect();
        let place = |id: &EpisodeId| ids.iter().position(|i| i == id.as_str());
        found.sort_by_key(|e| place(&e.id));
        Ok(LibraryPage {
            episodes: found,
            total: total.max(0) as u64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::match_expression;

    #[test]
    fn typed_words_become_quoted_terms_with_a_prefix_last() {
        assert_eq!(match_expression("fog horn").as_deref(), Some("\"fog\" \"horn\"*"));
        // Quotes and FTS operators a producer types are word breaks, never syntax.
        assert_eq!(
            match_expression("\"NEAR(x\" OR-y").as_deref(),
            Some("\"NEAR\" \"x\" \"OR\" \"y\"*")
        );
        assert_eq!(match_expression("  ,; "), None);
    }
}
