//! Maps `keyring::Error` onto `SecretsError`.
//!
//! Invariants:
//! - The result never contains stored bytes: `BadEncoding` carries the undecodable secret and `Ambiguous`
//!   carries credential objects, so both are described with fixed text instead of being formatted.
//! - "There is no keyring here" and "the keyring is locked" are recognised by type (downcasting the boxed
//!   platform error) and by D-Bus error *names* from the Secret Service and D-Bus specs, never by matching
//!   message text, which changes between releases.
//! - `NoEntry` has no single meaning: reads and deletes treat it as "absent" before calling this; when it
//!   reaches this function the store refused to store (the kernel keyring does that outside a usable session
//!   keyring), which is reported as `Unavailable`.

use crate::SecretsError;

/// Converts a keyring failure during `operation` (a verb such as "store" or "read") into a `SecretsError`.
pub(crate) fn from_keyring(error: keyring::Error, operation: &str) -> SecretsError {
    match error {
        keyring::Error::NoStorageAccess(_) => SecretsError::Locked,
        keyring::Error::PlatformFailure(inner) => match cause(inner.as_ref()) {
            Some(Cause::Locked) => SecretsError::Locked,
            Some(Cause::NoProvider) => SecretsError::unavailable(format!(
                "no Secret Service provider or D-Bus session was found while trying to {operation} the key"
            )),
            None => SecretsError::Platform(format!("could not {operation} the key: {inner}")),
        },
        keyring::Error::NoEntry => SecretsError::unavailable(format!(
            "the keyring refused to {operation} the key; on Linux without a desktop session the kernel \
             keyring needs a session keyring (keyctl session -)"
        )),
        keyring::Error::BadEncoding(_) => SecretsError::Platform(format!(
            "could not {operation} the key: the stored value is not UTF-8 text; delete it and set it again"
        )),
        keyring::Error::Ambiguous(credentials) => SecretsError::Platform(format!(
            "could not {operation} the key: {} keyring items match it; remove the duplicates with your \
             keyring manager",
            credentials.len()
        )),
        // TooLong and Invalid name an attribute (service or user) and a reason, never the secret.
        other => SecretsError::Platform(format!("could not {operation} the key: {other}")),
    }
}

/// What a platform failure says about the keyring, when it says something we act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    /// No D-Bus session bus, or no Secret Service provider on it.
    NoProvider,
    /// The collection is locked (gnome-keyring on a desktop that logged in without unlocking it).
    Locked,
}

#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn cause(error: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Cause> {
    use secret_service::Error as Ss;
    match error.downcast_ref::<Ss>()? {
        Ss::Unavailable => Some(Cause::NoProvider),
        Ss::Locked | Ss::Prompt => Some(Cause::Locked),
        Ss::Zbus(zbus::Error::MethodError(name, ..)) => cause_of_dbus_error(name.as_str()),
        Ss::Zbus(zbus::Error::FDO(fdo)) => cause_of_fdo_error(fdo),
        Ss::ZbusFdo(fdo) => cause_of_fdo_error(fdo),
        _ => None,
    }
}

#[cfg(not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")))]
fn cause(_error: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Cause> {
    None
}

/// Classifies a D-Bus error by its name, which the Secret Service and D-Bus specifications fix.
#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn cause_of_dbus_error(name: &str) -> Option<Cause> {
    match name {
        "org.freedesktop.Secret.Error.IsLocked" => Some(Cause::Locked),
        "org.freedesktop.DBus.Error.ServiceUnknown" | "org.freedesktop.DBus.Error.NameHasNoOwner" => {
            Some(Cause::NoProvider)
        }
        _ => None,
    }
}

#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn cause_of_fdo_error(error: &zbus::fdo::Error) -> Option<Cause> {
    match error {
        zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_) => Some(Cause::NoProvider),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn a_missing_secret_service_is_unavailable_not_a_generic_error() {
        let error = from_keyring(
            keyring::Error::PlatformFailure(Box::new(secret_service::Error::Unavailable)),
            "store",
        );
        assert_eq!(
            error.code(),
            "keyring_unavailable",
            "the UI offers 'install or unlock a keyring' only for this code"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_bus_without_a_secrets_provider_is_unavailable() {
        let error = from_keyring(
            keyring::Error::PlatformFailure(Box::new(secret_service::Error::ZbusFdo(
                zbus::fdo::Error::ServiceUnknown("org.freedesktop.secrets".to_owned()),
            ))),
            "read",
        );
        assert_eq!(
            error.code(),
            "keyring_unavailable",
            "a bus with no keyring daemon is no keyring"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_secret_service_is_locked_error_name_means_locked() {
        assert_eq!(
            cause_of_dbus_error("org.freedesktop.Secret.Error.IsLocked"),
            Some(Cause::Locked),
            "gnome-keyring answers a write to a locked collection with this D-Bus error"
        );
        assert_eq!(cause_of_dbus_error("org.freedesktop.Secret.Error.NoSuchObject"), None);
    }

    #[test]
    fn no_storage_access_means_the_keyring_is_locked() {
        let error = from_keyring(
            keyring::Error::NoStorageAccess(Box::new(std::io::Error::other("prompt dismissed"))),
            "read",
        );
        assert_eq!(error, SecretsError::Locked);
    }

    #[test]
    fn undecodable_stored_bytes_are_never_copied_into_the_message() {
        let stored = b"sk-secret-\xff-tail".to_vec();
        let error = from_keyring(keyring::Error::BadEncoding(stored), "read");
        assert_eq!(error.code(), "keyring_error");
        assert!(
            !error.to_string().contains("sk-secret"),
            "BadEncoding holds the secret itself: {error}"
        );
    }

    #[test]
    fn a_refusal_to_store_is_reported_as_unavailable() {
        let error = from_keyring(keyring::Error::NoEntry, "store");
        assert_eq!(
            error.code(),
            "keyring_unavailable",
            "keyutils answers NoEntry when it can't link the key anywhere; that is a missing keyring"
        );
    }
}
