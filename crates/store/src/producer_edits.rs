//! A producer's own versions of an artifact (script edits, restores): saved only on the version the producer
//! looked at and only while the run waits at the gate that allows them, both checked in the write transaction,
//! so of two racing edits one wins and an edit racing a sign-off never lands after it.

use showrunner_domain::{ArtifactId, ParkReason, RunId, RunStatus, StageId};
use sqlx::FromRow;

use crate::rows::RunRow;
use crate::{artifacts, ArtifactRecord, NewArtifact, RunRecord, Store, StoreError};

/// Why a producer's version exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditProvenance {
    /// What made it, e.g. `producer_edit` or `restore`.
    pub origin: String,
    pub author: String,
    /// The producer's words, or what the edit did.
    pub note: String,
    /// The version the edit was made on.
    pub base_version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenanceRecord {
    pub artifact_id: ArtifactId,
    pub provenance: EditProvenance,
}

/// An `artifact_provenance` row as stored.
#[derive(FromRow)]
struct ProvenanceRow {
    artifact_id: String,
    origin: String,
    author: String,
    note: String,
    base_version: u32,
}

impl From<ProvenanceRow> for ProvenanceRecord {
    fn from(row: ProvenanceRow) -> ProvenanceRecord {
        ProvenanceRecord {
            artifact_id: ArtifactId(row.artifact_id),
            provenance: EditProvenance {
                origin: row.origin,
                author: row.author,
                note: row.note,
                base_version: row.base_version,
            },
        }
    }
}

impl Store {
    /// Saves `artifact` as the next version if the run is parked at `gate` and `base_version` is still the
    /// newest version of its kind. Otherwise nothing is written: `VersionConflict` names the newest version,
    /// `Stale` says the run moved on.
    pub async fn save_producer_edit(
        &self,
        run_id: &RunId,
        gate: &StageId,
        artifact: NewArtifact,
        provenance: EditProvenance,
        now_ms: i64,
    ) -> Result<ArtifactRecord, StoreError> {
        let mut tx = self.write().await?;
        let run: RunRecord = sqlx::query_as::<_, RunRow>("SELECT * FROM runs WHERE id = ?")
            .bind(run_id.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "run",
                id: run_id.to_string(),
            })?
            .into();
        let parked = run.status == RunStatus::Parked;
        let waiting_here = parked && matches!(&run.park, Some(ParkReason::HumanGate { stage }) if stage == gate);
        if !waiting_here {
            let status = match run.park {
                Some(reason) if parked => format!("parked at {}", reason.stage()),
                _ if parked => run.status.to_string(),
                _ => format!("{}, past {gate}", run.status),
            };
            return Err(StoreError::Stale {
                what: "run",
                id: run_id.to_string(),
                status,
            });
        }
        let latest: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM artifacts WHERE run_id = ? AND kind = ?")
                .bind(run_id.as_str())
                .bind(artifact.kind.as_str())
                .fetch_one(&mut *tx)
                .await?;
        if latest != i64::from(provenance.base_version) {
            return Err(StoreError::VersionConflict {
                base: provenance.base_version,
                latest: latest as u32,
            });
        }
        let record = artifacts::insert(&mut tx, run_id, gate, None, artifact, now_ms).await?;
        sqlx::query(
            "INSERT INTO artifact_provenance (artifact_id, origin, author, note, base_version) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(record.id.as_str())
        .bind(&provenance.origin)
        .bind(&provenance.author)
        .bind(&provenance.note)
        .bind(i64::from(provenance.base_version))
        .execute(&mut *tx)
        .await?;
        crate::kill_points::commit(tx).await?;
        Ok(record)
    }

    /// The provenance of every producer-made artifact of the run.
    pub async fn provenance(&self, run_id: &RunId) -> Result<Vec<ProvenanceRecord>, StoreError> {
        let rows = sqlx::query_as::<_, ProvenanceRow>(
            "SELECT p.* FROM artifact_provenance p JOIN artifacts a ON a.id = p.artifact_id WHERE a.run_id = ? ORDER BY a.version",
        )
        .bind(run_id.as_str())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(ProvenanceRecord::from).collect())
    }
}
