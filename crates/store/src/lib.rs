//! Showrunner storage: one SQLite file (WAL), embedded migrations, the events journal, content-addressed blobs.
