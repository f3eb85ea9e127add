//! A strict reader for the WebVTT and SubRip files we write, used by the tests to prove a file parses back
//! to the cues that went in. Strict where players are lenient: an `&` that starts no known character
//! reference, a `<` that starts no known tag, `-->` in a payload, a cue without a timing line or with an
//! empty payload are all errors. (No WebVTT crate on crates.io is both maintained and strict; see
//! docs/architecture.md.)

#[derive(Debug, Clone, PartialEq)]
pub struct ReadCue {
    pub identifier: Option<String>,
    pub start_ms: u64,
    pub end_ms: u64,
    /// From a `<v Name>` span, character references decoded.
    pub speaker: Option<String>,
    /// The payload with tags removed and character references decoded.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct ReadError {
    pub line: usize,
    pub problem: String,
}

fn err<T>(line: usize, problem: impl Into<String>) -> Result<T, ReadError> {
    Err(ReadError {
        line,
        problem: problem.into(),
    })
}

/// `HH:MM:SS.mmm` (or `,` for SubRip).
fn parse_time(s: &str, sep: char, line: usize) -> Result<u64, ReadError> {
    let bad = || ReadError {
        line,
        problem: format!("'{s}' is not a timestamp"),
    };
    let (hms, frac) = s.split_once(sep).ok_or_else(bad)?;
    let parts: Vec<&str> = hms.split(':').collect();
    if parts.len() != 3 || frac.len() != 3 || parts[1].len() != 2 || parts[2].len() != 2 || parts[0].len() < 2 {
        return Err(bad());
    }
    let num = |p: &str| -> Result<u64, ReadError> {
        if p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (h, m, sec, ms) = (num(parts[0])?, num(parts[1])?, num(parts[2])?, num(frac)?);
    if m > 59 || sec > 59 {
        return Err(bad());
    }
    Ok(((h * 60 + m) * 60 + sec) * 1000 + ms)
}

fn parse_timing(s: &str, sep: char, line: usize) -> Result<(u64, u64), ReadError> {
    let Some((a, b)) = s.split_once(" --> ") else {
        return err(line, "expected a timing line 'start --> end'");
    };
    let (start, end) = (parse_time(a, sep, line)?, parse_time(b, sep, line)?);
    if end < start {
        return err(line, "the cue ends before it starts");
    }
    Ok((start, end))
}

fn decode_references(s: &str, line: usize) -> Result<String, ReadError> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let (text, len) = [
            ("&amp;", "&"),
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&nbsp;", "\u{a0}"),
            ("&lrm;", "\u{200e}"),
            ("&rlm;", "\u{200f}"),
        ]
        .iter()
        .find(|(r, _)| after.starts_with(r))
        .map(|(r, t)| (*t, r.len()))
        .ok_or_else(|| ReadError {
            line,
            problem: "an '&' that starts no character reference".into(),
        })?;
        out.push_str(text);
        rest = &after[len..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Removes the tags of a payload line, keeping the speaker of a `<v>` span.
fn read_payload(s: &str, line: usize, speaker: &mut Option<String>) -> Result<String, ReadError> {
    let mut text = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let Some(close) = rest[i..].find('>') else {
            return err(line, "a '<' that opens no tag");
        };
        let tag = &rest[i + 1..i + close];
        let name = tag.trim_start_matches('/').split(['.', ' ', '\t']).next().unwrap_or("");
        if !matches!(name, "v" | "c" | "i" | "b" | "u" | "lang" | "ruby" | "rt") {
            return err(line, format!("unknown tag <{tag}>"));
        }
        if let Some(annotation) = tag.strip_prefix("v ") {
            let annotation = decode_references(annotation.trim(), line)?;
            if annotation.is_empty() {
                return err(line, "a voice span without a name");
            }
            *speaker = Some(annotation);
        }
        rest = &rest[i + close + 1..];
    }
    text.push_str(rest);
    decode_references(&text, line)
}

/// Reads a WebVTT file: the `WEBVTT` header, then NOTE blocks and cues separated by blank lines.
pub fn read_vtt(file: &str) -> Result<Vec<ReadCue>, ReadError> {
    let lines: Vec<&str> = file.split('\n').collect();
    if lines.first().map(|l| l.trim_end_matches('\r')) != Some("WEBVTT") {
        return err(1, "the file does not start with WEBVTT");
    }
    let mut cues = Vec::new();
    let mut i = 1;
    while i < lines.len() {
        if lines[i].is_empty() {
            i += 1;
            continue;
        }
        let block_start = i;
        let mut block = Vec::new();
        while i < lines.len() && !lines[i].is_empty() {
            block.push((i + 1, lines[i]));
            i += 1;
        }
        if block[0].1.starts_with("NOTE") {
            if block.iter().any(|(_, l)| l.contains("-->")) {
                return err(block_start + 1, "a NOTE block holds '-->'");
            }
            continue;
        }
        let (identifier, timing) = if block[0].1.contains("-->") {
            (None, 0)
        } else {
            (Some(block[0].1.to_owned()), 1)
        };
        let Some(&(line, timing_line)) = block.get(timing) else {
            return err(block_start + 1, "a cue without a timing line");
        };
        let (start_ms, end_ms) = parse_timing(timing_line, '.', line)?;
        let payload = &block[timing + 1..];
        if payload.is_empty() {
            return err(line, "a cue without text");
        }
        let mut speaker = None;
        let mut text = Vec::new();
        for &(line, p) in payload {
            if p.contains("-->") {
                return err(line, "'-->' inside a cue's text");
            }
            text.push(read_payload(p, line, &mut speaker)?);
        }
        cues.push(ReadCue {
            identifier,
            start_ms,
            end_ms,
            speaker,
            text: text.join("\n"),
        });
    }
    Ok(cues)
}

/// Reads a SubRip file: numbered cues (1, 2, …), a timing line each, text, a blank line.
pub fn read_srt(file: &str) -> Result<Vec<ReadCue>, ReadError> {
    let lines: Vec<&str> = file.split('\n').collect();
    let mut cues = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].is_empty() {
            i += 1;
            continue;
        }
        let number = lines[i];
        if number != (cues.len() + 1).to_string() {
            return err(
                i + 1,
                format!("expected cue number {}, found '{number}'", cues.len() + 1),
            );
        }
        let timing = lines.get(i + 1).ok_or(ReadError {
            line: i + 2,
            problem: "a cue without a timing line".into(),
        })?;
        let (start_ms, end_ms) = parse_timing(timing, ',', i + 2)?;
        i += 2;
        let mut text = Vec::new();
        while i < lines.len() && !lines[i].is_empty() {
            if lines[i].contains("-->") {
                return err(i + 1, "'-->' inside a cue's text");
            }
            text.push(lines[i]);
            i += 1;
        }
        if text.is_empty() {
            return err(i, "a cue without text");
        }
        cues.push(ReadCue {
            identifier: Some(number.to_owned()),
            start_ms,
            end_ms,
            speaker: None,
            text: text.join("\n"),
        });
    }
    Ok(cues)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_refuses_each_way_a_cue_can_break() {
        let cases = [
            (
                "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nthen --> now\n",
                "'-->' inside",
            ),
            ("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\na & b\n", "'&'"),
            ("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\na < b\n", "'<'"),
            (
                "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<script>x</script>\n",
                "unknown tag",
            ),
            (
                "WEBVTT\n\nS1\n00:00:00.000 --> 00:00:01.000\nfirst\n\nsecond\n",
                "without a timing line",
            ),
            ("WEBVTT\n\nS1\n00:00:00.000 --> 00:00:01.000\n", "without text"),
            ("WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nx\n", "ends before"),
            ("WEBVTT\n\n0:00.000 --> 00:00:01.000\nx\n", "not a timestamp"),
            ("WEBVT\n", "does not start"),
        ];
        for (file, problem) in cases {
            let e = read_vtt(file).expect_err(file);
            assert!(e.problem.contains(problem), "{file:?}: {e}");
        }
        assert!(read_srt("1\n00:00:00,000 --> 00:00:01,000\na --> b\n").is_err());
        assert!(read_srt("2\n00:00:00,000 --> 00:00:01,000\nx\n").is_err());
        assert!(read_srt("1\n00:00:00.000 --> 00:00:01,000\nx\n").is_err());
    }

    #[test]
    fn the_reader_accepts_a_well_formed_file() {
        let cues =
            read_vtt("WEBVTT\n\nNOTE hi\n\nS1-L1\n00:01:00.500 --> 00:01:02.000\n<v Sam &amp; Co>a &lt; b</v>\n")
                .unwrap();
        assert_eq!(
            cues,
            vec![ReadCue {
                identifier: Some("S1-L1".into()),
                start_ms: 60_500,
                end_ms: 62_000,
                speaker: Some("Sam & Co".into()),
                text: "a < b".into(),
            }]
        );
    }
}
