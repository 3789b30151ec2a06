//! Latency of unit-aware questions over a registry of synthetic CMCs.
//!
//! Builds a registry of `N` generated CMCs (default 1 000 000), asks `Q` random questions drawn
//! by the generator (default 1000; a measured value in one of the template's units, often an
//! uncertainty limit, sometimes a facet or words), each once after a warm-up, and prints the
//! p50, p95 and p99 latencies of `Registry::search`.
//!
//! ```sh
//! cargo run --release -p sevres-cmc --example search_p95 -- [N] [Q]
//! ```

use std::time::{Duration, Instant};

use sevres_cmc::generate::{generate, Generator};
use sevres_cmc::Registry;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let nq: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);

    let t = Instant::now();
    let cmcs = generate(42, n);
    let generated = t.elapsed();
    let t = Instant::now();
    let registry = Registry::new(cmcs);
    let built = t.elapsed();
    println!("{n} CMCs generated in {generated:.2?}, indexed in {built:.2?}");

    let mut g = Generator::new(7);
    let warm: Vec<_> = (0..100).map(|_| g.query()).collect();
    for q in &warm {
        let _ = registry.search(q);
    }
    let queries: Vec<_> = (0..nq).map(|_| g.query()).collect();
    let mut times = Vec::with_capacity(nq);
    let (mut matches, mut errors, mut with_limit) = (0usize, 0usize, 0usize);
    for q in &queries {
        with_limit += usize::from(q.uncertainty.is_some());
        let t = Instant::now();
        let r = registry.search(q);
        times.push(t.elapsed());
        match r {
            Ok(r) => matches += r.total,
            Err(_) => errors += 1,
        }
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / nq.max(1) as u32;
    println!(
        "{nq} queries ({with_limit} with an uncertainty limit): p50 {:.3?}, p95 {:.3?}, p99 {:.3?}, max {:.3?}, mean {mean:.3?}",
        percentile(&times, 0.50),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or_default(),
    );
    println!(
        "mean matches per query: {:.0}; refused queries: {errors}",
        matches as f64 / nq.max(1) as f64
    );
}
