//! An app whose keys, provider addresses and keyring choice come from an environment of its own, never the
//! process's: tests that point the real clients at fakes share one test binary with tests that use the real
//! keyring, and two of them can never see each other's fakes.

// Each test module uses part of it.
#![allow(dead_code)]

use std::path::Path;

use showrunner_api::{Access, App, AppOptions, Environment, WriterRole};
use showrunner_provider_fakes::FakeServer;

/// No OS keyring: keys come from the app's environment alone.
pub const NO_KEYRING: [(&str, &str); 1] = [(showrunner_secrets::BACKEND_ENV_VAR, "none")];

/// The variables one test app reads.
#[derive(Clone, Default)]
pub struct FakeEnvironment {
    vars: Vec<(String, String)>,
}

impl FakeEnvironment {
    /// `keys` as the conventional variables, and no OS keyring: the keys come from here alone and must end up
    /// nowhere else.
    pub fn with_keys(keys: &[(&str, &str)]) -> FakeEnvironment {
        let mut env = FakeEnvironment::default();
        for (var, value) in NO_KEYRING.iter().chain(keys) {
            env.set(var, value);
        }
        env
    }

    pub fn set(&mut self, var: &str, value: &str) -> &mut FakeEnvironment {
        self.vars.retain(|(v, _)| v != var);
        self.vars.push((var.to_owned(), value.to_owned()));
        self
    }

    /// Points the app's `provider` client at `server` (`SHOWRUNNER_<PROVIDER>_BASE_URL`).
    pub fn point_at(&mut self, provider: &str, server: &FakeServer) -> &mut FakeEnvironment {
        let (var, url) = super::offline_answers::base_url_var(provider, server);
        self.set(&var, &url)
    }

    pub fn environment(&self) -> Environment {
        Environment::from_pairs(self.vars.iter().cloned())
    }

    /// The app on `dir` as the desktop app opens it (the writer), casting the keyed crew.
    pub async fn open(&self, dir: &Path) -> App {
        let options = AppOptions {
            data_dir: Some(dir.to_path_buf()),
            offline: false,
        };
        App::open_in(options, Access::Writer(WriterRole::App), self.environment())
            .await
            .expect("the app opens")
    }

    /// A reader beside the writer, with this environment.
    pub async fn open_reader(&self, dir: &Path) -> App {
        let options = AppOptions {
            data_dir: Some(dir.to_path_buf()),
            offline: false,
        };
        App::open_in(options, Access::ReadOnly, self.environment())
            .await
            .expect("the reader opens")
    }
}
