//! Validates each DCC file N times (guard + XSD + semantic checks, as `sevres dcc check` does)
//! and prints per-file throughput; `--json` prints each file's report instead.
//!
//! ```text
//! cargo run --release -p sevres-dcc --example check_throughput -- [-n N] [--json] [--xsd-only | --semantic-only] [--no-signature] FILE...
//! ```
//! Output lines: `file<TAB>bytes<TAB>xsd_valid<TAB>valid<TAB>errors<TAB>seconds_per_check<TAB>MB/s`.

use std::time::Instant;

fn main() {
    let mut n = 200usize;
    let mut json = false;
    let mut opts = sevres_dcc::Options::default();
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "-n" => n = args.next().and_then(|v| v.parse().ok()).unwrap_or(n),
            "--json" => json = true,
            "--xsd-only" => opts.semantic = false,
            "--semantic-only" => opts.xsd = false,
            "--no-signature" => opts.signature = false,
            _ => files.push(a),
        }
    }
    if let Err(e) = sevres_dcc::warm_up() {
        eprintln!("schemas: {e}");
        std::process::exit(2);
    }
    for f in &files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{f}: {e}");
                continue;
            }
        };
        let report = sevres_dcc::check_report(&bytes, &opts);
        if json {
            println!("{}", report.to_json(f));
            continue;
        }
        for _ in 0..(n / 10).max(1) {
            std::hint::black_box(sevres_dcc::check_report(&bytes, &opts));
        }
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(sevres_dcc::check_report(
                std::hint::black_box(&bytes),
                &opts,
            ));
        }
        let per = t.elapsed().as_secs_f64() / n as f64;
        println!(
            "{f}\t{}\t{}\t{}\t{}\t{per:.6e}\t{:.1}",
            bytes.len(),
            report.xsd_valid(),
            report.valid(),
            report.errors.len(),
            bytes.len() as f64 / per / 1e6
        );
    }
}
