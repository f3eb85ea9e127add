//! Engine benchmarks: real SQLite stores in temp dirs, scripted stages that sleep fixed fake latencies, real
//! time. Prints each figure with its goal. `cargo bench -p showrunner-engine --bench engine [-- FILTER]`
//! runs the sections whose name contains FILTER (podcast, transitions, limits, resume).

mod journal;
mod limits;
mod podcast;
mod resume;
mod rig;
mod shape;
mod stats;
mod transitions;

use std::time::Instant;

fn main() {
    // Cargo passes `--bench`; any other argument filters sections.
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let started = Instant::now();
    let rows = runtime.block_on(async {
        let mut rows = Vec::new();
        if wanted("podcast") {
            rows.extend(podcast::run().await);
        }
        if wanted("transitions") {
            rows.extend(transitions::run().await);
        }
        if wanted("limits") {
            rows.extend(limits::run().await);
        }
        if wanted("resume") {
            rows.extend(resume::run().await);
        }
        rows
    });
    stats::print_table(&rows);
    println!(
        "\n{} worker threads; finished in {:.1} s",
        worker_threads(),
        started.elapsed().as_secs_f64()
    );
}

fn worker_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
