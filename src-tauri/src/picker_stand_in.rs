//! The end-to-end tests' answer to Export…'s folder picker. WebDriver cannot drive a native GTK dialog, so
//! a debug build started with `SHOWRUNNER_E2E_PICK_FOLDER=DIR` answers every folder pick with `DIR` instead
//! of opening the dialog. A release build ignores the variable: a producer's environment never decides
//! where their episode goes.

use std::ffi::OsString;
use std::path::PathBuf;

pub const VARIABLE: &str = "SHOWRUNNER_E2E_PICK_FOLDER";

/// The folder to answer with instead of asking, if this build and its environment say so.
pub fn picked_folder() -> Option<PathBuf> {
    answer(cfg!(debug_assertions), std::env::var_os(VARIABLE))
}

fn answer(debug_build: bool, value: Option<OsString>) -> Option<PathBuf> {
    if !debug_build {
        return None;
    }
    value.filter(|v| !v.is_empty()).map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_build_ignores_the_variable_and_a_debug_build_answers_with_it() {
        let folder = || Some(OsString::from("/tmp/exports"));
        assert_eq!(
            answer(false, folder()),
            None,
            "a release build must open the real picker"
        );
        assert_eq!(answer(true, folder()), Some(PathBuf::from("/tmp/exports")));
        assert_eq!(answer(true, Some(OsString::new())), None, "an empty variable is unset");
        assert_eq!(answer(true, None), None);
    }

    #[test]
    fn this_build_reads_the_variable_only_when_it_has_debug_assertions() {
        // No other test reads the variable, so setting it for this process is harmless.
        std::env::set_var(VARIABLE, "/tmp/exports");
        let picked = picked_folder();
        std::env::remove_var(VARIABLE);
        assert_eq!(picked.is_some(), cfg!(debug_assertions), "{picked:?}");
    }
}
