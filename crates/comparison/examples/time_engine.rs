//! Times the estimators in-process, the way `bench/comparisons_vs_statsmodels.sh` times its
//! Python peers: the data sets are read first, then only the evaluations are timed.
//!
//! Usage: `cargo run --release -p sevres-comparison --features serde --example time_engine --
//! FILE.jsonl METHOD [DRAWS]`, FILE holding one data set (`{"participants": [...]}`) per line.
//! Prints the seconds taken by the evaluations of every line (best of three runs).

use std::time::Instant;

use sevres_comparison::{analyse, ComparisonInput, Method, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, file, method, rest @ ..] = args.as_slice() else {
        return Err("usage: time_engine FILE.jsonl METHOD [DRAWS]".into());
    };
    let method: Method = method.parse()?;
    let options = Options {
        draws: rest
            .first()
            .map_or(Ok(Options::default().draws), |d| d.parse())?,
        ..Options::default()
    };
    let sets: Vec<ComparisonInput> = std::fs::read_to_string(file)?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        for set in &sets {
            std::hint::black_box(analyse(set, method, &options)?);
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("{best}");
    Ok(())
}
