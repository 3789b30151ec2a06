//! Benchmarks of the unit machinery: parsing UCUM and SI text, and converting values with and
//! without the conversion cache (the CLI's batch path).

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use sevres_si::{si_text, ucum, Conversion, ConversionCache, Notation};

const UCUM: &[&str] = &[
    "mg/dL",
    "kg.m/s2",
    "mmol/(8.h.kg)",
    "10*3/uL",
    "[lb_av]/h",
    "4.[pi].10*-7.N/A2",
    "dB[SPL]",
    "g.m/{hb}",
];

const PAIRS: &[(&str, &str)] = &[
    ("mg/dL", "g/L"),
    ("[lb_av]", "kg"),
    ("km/h", "m/s"),
    ("Cel", "[degF]"),
    ("mmol/L", "umol/mL"),
    ("[in_i]", "cm"),
    ("kPa", "mm[Hg]"),
    ("10*3/uL", "10*9/L"),
];

fn parse(c: &mut Criterion) {
    c.bench_function("parse ucum (8 expressions)", |b| {
        b.iter(|| {
            for s in UCUM {
                black_box(ucum::parse(black_box(s)).ok());
            }
        })
    });
    c.bench_function("parse si (6 expressions)", |b| {
        b.iter(|| {
            for s in ["kg m s^-2", "kg·m·s⁻²", "J/(kg K)", "μm", "°C", "m^(1/2)"] {
                black_box(si_text::parse(black_box(s)).ok());
            }
        })
    });
}

fn convert(c: &mut Criterion) {
    c.bench_function("convert uncached (8 pairs)", |b| {
        b.iter(|| {
            for (from, to) in PAIRS {
                let f = ucum::parse(from).ok();
                let t = ucum::parse(to).ok();
                if let (Some(f), Some(t)) = (f, t) {
                    black_box(Conversion::new(&f, &t).map(|c| c.apply(1.5)).ok());
                }
            }
        })
    });
    c.bench_function("convert cached (100000 values, 8 pairs)", |b| {
        b.iter(|| {
            let mut cache = ConversionCache::new();
            let mut sum = 0.0;
            for i in 0..100_000 {
                let (from, to) = PAIRS[i % PAIRS.len()];
                sum += cache
                    .convert(Notation::Ucum, i as f64, from, to)
                    .unwrap_or(0.0);
            }
            black_box(sum)
        })
    });
}

criterion_group!(benches, parse, convert);
criterion_main!(benches);
