//! Several episodes started together (the app's queue, the CLI's `produce --batch`): every row is checked
//! first, then the valid ones start, and each row gets its own result, so one bad row costs no other.
//!
//! A row without a format or a language takes its show's default. A language Showrunner does not make is
//! refused on its row rather than silently ignored. A row's sources are read
//! when its episode starts; a file that is not there is refused on its row before any episode starts.

use serde::{Deserialize, Serialize};
use showrunner_domain::{Episode, EpisodeFormat, Language, Money, NewEpisode, Show, ShowId, ValidationErrors};
use ts_rs::TS;

use crate::estimate::{estimate_cost, CostEstimate, EstimateRequest};
use crate::sources::SourceInput;
use crate::{episodes, ApiError, App, ErrorCode};

/// One episode of a batch, as the producer filled it in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BatchRow {
    pub show_id: ShowId,
    pub topic: String,
    pub target_minutes: u32,
    pub budget_cap: Money,
    /// The episode's format; `None` takes the show's default.
    #[serde(default)]
    pub format: Option<EpisodeFormat>,
    /// The episode's language as the producer typed it (a code or a name); empty or `None` takes the show's
    /// default.
    #[serde(default)]
    pub language: Option<String>,
    /// Files, web pages and notes the episode is researched from (the show's standing sources are added too).
    #[serde(default)]
    pub sources: Vec<SourceInput>,
    /// The producer has seen that the estimate exceeds the cap and starts anyway.
    #[serde(default)]
    pub over_cap_confirmed: bool,
}

/// What happened to one row: the episode it started, or why it did not start.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BatchRowResult {
    /// The row's place in the batch, from 0.
    pub index: u32,
    pub episode: Option<Episode>,
    pub estimate: Option<CostEstimate>,
    pub error: Option<ApiError>,
}

impl BatchRow {
    /// The episode this row starts for `show` (whose default format and language a row without one takes).
    pub fn new_episode(&self, show: &Show) -> NewEpisode {
        NewEpisode {
            show_id: self.show_id.clone(),
            topic: self.topic.trim().to_owned(),
            target_minutes: self.target_minutes,
            budget_cap: self.budget_cap,
            format: self.format.unwrap_or(show.brand.default_format),
            language: Some(self.language().unwrap_or(show.brand.default_language)),
        }
    }

    /// The row's language, when it names one Showrunner makes.
    fn language(&self) -> Option<Language> {
        self.language.as_deref().and_then(Language::parse)
    }

    /// The row's field errors that need no show, the language column's included, all at once.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let draft = NewEpisode {
            show_id: self.show_id.clone(),
            topic: self.topic.clone(),
            target_minutes: self.target_minutes,
            budget_cap: self.budget_cap,
            format: self.format.unwrap_or_default(),
            language: None,
        };
        let mut errors = match draft.validate() {
            Ok(()) => ValidationErrors::default(),
            Err(e) => e,
        };
        if let Some(typed) = self.language.as_deref().filter(|l| !l.trim().is_empty()) {
            if let Err(unknown) = typed.parse::<Language>() {
                errors.add("language", format!("{unknown}."));
            }
        }
        // Only what can be told without reading: a page is fetched, and a file read, when the episode starts.
        let missing: Vec<String> = self
            .sources
            .iter()
            .filter(|s| matches!(s, SourceInput::File { path } if !std::path::Path::new(path).is_file()))
            .map(SourceInput::shown_name)
            .collect();
        if !missing.is_empty() {
            errors.add("sources", format!("No such file: {}.", missing.join(", ")));
        }
        errors.into_result()
    }
}

/// Checks one row without starting it: its fields, its show (and the format against the show's hosts),
/// and its estimate against its cap. Gives the episode it would start with its estimate.
pub async fn check_row(app: &App, row: &BatchRow) -> Result<(NewEpisode, CostEstimate), ApiError> {
    row.validate()?;
    let Some(show) = app.store().show(&row.show_id).await? else {
        return Err(ApiError::field(
            ErrorCode::NotFound,
            "show_id",
            "Pick a show: the one selected no longer exists.",
        ));
    };
    let episode = row.new_episode(&show);
    episode.validate()?;
    episode.check_cast(show.brand.hosts.len())?;
    let request = EstimateRequest {
        target_minutes: row.target_minutes,
        budget_cap: row.budget_cap,
        format: Some(episode.format),
        show_id: Some(show.id.clone()),
        sources: row.sources.clone(),
    };
    let estimate = estimate_cost(app, &request).await?;
    if estimate.total > row.budget_cap && !row.over_cap_confirmed {
        return Err(over_cap(&estimate, row.budget_cap));
    }
    Ok((episode, estimate))
}

/// The refusal of a run expected to cost more than its cap, with both figures for the confirm.
pub fn over_cap(estimate: &CostEstimate, cap: Money) -> ApiError {
    ApiError {
        code: ErrorCode::EstimateOverCap,
        message: format!(
            "The estimate ({}) is more than the budget cap ({cap}): raise the cap, or confirm to start anyway.",
            estimate.total
        ),
        details: Some(serde_json::json!({ "estimate": estimate.total, "budget_cap": cap })),
    }
}

/// Checks every row, then starts the valid ones in order. Never fails as a whole for one row's sake.
pub async fn start_episodes(app: &App, rows: Vec<BatchRow>) -> Result<Vec<BatchRowResult>, ApiError> {
    let mut checked = Vec::with_capacity(rows.len());
    for row in &rows {
        checked.push(check_row(app, row).await);
    }
    let mut results = Vec::with_capacity(rows.len());
    for (index, (row, check)) in rows.iter().zip(checked).enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let result = match check {
            Ok((episode, estimate)) => match episodes::start_episode_with_sources(app, episode, &row.sources).await {
                Ok(episode) => BatchRowResult {
                    index,
                    episode: Some(episode),
                    estimate: Some(estimate),
                    error: None,
                },
                Err(error) => BatchRowResult {
                    index,
                    episode: None,
                    estimate: Some(estimate),
                    error: Some(error),
                },
            },
            Err(error) => BatchRowResult {
                index,
                episode: None,
                estimate: None,
                error: Some(error),
            },
        };
        results.push(result);
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> BatchRow {
        BatchRow {
            show_id: ShowId::new(),
            topic: "Tides".into(),
            target_minutes: 2,
            budget_cap: Money::parse_dollars("5").unwrap(),
            format: None,
            language: None,
            sources: vec![],
            over_cap_confirmed: false,
        }
    }

    fn fields(row: &BatchRow) -> Vec<String> {
        row.validate()
            .err()
            .map(|e| e.errors.into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_language_showrunner_does_not_make_and_a_brief_too_long_are_refused_by_name() {
        assert!(fields(&row()).is_empty());
        let here = tempfile::NamedTempFile::new().unwrap();
        let blank = BatchRow {
            format: Some(EpisodeFormat::Brief),
            language: Some("EN".into()),
            sources: vec![
                SourceInput::File {
                    path: here.path().display().to_string(),
                },
                SourceInput::Note {
                    text: "Tides turn.".into(),
                },
            ],
            ..row()
        };
        assert!(
            fields(&blank).is_empty(),
            "a 2-minute brief, English and a file that is there pass"
        );
        let german = BatchRow {
            language: Some("Deutsch".into()),
            ..row()
        };
        assert!(fields(&german).is_empty(), "German is made end to end");
        let unknown = BatchRow {
            topic: "".into(),
            target_minutes: 9,
            format: Some(EpisodeFormat::Brief),
            language: Some("ja".into()),
            sources: vec![SourceInput::File {
                path: "no/such/notes.md".into(),
            }],
            ..row()
        };
        assert_eq!(fields(&unknown), ["topic", "format", "language", "sources"]);
        let refused = unknown.validate().unwrap_err();
        assert!(
            refused.errors[3].message.contains("notes.md"),
            "{:?}",
            refused.errors[3]
        );
        assert!(
            refused.errors[2].message.contains("'ja' is not a language")
                && refused.errors[2].message.contains("de (German)"),
            "the refusal names the languages there are: {:?}",
            refused.errors[2]
        );
    }

    #[test]
    fn a_row_without_a_language_takes_the_shows_and_one_with_a_language_keeps_it() {
        let mut show = Show {
            id: ShowId::new(),
            brand: showrunner_domain::BrandVoice::starter("Tides"),
            created_at_ms: 0,
            updated_at_ms: 0,
        };
        show.brand.default_language = Language::French;
        assert_eq!(row().new_episode(&show).language, Some(Language::French));
        let spanish = BatchRow {
            language: Some("es".into()),
            ..row()
        };
        assert_eq!(spanish.new_episode(&show).language, Some(Language::Spanish));
    }
}
