//! Writes a package folder all at once: every file into a hidden temporary folder beside the target, then
//! one rename puts it in place. A failure at any point removes the temporary folder, so the target is
//! either the whole new package, the previous package it replaced, or absent — never half-written.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum PackageDirError {
    #[error("{} cannot be written: {source}", path.display())]
    NotWritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} already exists and is not a Showrunner package; choose an empty or new folder", path.display())]
    Occupied { path: PathBuf },
    #[error("the disk is full while writing {}", path.display())]
    DiskFull { path: PathBuf },
}

/// Marks a folder as one of ours, so exporting again may replace it (and nothing else).
pub const MARKER: &str = ".showrunner-package";

fn io(path: &Path, e: std::io::Error) -> PackageDirError {
    if e.raw_os_error() == Some(28) {
        PackageDirError::DiskFull { path: path.to_owned() }
    } else {
        PackageDirError::NotWritable {
            path: path.to_owned(),
            source: e,
        }
    }
}

fn replaceable(target: &Path) -> Result<bool, PackageDirError> {
    match std::fs::read_dir(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io(target, e)),
        Ok(mut entries) => Ok(target.join(MARKER).exists() || entries.next().is_none()),
    }
}

/// Writes `files` (name, bytes) as the folder `target`, replacing a previous package there.
pub fn write_package(target: &Path, files: &[(String, Vec<u8>)]) -> Result<(), PackageDirError> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !replaceable(target)? {
        return Err(PackageDirError::Occupied {
            path: target.to_owned(),
        });
    }
    std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".partial")
        .tempdir_in(parent)
        .map_err(|e| io(parent, e))?;
    for (file, bytes) in files {
        let path = tmp.path().join(file);
        std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
    }
    let marker = tmp.path().join(MARKER);
    std::fs::write(&marker, b"").map_err(|e| io(&marker, e))?;
    // Make the package durable before it becomes visible.
    if let Ok(dir) = std::fs::File::open(tmp.path()) {
        let _ = dir.sync_all();
    }
    let staged = tmp.keep();
    let result = if target.exists() {
        // Swap: the old package moves aside, the new one in, then the old one goes.
        let aside = parent.join(format!(".{name}.{}.old", std::process::id()));
        std::fs::rename(target, &aside)
            .and_then(|()| {
                std::fs::rename(&staged, target).inspect_err(|_| {
                    let _ = std::fs::rename(&aside, target);
                })
            })
            .map(|()| {
                let _ = std::fs::remove_dir_all(&aside);
            })
    } else {
        std::fs::rename(&staged, target)
    };
    result.map_err(|e| {
        let _ = std::fs::remove_dir_all(&staged);
        io(target, e)
    })
}
