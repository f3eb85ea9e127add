//! Decoding stored rows into domain records. A value the code does not recognise is reported as damage,
//! never guessed at.

use showrunner_domain::{
    ArtifactId, Episode, EpisodeFormat, EpisodeId, Money, ParkReason, Route, RunId, ShowId, StageId,
};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use crate::{ArtifactRecord, AttemptRecord, RunRecord, StoreError};

fn text(row: &SqliteRow, column: &str) -> Result<String, StoreError> {
    Ok(row.try_get(column)?)
}

fn parse<T>(value: &str, what: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(value).ok_or_else(|| StoreError::corrupt(format!("unknown {what} '{value}'")))
}

pub(crate) fn run(row: &SqliteRow) -> Result<RunRecord, StoreError> {
    let park: Option<String> = row.try_get("park")?;
    Ok(RunRecord {
        id: RunId(text(row, "id")?),
        episode_id: EpisodeId(text(row, "episode_id")?),
        pipeline: text(row, "pipeline")?,
        status: parse(&text(row, "status")?, "run status", |s| s.parse().ok())?,
        park: park.map(|p| serde_json::from_str::<ParkReason>(&p)).transpose()?,
        created_at_ms: row.try_get("created_at_ms")?,
        updated_at_ms: row.try_get("updated_at_ms")?,
    })
}

pub(crate) fn attempt(row: &SqliteRow) -> Result<AttemptRecord, StoreError> {
    let verdict: Option<String> = row.try_get("verdict")?;
    Ok(AttemptRecord {
        id: row.try_get("id")?,
        run_id: RunId(text(row, "run_id")?),
        stage: StageId(text(row, "stage")?),
        attempt: row.try_get::<i64, _>("attempt")? as u32,
        status: parse(&text(row, "status")?, "attempt status", |s| s.parse().ok())?,
        feedback: row.try_get("feedback")?,
        started_at_ms: row.try_get("started_at_ms")?,
        finished_at_ms: row.try_get("finished_at_ms")?,
        cost: Money(row.try_get("cost")?),
        route: row.try_get::<Option<&str>, _>("route")?.map(Route::from_column),
        verdict: verdict
            .map(|v| parse(&v, "gate verdict", |s| s.parse().ok()))
            .transpose()?,
        error_code: row.try_get("error_code")?,
        error_message: row.try_get("error_message")?,
    })
}

pub(crate) fn artifact(row: &SqliteRow) -> Result<ArtifactRecord, StoreError> {
    Ok(ArtifactRecord {
        id: ArtifactId(text(row, "id")?),
        run_id: RunId(text(row, "run_id")?),
        stage: StageId(text(row, "stage")?),
        kind: parse(&text(row, "kind")?, "artifact kind", |s| s.parse().ok())?,
        version: row.try_get::<i64, _>("version")? as u32,
        attempt_id: row.try_get("attempt_id")?,
        content: serde_json::from_str(row.try_get::<&str, _>("content")?)?,
        created_at_ms: row.try_get("created_at_ms")?,
    })
}

/// An episode row joined with its show's name and its latest run's aggregates (see `episodes::SELECT`).
pub(crate) fn episode(row: &SqliteRow) -> Result<Episode, StoreError> {
    let run_id: Option<String> = row.try_get("run_id")?;
    let park: Option<String> = row.try_get("park")?;
    let duration_ms: Option<i64> = row.try_get("duration_ms")?;
    Ok(Episode {
        id: EpisodeId(text(row, "id")?),
        show_id: ShowId(text(row, "show_id")?),
        show_name: text(row, "show_name")?,
        topic: text(row, "topic")?,
        target_minutes: row.try_get::<i64, _>("target_minutes")? as u32,
        budget_cap: Money(row.try_get("budget_cap")?),
        format: parse(&text(row, "format")?, "episode format", EpisodeFormat::parse)?,
        status: parse(&text(row, "status")?, "episode status", |s| s.parse().ok())?,
        run_id: run_id.map(RunId),
        spent: Money(row.try_get("spent")?),
        duration_ms: duration_ms.map(|d| d.max(0) as u64),
        parked_at: park
            .map(|p| serde_json::from_str::<ParkReason>(&p))
            .transpose()?
            .map(|p| p.stage().clone()),
        created_at_ms: row.try_get("created_at_ms")?,
        updated_at_ms: row.try_get("updated_at_ms")?,
    })
}
