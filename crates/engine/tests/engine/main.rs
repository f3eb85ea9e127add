//! Engine behaviour on a small, podcast-free pipeline with scripted stage runners and a real SQLite file.

mod harness;
mod human_gates;
mod remediation;
mod scheduling;
