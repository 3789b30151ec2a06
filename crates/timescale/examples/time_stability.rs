//! Times the stability statistics in-process, the way `bench/stability_vs_allantools.sh` times
//! allantools: the series is read first, then only the computation is timed (best of three).
//!
//! Usage: `cargo run --release -p sevres-timescale --example time_stability -- FILE KIND AF`,
//! FILE holding one phase value (s) per line at τ0 = 1 s, KIND e.g. `oadev`, AF `octave` or
//! `all`. Prints seconds.

use std::time::Instant;

use sevres_timescale::stability::{deviation, parse_series, AveragingFactors, DataType, Kind};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, file, kind, af] = args.as_slice() else {
        return Err("usage: time_stability FILE KIND AF".into());
    };
    let kind: Kind = kind.parse()?;
    let af: AveragingFactors = af.parse()?;
    let series = parse_series(&std::fs::read_to_string(file)?)?;
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        std::hint::black_box(deviation(kind, &series, DataType::Phase, 1.0, &af)?);
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("{best}");
    Ok(())
}
