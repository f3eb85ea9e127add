//! Shows and their brand voice.

use showrunner_domain::{Artwork, BrandVoice, MusicSlot, Show, ShowId, ShowMusic};
use sqlx::types::Json;
use sqlx::{FromRow, Sqlite, Transaction};

use crate::error::is_unique_violation;
use crate::journal::{append, Subject};
use crate::JournalEvent;
use crate::{Store, StoreError};

/// Names compare without case or surrounding spaces: "Deep Dive" and " deep dive" are the same show.
fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// A `shows` row as stored (its name columns are the brand's name, kept for lookups).
#[derive(FromRow)]
struct ShowRow {
    id: String,
    brand: Json<BrandVoice>,
    created_at_ms: i64,
    updated_at_ms: i64,
}

impl From<ShowRow> for Show {
    fn from(row: ShowRow) -> Show {
        Show {
            id: ShowId(row.id),
            brand: row.brand.0,
            created_at_ms: row.created_at_ms,
            updated_at_ms: row.updated_at_ms,
        }
    }
}

/// The stored files replace whatever the form carried.
fn keep_files(brand: &mut BrandVoice, stored: &BrandVoice) {
    for &slot in MusicSlot::ALL {
        *brand.music.slot_mut(slot) = stored.music.slot(slot).cloned();
    }
    brand.artwork = stored.artwork.clone();
}

async fn stored_brand(tx: &mut Transaction<'_, Sqlite>, id: &ShowId) -> Result<Option<BrandVoice>, StoreError> {
    // The whole row, so damage is reported under the column's name.
    let row = sqlx::query_as::<_, ShowRow>("SELECT * FROM shows WHERE id = ?")
        .bind(id.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|r| r.brand.0))
}

/// What a brand write changed, which names its journal event.
#[derive(Clone, Copy)]
enum BrandChange {
    /// The producer's form.
    Edited,
    /// Music or cover art.
    Assets,
}

async fn write_brand(
    tx: &mut Transaction<'_, Sqlite>,
    id: &ShowId,
    brand: &BrandVoice,
    now_ms: i64,
    change: BrandChange,
) -> Result<Show, StoreError> {
    let updated = sqlx::query("UPDATE shows SET name = ?, name_key = ?, brand = ?, updated_at_ms = ? WHERE id = ?")
        .bind(brand.name.trim())
        .bind(name_key(&brand.name))
        .bind(serde_json::to_string(brand)?)
        .bind(now_ms)
        .bind(id.as_str())
        .execute(&mut **tx)
        .await;
    let updated = match updated {
        Err(e) if is_unique_violation(&e) => return Err(StoreError::DuplicateShowName(brand.name.trim().to_owned())),
        other => other?,
    };
    if updated.rows_affected() == 0 {
        return Err(StoreError::UnknownShow(id.to_string()));
    }
    let (show_id, name) = (id.clone(), brand.name.clone());
    let event = match change {
        BrandChange::Edited => JournalEvent::ShowUpdated { show_id, name },
        BrandChange::Assets => JournalEvent::ShowAssetsChanged { show_id, name },
    };
    append(tx, now_ms, Subject::default(), &event).await?;
    let row = sqlx::query_as::<_, ShowRow>("SELECT * FROM shows WHERE id = ?")
        .bind(id.as_str())
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.into())
}

impl Store {
    pub async fn create_show(&self, brand: &BrandVoice, now_ms: i64) -> Result<Show, StoreError> {
        let show = Show {
            id: ShowId::new(),
            brand: brand.clone(),
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
        };
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO shows (id, name, name_key, brand, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(show.id.as_str())
        .bind(brand.name.trim())
        .bind(name_key(&brand.name))
        .bind(serde_json::to_string(brand)?)
        .bind(now_ms)
        .bind(now_ms)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::DuplicateShowName(brand.name.trim().to_owned()))
            }
            other => other?,
        };
        append(
            &mut tx,
            now_ms,
            Subject::default(),
            &JournalEvent::ShowCreated {
                show_id: show.id.clone(),
                name: brand.name.clone(),
            },
        )
        .await?;
        crate::kill_points::commit(tx).await?;
        Ok(show)
    }

    /// Saves the brand-voice form. The show's files (music slots, artwork) are kept as stored, inside the
    /// same transaction: only the upload commands ([`Store::set_show_assets`]) set them, so a form holding
    /// stale or forged file references cannot replace them.
    pub async fn update_show(&self, id: &ShowId, brand: &BrandVoice, now_ms: i64) -> Result<Show, StoreError> {
        let mut tx = self.write().await?;
        let Some(stored) = stored_brand(&mut tx, id).await? else {
            return Err(StoreError::UnknownShow(id.to_string()));
        };
        let mut brand = brand.clone();
        keep_files(&mut brand, &stored);
        let show = write_brand(&mut tx, id, &brand, now_ms, BrandChange::Edited).await?;
        crate::kill_points::commit(tx).await?;
        Ok(show)
    }

    /// Changes only the show's files (music slots, artwork), in one transaction with reading them, so an
    /// upload racing a form save loses neither.
    pub async fn set_show_assets(
        &self,
        id: &ShowId,
        now_ms: i64,
        change: impl FnOnce(&mut ShowMusic, &mut Option<Artwork>),
    ) -> Result<Show, StoreError> {
        let mut tx = self.write().await?;
        let Some(mut brand) = stored_brand(&mut tx, id).await? else {
            return Err(StoreError::UnknownShow(id.to_string()));
        };
        let (mut music, mut artwork) = (brand.music.clone(), brand.artwork.clone());
        change(&mut music, &mut artwork);
        // The levels are the form's; only the file slots change here.
        for &slot in MusicSlot::ALL {
            *brand.music.slot_mut(slot) = music.slot(slot).cloned();
        }
        brand.artwork = artwork;
        let show = write_brand(&mut tx, id, &brand, now_ms, BrandChange::Assets).await?;
        crate::kill_points::commit(tx).await?;
        Ok(show)
    }

    pub async fn show(&self, id: &ShowId) -> Result<Option<Show>, StoreError> {
        let row = sqlx::query_as::<_, ShowRow>("SELECT * FROM shows WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(Show::from))
    }

    pub async fn show_by_name(&self, name: &str) -> Result<Option<Show>, StoreError> {
        let row = sqlx::query_as::<_, ShowRow>("SELECT * FROM shows WHERE name_key = ?")
            .bind(name_key(name))
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(Show::from))
    }

    /// All shows, by name.
    pub async fn list_shows(&self) -> Result<Vec<Show>, StoreError> {
        let rows = sqlx::query_as::<_, ShowRow>("SELECT * FROM shows ORDER BY name_key")
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(Show::from).collect())
    }
}
