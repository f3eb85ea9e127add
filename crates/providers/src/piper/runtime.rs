//! Finding and loading ONNX Runtime. It is not linked: the library is loaded at run time (ort's
//! `load-dynamic`), from `ORT_DYLIB_PATH`, else the system's library search path, so a machine without it
//! still runs and Piper is skipped with a reason the producer can act on.

use std::path::PathBuf;
use std::sync::Mutex;

use ort::environment::Environment;

use super::PiperError;

/// Where the library is looked for when nothing says otherwise: the loader's own search (LD_LIBRARY_PATH,
/// the system's library folders, the executable's folder).
const PLATFORM_NAMES: &[&str] = if cfg!(target_os = "macos") {
    &["libonnxruntime.dylib", "libonnxruntime.1.dylib"]
} else if cfg!(windows) {
    &["onnxruntime.dll"]
} else {
    &["libonnxruntime.so", "libonnxruntime.so.1"]
};

/// The variable that names the library file.
pub const ORT_DYLIB_ENV: &str = "ORT_DYLIB_PATH";

/// The loaded runtime, kept once found; a miss is looked for again next time (the producer may install it
/// while the app runs).
static RUNTIME: Mutex<Option<Environment>> = Mutex::new(None);

/// The places tried, in order.
fn candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(path) = std::env::var_os(ORT_DYLIB_ENV).filter(|p| !p.is_empty()) {
        out.push(PathBuf::from(path));
    }
    out.extend(PLATFORM_NAMES.iter().map(PathBuf::from));
    out
}

/// The ONNX Runtime environment, loading the library on first use.
pub fn runtime() -> Result<Environment, PiperError> {
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(env) = slot.as_ref() {
        return Ok(env.clone());
    }
    let mut tried = Vec::new();
    for path in candidates() {
        match ort::init_from(&path) {
            Ok(builder) => match builder.with_name("showrunner-piper").build() {
                Ok(env) => {
                    tracing::info!(library = %path.display(), "ONNX Runtime loaded");
                    *slot = Some(env.clone());
                    return Ok(env);
                }
                Err(e) => tried.push(format!("{}: {e}", path.display())),
            },
            Err(e) => tried.push(e.to_string()),
        }
    }
    Err(PiperError::RuntimeMissing { tried })
}
