//! Criterion benchmarks of the hot statistics (OADEV, MDEV, TDEV) on phase
//! data, octave and every-τ factor sets — the workload of the allantools
//! comparison (which uses 10⁷ points; sizes here keep `cargo bench` short).
use std::hint::black_box;

use criterion::{criterion_main, BenchmarkId, Criterion};
use sevres_timescale::stability::{deviation, AveragingFactors, DataType, Kind};

/// White-FM phase (random walk) from a Lehmer generator.
fn phase(n: usize) -> Vec<f64> {
    let mut s: u64 = 1_234_567_890;
    let mut acc = 0.0;
    (0..n)
        .map(|_| {
            s = s * 16_807 % 2_147_483_647;
            acc += (s as f64 / 2_147_483_647.0 - 0.5) * 1e-9;
            acc
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("stability");
    g.sample_size(10);
    let big = phase(1_000_000);
    let small = phase(20_000);
    for kind in [Kind::Oadev, Kind::Mdev, Kind::Tdev] {
        g.bench_with_input(
            BenchmarkId::new(format!("{kind}_octave"), big.len()),
            &big,
            |b, x| {
                b.iter(|| {
                    deviation(
                        kind,
                        black_box(x),
                        DataType::Phase,
                        1.0,
                        &AveragingFactors::Octave,
                    )
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new(format!("{kind}_all"), small.len()),
            &small,
            |b, x| {
                b.iter(|| {
                    deviation(
                        kind,
                        black_box(x),
                        DataType::Phase,
                        1.0,
                        &AveragingFactors::All,
                    )
                })
            },
        );
    }
    g.finish();
}

/// Criterion's generated group function (a public item without docs).
mod group {
    #![allow(missing_docs, unreachable_pub)]
    criterion::criterion_group!(benches, super::bench);
}
criterion_main!(group::benches);
