//! The TypeScript declarations of every type that crosses to the frontend, generated from the Rust types.
//! The committed `ui/src/lib/backend/bindings.ts` must equal this output (tests/bindings.rs checks it).

use ts_rs::{Config, TS};

pub const HEADER: &str = "// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p showrunner-api --test api bindings`.\n// Do not edit by hand: change the Rust type and regenerate.\n";

pub fn typescript() -> String {
    let cfg = Config::default();
    let mut out = String::from(HEADER);
    macro_rules! declare {
        ($($t:path),* $(,)?) => {
            $(
                out.push('\n');
                out.push_str("export ");
                out.push_str(&<$t as TS>::decl(&cfg));
                out.push('\n');
            )*
        };
    }
    crate::for_each_exported_type!(declare);
    out
}
