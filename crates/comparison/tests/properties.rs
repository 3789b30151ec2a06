//! Property tests: invariances every reference-value estimator must have.
//!
//! * permuting the participants permutes the DoE and leaves the KCRV unchanged;
//! * weights (where defined) are non-negative and sum to 1;
//! * shift and scale equivariance: `x → a + b·x`, `u → |b|·u` maps
//!   KCRV → a + b·KCRV, u(KCRV) → |b|·u, τ → |b|·τ.
//!
//! Monte Carlo methods are excluded from the permutation test (the draws are
//! consumed in input order) but, with a common seed, satisfy the equivariance
//! exactly up to rounding since each draw is `x_i + u_i·z`.

use proptest::prelude::*;
use sevres_comparison::{analyse, ComparisonInput, Method, Options, Participant};

fn comparison() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec((-10.0f64..10.0, 0.05f64..3.0), 2..9)
}

fn build(v: &[(f64, f64)]) -> ComparisonInput {
    let order: Vec<usize> = (0..v.len()).collect();
    build_labelled(v, &order)
}

/// Participant k is labelled `L{labels[k]}`.
fn build_labelled(v: &[(f64, f64)], labels: &[usize]) -> ComparisonInput {
    ComparisonInput::new(
        v.iter()
            .zip(labels)
            .map(|(&(x, u), l)| Participant::new(format!("L{l}"), x, u))
            .collect(),
    )
}

const DETERMINISTIC: [Method; 7] = [
    Method::Mean,
    Method::WeightedMean,
    Method::ProcedureA,
    Method::Median,
    Method::DerSimonianLaird,
    Method::PauleMandel,
    Method::PowerModeratedMean,
];

fn close(a: f64, b: f64, scale: f64) -> bool {
    // Different summation orders round differently: 1e-9 of the data scale.
    (a - b).abs() <= 1e-9 * scale.max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn kcrv_invariant_under_reordering(v in comparison(), seed in any::<u64>()) {
        let mut perm: Vec<usize> = (0..v.len()).collect();
        // Deterministic shuffle from the seed (Fisher–Yates with an LCG).
        let mut s = seed;
        for i in (1..perm.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let w: Vec<(f64, f64)> = perm.iter().map(|&i| v[i]).collect();
        for m in DETERMINISTIC {
            let a = analyse(&build(&v), m, &Options::default());
            let b = analyse(&build_labelled(&w, &perm), m, &Options::default());
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    prop_assert!(close(a.kcrv, b.kcrv, 10.0), "{m}: {} vs {}", a.kcrv, b.kcrv);
                    prop_assert!(close(a.u_kcrv, b.u_kcrv, 10.0), "{m}");
                    prop_assert!(close(a.tau, b.tau, 10.0), "{m}");
                    for (k, &i) in perm.iter().enumerate() {
                        prop_assert_eq!(&a.doe[i].lab, &b.doe[k].lab);
                        prop_assert!(close(a.doe[i].d, b.doe[k].d, 10.0), "{m}");
                        prop_assert!(close(a.doe[i].u_d, b.doe[k].u_d, 10.0), "{m}");
                    }
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "{m}: {a:?} vs {b:?}"),
            }
        }
    }

    #[test]
    fn weights_sum_to_one(v in comparison()) {
        for m in DETERMINISTIC {
            let Ok(a) = analyse(&build(&v), m, &Options::default()) else { continue };
            if let Some(w) = a.weights {
                prop_assert!(w.iter().all(|&wi| wi >= 0.0), "{m}: {w:?}");
                let s: f64 = w.iter().sum();
                prop_assert!((s - 1.0).abs() < 1e-12, "{m}: sum {s}");
                // The KCRV is the weighted mean with these weights.
                let y: f64 = w.iter().zip(&v).map(|(wi, (x, _))| wi * x).sum();
                prop_assert!(close(y, a.kcrv, 10.0), "{m}: {y} vs {}", a.kcrv);
            }
        }
    }

    #[test]
    fn shift_scale_equivariance(v in comparison(), a in -100.0f64..100.0, b in prop::sample::select(vec![-3.0, -0.5, 0.25, 2.0, 1000.0])) {
        let w: Vec<(f64, f64)> = v.iter().map(|&(x, u)| (a + b * x, b.abs() * u)).collect();
        let opts = Options { draws: 2_000, ..Options::default() };
        let methods = DETERMINISTIC.iter().copied().chain([Method::ProcedureB, Method::LinearPool]);
        for m in methods {
            // Median-type methods pick order statistics, which a negative b reverses:
            // the median is still equivariant, only MC draws pair differently, so MC
            // methods are checked for b > 0 only.
            if m.is_monte_carlo() && b < 0.0 {
                continue;
            }
            let p = analyse(&build(&v), m, &opts);
            let q = analyse(&build(&w), m, &opts);
            match (p, q) {
                (Ok(p), Ok(q)) => {
                    let scale = 10.0 * b.abs() + a.abs();
                    prop_assert!(close(a + b * p.kcrv, q.kcrv, scale), "{m}: {} vs {}", a + b * p.kcrv, q.kcrv);
                    prop_assert!(close(b.abs() * p.u_kcrv, q.u_kcrv, scale), "{m}");
                    prop_assert!(close(b.abs() * p.tau, q.tau, scale), "{m}");
                    prop_assert_eq!(p.dropped, q.dropped);
                }
                (Err(e), Err(f)) => prop_assert_eq!(e, f),
                (p, q) => prop_assert!(false, "{m}: {p:?} vs {q:?}"),
            }
        }
    }
}
