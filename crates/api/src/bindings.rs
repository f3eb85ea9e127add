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
    out.push_str(&stage_constants());
    out.push_str(&format_constants());
    out.push_str(&language_constants());
    out
}

/// The languages with both their names, in the order the pickers list them.
fn language_constants() -> String {
    use showrunner_domain::Language;
    let quoted = |s: &str| serde_json::to_string(s).expect("a string serializes");
    let rows: String = Language::ALL
        .iter()
        .map(|l| {
            format!(
                "  {{ code: {}, name: {}, nativeName: {} }},\n",
                quoted(l.code()),
                quoted(l.name()),
                quoted(l.native_name())
            )
        })
        .collect();
    format!(
        "\n/** Every language an episode can be made in, in the order the pickers list them. */\nexport const LANGUAGES: readonly {{ code: Language; name: string; nativeName: string }}[] = [\n{rows}];\n"
    )
}

/// The episode formats with what the picker shows and checks, so the frontend retypes none of it.
fn format_constants() -> String {
    use showrunner_domain::{EpisodeFormat, BRIEF_DEFAULT_MINUTES, BRIEF_MINUTES};
    let quoted = |s: &str| serde_json::to_string(s).expect("a string serializes");
    let rows: String = EpisodeFormat::ALL
        .iter()
        .map(|f| {
            format!(
                "  {{ id: {}, label: {}, description: {}, hostsNeeded: {} }},\n",
                quoted(f.as_str()),
                quoted(f.label()),
                quoted(f.description()),
                f.hosts_needed()
            )
        })
        .collect();
    format!(
        "\n/** Every episode format, in the order the picker lists them. */\nexport const EPISODE_FORMATS: readonly {{ id: EpisodeFormat; label: string; description: string; hostsNeeded: number }}[] = [\n{rows}];\n\
         \n/** A brief's shortest and longest length, and its length when none is given (minutes). */\nexport const BRIEF_MINUTES = {{ min: {}, max: {}, default: {} }} as const;\n",
        BRIEF_MINUTES.start(),
        BRIEF_MINUTES.end(),
        BRIEF_DEFAULT_MINUTES
    )
}

/// The standard pipeline's stage ids and the model tasks inside them, as constants the frontend compares
/// against, so no id is retyped there.
fn stage_constants() -> String {
    use showrunner_production::stage_ids::{STAGES, TASKS};
    let entries = |list: &[(&str, &str)], prefix: &str| -> String {
        list.iter()
            .map(|(name, id)| format!("  {}: '{id}',\n", name.trim_start_matches(prefix)))
            .collect()
    };
    format!(
        "\n/** The standard pipeline's stage ids, in pipeline order. */\nexport const STAGE = {{\n{}}} as const;\n\
         \nexport type StandardStageId = (typeof STAGE)[keyof typeof STAGE];\n\
         \n/** The model tasks run inside a stage, which have prompt templates of their own. */\nexport const TASK = {{\n{}}} as const;\n",
        entries(STAGES, ""),
        entries(TASKS, "TASK_")
    )
}
