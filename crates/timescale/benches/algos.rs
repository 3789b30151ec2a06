//! Criterion benchmark of one month of UTC for 450 clocks in 85
//! laboratories (the size of the real ensemble), on simulated data: the
//! engine alone from a state carried over 12 months, and the whole path
//! from CSV text (readers + engine). Target: well under one second.
use std::hint::black_box;

use criterion::{criterion_main, Criterion};
use sevres_timescale::algos::{compute_month, Config, Inputs, State};
use sevres_timescale::inputs::{
    read_clocks, read_links, read_psfs, write_clocks, write_links, write_psfs,
};
use sevres_timescale::leap::{LeapStep, LeapTable};
use sevres_timescale::sim::{SimConfig, Simulation};

fn inputs(sim: &Simulation, k: u32, leap: &LeapTable) -> Inputs {
    Inputs {
        year: 2024 + (k / 12) as i32,
        month: k % 12 + 1,
        clocks: sim.clock_readings.clone(),
        links: sim.link_readings.clone(),
        psfs: sim.psfs.clone(),
        leap: leap.clone(),
        locations: Default::default(),
    }
}

fn bench(c: &mut Criterion) {
    let sim = Simulation::run(&SimConfig {
        labs: 85,
        clocks: 450,
        fountains: 12,
        days: 420,
        ..SimConfig::default()
    });
    // TAI − UTC = 37 s since 2017-01-01 (MJD 57754), no expiry for the bench.
    let leap = LeapTable::from_steps(
        vec![LeapStep {
            mjd: 57_754,
            tai_minus_utc: 37,
        }],
        None,
    )
    .unwrap();
    let config = Config::default();
    let mut state = State::new();
    for k in 0..12 {
        state = compute_month(&inputs(&sim, k, &leap), &state, &config)
            .unwrap()
            .1;
    }
    // Only the 13th month's rows, as a monthly input file would hold.
    let month = inputs(&sim, 12, &leap);
    let dates = sevres_timescale::algos::month_dates(2025, 1).unwrap();
    let inside = |m: i64| dates.contains(&m);
    let clocks_csv = write_clocks(
        &sim.clock_readings
            .iter()
            .filter(|r| inside(r.mjd))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let links_csv = write_links(
        &sim.link_readings
            .iter()
            .filter(|r| inside(r.mjd))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let psfs_csv = write_psfs(&sim.psfs);
    let mut g = c.benchmark_group("utc_month_450_clocks_85_labs");
    g.sample_size(20);
    g.bench_function("engine", |b| {
        b.iter(|| compute_month(black_box(&month), black_box(&state), &config).unwrap())
    });
    g.bench_function("csv_to_circular_t", |b| {
        b.iter(|| {
            let inputs = Inputs {
                year: 2025,
                month: 1,
                clocks: read_clocks("clocks.csv", black_box(&clocks_csv)).unwrap(),
                links: read_links("links.csv", black_box(&links_csv)).unwrap(),
                psfs: read_psfs("psfs.csv", black_box(&psfs_csv)).unwrap(),
                leap: leap.clone(),
                locations: Default::default(),
            };
            let (r, s) = compute_month(&inputs, &state, &config).unwrap();
            (r.circular_t_text(), s.to_text())
        })
    });
    g.finish();
}

/// Criterion's generated group function (a public item without docs).
mod group {
    #![allow(missing_docs, unreachable_pub)]
    criterion::criterion_group!(benches, super::bench);
}
criterion_main!(group::benches);
