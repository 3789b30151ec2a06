//! API behaviour of `stability`: parsing, conversions, errors, gaps, and
//! properties that must hold for any input (proptest).
use proptest::prelude::*;
use sevres_timescale::stability::{
    deviation, frequency_to_phase, parse_series, phase_to_frequency, AveragingFactors, DataType,
    Kind, StabilityError,
};

/// Deterministic pseudo-random white noise (Lehmer / Park–Miller, as the
/// NBS14 set) centred on 0.
fn noise(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed % 2_147_483_647 + 1;
    (0..n)
        .map(|_| {
            s = s * 16_807 % 2_147_483_647;
            s as f64 / 2_147_483_647.0 - 0.5
        })
        .collect()
}

fn random_walk(n: usize, seed: u64) -> Vec<f64> {
    let mut acc = 0.0;
    noise(n, seed)
        .into_iter()
        .map(|v| {
            acc += v;
            acc
        })
        .collect()
}

#[test]
fn parse_series_reads_values_comments_and_columns() {
    let v = parse_series("# header\n1.5\n\n  -2e-3 # note\n59000 3.0\nnan\n").unwrap();
    assert_eq!(v.len(), 4);
    assert_eq!(&v[..3], &[1.5, -2e-3, 3.0]);
    assert!(v[3].is_nan());
    let e = parse_series("1\n2\nabc\n").unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.to_string().contains("line 3"));
    assert_eq!(parse_series("1\ninf\n").unwrap_err().line, 2);
}

#[test]
fn names_parse() {
    for k in Kind::ALL {
        assert_eq!(k.name().parse::<Kind>().unwrap(), k);
    }
    assert!(matches!(
        "allan".parse::<Kind>(),
        Err(StabilityError::UnknownKind(_))
    ));
    assert_eq!(
        "octave".parse::<AveragingFactors>().unwrap(),
        AveragingFactors::Octave
    );
    assert_eq!(
        "Decade".parse::<AveragingFactors>().unwrap(),
        AveragingFactors::Decade
    );
    assert_eq!(
        "all".parse::<AveragingFactors>().unwrap(),
        AveragingFactors::All
    );
    assert_eq!(
        "1, 2,5".parse::<AveragingFactors>().unwrap(),
        AveragingFactors::List(vec![1, 2, 5])
    );
    for bad in ["", "0", "1,,2", "x", "-1"] {
        assert!(bad.parse::<AveragingFactors>().is_err(), "{bad:?}");
    }
    assert_eq!("freq".parse::<DataType>().unwrap(), DataType::Frequency);
    assert!("volts".parse::<DataType>().is_err());
}

#[test]
fn conversions_round_trip() {
    let y = noise(100, 7);
    let x = frequency_to_phase(&y, 2.0).unwrap();
    assert_eq!(x.len(), 101);
    let back = phase_to_frequency(&x, 2.0).unwrap();
    for (a, b) in y.iter().zip(&back) {
        assert!((a - b).abs() < 1e-12);
    }
    assert!(matches!(
        phase_to_frequency(&x, 0.0),
        Err(StabilityError::InvalidTau0(_))
    ));
    let x = frequency_to_phase(&[1.0, f64::NAN, 3.0], 1.0).unwrap();
    assert!(x[2].is_nan());
    assert_eq!(x[3], 1.0 + 2.0 + 3.0); // the gap is bridged with the mean (2)
}

#[test]
fn bad_input_is_a_typed_error_never_a_panic() {
    let d = noise(100, 1);
    let run = |k: Kind, data: &[f64], tau0: f64, f: AveragingFactors| {
        deviation(k, data, DataType::Phase, tau0, &f)
    };
    for k in Kind::ALL {
        assert_eq!(
            run(k, &[], 1.0, AveragingFactors::Octave),
            Err(StabilityError::EmptyData)
        );
        assert!(matches!(
            run(k, &d, 0.0, AveragingFactors::Octave),
            Err(StabilityError::InvalidTau0(_))
        ));
        assert!(matches!(
            run(k, &d, f64::NAN, AveragingFactors::Octave),
            Err(StabilityError::InvalidTau0(_))
        ));
        assert!(matches!(
            run(k, &d, -1.0, AveragingFactors::Octave),
            Err(StabilityError::InvalidTau0(_))
        ));
        assert_eq!(
            run(k, &[f64::NAN; 5], 1.0, AveragingFactors::Octave),
            Err(StabilityError::AllGaps(5))
        );
        assert!(matches!(
            run(k, &[1.0], 1.0, AveragingFactors::Octave),
            Err(StabilityError::TooFewPoints { .. })
        ));
        assert!(matches!(
            run(k, &d, 1.0, AveragingFactors::List(vec![1000])),
            Err(StabilityError::InvalidFactor { m: 1000, .. })
        ));
        assert!(matches!(
            run(k, &d, 1.0, AveragingFactors::List(vec![0])),
            Err(StabilityError::InvalidFactor { m: 0, .. })
        ));
        let mut inf = d.clone();
        inf[17] = f64::INFINITY;
        assert!(matches!(
            run(k, &inf, 1.0, AveragingFactors::Octave),
            Err(StabilityError::NonFinite { index: 17, .. })
        ));
        // Every automatic set works on small data, on every kind.
        for f in [
            AveragingFactors::Octave,
            AveragingFactors::Decade,
            AveragingFactors::All,
        ] {
            let pts = run(k, &d, 1.0, f).unwrap();
            assert!(!pts.is_empty());
            assert!(pts
                .iter()
                .all(|p| p.dev.is_finite() && p.dev >= 0.0 && p.n > 0));
        }
    }
    assert!(matches!(
        run(Kind::Theo1, &d, 1.0, AveragingFactors::List(vec![11])),
        Err(StabilityError::InvalidFactor { .. })
    ));
}

/// Straightforward O(N·m) MDEV (NIST SP 1065 eq. 14) to check the running
/// sum of the fast kernel.
fn mdev_naive(x: &[f64], m: usize, tau0: f64) -> f64 {
    let n = x.len();
    let mut s = 0.0;
    for j in 0..=n - 3 * m {
        let v: f64 = (j..j + m)
            .map(|i| x[i + 2 * m] - 2.0 * x[i + m] + x[i])
            .sum();
        s += v * v;
    }
    let tau = m as f64 * tau0;
    (s / (2.0 * (m * m) as f64 * tau * tau * (n - 3 * m + 1) as f64)).sqrt()
}

#[test]
fn mdev_matches_naive_sum() {
    let x = random_walk(997, 3);
    let ms: Vec<usize> = (1..=300).collect();
    let pts = deviation(
        Kind::Mdev,
        &x,
        DataType::Phase,
        0.5,
        &AveragingFactors::List(ms),
    )
    .unwrap();
    for p in pts {
        let naive = mdev_naive(&x, p.af, 0.5);
        assert!(
            (p.dev - naive).abs() <= 1e-10 * naive,
            "m {}: {} vs {naive}",
            p.af,
            p.dev
        );
    }
}

#[test]
fn htotdev_at_m1_is_ohdev_and_total_family_is_close_to_plain() {
    let y = noise(3000, 11);
    let f = AveragingFactors::List(vec![1]);
    let h = deviation(Kind::Htotdev, &y, DataType::Frequency, 1.0, &f).unwrap();
    let o = deviation(Kind::Ohdev, &y, DataType::Frequency, 1.0, &f).unwrap();
    assert_eq!(h[0].dev, o[0].dev);
    // For white FM the total estimators estimate the same variance as their
    // plain counterparts (Howe; NIST SP 1065 §5.2.11–14): agree within the
    // statistical scatter at moderate τ.
    let f = AveragingFactors::List(vec![4, 8]);
    for (tot, plain) in [
        (Kind::Mtotdev, Kind::Mdev),
        (Kind::Htotdev, Kind::Ohdev),
        (Kind::Totdev, Kind::Oadev),
    ] {
        let a = deviation(tot, &y, DataType::Frequency, 1.0, &f).unwrap();
        let b = deviation(plain, &y, DataType::Frequency, 1.0, &f).unwrap();
        for (p, q) in a.iter().zip(&b) {
            assert!(
                (p.dev / q.dev - 1.0).abs() < 0.15,
                "{tot} vs {plain} m {}: {} {}",
                p.af,
                p.dev,
                q.dev
            );
        }
    }
    // TTOTDEV = τ/√3 · MTOTDEV (SP 1065 eq. 28).
    let a = deviation(Kind::Ttotdev, &y, DataType::Frequency, 2.0, &f).unwrap();
    let b = deviation(Kind::Mtotdev, &y, DataType::Frequency, 2.0, &f).unwrap();
    for (p, q) in a.iter().zip(&b) {
        assert!((p.dev - p.tau / 3f64.sqrt() * q.dev).abs() < 1e-12 * p.dev);
    }
}

#[test]
fn gaps_skip_terms_that_touch_them() {
    let mut x = random_walk(200, 5);
    let full = deviation(
        Kind::Oadev,
        &x,
        DataType::Phase,
        1.0,
        &AveragingFactors::List(vec![1, 3]),
    )
    .unwrap();
    x[50] = f64::NAN;
    let gap = deviation(
        Kind::Oadev,
        &x,
        DataType::Phase,
        1.0,
        &AveragingFactors::List(vec![1, 3]),
    )
    .unwrap();
    // m = 1: terms i = 48, 49, 50 read x[50]; m = 3: i = 44, 47, 50.
    assert_eq!(gap[0].n, full[0].n - 3);
    assert_eq!(gap[1].n, full[1].n - 3);
    // Hand computation of the m = 1 sum without those terms.
    let mut s = 0.0;
    let mut n = 0;
    for i in 0..198 {
        let d = x[i + 2] - 2.0 * x[i + 1] + x[i];
        if d.is_finite() {
            s += d * d;
            n += 1;
        }
    }
    assert_eq!(n, gap[0].n);
    assert!((gap[0].dev - (s / (2.0 * n as f64)).sqrt()).abs() < 1e-12);
    // Frequency gaps: a term is skipped when its span holds the gap.
    let mut y = noise(200, 9);
    y[100] = f64::NAN;
    for k in Kind::ALL {
        let pts = deviation(k, &y, DataType::Frequency, 1.0, &AveragingFactors::Octave).unwrap();
        assert!(pts.iter().all(|p| p.dev.is_finite()), "{k}");
    }
    let p = deviation(
        Kind::Adev,
        &y,
        DataType::Frequency,
        1.0,
        &AveragingFactors::List(vec![1]),
    )
    .unwrap();
    assert_eq!(p[0].n, 199 - 2); // terms on y[99]–y[100] and y[100]–y[101] dropped
}

#[test]
fn octave_lists_follow_stable32_limits() {
    let f = AveragingFactors::Octave;
    assert_eq!(
        f.resolve(Kind::Adev, 1001).unwrap(),
        vec![1, 2, 4, 8, 16, 32, 64, 128]
    );
    assert_eq!(
        f.resolve(Kind::Totdev, 1001).unwrap(),
        vec![1, 2, 4, 8, 16, 32, 64, 128, 256]
    );
    assert_eq!(
        f.resolve(Kind::Mtie, 1001).unwrap(),
        vec![1, 3, 7, 15, 31, 63, 127, 255, 511]
    );
    assert_eq!(
        AveragingFactors::Decade.resolve(Kind::Oadev, 1001).unwrap(),
        vec![1, 2, 4, 10, 20, 40, 100, 200]
    );
    assert_eq!(
        AveragingFactors::All.resolve(Kind::Theo1, 40).unwrap(),
        vec![10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A constant-frequency phase ramp has zero Allan/Hadamard/total
    /// deviations (second differences of a line vanish).
    #[test]
    fn phase_ramp_has_zero_deviation(slope in -1e-6f64..1e-6, offset in -1.0f64..1.0, n in 40usize..300) {
        let x: Vec<f64> = (0..n).map(|i| offset + slope * i as f64).collect();
        for k in [Kind::Adev, Kind::Oadev, Kind::Mdev, Kind::Tdev, Kind::Hdev, Kind::Ohdev, Kind::Totdev, Kind::Mtotdev, Kind::Htotdev, Kind::Theo1] {
            for p in deviation(k, &x, DataType::Phase, 1.0, &AveragingFactors::Octave).unwrap() {
                // Only round-off of the samples themselves may remain.
                let scale = offset.abs() + slope.abs() * n as f64;
                prop_assert!(p.dev <= 1e-13 * scale, "{} m {}: {}", k, p.af, p.dev);
            }
        }
    }

    /// Deviations scale linearly with the data; n and α do not change.
    #[test]
    fn scaling_data_scales_deviation(seed in 0u64..1000, scale in 1e-12f64..1e3, n in 50usize..400) {
        let y = noise(n, seed);
        let ys: Vec<f64> = y.iter().map(|v| v * scale).collect();
        for k in Kind::ALL {
            let a = deviation(k, &y, DataType::Frequency, 1.0, &AveragingFactors::Octave).unwrap();
            let b = deviation(k, &ys, DataType::Frequency, 1.0, &AveragingFactors::Octave).unwrap();
            prop_assert_eq!(a.len(), b.len());
            for (p, q) in a.iter().zip(&b) {
                prop_assert_eq!(p.n, q.n);
                prop_assert!((q.dev - scale * p.dev).abs() <= 1e-9 * scale * p.dev + 1e-300, "{} m {}", k, p.af);
                if let (Some(lo), Some(hi)) = (p.ci_low, p.ci_high) {
                    prop_assert!(lo <= p.dev && p.dev <= hi);
                }
            }
        }
    }

    /// Phase input and the equivalent frequency input give the same result
    /// for the ramp-invariant statistics.
    #[test]
    fn phase_and_frequency_agree(seed in 0u64..1000, n in 40usize..300, tau0 in 0.1f64..100.0) {
        let y = noise(n, seed);
        let x = frequency_to_phase(&y, tau0).unwrap();
        for k in [Kind::Adev, Kind::Oadev, Kind::Mdev, Kind::Tdev, Kind::Hdev, Kind::Ohdev, Kind::Totdev] {
            let a = deviation(k, &x, DataType::Phase, tau0, &AveragingFactors::Octave).unwrap();
            let b = deviation(k, &y, DataType::Frequency, tau0, &AveragingFactors::Octave).unwrap();
            for (p, q) in a.iter().zip(&b) {
                prop_assert_eq!(p.n, q.n);
                prop_assert!((p.dev - q.dev).abs() <= 1e-9 * p.dev, "{} m {}", k, p.af);
            }
        }
    }

    /// Arbitrary finite/NaN input never panics.
    #[test]
    fn arbitrary_input_never_panics(v in proptest::collection::vec(prop_oneof![Just(f64::NAN), -1e3f64..1e3], 0..60), k in 0usize..13, freq in any::<bool>()) {
        let dt = if freq { DataType::Frequency } else { DataType::Phase };
        for f in [AveragingFactors::Octave, AveragingFactors::Decade, AveragingFactors::All, AveragingFactors::List(vec![1, 2, 3])] {
            let _ = deviation(Kind::ALL[k], &v, dt, 1.0, &f);
        }
    }
}
