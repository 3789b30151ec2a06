//! The ALGOS ensemble: prediction, weighting with the maximum-weight cap,
//! the weighted average, and the tests that set a clock's weight to zero.
//!
//! Notation (Panfilo & Arias, "The Coordinated Universal Time (UTC)",
//! Metrologia 56 (2019) 042001): x_i(t) = EAL(t) − h_i(t), x'_i(t) its
//! prediction, r_i(t) = R(t) − h_i(t) the measured reading of clock i against
//! a common reference R (here UTC(pivot), through the links). EAL is the
//! weighted average of the clocks corrected by their predictions,
//!
//!   EAL(t) = Σ ω_i [h_i(t) + x'_i(t)],  Σ ω_i = 1,
//!
//! hence EAL − R = Σ ω_i [x'_i(t) − r_i(t)] and x_i = (EAL − R) + r_i.
//!
//! Prediction (Panfilo, Harmegnies & Tisserand, "A new prediction algorithm
//! for the generation of International Atomic Time", Metrologia 49 (2012)
//! 49–56): quadratic in time,
//!
//!   x'_i(t) = x_i(t₀) + B_i (t − t₀) + ½ C_i (t − t₀)²,
//!
//! with t₀ the last date of the previous month, B_i the frequency at t₀
//! (the last monthly mean frequency carried to the end of its interval with
//! the drift) and C_i the drift, estimated by a linear fit of the monthly
//! frequencies and used only where significant (H-masers; caesium clocks
//! show none). Our choice: the monthly frequencies are referred to the SI
//! second (through the PSFS estimate of the EAL frequency) before the fit.
//! Referred to EAL itself, a drift would be kept by EAL for ever: EAL's
//! frequency changes by Σ ω_i (D_i + C_i) per unit time (D_i the clock's own
//! drift), which vanishes only with C_i = −D_i.
//!
//! Weights (Panfilo, Harmegnies & Tisserand, "A new weighting procedure for
//! UTC", Metrologia 51 (2014) 285–292): from the clock's *predictability*,
//! ω_i ∝ 1/σ_i² with σ_i² the mean square of the differences between the
//! monthly frequency and its prediction over the past 12 months; the
//! relative weight is limited to A/N (N the number of weighted clocks), the
//! excess being redistributed by renormalising the others, iteratively.

/// Ordinary least-squares slope of y on t and its standard error.
pub(crate) fn slope(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = points.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mt = points.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = points.iter().map(|p| p.1).sum::<f64>() / nf;
    let stt: f64 = points.iter().map(|p| (p.0 - mt).powi(2)).sum();
    if stt <= 0.0 {
        return None;
    }
    let b = points.iter().map(|p| (p.0 - mt) * (p.1 - my)).sum::<f64>() / stt;
    let a = my - b * mt;
    let rss: f64 = points.iter().map(|p| (p.1 - a - b * p.0).powi(2)).sum();
    let se = (rss / (nf - 2.0) / stt).sqrt();
    Some((b, se))
}

/// Relative weights from raw weights with the maximum relative weight
/// `cap`: weights above the cap are fixed at it and the rest renormalised to
/// share the remainder, until no free weight exceeds the cap (Panfilo et al.
/// 2014). Returns the weights and which ones hit the cap.
pub(crate) fn capped_weights(raw: &[f64], cap: f64) -> (Vec<f64>, Vec<bool>) {
    let n = raw.len();
    let mut fixed = vec![false; n];
    let mut w = vec![0.0; n];
    loop {
        let n_fixed = fixed.iter().filter(|&&f| f).count();
        let free_sum: f64 = raw
            .iter()
            .zip(&fixed)
            .filter(|(_, &f)| !f)
            .map(|(r, _)| r)
            .sum();
        let budget = 1.0 - cap * n_fixed as f64;
        let mut changed = false;
        for i in 0..n {
            if fixed[i] {
                w[i] = cap;
            } else {
                w[i] = if free_sum > 0.0 {
                    raw[i] / free_sum * budget
                } else {
                    0.0
                };
            }
        }
        for i in 0..n {
            if !fixed[i] && w[i] > cap * (1.0 + 1e-12) {
                fixed[i] = true;
                changed = true;
            }
        }
        if !changed {
            return (w, fixed);
        }
    }
}

/// Split test for a frequency step inside the interval: `v` are interval
/// frequency residuals (observed − predicted, per interval), `sigma_interval`
/// the noise of one of them. Returns the best split `s` (the step occurs at
/// the start of interval `s`), the step size (mean after − mean before) and
/// its significance in standard deviations.
pub(crate) fn step_split(v: &[f64], sigma_interval: f64) -> Option<(usize, f64, f64)> {
    let n = v.len();
    if n < 2 || sigma_interval <= 0.0 {
        return None;
    }
    let mut best: Option<(usize, f64, f64)> = None;
    for s in 1..n {
        let m1 = v[..s].iter().sum::<f64>() / s as f64;
        let m2 = v[s..].iter().sum::<f64>() / (n - s) as f64;
        let se = sigma_interval * (1.0 / s as f64 + 1.0 / (n - s) as f64).sqrt();
        let z = (m2 - m1).abs() / se;
        if best.is_none_or(|b| z > b.2) {
            best = Some((s, m2 - m1, z));
        }
    }
    best
}

/// Median of a non-empty slice (NaN-free).
pub(crate) fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    Some(if n % 2 == 1 {
        s[n / 2]
    } else {
        0.5 * (s[n / 2 - 1] + s[n / 2])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_redistributes_iteratively() {
        // One dominant clock among 10 with A = 2: cap 0.2.
        let raw = [100.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        let (w, f) = capped_weights(&raw, 0.2);
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((w[0] - 0.2).abs() < 1e-12 && f[0]);
        assert!(w[1..].iter().all(|&x| (x - 0.8 / 9.0).abs() < 1e-12));
        // Two large: both capped, cascade.
        let raw = [50.0, 40.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        let (w, _) = capped_weights(&raw, 0.2);
        assert!(w.iter().all(|&x| x <= 0.2 + 1e-12));
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn slope_and_split() {
        let p: Vec<(f64, f64)> = (0..6).map(|i| (i as f64, 2.0 * i as f64 + 1.0)).collect();
        let (b, se) = slope(&p).unwrap();
        assert!((b - 2.0).abs() < 1e-12 && se < 1e-12);
        let v = [0.0, 0.0, 0.0, 5.0, 5.0, 5.0];
        let (s, d, z) = step_split(&v, 1.0).unwrap();
        assert_eq!((s, d), (3, 5.0));
        assert!(z > 6.0);
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), Some(2.5));
    }
}
