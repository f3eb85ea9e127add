//! Output limits that follow the episode's length. A fixed 16k-token limit for the script could not hold a
//! script past about 57 minutes, and the cut-off call was still billed; the limit now grows with the target.

/// Spoken English runs about 150 words a minute at about 1.35 tokens a word; a script line's JSON (id,
/// speaker, cue) adds about 60 % on top.
const SCRIPT_TOKENS_PER_MINUTE: u32 = 324;
/// Room for the title, segment headers and closing brackets.
const SCRIPT_HEADROOM: u32 = 2_000;
/// The smallest limit: what every episode up to about 40 minutes had before.
const SCRIPT_FLOOR: u32 = 16_000;

/// The output limit for a whole script (write, polish) of `target_minutes`.
pub(crate) fn script_tokens(target_minutes: u32) -> u32 {
    target_minutes
        .saturating_mul(SCRIPT_TOKENS_PER_MINUTE)
        .saturating_add(SCRIPT_HEADROOM)
        .max(SCRIPT_FLOOR)
}

/// Room for one segment's brackets and a line or two past its budget: a segment is small, so running a
/// little long is a larger share of it than of a whole script.
const SEGMENT_HEADROOM: u32 = 1_000;
/// The smallest limit for one segment: a 2-minute welcome still has room to run long.
const SEGMENT_FLOOR: u32 = 4_000;

/// The output limit for one planned segment of `seconds` (written on its own in a long episode).
pub(crate) fn segment_tokens(seconds: u32) -> u32 {
    seconds
        .div_ceil(60)
        .saturating_mul(SCRIPT_TOKENS_PER_MINUTE)
        .saturating_add(SEGMENT_HEADROOM)
        .max(SEGMENT_FLOOR)
}

/// Show notes carry one chapter marker and a line or two of notes per few minutes.
pub(crate) fn package_tokens(target_minutes: u32) -> u32 {
    target_minutes.saturating_mul(40).saturating_add(3_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_episode_gets_room_for_its_whole_script() {
        // 180 minutes is the longest target; its script is about 27,000 words.
        let words_180 = 180 * 150;
        assert!(f64::from(script_tokens(180)) >= f64::from(words_180) * 1.35 * 1.6);
        assert!(
            script_tokens(90) > 16_000,
            "a 90-minute script cannot fit the old fixed limit"
        );
        assert_eq!(script_tokens(10), 16_000, "short episodes keep the old limit");
        assert!(
            script_tokens(180) <= 64_000,
            "within what the writing models can return in one reply"
        );
        assert!(package_tokens(180) > package_tokens(25));
        assert_eq!(script_tokens(u32::MAX), u32::MAX, "no overflow");
    }

    #[test]
    fn a_segment_gets_room_for_its_own_minutes_only() {
        // A 15-minute segment of a 90-minute episode: about 2,250 words.
        let fifteen = segment_tokens(15 * 60);
        assert!(f64::from(fifteen) >= 15.0 * 150.0 * 1.35 * 1.6);
        assert!(
            fifteen < script_tokens(90) / 4,
            "a quarter of the whole script's limit at most"
        );
        assert!(
            segment_tokens(20 * 60 + 1) > segment_tokens(20 * 60),
            "a started minute counts"
        );
        assert_eq!(segment_tokens(0), SEGMENT_FLOOR);
        assert_eq!(segment_tokens(u32::MAX), u32::MAX, "no overflow");
    }
}
