//! What differs between ElevenLabs models: how many characters one request may carry and what the producer
//! sees. Model ids are configuration; an id not listed here still works, with a cautious limit.

/// Characters one request may carry for `model` (ElevenLabs help centre: Flash/Turbo v2.5 40,000; Flash/Turbo
/// v2 30,000; Multilingual v2 and the v1 models 10,000; v3 5,000).
pub fn max_chars_for(model: &str) -> usize {
    match model {
        "eleven_flash_v2_5" | "eleven_turbo_v2_5" => 40_000,
        "eleven_flash_v2" | "eleven_turbo_v2" => 30_000,
        "eleven_multilingual_v2" | "eleven_multilingual_v1" | "eleven_monolingual_v1" | "eleven_english_v2" => 10_000,
        // v3 and models this table does not know yet: the smallest documented limit.
        _ => 5_000,
    }
}

/// Characters ElevenLabs bills (its `character-cost`) for `text_chars` characters of text: Flash and Turbo
/// models bill half a credit per character, the others one.
pub fn billed_characters(model: &str, text_chars: u64) -> u64 {
    if model.starts_with("eleven_flash") || model.starts_with("eleven_turbo") {
        text_chars.div_ceil(2)
    } else {
        text_chars
    }
}

/// The model's name as the producer knows it.
pub fn model_name(model: &str) -> &str {
    match model {
        "eleven_v3" => "Eleven v3",
        "eleven_multilingual_v2" => "Multilingual v2",
        "eleven_flash_v2_5" => "Flash v2.5",
        "eleven_turbo_v2_5" => "Turbo v2.5",
        "eleven_flash_v2" => "Flash v2",
        "eleven_turbo_v2" => "Turbo v2",
        "eleven_multilingual_v1" => "Multilingual v1",
        "eleven_monolingual_v1" => "English v1",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_model_gets_its_documented_limit() {
        assert_eq!(max_chars_for("eleven_multilingual_v2"), 10_000);
        assert_eq!(max_chars_for("eleven_flash_v2_5"), 40_000);
        assert_eq!(max_chars_for("eleven_turbo_v2"), 30_000);
        assert_eq!(max_chars_for("eleven_v3"), 5_000);
        assert_eq!(
            max_chars_for("eleven_future_v9"),
            5_000,
            "unknown models get the cautious limit"
        );
        assert_eq!(model_name("eleven_flash_v2_5"), "Flash v2.5");
        assert_eq!(model_name("custom_model"), "custom_model");
    }
}
