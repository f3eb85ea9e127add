//! Content-addressed files beside the database (audio takes and masters): named by the SHA-256 of their
//! bytes, written once through a temporary file and an atomic rename, never overwritten.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use showrunner_domain::BlobHash;
use tokio::io::AsyncWriteExt;

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    pub(crate) async fn open(root: PathBuf) -> Result<BlobStore, StoreError> {
        tokio::fs::create_dir_all(&root)
            .await
            .map_err(|e| StoreError::io(&root, e))?;
        Ok(BlobStore { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the file for `hash` lives. Rejects anything that is not a SHA-256 hex digest or a plain
    /// extension, so a stored value can never point outside the folder.
    pub fn path(&self, hash: &BlobHash, ext: &str) -> Result<PathBuf, StoreError> {
        let h = hash.0.as_str();
        let valid_hash = h.len() == 64 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let valid_ext = !ext.is_empty() && ext.len() <= 8 && ext.bytes().all(|b| b.is_ascii_alphanumeric());
        if !valid_hash || !valid_ext {
            return Err(StoreError::corrupt(format!("not a stored file name: {h}.{ext}")));
        }
        Ok(self.root.join(&h[..2]).join(format!("{h}.{ext}")))
    }

    /// Where a preview (a draft master) lives: beside the blobs, not among them, because it is written
    /// without a sync and never read back as a blob (same name rules as [`BlobStore::path`]).
    pub fn preview_path(&self, hash: &BlobHash, ext: &str) -> Result<PathBuf, StoreError> {
        let blob = self.path(hash, ext)?;
        let name = blob.file_name().expect("a blob path ends in its name");
        Ok(self.root.join("previews").join(name))
    }

    /// Writes a preview and returns its hash: hashed and written on a blocking thread, whole (a temporary
    /// file renamed into place) but not synced, since a lost preview is simply made again. It is always
    /// written, so a file a power cut left half-written is replaced.
    pub async fn put_preview(&self, bytes: Vec<u8>, ext: &str) -> Result<BlobHash, StoreError> {
        let store = self.clone();
        let ext = ext.to_owned();
        tokio::task::spawn_blocking(move || {
            let hash = BlobHash(hex::encode(Sha256::digest(&bytes)));
            let path = store.preview_path(&hash, &ext)?;
            let dir = path.parent().unwrap_or(&store.root).to_path_buf();
            let tmp = dir.join(format!(".{}.{}.tmp", hash.0, uuid_like()));
            let written = std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(&tmp, &bytes))
                .and_then(|()| std::fs::rename(&tmp, &path));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(StoreError::io(&path, e));
            }
            Ok(hash)
        })
        .await
        .map_err(|e| StoreError::io(&self.root, std::io::Error::other(e.to_string())))?
    }

    /// Removes a preview no longer offered; one already gone (or still open for playback where the
    /// system will not delete it) is left as it is.
    pub async fn remove_preview(&self, hash: &BlobHash, ext: &str) {
        if let Ok(path) = self.preview_path(hash, ext) {
            let _ = tokio::fs::remove_file(path).await;
        }
    }

    /// Stores `bytes` durably and returns their hash. Storing the same bytes twice is free.
    pub async fn put(&self, bytes: &[u8], ext: &str) -> Result<BlobHash, StoreError> {
        let hash = BlobHash(hex::encode(Sha256::digest(bytes)));
        let path = self.path(&hash, ext)?;
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(hash);
        }
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| StoreError::io(&dir, e))?;
        let tmp = dir.join(format!(".{}.{}.tmp", hash.0, uuid_like()));
        let write = async {
            let mut file = tokio::fs::File::create(&tmp).await?;
            file.write_all(bytes).await?;
            file.sync_all().await?;
            drop(file);
            tokio::fs::rename(&tmp, &path).await
        };
        if let Err(e) = write.await {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(StoreError::io(&path, e));
        }
        Ok(hash)
    }

    pub async fn read(&self, hash: &BlobHash, ext: &str) -> Result<Vec<u8>, StoreError> {
        let path = self.path(hash, ext)?;
        let bytes = tokio::fs::read(&path).await.map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StoreError::NotFound {
                what: "Audio file",
                id: format!("{hash}.{ext}"),
            },
            _ => StoreError::io(&path, e),
        })?;
        if hex::encode(Sha256::digest(&bytes)) != hash.0 {
            return Err(StoreError::corrupt(format!(
                "{} does not match its checksum",
                path.display()
            )));
        }
        Ok(bytes)
    }
}

/// A name unique enough for concurrent writers of the same bytes within this process and across processes.
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!("{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}
