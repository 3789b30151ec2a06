//! Behaviour on constructed inputs: validation errors, DoE formulas, exclusion,
//! correlations, bilateral matrix, linking, Monte Carlo reproducibility.
//! Expected values here are exact consequences of the documented formulas on
//! simple numbers (e.g. two participants), not outputs of this crate.

use sevres_comparison::{
    analyse, bilateral, link, AnalysisError, ComparisonInput, Dependence, Label, LinkingLab,
    Method, Options, Participant, RmoResult,
};

fn three() -> ComparisonInput {
    ComparisonInput::new(vec![
        Participant::new("A", 10.0, 1.0),
        Participant::new("B", 12.0, 1.0),
        Participant::new("C", 20.0, 2.0).in_reference(false),
    ])
}

#[test]
fn method_names_round_trip() {
    for m in Method::ALL {
        assert_eq!(m.name().parse::<Method>().unwrap(), m);
        assert_eq!(m.to_string(), m.name());
    }
    assert!("Mean".parse::<Method>().is_err());
    assert!("paule-mandel".parse::<Method>().is_err());
}

#[test]
fn validation_errors_name_what_and_where() {
    let mut bad = three();
    bad.participants[1].u = 0.0;
    let e = analyse(&bad, Method::Mean, &Options::default()).unwrap_err();
    assert!(
        matches!(
            e,
            AnalysisError::NonPositive {
                index: 1,
                field: "u",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains('B'));

    let mut bad = three();
    bad.participants[2].x = f64::NAN;
    let e = analyse(&bad, Method::Mean, &Options::default()).unwrap_err();
    assert!(
        matches!(
            e,
            AnalysisError::NonFinite {
                index: 2,
                field: "x",
                ..
            }
        ),
        "{e}"
    );

    let mut bad = three();
    bad.participants[0].dof = Some(-1.0);
    let e = analyse(&bad, Method::Mean, &Options::default()).unwrap_err();
    assert!(
        matches!(e, AnalysisError::NonPositive { field: "dof", .. }),
        "{e}"
    );

    let mut bad = three();
    bad.participants[1].in_reference = false;
    let e = analyse(&bad, Method::Mean, &Options::default()).unwrap_err();
    assert_eq!(e, AnalysisError::TooFewParticipants { found: 1 });

    let mut bad = three();
    bad.dependence = Some(Dependence::Correlation(vec![
        vec![1.0, 1.5, 0.0],
        vec![1.5, 1.0, 0.0],
        vec![0.0, 0.0, 1.0],
    ]));
    let e = analyse(&bad, Method::WeightedMean, &Options::default()).unwrap_err();
    assert!(
        matches!(
            e,
            AnalysisError::CorrelationOutOfRange { row: 0, col: 1, .. }
        ),
        "{e}"
    );

    // Each pair at -0.9 is valid, but the three together are not positive definite.
    let mut bad = three();
    bad.dependence = Some(Dependence::Correlation(vec![
        vec![1.0, -0.9, -0.9],
        vec![-0.9, 1.0, -0.9],
        vec![-0.9, -0.9, 1.0],
    ]));
    let e = analyse(&bad, Method::WeightedMean, &Options::default()).unwrap_err();
    assert!(
        matches!(e, AnalysisError::NotPositiveDefinite { .. }),
        "{e}"
    );

    let mut bad = three();
    bad.dependence = Some(Dependence::Covariance(vec![vec![1.0; 2]; 3]));
    let e = analyse(&bad, Method::WeightedMean, &Options::default()).unwrap_err();
    assert!(matches!(e, AnalysisError::DimensionMismatch { .. }), "{e}");

    let bad_opts = Options {
        significance: 1.5,
        ..Options::default()
    };
    assert!(matches!(
        analyse(&three(), Method::Mean, &bad_opts),
        Err(AnalysisError::InvalidOption {
            name: "significance",
            ..
        })
    ));
}

#[test]
fn weighted_mean_doe_in_and_out_of_reference() {
    // A and B (u = 1): y = 11, u_ref² = 1/2. C is outside the reference.
    let a = analyse(&three(), Method::WeightedMean, &Options::default()).unwrap();
    assert_eq!(a.kcrv, 11.0);
    assert!((a.u_kcrv - 0.5f64.sqrt()).abs() < 1e-15);
    assert_eq!(a.excluded, vec![Label::from("C")]);
    // In the reference: u_d² = u_i² − u_ref² = 1/2; outside: 4 + 1/2.
    assert!((a.doe[0].u_d - 0.5f64.sqrt()).abs() < 1e-15);
    assert!((a.doe[2].u_d - 4.5f64.sqrt()).abs() < 1e-15);
    assert_eq!(a.doe[2].d, 9.0);
    assert!((a.doe[2].expanded_u_d - 2.0 * 4.5f64.sqrt()).abs() < 1e-15);
    assert!((a.doe[2].en - 9.0 / (2.0 * 4.5f64.sqrt())).abs() < 1e-15);
    // χ² = (1² + 1²)/1 = 2 with 1 dof.
    assert!((a.chi2 - 2.0).abs() < 1e-15);
    assert_eq!(a.dof, 1);
}

#[test]
fn correlated_gls_two_participants() {
    // For two values with covariance c the GLS weights are
    // w1 = (u2² − c)/(u1² + u2² − 2c) and u(y)² = (u1²u2² − c²)/(u1² + u2² − 2c).
    let (u1, u2, r) = (1.0f64, 2.0f64, 0.25f64);
    let c = r * u1 * u2;
    let input = ComparisonInput {
        participants: vec![
            Participant::new("A", 1.0, u1),
            Participant::new("B", 3.0, u2),
        ],
        dependence: Some(Dependence::Correlation(vec![vec![1.0, r], vec![r, 1.0]])),
    };
    let a = analyse(&input, Method::WeightedMean, &Options::default()).unwrap();
    let den = u1 * u1 + u2 * u2 - 2.0 * c;
    let w1 = (u2 * u2 - c) / den;
    assert!((a.kcrv - (w1 * 1.0 + (1.0 - w1) * 3.0)).abs() < 1e-14);
    assert!((a.u_kcrv - ((u1 * u1 * u2 * u2 - c * c) / den).sqrt()).abs() < 1e-14);
    // Bilateral: u(d_12)² = u1² + u2² − 2c.
    let b = bilateral(&input, &Options::default()).unwrap();
    assert_eq!(b.d(0, 1), Some(-2.0));
    assert!((b.u(0, 1).unwrap() - den.sqrt()).abs() < 1e-15);
    assert!((b.expanded(1, 0).unwrap() - 2.0 * den.sqrt()).abs() < 1e-15);
    assert_eq!(b.u(0, 0), Some(0.0));
    assert_eq!(b.d(2, 0), None);
    // Methods that cannot use correlations say so.
    assert_eq!(
        analyse(&input, Method::PauleMandel, &Options::default()).unwrap_err(),
        AnalysisError::CorrelationUnsupported {
            method: Method::PauleMandel
        }
    );
}

#[test]
fn procedure_a_drops_the_outlier_and_keeps_its_doe() {
    let input = ComparisonInput::new(vec![
        Participant::new("A", 10.0, 0.1),
        Participant::new("B", 10.1, 0.1),
        Participant::new("C", 9.95, 0.1),
        Participant::new("D", 13.0, 0.1),
    ]);
    let a = analyse(&input, Method::ProcedureA, &Options::default()).unwrap();
    assert_eq!(a.dropped, vec![Label::from("D")]);
    assert!(a.consistent);
    assert!((a.kcrv - (10.0 + 10.1 + 9.95) / 3.0).abs() < 1e-12);
    // D is now outside the reference: u_d² = u_D² + u_ref² = 0.01 + 0.01/3.
    assert!((a.doe[3].u_d - (0.01f64 + 0.01 / 3.0).sqrt()).abs() < 1e-12);
    let wm = analyse(&input, Method::WeightedMean, &Options::default()).unwrap();
    assert!(!wm.consistent);
}

#[test]
fn knapp_hartung_interval() {
    let input = ComparisonInput::new(vec![
        Participant::new("A", 1.0, 0.1),
        Participant::new("B", 1.5, 0.1),
        Participant::new("C", 0.7, 0.2),
        Participant::new("D", 1.2, 0.1),
    ]);
    let kh = Options {
        knapp_hartung: true,
        ..Options::default()
    };
    let a = analyse(&input, Method::DerSimonianLaird, &kh).unwrap();
    let ci = a.coverage_interval.unwrap();
    assert!(ci.low < a.kcrv && a.kcrv < ci.high);
    // Symmetric Student-t interval with 3 dof: half-width / u = t_0.975(3) = 3.182
    // (JCGM 100:2008 Table G.2, three decimals).
    let t = (ci.high - a.kcrv) / a.u_kcrv;
    assert!((t - 3.182).abs() < 5e-4, "{t}");
}

#[test]
fn monte_carlo_is_seeded_and_sensible() {
    let input = ComparisonInput::new(
        (0..7)
            .map(|i| Participant::new(format!("L{i}"), 5.0 + 0.01 * i as f64, 1.0))
            .collect(),
    );
    let o = Options {
        draws: 20_000,
        seed: 42,
        ..Options::default()
    };
    let a = analyse(&input, Method::ProcedureB, &o).unwrap();
    let b = analyse(&input, Method::ProcedureB, &o).unwrap();
    assert_eq!(a, b, "same seed, same result");
    let c = analyse(
        &input,
        Method::ProcedureB,
        &Options {
            seed: 43,
            ..o.clone()
        },
    )
    .unwrap();
    assert_ne!(a.u_kcrv, c.u_kcrv);
    // The median of 7 standard normals has standard deviation ≈ 0.46 (asymptotically
    // √(π/2)/√7 = 0.47); 20 000 draws give ±1 % statistical precision.
    assert!((a.u_kcrv - 0.46).abs() < 0.02, "{}", a.u_kcrv);
    let ci = a.coverage_interval.unwrap();
    assert!(ci.low < a.kcrv && a.kcrv < ci.high);
    // Linear pool of identical N(≈5, 1) labs is ≈ N(5, 1).
    let lp = analyse(&input, Method::LinearPool, &o).unwrap();
    assert!((lp.u_kcrv - 1.0).abs() < 0.03, "{}", lp.u_kcrv);
    // t-distributed participants (dof = 3) have heavier tails: std √3 ≈ 1.73.
    let heavy = ComparisonInput::new(
        input
            .participants
            .iter()
            .cloned()
            .map(|p| p.with_dof(3.0))
            .collect(),
    );
    let lp3 = analyse(&heavy, Method::LinearPool, &o).unwrap();
    assert!(lp3.u_kcrv > 1.3, "{}", lp3.u_kcrv);
}

#[test]
fn linking_two_labs() {
    // Both linking labs imply a correction of +1 (CIPM DoE − RMO value).
    let linking = vec![
        LinkingLab {
            lab: "L1".into(),
            cipm_d: 0.5,
            cipm_u_d: 0.3,
            rmo_x: -0.5,
            rmo_u: 0.4,
            covariance: 0.0,
        },
        LinkingLab {
            lab: "L2".into(),
            cipm_d: 1.5,
            cipm_u_d: 0.3,
            rmo_x: 0.5,
            rmo_u: 0.4,
            covariance: 0.0,
        },
    ];
    let others = vec![RmoResult {
        lab: "R".into(),
        x: 2.0,
        u: 0.5,
    }];
    let l = link(&linking, &others, &Options::default()).unwrap();
    assert!((l.correction - 1.0).abs() < 1e-15);
    // u(c_l)² = 0.09 + 0.16 = 0.25 each, so u(c)² = 0.125.
    assert!((l.u_correction - 0.125f64.sqrt()).abs() < 1e-15);
    assert_eq!(l.chi2, 0.0);
    assert!(l.consistent);
    assert_eq!(l.doe[0].d, 3.0);
    assert!((l.doe[0].u_d - (0.25f64 + 0.125).sqrt()).abs() < 1e-15);
    assert_eq!(
        link(&[], &others, &Options::default()).unwrap_err(),
        AnalysisError::NoLinkingLabs
    );
}
