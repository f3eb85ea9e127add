//! The `showrunner` binary as a producer uses it: real processes, a real data folder, real speech. One test
//! binary for the crate; every test runs the CLI as a child process with its own data folder.

mod batch;
mod formats;
mod kill_points;
mod languages;
mod producer;
mod sources;
mod support;
