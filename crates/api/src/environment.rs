//! The process environment as the app read it once, at open: API keys' fallback variables and
//! `SHOWRUNNER_<PROVIDER>_BASE_URL` overrides. Read once and passed down, so the keychain and the roster
//! agree for the app's whole life, a fallback is noticed once rather than per call, and a test can give each
//! app its own configuration without touching the shared process environment.

use std::collections::BTreeMap;
use std::sync::Arc;

use showrunner_domain::ProviderId;

/// A snapshot of the variables Showrunner reads. Cheap to clone.
#[derive(Clone, Default)]
pub struct Environment {
    vars: Arc<BTreeMap<String, String>>,
}

impl Environment {
    /// The process environment now: only the variables Showrunner reads are kept, so nothing else (tokens
    /// of other tools) is held in memory.
    pub fn capture() -> Environment {
        Environment::from_pairs(std::env::vars().filter(|(name, _)| Environment::is_ours(name)))
    }

    /// An environment holding exactly `pairs` (tests, embedding).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Environment {
        Environment {
            vars: Arc::new(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect()),
        }
    }

    fn is_ours(name: &str) -> bool {
        name.starts_with("SHOWRUNNER_") || ProviderId::all().any(|p| p.key_env_var() == Some(name))
    }

    /// The variable's value; blank counts as unset.
    pub fn get(&self, name: &str) -> Option<String> {
        self.vars.get(name).filter(|v| !v.trim().is_empty()).cloned()
    }

    /// `SHOWRUNNER_<ID>_BASE_URL`, trimmed, when set.
    pub fn base_url(&self, provider: ProviderId) -> Option<String> {
        self.get(&provider.base_url_env_var()).map(|u| u.trim().to_owned())
    }
}

impl std::fmt::Debug for Environment {
    // Values may be keys: only the names are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.vars.keys()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_unset_and_base_urls_are_trimmed() {
        let env = Environment::from_pairs([
            ("OPENROUTER_API_KEY", "  "),
            ("SHOWRUNNER_OLLAMA_BASE_URL", " http://box:11434/v1 "),
        ]);
        assert_eq!(env.get("OPENROUTER_API_KEY"), None);
        assert_eq!(env.base_url(ProviderId::Ollama).as_deref(), Some("http://box:11434/v1"));
        assert_eq!(env.base_url(ProviderId::LmStudio), None);
    }

    #[test]
    fn only_showrunners_own_variables_are_kept() {
        assert!(Environment::is_ours("OPENROUTER_API_KEY"));
        assert!(Environment::is_ours("SHOWRUNNER_DATA_DIR"));
        assert!(!Environment::is_ours("GITHUB_TOKEN"));
        assert!(!format!("{:?}", Environment::from_pairs([("ANTHROPIC_API_KEY", "sk-secret")])).contains("sk-secret"));
    }
}
