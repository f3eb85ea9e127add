//! The script room: versions with their provenance, diffs between any two, and a producer's typed edits.

pub mod diff;
pub mod edits;
pub mod versions;

pub use diff::{DiffRow, DiffSide, LineChange, ScriptDiff, WordSpan};
pub use edits::{ScriptEdit, MAX_LINE_CHARS};
pub use versions::{ScriptVersion, VersionOrigin};
