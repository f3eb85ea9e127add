//! Engine behaviour on a small, podcast-free pipeline with scripted stage runners and a real SQLite file.

mod budget;
mod dead_ends;
mod harness;
mod human_gates;
mod late_decision;
mod paid_calls;
mod paid_rig;
mod plain_runs;
mod remediation;
mod retry_limits;
mod scheduling;
