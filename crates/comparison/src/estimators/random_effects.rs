//! Random-effects means: DerSimonian–Laird, Paule–Mandel, and the
//! power-moderated mean used by the CCRI(II).
//!
//! Model (all three): `x_i = μ + b_i + e_i`, `var(e_i) = u_i²`, `var(b_i) = τ²`.
//!
//! Sources:
//! * R. DerSimonian, N. Laird, "Meta-analysis in clinical trials", Controlled
//!   Clinical Trials 7 (1986) 177–188: moment estimator of τ², truncated at 0;
//! * J. Hartung, G. Knapp, "On tests of the overall treatment effect in
//!   meta-analysis with normally distributed responses", Stat. Med. 20 (2001)
//!   1771–1782, and K. Sidik, J. N. Jonkman, Stat. Med. 21 (2002) 3153–3159:
//!   the Knapp–Hartung variance and its Student-t interval;
//! * R. C. Paule, J. Mandel, "Consensus values and weighting factors", J. Res.
//!   NBS 87 (1982) 377–385: τ² solves `Σ (x_i − μ̂)²/(u_i² + τ²) = n − 1`;
//! * S. Pommé, J. Keightley, "Determination of a reference value and its
//!   uncertainty through a power-moderated mean", Metrologia 52 (2015)
//!   S200–S212, as implemented for CCRI(II) key comparisons by the BIPM
//!   (BIPM-RI `Python_lib/PMM.py`, validated against Pommé's spreadsheet).

use super::{check_slices, Pooled};
use crate::special::brent;
use crate::AnalysisError;

/// Moments of the fixed-effect fit: Σw, Σw², Q (about the weighted mean).
fn fixed_effect(x: &[f64], u: &[f64], shift: f64) -> (f64, f64, f64) {
    let (sw, sw2, swx) = x
        .iter()
        .zip(u)
        .fold((0.0, 0.0, 0.0), |(sw, sw2, swx), (&xi, &ui)| {
            let w = 1.0 / (ui * ui);
            (sw + w, sw2 + w * w, swx + w * (xi - shift))
        });
    let m = swx / sw;
    let q = x.iter().zip(u).fold(0.0, |acc, (&xi, &ui)| {
        let r = (xi - shift - m) / ui;
        acc + r * r
    });
    (sw, sw2, q)
}

/// Random-effects weighted mean for a given τ²: `(μ, Σw*, Σ w*(x − μ)²)` with
/// `w*_i = 1/(u_i² + τ²)`, computed about `shift`.
fn re_mean(x: &[f64], u: &[f64], tau2: f64, shift: f64) -> (f64, f64, f64) {
    let (sw, swx) = x.iter().zip(u).fold((0.0, 0.0), |(sw, swx), (&xi, &ui)| {
        let w = 1.0 / (ui * ui + tau2);
        (sw + w, swx + w * (xi - shift))
    });
    let m = swx / sw;
    let rss = x.iter().zip(u).fold(0.0, |acc, (&xi, &ui)| {
        let r = xi - shift - m;
        acc + r * r / (ui * ui + tau2)
    });
    (shift + m, sw, rss)
}

/// DerSimonian–Laird random-effects mean (DerSimonian & Laird 1986):
/// `τ² = max(0, (Q − (n − 1)) / (Σw − Σw²/Σw))`, `w*_i = 1/(u_i² + τ²)`,
/// `μ = Σ w*_i x_i / Σ w*_i`, `u(μ)² = 1/Σ w*_i`.
pub fn dersimonian_laird(x: &[f64], u: &[f64]) -> Result<Pooled, AnalysisError> {
    check_slices(x, u)?;
    Ok(dersimonian_laird_checked(x, u))
}

/// [`dersimonian_laird`] on slices already validated (by `ComparisonInput::validate`).
pub(crate) fn dersimonian_laird_checked(x: &[f64], u: &[f64]) -> Pooled {
    let shift = x[0];
    let (sw, sw2, q) = fixed_effect(x, u, shift);
    let df = (x.len() - 1) as f64;
    let tau2 = ((q - df) / (sw - sw2 / sw)).max(0.0);
    let (mean, sws, _) = re_mean(x, u, tau2, shift);
    Pooled {
        mean,
        u_mean: (1.0 / sws).sqrt(),
        tau2,
        q,
    }
}

/// Paule–Mandel random-effects mean (Paule & Mandel 1982): τ² is the root
/// of `F(τ²) = Σ (x_i − μ(τ²))²/(u_i² + τ²) − (n − 1)`, 0 when `F(0) ≤ 0`.
/// `F` decreases in τ² (Rukhin & Vangel 1998, JASA 93 303) and, since μ(τ²)
/// minimises the weighted sum, `F(τ²) < Σ(x_i − x̄)²/τ² − (n − 1)`, so the root lies
/// in `[0, s²]` with `s²` the sample variance. Brent's method on that bracket gives
/// the root to machine precision. `u(μ)² = 1/Σ w*_i`.
pub fn paule_mandel(x: &[f64], u: &[f64]) -> Result<Pooled, AnalysisError> {
    check_slices(x, u)?;
    let tau2 = pm_tau2(x, u)?;
    let shift = x[0];
    let (_, _, q) = fixed_effect(x, u, shift);
    let (mean, sws, _) = re_mean(x, u, tau2, shift);
    Ok(Pooled {
        mean,
        u_mean: (1.0 / sws).sqrt(),
        tau2,
        q,
    })
}

/// The Paule–Mandel τ² (slices already validated).
fn pm_tau2(x: &[f64], u: &[f64]) -> Result<f64, AnalysisError> {
    let n = x.len() as f64;
    let xbar = x.iter().sum::<f64>() / n;
    let df = n - 1.0;
    let f = |t2: f64| re_mean(x, u, t2, xbar).2 - df;
    if f(0.0) <= 0.0 {
        return Ok(0.0);
    }
    let s2 = x.iter().map(|xi| (xi - xbar) * (xi - xbar)).sum::<f64>() / df;
    brent(f, 0.0, s2, "Paule-Mandel root finder")
}

/// Power-moderated mean (Pommé & Keightley 2015; CCRI(II) form):
///
/// * `s²`: Paule–Mandel τ² (the common variance added so that the reduced χ² is 1);
/// * power `α = 2 − 3/N`;
/// * `S = √(N · max(u²(x̄), 1/Σ (u_i² + s²)⁻¹))` with `u²(x̄) = Σ(x_i − x̄)²/(N(N − 1))`;
/// * `u(x_ref)² = 1 / Σ [(u_i² + s²)^(α/2) S^(2−α)]⁻¹`,
///   `w_i = u(x_ref)² / [(u_i² + s²)^(α/2) S^(2−α)]`, `x_ref = Σ w_i x_i`.
///
/// Returns the pooled mean with `tau2` = `s²`.
pub fn power_moderated_mean(x: &[f64], u: &[f64]) -> Result<Pooled, AnalysisError> {
    pmm_with_weights(x, u, None)
}

/// [`power_moderated_mean`], optionally returning the weights.
pub(crate) fn pmm_with_weights(
    x: &[f64],
    u: &[f64],
    mut weights: Option<&mut [f64]>,
) -> Result<Pooled, AnalysisError> {
    check_slices(x, u)?;
    let n = x.len() as f64;
    let s2 = pm_tau2(x, u)?;
    let alpha = 2.0 - 3.0 / n;
    let xbar = x.iter().sum::<f64>() / n;
    let u2_xbar = x.iter().map(|xi| (xi - xbar) * (xi - xbar)).sum::<f64>() / (n * (n - 1.0));
    let u2_xmp = 1.0 / u.iter().map(|ui| 1.0 / (ui * ui + s2)).sum::<f64>();
    let big_s2 = n * u2_xbar.max(u2_xmp);
    // Denominator of the weights: (u_i² + s²)^(α/2) · S^(2−α) = (u_i² + s²)^(α/2) · (S²)^(1−α/2).
    let s_pow = big_s2.powf(1.0 - alpha / 2.0);
    let den = |ui: f64| (ui * ui + s2).powf(alpha / 2.0) * s_pow;
    let u2_ref = 1.0 / u.iter().map(|&ui| 1.0 / den(ui)).sum::<f64>();
    let shift = x[0];
    let mut acc = 0.0;
    for (i, (&xi, &ui)) in x.iter().zip(u).enumerate() {
        let w = u2_ref / den(ui);
        acc += w * (xi - shift);
        if let Some(ws) = weights.as_deref_mut() {
            if let Some(slot) = ws.get_mut(i) {
                *slot = w;
            }
        }
    }
    let (_, _, q) = fixed_effect(x, u, shift);
    Ok(Pooled {
        mean: shift + acc,
        u_mean: u2_ref.sqrt(),
        tau2: s2,
        q,
    })
}

/// Random-effects weights `w*_i = (1/(u_i² + τ²)) / Σ_j 1/(u_j² + τ²)` of the reference
/// participants `idx` (uncertainties `u`, in the order of `idx`), placed among `n` participants
/// (0 for those outside the reference).
pub(crate) fn re_weights(n: usize, idx: &[usize], u: &[f64], tau2: f64) -> Vec<f64> {
    let s: f64 = u.iter().map(|ui| 1.0 / (ui * ui + tau2)).sum();
    let mut weights = vec![0.0; n];
    for (&i, ui) in idx.iter().zip(u) {
        weights[i] = 1.0 / (ui * ui + tau2) / s;
    }
    weights
}

/// Knapp–Hartung standard uncertainty of the random-effects mean (Hartung &
/// Knapp 2001; Sidik & Jonkman 2002):
/// `u_KH² = Σ w*_i (x_i − μ)² / ((n − 1) Σ w*_i)`.
pub(crate) fn knapp_hartung_u(x: &[f64], u: &[f64], tau2: f64) -> f64 {
    let (_, sws, rss) = re_mean(x, u, tau2, x[0]);
    (rss / ((x.len() - 1) as f64 * sws)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sr85_2015_pmm_matches_ccri_figure() {
        // Input and expected KCRV 29975(46) kBq of the BIPM.RI(II)-K1.Sr-85 2015
        // evaluation, as used by the BIPM's own PMM unit test (BIPM-RI
        // Python_lib PMM.py, test_PMM3: "from past report and PMM.xlsx").
        // The figures are published rounded to 1 kBq, hence the tolerance of 0.5.
        let x = [
            30060.0, 30130.0, 30000.0, 29850.0, 29970.0, 29920.0, 29890.0, 30150.0, 29782.0,
        ];
        let u = [54.0, 170.0, 79.0, 140.0, 340.0, 200.0, 140.0, 100.0, 71.0];
        let p = power_moderated_mean(&x, &u).unwrap();
        assert!((p.mean - 29975.0).abs() <= 0.5, "{}", p.mean);
        assert!((p.u_mean - 46.0).abs() <= 0.5, "{}", p.u_mean);
    }

    #[test]
    fn pm_is_zero_for_consistent_data() {
        let p = paule_mandel(&[1.0, 1.1, 0.9], &[1.0, 1.0, 1.0]).unwrap();
        assert_eq!(p.tau2, 0.0);
    }
}
