use serde::Deserialize;
use showrunner_secrets::Sensitive;

const SECRET: &str = "fake-anthropic-key-never-print-me";

#[test]
fn debug_and_display_print_redacted_instead_of_the_secret() {
    let secret = Sensitive::new(SECRET.to_owned());
    assert_eq!(
        format!("{secret:?}"),
        "<redacted>",
        "Debug ends up in logs and panic messages"
    );
    assert_eq!(format!("{secret}"), "<redacted>", "Display ends up in user-facing text");
    assert_eq!(secret.expose(), SECRET, "expose is the one way to read the value");
}

#[test]
fn a_derived_debug_on_a_containing_struct_does_not_leak_the_secret() {
    #[derive(Debug)]
    #[allow(dead_code)] // Only read through Debug.
    struct Request {
        model: &'static str,
        key: Sensitive<String>,
    }
    let printed = format!(
        "{:?}",
        Request {
            model: "claude",
            key: Sensitive::new(SECRET.to_owned()),
        }
    );
    assert!(
        !printed.contains(SECRET),
        "structs holding keys get logged whole: {printed}"
    );
    assert!(
        printed.contains("<redacted>"),
        "the field should still show that something is there: {printed}"
    );
}

#[test]
fn serializing_a_secret_fails_instead_of_writing_it() {
    let direct = serde_json::to_string(&Sensitive::new(SECRET.to_owned()));
    assert!(direct.is_err(), "a secret must never reach JSON, IPC or the journal");

    #[derive(serde::Serialize)]
    struct Dto {
        key: Sensitive<String>,
    }
    let nested = serde_json::to_string(&Dto {
        key: Sensitive::new(SECRET.to_owned()),
    });
    let error = nested.expect_err("a DTO carrying a secret must fail to serialize, not redact silently");
    assert!(
        !error.to_string().contains(SECRET),
        "the error itself must not quote the secret: {error}"
    );
}

#[test]
fn a_command_argument_can_deserialize_into_a_secret() {
    #[derive(Deserialize)]
    struct SetKeyArgs {
        key: Sensitive<String>,
    }
    let args: SetKeyArgs = serde_json::from_str(r#"{"key":"sk-pasted"}"#)
        .expect("the UI sends the pasted key to a command, so deserializing must work");
    assert_eq!(args.key.expose(), "sk-pasted");
}
