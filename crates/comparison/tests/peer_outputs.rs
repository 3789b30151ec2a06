//! Closed-form and root-finding estimators against the peer outputs stored in
//! the test data (`peer_outputs`: statsmodels 0.15.0 `combine_effects` and the
//! numpy evaluations described in SOURCES.md), on every data set.

mod common;

use common::*;
use sevres_comparison::{analyse, Method, Options};

fn opts() -> Options {
    Options::default()
}

/// DerSimonian–Laird, τ² truncated at 0, against `dl_truncated_numpy` (statsmodels
/// does not truncate, see SOURCES.md). Closed form: 1e-12 relative per SOURCES.md.
#[test]
fn dersimonian_laird_matches_numpy() {
    let mut checked = 0;
    for (name, v) in files_with_participants() {
        let peer = &v["peer_outputs"]["dl_truncated_numpy"];
        if peer.is_null() {
            continue;
        }
        let a = analyse(&input(&v), Method::DerSimonianLaird, &opts()).unwrap();
        assert_rel(
            &format!("{name} DL mean"),
            a.kcrv,
            num(peer, &["mean"]),
            1e-12,
        );
        assert_rel(
            &format!("{name} DL se"),
            a.u_kcrv,
            num(peer, &["se"]),
            1e-12,
        );
        let tau2_peer = num(peer, &["tau2"]);
        if tau2_peer == 0.0 {
            // Truncated at zero (Sr-85: Q < df).
            assert_eq!(a.tau, 0.0, "{name}");
        } else {
            assert_rel(&format!("{name} DL tau2"), a.tau * a.tau, tau2_peer, 1e-12);
        }
        // Q against statsmodels (identical definition); statsmodels' CODATA Q is
        // computed in lower precision (differs from numpy's by 5e-9), hence 1e-8.
        assert_rel(
            &format!("{name} Q"),
            a.chi2,
            num(&v, &["peer_outputs", "dl", "q"]),
            1e-8,
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} data sets checked");
}

/// Paule–Mandel (exact root) against statsmodels' iterative PM. SOURCES.md:
/// statsmodels stops early; agreement ~1e-9 on the mean and ~1e-6 on se and τ
/// (worst 2.2e-6 on τ), so 5e-6 relative on τ and u. The mean inherits the
/// early stop through its weights, an error that is a small fraction of its
/// standard uncertainty, not of its magnitude (NIST NDT example: mean −0.50,
/// se 0.61), so it is compared with an absolute tolerance of 1e-6·se.
#[test]
fn paule_mandel_matches_statsmodels() {
    let mut checked = 0;
    for (name, v) in files_with_participants() {
        let peer = &v["peer_outputs"]["pm"];
        if peer.is_null() {
            continue;
        }
        let a = analyse(&input(&v), Method::PauleMandel, &opts()).unwrap();
        let se = num(peer, &["se_re"]);
        assert_abs(
            &format!("{name} PM mean"),
            a.kcrv,
            num(peer, &["mean_re"]),
            1e-6 * se,
        );
        assert_rel(
            &format!("{name} PM se"),
            a.u_kcrv,
            num(peer, &["se_re"]),
            5e-6,
        );
        let tau_peer = num(peer, &["tau2"]).sqrt();
        if tau_peer == 0.0 {
            assert_eq!(a.tau, 0.0, "{name}");
        } else {
            assert_rel(&format!("{name} PM tau"), a.tau, tau_peer, 5e-6);
        }
        // Exactness of our root: the PM equation holds to rounding.
        let inp = input(&v);
        let w: Vec<(f64, f64)> = inp
            .participants
            .iter()
            .filter(|p| p.in_reference)
            .map(|p| (p.x, 1.0 / (p.u * p.u + a.tau * a.tau)))
            .collect();
        let f: f64 = w.iter().map(|(x, wi)| wi * (x - a.kcrv).powi(2)).sum();
        if a.tau > 0.0 {
            // F(τ²) = n − 1 at the root up to the rounding of the sums (a few ε·Q).
            assert_rel(
                &format!("{name} PM equation"),
                f,
                (w.len() - 1) as f64,
                1e-10,
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} data sets checked");
}

/// Cox procedure A (weighted mean, χ², p, Birge ratio, DoE) against
/// `procedure_a_numpy`. Closed forms: 1e-12 relative. DoE `d_i = x_i − x_w` is a
/// difference of nearly equal numbers, so its rounding error scales with |x|, not
/// |d|: d is compared with an absolute tolerance 1e-12·max|x|.
#[test]
fn weighted_mean_matches_procedure_a_numpy() {
    let mut checked = 0;
    for (name, v) in files_with_participants() {
        let peer = &v["peer_outputs"]["procedure_a_numpy"];
        if peer.is_null() {
            continue;
        }
        let inp = input(&v);
        let a = analyse(&inp, Method::WeightedMean, &opts()).unwrap();
        assert_rel(
            &format!("{name} WM"),
            a.kcrv,
            num(peer, &["weighted_mean"]),
            1e-12,
        );
        assert_rel(
            &format!("{name} u(WM)"),
            a.u_kcrv,
            num(peer, &["u_weighted_mean"]),
            1e-12,
        );
        assert_rel(
            &format!("{name} chi2"),
            a.chi2,
            num(peer, &["chi2_obs"]),
            1e-12,
        );
        assert_eq!(a.dof as f64, num(peer, &["dof"]), "{name}");
        let p = num(peer, &["p_value"]);
        if p > 0.0 {
            // statrs' incomplete gamma converges to ~1e-15; the tail of tiny p
            // (CODATA, 6e-34) loses a few more digits, hence 1e-11.
            assert_rel(&format!("{name} p"), a.p_value, p, 1e-11);
        } else {
            // numpy underflowed to 0 (χ² = 1512 with 8 dof, Vangel–Rukhin).
            assert!(a.p_value < 1e-300, "{name}: p = {}", a.p_value);
        }
        assert_rel(
            &format!("{name} Birge"),
            a.birge_ratio,
            num(peer, &["birge_ratio"]),
            1e-12,
        );
        let xmax = inp
            .participants
            .iter()
            .map(|p| p.x.abs())
            .fold(0.0, f64::max);
        // procedure_a_numpy lists DoE for the participants in the reference only.
        let doe_in: Vec<_> = a.doe.iter().filter(|d| d.in_reference).collect();
        let peer_doe = peer["doe"].as_array().unwrap();
        assert_eq!(doe_in.len(), peer_doe.len(), "{name}");
        for (d, pd) in doe_in.iter().zip(peer_doe) {
            assert_abs(
                &format!("{name} d {}", d.lab),
                d.d,
                num(pd, &["d"]),
                1e-12 * xmax,
            );
            // u_d² = u_i² − u_ref²: relative error bounded by u_i²/u_d² × ε, which
            // stays below 1e-12 for these data.
            assert_rel(
                &format!("{name} u_d {}", d.lab),
                d.u_d,
                num(pd, &["u_d"]),
                1e-12,
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} data sets checked");
}
