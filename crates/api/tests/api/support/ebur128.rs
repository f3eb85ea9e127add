//! An independent meter: ffmpeg's `ebur128` filter (installed by .ci/setup.sh), for the tests and the
//! regenerate bench to read a master as the delivery spec does.

use std::process::Command;

/// ffmpeg's integrated loudness (LUFS) and true peak (dBTP) of a WAV or MP3 file.
pub fn ffmpeg_reading(path: &str) -> (f64, f64) {
    let out = Command::new("ffmpeg")
        .args([
            "-nostats",
            "-hide_banner",
            "-i",
            path,
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ])
        .output()
        .expect("ffmpeg is installed (.ci/setup.sh)");
    let text = String::from_utf8_lossy(&out.stderr);
    let summary = &text[text.rfind("Summary:").expect("an ebur128 summary")..];
    let value = |label: &str| -> f64 {
        let line = summary.lines().find(|l| l.trim_start().starts_with(label)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    (value("I:"), value("Peak:"))
}
