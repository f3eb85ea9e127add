//! The transcript as WebVTT and SubRip. Cue text comes from the script, which a producer (or a model) wrote:
//! it may hold `-->`, `<`, `&`, blank lines or control characters, and none of them may break the file. In
//! WebVTT, `&`, `<` and `>` become character references (so `-->` cannot appear) and line breaks fold into
//! spaces (a blank line would end the cue); SubRip has no escapes, so there `-->` becomes `→` and `<` `‹`
//! (players read `<i>` as markup).

use std::fmt::Write as _;

use showrunner_domain::artifacts::Cue;

/// `00:01:02.345` (WebVTT) or `00:01:02,345` (SubRip).
pub(crate) fn timestamp(ms: u64, fraction_separator: char) -> String {
    format!(
        "{:02}:{:02}:{:02}{fraction_separator}{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// One line of plain text: every run of line breaks and other control characters becomes one space.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() && !out.ends_with(' ') && c != ' ' {
            out.push(' ');
        }
        gap = false;
        out.push(c);
    }
    out.trim().to_owned()
}

fn vtt_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A cue identifier is one line without `-->`.
fn vtt_identifier(id: &str) -> String {
    one_line(id).replace("-->", "→")
}

/// WebVTT with the line id as each cue's identifier and a voice span naming the speaker.
pub fn vtt(cues: &[Cue], draft: bool) -> String {
    let mut out = String::from("WEBVTT\n\n");
    if draft {
        out.push_str("NOTE DRAFT: not released; do not publish.\n\n");
    }
    for cue in cues {
        let mut text = vtt_escape(&cue.text);
        if text.is_empty() {
            // An empty payload line would be the blank line that ends the cue.
            text.push('…');
        }
        let speaker = vtt_escape(&cue.speaker);
        if !speaker.is_empty() {
            text = format!("<v {speaker}>{text}</v>");
        }
        let _ = write!(
            out,
            "{}\n{} --> {}\n{text}\n\n",
            vtt_identifier(&cue.line_id),
            timestamp(cue.start_ms, '.'),
            timestamp(cue.end_ms.max(cue.start_ms), '.'),
        );
    }
    out
}

fn srt_text(text: &str) -> String {
    one_line(text).replace("-->", "→").replace('<', "‹")
}

/// SubRip: cues numbered from 1 (the format allows nothing else), the speaker's name before the text.
pub fn srt(cues: &[Cue], draft: bool) -> String {
    let mut out = String::new();
    for (i, cue) in cues.iter().enumerate() {
        let prefix = if draft && i == 0 { "[DRAFT] " } else { "" };
        let text = srt_text(&cue.text);
        let _ = write!(
            out,
            "{}\n{} --> {}\n{prefix}{}: {}\n\n",
            i + 1,
            timestamp(cue.start_ms, ','),
            timestamp(cue.end_ms.max(cue.start_ms), ','),
            srt_text(&cue.speaker),
            if text.is_empty() { "…".to_owned() } else { text }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::transcript_reader::{read_srt, read_vtt};
    use proptest::prelude::*;

    fn cue(id: &str, speaker: &str, text: &str, start_ms: u64, end_ms: u64) -> Cue {
        Cue {
            line_id: id.into(),
            speaker: speaker.into(),
            text: text.into(),
            start_ms,
            end_ms,
        }
    }

    #[test]
    fn a_plain_cue_is_written_with_its_line_id_and_speaker() {
        assert_eq!(
            vtt(&[cue("S1-L1", "Alex", "Hello.", 0, 1_250)], false),
            "WEBVTT\n\nS1-L1\n00:00:00.000 --> 00:00:01.250\n<v Alex>Hello.</v>\n\n"
        );
        assert_eq!(
            srt(&[cue("S1-L1", "Alex", "Hello.", 3_723_004, 3_724_000)], false),
            "1\n01:02:03,004 --> 01:02:04,000\nAlex: Hello.\n\n"
        );
    }

    const HOSTILE: &[&str] = &[
        "Then --> now",
        "a < b && c > d",
        "first\n\nsecond\r\n\r\nthird",
        "<v Sam>impostor</v> &amp; friends",
        "00:00:01.000 --> 00:00:02.000",
        "WEBVTT",
        "مرحبا بالعالم — שלום 👋🏽 🇺🇦",
        "\u{202E}reversed\u{202C} and \u{0}nul",
        "",
        "   \n\n  ",
    ];

    #[test]
    fn hostile_text_reads_back_as_the_same_words_in_both_formats() {
        let mut cues: Vec<Cue> = HOSTILE
            .iter()
            .enumerate()
            .map(|(i, t)| {
                cue(
                    &format!("S1-L{i}"),
                    "Alex <host> & co",
                    t,
                    i as u64 * 1_000,
                    i as u64 * 1_000 + 900,
                )
            })
            .collect();
        cues.push(cue("S2-L1", "Sam", &"long words ".repeat(20_000), 20_000, 80_000));
        let parsed = read_vtt(&vtt(&cues, false)).expect("valid WebVTT");
        assert_eq!(parsed.len(), cues.len());
        for (back, cue) in parsed.iter().zip(&cues) {
            assert_eq!(back.identifier.as_deref(), Some(cue.line_id.as_str()));
            assert_eq!(back.speaker.as_deref(), Some(one_line(&cue.speaker).as_str()));
            let expected = one_line(&cue.text);
            assert_eq!(
                back.text,
                if expected.is_empty() {
                    "…".to_owned()
                } else {
                    expected
                }
            );
            assert_eq!((back.start_ms, back.end_ms), (cue.start_ms, cue.end_ms));
        }
        let parsed = read_srt(&srt(&cues, false)).expect("valid SubRip");
        assert_eq!(parsed.len(), cues.len());
        assert_eq!(parsed[0].text, "Alex ‹host> & co: Then → now");
        assert_eq!(parsed[2].text, "Alex ‹host> & co: first second third");
    }

    #[test]
    fn a_draft_says_so_in_both_formats() {
        let cues = [cue("S1-L1", "Alex", "Hi", 0, 500)];
        assert!(vtt(&cues, true).contains("NOTE DRAFT"));
        assert!(read_vtt(&vtt(&cues, true)).is_ok());
        assert!(srt(&cues, true).contains("[DRAFT] Alex: Hi"));
    }

    proptest! {
        #[test]
        fn any_text_and_speaker_survive_a_round_trip_through_webvtt(text in "\\PC*|[\\s<>&-]*", speaker in "[^\\n]{0,12}") {
            let cues = [cue("S1-L1", &speaker, &text, 0, 1_000), cue("S1-L2", "B", "after", 1_000, 2_000)];
            let parsed = read_vtt(&vtt(&cues, false)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(parsed.len(), 2);
            let expected = one_line(&text);
            prop_assert_eq!(&parsed[0].text, &if expected.is_empty() { "…".to_owned() } else { expected });
            prop_assert_eq!(&parsed[1].text, "after");
            let parsed = read_srt(&srt(&cues, false)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(parsed.len(), 2);
        }
    }
}
