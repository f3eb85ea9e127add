//! Test-only: a disk that fills up at a chosen paid call's settlement (cargo feature `kill-points`, off by
//! default). With `SHOWRUNNER_DISK_FULL_AT_CALL=PREFIX` set, the database stops growing from the settlement of
//! the first call whose key starts with `PREFIX`: SQLite's own page limit (`max_page_count`) is set to the
//! pages the file has, on every connection that writes from then on, so every write that needs a new page
//! fails with SQLite's real SQLITE_FULL, exactly as on a full disk. A settlement whose answer needs a page of
//! its own (any answer of more than a few kilobytes) is the first to fail. The next process, started without
//! the variable, has its space back.

use sqlx::SqliteConnection;

/// The variable that arms the fault: the call key prefix whose settlement fills the disk.
pub const DISK_FULL_AT_CALL_ENV: &str = "SHOWRUNNER_DISK_FULL_AT_CALL";

#[cfg(feature = "kill-points")]
mod armed {
    use std::sync::atomic::AtomicBool;
    pub(super) use std::sync::atomic::Ordering::SeqCst;
    use std::sync::OnceLock;

    pub(super) static FULL: AtomicBool = AtomicBool::new(false);

    pub(super) fn prefix() -> Option<&'static str> {
        static PREFIX: OnceLock<Option<String>> = OnceLock::new();
        PREFIX
            .get_or_init(|| {
                std::env::var(super::DISK_FULL_AT_CALL_ENV)
                    .ok()
                    .filter(|p| !p.is_empty())
            })
            .as_deref()
    }
}

/// A settlement of `call_key` is about to be written on `conn`.
pub(crate) async fn before_settle(conn: &mut SqliteConnection, call_key: &str) -> Result<(), sqlx::Error> {
    #[cfg(feature = "kill-points")]
    if armed::prefix().is_some_and(|p| call_key.starts_with(p)) {
        armed::FULL.store(true, armed::SeqCst);
    }
    #[cfg(not(feature = "kill-points"))]
    let _ = call_key;
    before_write(conn).await
}

/// A write transaction has begun on `conn`: once the disk is "full", it may not grow the file.
pub(crate) async fn before_write(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    #[cfg(feature = "kill-points")]
    if armed::FULL.load(armed::SeqCst) {
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count").fetch_one(&mut *conn).await?;
        sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
            .execute(&mut *conn)
            .await?;
    }
    #[cfg(not(feature = "kill-points"))]
    let _ = conn;
    Ok(())
}
