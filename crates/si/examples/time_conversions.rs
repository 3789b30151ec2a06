//! Times unit conversions in-process, the way `bench/units_vs_peers.sh` times its peers: the
//! requests are read first, then only the conversions are timed (best of five runs, each with a
//! fresh [`ConversionCache`], so every run parses each distinct unit string once).
//!
//! Usage: `cargo run --release -p sevres-si --example time_conversions -- FILE.jsonl`, FILE
//! holding `{"value": 1.5, "from": "km", "to": "m"}` lines of UCUM codes. Prints seconds.

use std::time::Instant;

use sevres_si::{ConversionCache, Notation};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let file = std::env::args()
        .nth(1)
        .ok_or("usage: time_conversions FILE.jsonl")?;
    let requests: Vec<(f64, String, String)> = std::fs::read_to_string(file)?
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            Ok((
                v["value"].as_f64().unwrap_or(f64::NAN),
                text("from"),
                text("to"),
            ))
        })
        .collect::<Result<_, serde_json::Error>>()?;
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let mut cache = ConversionCache::new();
        let start = Instant::now();
        for (value, from, to) in &requests {
            std::hint::black_box(cache.convert(Notation::Ucum, *value, from, to)?);
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("{best}");
    Ok(())
}
