//! Criterion benchmarks of the estimators on the shapes of the planned
//! comparison benchmark: DerSimonian–Laird and Paule–Mandel on 10 000
//! comparisons of 12 participants (slice API and full `analyse`), and Cox
//! procedure B with 10⁶ Monte Carlo draws on 12 participants.

use criterion::{black_box, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sevres_comparison::estimators::{dersimonian_laird, paule_mandel};
use sevres_comparison::{analyse, ComparisonInput, Method, Options, Participant};

/// 10 000 synthetic comparisons of 12 participants with dark uncertainty.
fn data(count: usize, n: usize) -> Vec<(Vec<f64>, Vec<f64>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    (0..count)
        .map(|_| {
            let u: Vec<f64> = (0..n).map(|_| rng.gen_range(0.5..2.0)).collect();
            let x = u
                .iter()
                .map(|ui| 100.0 + rng.gen_range(-1.0..1.0) * (ui + 1.0))
                .collect();
            (x, u)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let sets = data(10_000, 12);
    c.bench_function("dl slices 10k x 12", |b| {
        b.iter(|| {
            for (x, u) in &sets {
                black_box(dersimonian_laird(x, u).ok());
            }
        })
    });
    c.bench_function("pm slices 10k x 12", |b| {
        b.iter(|| {
            for (x, u) in &sets {
                black_box(paule_mandel(x, u).ok());
            }
        })
    });
    let inputs: Vec<ComparisonInput> = sets
        .iter()
        .map(|(x, u)| {
            ComparisonInput::new(
                x.iter()
                    .zip(u)
                    .enumerate()
                    .map(|(i, (&xi, &ui))| Participant::new(format!("L{i}"), xi, ui))
                    .collect(),
            )
        })
        .collect();
    let options = Options::default();
    for method in [Method::DerSimonianLaird, Method::PauleMandel] {
        c.bench_function(&format!("analyse {method} 10k x 12"), |b| {
            b.iter(|| {
                for input in &inputs {
                    black_box(analyse(input, method, &options).ok());
                }
            })
        });
    }
    let mut group = c.benchmark_group("procedure-b");
    group.sample_size(10);
    let mc = Options {
        draws: 1_000_000,
        ..Options::default()
    };
    group.bench_function("1e6 draws x 12", |b| {
        b.iter(|| black_box(analyse(&inputs[0], Method::ProcedureB, &mc).ok()))
    });
    group.bench_function("linear-pool 1e6 draws x 12", |b| {
        b.iter(|| black_box(analyse(&inputs[0], Method::LinearPool, &mc).ok()))
    });
    group.finish();
}

fn main() {
    // Written out instead of `criterion_group!`/`criterion_main!`, whose generated
    // public function would trip the workspace's `missing_docs` lint.
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
