//! The stable stage ids of the standard pipeline. They appear in the journal, the UI and prompt templates;
//! never rename one that has shipped.

/// Declares each id once, as a constant and in [`STAGES`] (the list the TypeScript bindings are generated from).
macro_rules! stage_ids {
    ($($name:ident = $id:literal),* $(,)?) => {
        $(pub const $name: &str = $id;)*
        /// Every stage id of the standard pipeline with its constant's name, in pipeline order.
        pub const STAGES: &[(&str, &str)] = &[$((stringify!($name), $name)),*];
    };
}

stage_ids! {
    RESEARCH_DISCOVER = "research.discover",
    RESEARCH_DEEP_DIVE = "research.deep_dive",
    RESEARCH_VALIDATE = "research.validate",
    RESEARCH_SYNTHESIZE = "research.synthesize",
    PLAN = "plan",
    SCRIPT_WRITE = "script.write",
    SCRIPT_BRAND_CHECK = "script.brand_check",
    SCRIPT_EVALUATE = "script.evaluate",
    SCRIPT_POLISH = "script.polish",
    SCRIPT_SIGNOFF = "script.signoff",
    TTS_PREPARE = "tts.prepare",
    AUDIO_SYNTHESIZE = "audio.synthesize",
    AUDIO_MASTER = "audio.master",
    AUDIO_VALIDATE = "audio.validate",
    PACKAGE = "package",
    RELEASE = "release",
}

/// The model task that scores brand voice inside `script.brand_check`.
pub const TASK_BRAND_SCORE: &str = "script.brand_score";

/// The model task that writes one planned segment inside `script.write`, for a long episode.
pub const TASK_WRITE_SEGMENT: &str = "script.write_segment";

/// The model tasks with their constants' names, for the generated TypeScript.
pub const TASKS: &[(&str, &str)] = &[
    ("TASK_BRAND_SCORE", TASK_BRAND_SCORE),
    ("TASK_WRITE_SEGMENT", TASK_WRITE_SEGMENT),
];

#[cfg(test)]
mod tests {
    use super::STAGES;

    #[test]
    fn the_listed_ids_are_the_standard_pipeline_in_its_order() {
        let pipeline: Vec<String> = crate::standard_pipeline()
            .stages
            .iter()
            .map(|s| s.id.0.clone())
            .collect();
        let listed: Vec<&str> = STAGES.iter().map(|(_, id)| *id).collect();
        assert_eq!(pipeline, listed);
    }
}
