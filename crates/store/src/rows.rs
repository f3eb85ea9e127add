//! Decoding stored rows into domain records: each table's row as stored (`FromRow`) and the record it makes.
//! A value the code does not recognise fails its column's decoding, which the store reports as damage, never
//! guessed at.

use showrunner_domain::{
    ArtifactId, ArtifactKind, AttemptStatus, Episode, EpisodeFormat, EpisodeId, EpisodeStatus, GateVerdict, Language,
    Money, ParkReason, Route, RunId, RunStatus, ShowId, StageId,
};
use sqlx::sqlite::SqliteRow;
use sqlx::types::{Json, Text};
use sqlx::FromRow;

use crate::{ArtifactRecord, AttemptRecord, RunRecord, StoreError};

#[derive(FromRow)]
pub(crate) struct RunRow {
    id: String,
    episode_id: Option<String>,
    pipeline: String,
    status: Text<RunStatus>,
    park: Option<Json<ParkReason>>,
    created_at_ms: i64,
    updated_at_ms: i64,
}

impl From<RunRow> for RunRecord {
    fn from(row: RunRow) -> RunRecord {
        RunRecord {
            id: RunId(row.id),
            episode_id: row.episode_id.map(EpisodeId),
            pipeline: row.pipeline,
            status: row.status.0,
            park: row.park.map(|p| p.0),
            created_at_ms: row.created_at_ms,
            updated_at_ms: row.updated_at_ms,
        }
    }
}

/// For queries that fetch plain rows (`sqlx::query`) rather than `query_as` the row type.
pub(crate) fn run(row: &SqliteRow) -> Result<RunRecord, StoreError> {
    Ok(RunRow::from_row(row)?.into())
}

#[derive(FromRow)]
pub(crate) struct AttemptRow {
    id: i64,
    run_id: String,
    stage: String,
    attempt: u32,
    status: Text<AttemptStatus>,
    feedback: Option<String>,
    started_at_ms: i64,
    finished_at_ms: Option<i64>,
    cost: i64,
    route: Option<String>,
    verdict: Option<Text<GateVerdict>>,
    error_code: Option<String>,
    error_message: Option<String>,
}

impl From<AttemptRow> for AttemptRecord {
    fn from(row: AttemptRow) -> AttemptRecord {
        AttemptRecord {
            id: row.id,
            run_id: RunId(row.run_id),
            stage: StageId(row.stage),
            attempt: row.attempt,
            status: row.status.0,
            feedback: row.feedback,
            started_at_ms: row.started_at_ms,
            finished_at_ms: row.finished_at_ms,
            cost: Money(row.cost),
            route: row.route.as_deref().map(Route::from_column),
            verdict: row.verdict.map(|v| v.0),
            error_code: row.error_code,
            error_message: row.error_message,
        }
    }
}

/// For queries that fetch plain rows (`sqlx::query`) rather than `query_as` the row type.
pub(crate) fn attempt(row: &SqliteRow) -> Result<AttemptRecord, StoreError> {
    Ok(AttemptRow::from_row(row)?.into())
}

#[derive(FromRow)]
pub(crate) struct ArtifactRow {
    id: String,
    run_id: String,
    stage: String,
    kind: Text<ArtifactKind>,
    version: u32,
    attempt_id: Option<i64>,
    content: Json<serde_json::Value>,
    created_at_ms: i64,
}

impl From<ArtifactRow> for ArtifactRecord {
    fn from(row: ArtifactRow) -> ArtifactRecord {
        ArtifactRecord {
            id: ArtifactId(row.id),
            run_id: RunId(row.run_id),
            stage: StageId(row.stage),
            kind: row.kind.0,
            version: row.version,
            attempt_id: row.attempt_id,
            content: row.content.0,
            created_at_ms: row.created_at_ms,
        }
    }
}

/// For queries that fetch plain rows (`sqlx::query`) rather than `query_as` the row type.
pub(crate) fn artifact(row: &SqliteRow) -> Result<ArtifactRecord, StoreError> {
    Ok(ArtifactRow::from_row(row)?.into())
}

/// An episode row joined with its show's name and its latest run's aggregates (see `episodes::SELECT`).
#[derive(FromRow)]
pub(crate) struct EpisodeRow {
    id: String,
    show_id: String,
    show_name: String,
    topic: String,
    target_minutes: u32,
    budget_cap: i64,
    format: Text<EpisodeFormat>,
    language: Text<Language>,
    status: Text<EpisodeStatus>,
    run_id: Option<String>,
    park: Option<Json<ParkReason>>,
    spent: i64,
    duration_ms: Option<i64>,
    created_at_ms: i64,
    updated_at_ms: i64,
}

impl From<EpisodeRow> for Episode {
    fn from(row: EpisodeRow) -> Episode {
        Episode {
            id: EpisodeId(row.id),
            show_id: ShowId(row.show_id),
            show_name: row.show_name,
            topic: row.topic,
            target_minutes: row.target_minutes,
            budget_cap: Money(row.budget_cap),
            format: row.format.0,
            language: row.language.0,
            status: row.status.0,
            run_id: row.run_id.map(RunId),
            spent: Money(row.spent),
            duration_ms: row.duration_ms.map(|d| d.max(0) as u64),
            parked_at: row.park.map(|p| p.0.stage().clone()),
            created_at_ms: row.created_at_ms,
            updated_at_ms: row.updated_at_ms,
        }
    }
}
