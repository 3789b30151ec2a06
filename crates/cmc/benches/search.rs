//! Unit-aware search over a registry of 1 000 000 generated CMCs.
//!
//! * `search/mixed`: the generator's questions (a measured value in one of the template's
//!   units, 60 % with an uncertainty limit, some facets and words), one per iteration, cycling
//!   through 1000 of them;
//! * `search/dc_voltage_10V_1uV_per_V`: "who can calibrate DC voltage at 10 V with an expanded
//!   uncertainty of at most 1 µV/V?";
//! * `build/100k`: indexing 100 000 CMCs.
//!
//! `cargo bench -p sevres-cmc --bench search`; `CMC_BENCH_SIZE` changes the registry size.
//! Percentiles over single questions: `cargo run --release -p sevres-cmc --example search_p95`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use sevres_cmc::generate::{generate, Generator};
use sevres_cmc::{Facet, Quantity, Query, Registry, UncertaintyLimit};

fn size() -> usize {
    std::env::var("CMC_BENCH_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000)
}

fn search(c: &mut Criterion) {
    let registry = Registry::new(generate(42, size()));
    let mut g = Generator::new(7);
    let queries: Vec<Query> = (0..1000).map(|_| g.query()).collect();
    let mut group = c.benchmark_group("search");
    let mut i = 0;
    group.bench_function("mixed", |b| {
        b.iter(|| {
            let q = &queries[i % queries.len()];
            i += 1;
            black_box(registry.search(q).map(|r| r.total).unwrap_or_default())
        })
    });
    let documented = Query::new()
        .facet(Facet::Quantity, "DC voltage")
        .at(Quantity::parse("10 V").unwrap_or_else(|e| panic!("{e}")))
        .max_uncertainty(UncertaintyLimit::new(
            Quantity::parse("1 µV/V").unwrap_or_else(|e| panic!("{e}")),
        ))
        .limit(20);
    group.bench_function("dc_voltage_10V_1uV_per_V", |b| {
        b.iter(|| {
            black_box(
                registry
                    .search(&documented)
                    .map(|r| r.total)
                    .unwrap_or_default(),
            )
        })
    });
    group.finish();
}

fn build(c: &mut Criterion) {
    let cmcs = generate(43, 100_000);
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("100k", |b| {
        b.iter(|| black_box(Registry::new(cmcs.clone()).len()))
    });
    group.finish();
}

criterion_group!(benches, search, build);
criterion_main!(benches);
