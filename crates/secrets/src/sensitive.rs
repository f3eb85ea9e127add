//! `Sensitive<T>`: a value that must not leak through logs, error reports or IPC.
//!
//! Invariants:
//! - `Debug` and `Display` print `<redacted>`, so `{:?}` in a log line or a derived `Debug` on a containing
//!   struct can't leak the value.
//! - `Serialize` always fails. A secret that reaches a serializer is a bug (a DTO sent to the UI, a journal
//!   row), and failing loudly finds it; silently writing `"<redacted>"` would hide it.
//! - `Deserialize` is allowed, because a Tauri command has to receive the key the producer pasted.
//! - The wrapped value is zeroized on drop, so a freed key does not linger in the allocator's memory.
//!   (Copies made before wrapping, such as serde's input buffer, are outside this type's reach.)

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroize;

/// Wraps a secret so that it can't be printed or serialized by accident.
///
/// Read it with [`Sensitive::expose`], at the one place that hands it to a provider or the keyring.
#[derive(Clone)]
pub struct Sensitive<T: Zeroize>(T);

/// What `Debug` and `Display` print instead of the value.
const REDACTED: &str = "<redacted>";

impl<T: Zeroize> Sensitive<T> {
    /// Wraps `value`.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself. Named loudly so that every use is easy to find in review.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T: Zeroize> Serialize for Sensitive<T> {
    fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(
            "refusing to serialize a secret: Sensitive values never leave the process",
        ))
    }
}

impl<'de, T: Zeroize + Deserialize<'de>> Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}
