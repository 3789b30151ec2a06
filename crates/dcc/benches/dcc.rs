//! Criterion benchmarks: the whole check (guard, XSD, semantic rules) of real DCCs, the XSD
//! stage and the semantic stage alone, and the HTML rendering. The peer comparison with lxml and
//! xmlschema is `bench/dcc_vs_lxml.sh`.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sevres_dcc::{check_report, parse, render_html, Limits, Options};

const FILES: &[&str] = &[
    "valid/dcc_gp_temperature_typical_v12.xml",
    "valid/ptb_vacuumlab-CDG_v3.1.0.xml",
];

fn load(rel: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/testdata/dcc/examples")
        .join(rel);
    std::fs::read(p).expect("shared DCC examples")
}

fn bench(c: &mut Criterion) {
    sevres_dcc::warm_up().expect("schemas compile");
    let mut g = c.benchmark_group("dcc");
    for rel in FILES {
        let bytes = load(rel);
        let name = rel.rsplit('/').next().unwrap_or(rel);
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        let all = Options::default();
        g.bench_function(format!("check/{name}"), |b| {
            b.iter(|| check_report(black_box(&bytes), &all))
        });
        let xsd = Options {
            semantic: false,
            ..Options::default()
        };
        g.bench_function(format!("xsd/{name}"), |b| {
            b.iter(|| check_report(black_box(&bytes), &xsd))
        });
        let sem = Options {
            xsd: false,
            ..Options::default()
        };
        g.bench_function(format!("semantic/{name}"), |b| {
            b.iter(|| check_report(black_box(&bytes), &sem))
        });
        let dcc = parse(&bytes, &Limits::default()).expect("valid example");
        g.bench_function(format!("render_html/{name}"), |b| {
            b.iter(|| render_html(black_box(&dcc), "en"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
