//! Batch production against single runs, the real binary end to end (offline crew, release build):
//! `cargo bench -p showrunner-cli --bench batch` (20 two-minute episodes at `--parallel 4`;
//! `SHOWRUNNER_BENCH_EPISODES`, `SHOWRUNNER_BENCH_MINUTES` and `SHOWRUNNER_BENCH_PARALLEL` change them).
//!
//! Each single run is a one-row batch at `--parallel 1` in its own data folder (the same code path, each
//! with its own process start), run one after the other; then the whole batch runs in one process in a
//! fresh folder. Both auto-approve the script and stop at the release gate. The figure is the issue's:
//! wall time ÷ (sum of single runs ÷ parallel), goal ≤ 1.15; beside it the same with the divisor capped at
//! the machine's cores, since offline episodes are CPU-bound and four cannot run faster than the cores.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn var(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn batch_file(dir: &Path, rows: &[String], minutes: usize) -> std::path::PathBuf {
    let mut csv = String::from("topic,show,minutes,budget,format,language,sources\n");
    for topic in rows {
        csv.push_str(&format!("{topic},,{minutes},5,,,\n"));
    }
    let file = dir.join("batch.csv");
    std::fs::write(&file, csv).expect("the batch file is written");
    file
}

fn produce(data: &Path, file: &Path, parallel: usize) -> Duration {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_showrunner"))
        .arg("--data-dir")
        .arg(data)
        .args(["produce", "--batch"])
        .arg(file)
        .args([
            "--parallel",
            &parallel.to_string(),
            "--offline",
            "--auto-approve-script",
        ])
        .output()
        .expect("the showrunner binary runs");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the batch failed: {stderr}");
    assert!(stderr.contains("0 failed, 0 skipped"), "{stderr}");
    took
}

fn main() {
    let (episodes, minutes, parallel) = (
        var("SHOWRUNNER_BENCH_EPISODES", 20),
        var("SHOWRUNNER_BENCH_MINUTES", 2),
        var("SHOWRUNNER_BENCH_PARALLEL", 4),
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let topics: Vec<String> = (1..=episodes)
        .map(|i| format!("Lighthouse number {i} and the ships it kept safe"))
        .collect();
    let scratch = tempfile::tempdir().expect("a temp dir");

    let mut singles = Duration::ZERO;
    for (i, topic) in topics.iter().enumerate() {
        let dir = scratch.path().join(format!("single-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let file = batch_file(&dir, std::slice::from_ref(topic), minutes);
        let took = produce(&dir.join("data"), &file, 1);
        println!("single {:>2}: {:.2} s", i + 1, took.as_secs_f64());
        singles += took;
    }
    let dir = scratch.path().join("batch");
    std::fs::create_dir_all(&dir).unwrap();
    let file = batch_file(&dir, &topics, minutes);
    let wall = produce(&dir.join("data"), &file, parallel);

    let ideal = singles.as_secs_f64() / parallel as f64;
    let core_ideal = singles.as_secs_f64() / parallel.min(cores) as f64;
    println!(
        "{episodes} × {minutes}-minute offline episodes, {cores} cores: sum of single runs {:.1} s; batch at --parallel {parallel}: {:.1} s",
        singles.as_secs_f64(),
        wall.as_secs_f64()
    );
    let ratio = wall.as_secs_f64() / ideal;
    println!(
        "wall ÷ (sum ÷ {parallel}) = {ratio:.2} (goal ≤ 1.15: {}); wall ÷ (sum ÷ {}) = {:.2} (the cores' ideal)",
        if ratio <= 1.15 { "PASS" } else { "MISS" },
        parallel.min(cores),
        wall.as_secs_f64() / core_ideal
    );
}
