//! From EAL to TAI: the frequency of EAL against the SI second from the
//! primary and secondary frequency standards (PSFS), the deviation d of the
//! TAI scale interval, and the frequency steering of TAI.
//!
//! Each PSFS report gives y_k, the fractional frequency of UTC(lab) against
//! the SI second over [t_s, t_e]. The engine knows EAL − UTC(lab) at the
//! grid dates (EAL − R minus the link), so the frequency of EAL follows:
//!
//!   y_EAL,k = y_k + [(EAL − UTC(lab))(t_e) − (EAL − UTC(lab))(t_s)] / (t_e − t_s).
//!
//! Its uncertainty has the components Circular T section 3 lists for each
//! evaluation (Petit, "Use of primary frequency standards for estimating
//! the duration of the scale unit of TAI", 31st PTTI, 1999): u_A and u_B of
//! the standard and u_l/Lab (standard to UTC(lab)), reported by the
//! laboratory, and u_l/Tai (UTC(lab) to TAI), computed here from the time
//! link's u_A with the power law the BIPM uses for frequency transfer into
//! TAI (Panfilo & Parker, "A theoretical and experimental analysis of
//! frequency transfer uncertainty, including frequency transfer into TAI",
//! Metrologia 47 (2010) 552–560):
//!
//!   u_l/Tai(T) = √2 u_A,link / τ0 · (T/τ0)^(−β),   τ0 = 5 d, β = 0.9   ([`ul_tai`]).
//!
//! The estimate of the frequency of EAL over the month is the filter of
//! Azoubib, Granveaud & Guinot ("Estimation of the scale unit duration of
//! time scales", Metrologia 13 (1977) 87–93), as the BIPM still uses it
//! (Panfilo & Arias, Metrologia 56 (2019) 042001, §5): every evaluation of
//! the past months is carried to the month through a model of the EAL
//! frequency instability, and all are combined by generalised least squares
//! with their full covariance ([`combine`]):
//!
//!   y_k = Y + b_s(k) + W(t_k) − W(t_m) + e_k,
//!
//! Y the mean frequency of EAL over the month (centre t_m), b_s the
//! systematic error of standard s (variance u_B²: the same for all its
//! evaluations, hence their correlation), W a random walk of the EAL
//! frequency with variance q per day (so that evaluations further in the
//! past count less; Azoubib et al. §3 model EAL by such a random walk), and
//! e_k independent with variance u_A² + u_l/Lab² + u_l/Tai² + u_EAL², u_EAL
//! the EAL instability over the part of the month an evaluation does not
//! cover. Then Ŷ = (1ᵀV⁻¹1)⁻¹ 1ᵀV⁻¹y, u(Ŷ)² = (1ᵀV⁻¹1)⁻¹ (Aitken's
//! generalised least squares), and the Birge ratio is √(rᵀV⁻¹r/(n − 1)).
//! The papers leave open q, u_EAL, how many months to keep, and how to read
//! an evaluation reported with u_y only: these are in
//! [`Config`](super::Config).
//!
//! TAI = EAL + steering: TAI − EAL changes at the rate s chosen one month
//! ahead, so the deviation of the TAI scale interval is d = −(y_EAL + s)
//! (a scale interval is longer when the frequency is lower), with u(d) =
//! u(Ŷ) since s is exact. Each month s moves towards −y_EAL by at most the
//! configured limit (BIPM steers TAI by announced monthly corrections of a
//! few 10⁻¹⁶; Panfilo & Arias 2019).

/// Nanoseconds per day per unit fractional frequency.
pub(crate) const NS_PER_DAY: f64 = 86_400e9;

/// A PSFS evaluation reduced to the frequency of EAL, as the filter uses it
/// (and as the state keeps it for the following months).
#[derive(Debug, Clone, PartialEq)]
pub struct PsfsEvaluation {
    /// Standard (evaluations of one standard share its u_B).
    pub standard: String,
    /// Centre of the evaluation interval (MJD).
    pub mid_mjd: f64,
    /// Fractional frequency of EAL against the SI second.
    pub y_eal: f64,
    /// Independent part of the uncertainty:
    /// √(u_A² + u_l/Lab² + u_l/Tai² + u_EAL²).
    pub u_indep: f64,
    /// Systematic part u_B, correlated between the standard's evaluations.
    pub u_b: f64,
}

/// The filter's estimate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Estimate {
    /// Mean frequency of EAL over the month.
    pub(crate) y: f64,
    /// Its standard uncertainty.
    pub(crate) u: f64,
    /// Birge ratio √(χ²/(n − 1)) for n > 1.
    pub(crate) birge: Option<f64>,
    /// Weight of each evaluation in the estimate (they sum to 1).
    pub(crate) weights: Vec<f64>,
}

/// u_l/Tai: fractional-frequency uncertainty of the transfer from UTC(lab)
/// to TAI over `days`, from the link's statistical uncertainty `ua_ns`
/// (Panfilo & Parker, Metrologia 47 (2010) 552: √2 u_A/τ0 · (T/τ0)^(−β)).
pub(crate) fn ul_tai(ua_ns: f64, days: f64, tau0_days: f64, beta: f64) -> f64 {
    let tau0 = tau0_days * 86_400.0;
    std::f64::consts::SQRT_2 * ua_ns * 1e-9 / tau0 * (days / tau0_days).powf(-beta)
}

/// Covariance of W(t_i) − W(t_m) and W(t_j) − W(t_m) for a random walk
/// with variance `q` per day: q·min(|a|, |b|) when both lie on the same
/// side of t_m, else 0 (independent increments).
fn walk_cov(a: f64, b: f64, q: f64) -> f64 {
    if a * b > 0.0 {
        q * a.abs().min(b.abs())
    } else {
        0.0
    }
}

/// The generalised-least-squares combination (module documentation) of
/// `evals` for the month centred on `t_ref` (MJD), with the EAL frequency
/// random walk `q` (fractional², per day). None without evaluations or when
/// their covariance is not positive definite.
pub(crate) fn combine(evals: &[PsfsEvaluation], t_ref: f64, q: f64) -> Option<Estimate> {
    let n = evals.len();
    if n == 0 {
        return None;
    }
    // Scale to units of 1e-15 so that the matrix is of order one.
    const S: f64 = 1e15;
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            let (a, b) = (&evals[i], &evals[j]);
            let mut c = walk_cov(a.mid_mjd - t_ref, b.mid_mjd - t_ref, q);
            if a.standard == b.standard {
                c += a.u_b * b.u_b;
            }
            if i == j {
                c += a.u_indep * a.u_indep;
            }
            v[i * n + j] = c * S * S;
        }
    }
    let l = cholesky(&v, n)?;
    let ones = vec![1.0; n];
    let z = solve(&l, n, &ones); // V⁻¹1
    let sz: f64 = z.iter().sum();
    if !(sz.is_finite() && sz > 0.0) {
        return None;
    }
    let weights: Vec<f64> = z.iter().map(|w| w / sz).collect();
    let y: f64 = weights.iter().zip(evals).map(|(w, e)| w * e.y_eal).sum();
    let u = 1.0 / sz.sqrt() / S;
    let birge = (n > 1).then(|| {
        let r: Vec<f64> = evals.iter().map(|e| (e.y_eal - y) * S).collect();
        let vr = solve(&l, n, &r);
        let chi2: f64 = r.iter().zip(&vr).map(|(a, b)| a * b).sum();
        (chi2.max(0.0) / (n - 1) as f64).sqrt()
    });
    Some(Estimate {
        y,
        u,
        birge,
        weights,
    })
}

/// Lower-triangular L with L·Lᵀ = V (row-major n×n), if V is positive definite.
fn cholesky(v: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            if i == j {
                let d = v[i * n + i] - s;
                if !(d.is_finite() && d > 0.0) {
                    return None;
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (v[i * n + j] - s) / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Solves L·Lᵀ·x = b.
fn solve(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut y = vec![0.0; n];
    for i in 0..n {
        let s: f64 = (0..i).map(|k| l[i * n + k] * y[k]).sum();
        y[i] = (b[i] - s) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| l[k * n + i] * x[k]).sum();
        x[i] = (y[i] - s) / l[i * n + i];
    }
    x
}

/// The next steering rate (fractional): towards −y_EAL, changed by at most
/// `limit`; `initial` sets it fully (first alignment of TAI on the SI second).
pub(crate) fn next_steering(current: f64, y_eal: Option<f64>, limit: f64, initial: bool) -> f64 {
    match y_eal {
        None => current,
        Some(y) if initial => -y,
        Some(y) => current + (-y - current).clamp(-limit, limit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steering_is_limited() {
        assert_eq!(next_steering(0.0, Some(-1e-15), 3e-16, false), 3e-16);
        assert_eq!(next_steering(0.0, Some(1e-16), 3e-16, false), -1e-16);
        assert_eq!(next_steering(0.0, Some(-1e-15), 3e-16, true), 1e-15);
        assert_eq!(next_steering(2e-16, None, 3e-16, false), 2e-16);
    }

    fn eval(standard: &str, mid: f64, y: f64, u_indep: f64, u_b: f64) -> PsfsEvaluation {
        PsfsEvaluation {
            standard: standard.into(),
            mid_mjd: mid,
            y_eal: y,
            u_indep,
            u_b,
        }
    }

    #[test]
    fn independent_evaluations_give_the_weighted_mean() {
        // No walk, no u_B: the inverse-variance weighted mean.
        let v = [
            eval("A", 0.0, 1e-15, 1e-16, 0.0),
            eval("B", 0.0, 3e-15, 1e-16, 0.0),
        ];
        let e = combine(&v, 0.0, 0.0).unwrap();
        assert!((e.y - 2e-15).abs() < 1e-27);
        assert!((e.u - 1e-16 / 2f64.sqrt()).abs() < 1e-28);
        assert!((e.birge.unwrap() - 200f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn a_standards_systematic_error_is_not_averaged_down() {
        // n evaluations of one standard: u² = u_B² + u_A²/n, not (u_A² + u_B²)/n.
        let (ua, ub, n) = (3e-16, 2e-16, 9);
        let v: Vec<PsfsEvaluation> = (0..n).map(|k| eval("A", k as f64, 0.0, ua, ub)).collect();
        let e = combine(&v, 4.0, 0.0).unwrap();
        let want = (ub * ub + ua * ua / n as f64).sqrt();
        assert!((e.u - want).abs() < 1e-6 * want, "{} vs {want}", e.u);
        // A second standard halves the systematic part.
        let mut w = v.clone();
        w.extend((0..n).map(|k| eval("B", k as f64, 0.0, ua, ub)));
        let e2 = combine(&w, 4.0, 0.0).unwrap();
        let want2 = ((ub * ub + ua * ua / n as f64) / 2.0).sqrt();
        assert!((e2.u - want2).abs() < 1e-6 * want2);
    }

    #[test]
    fn older_evaluations_count_less_under_the_random_walk() {
        let v = [
            eval("A", -300.0, 0.0, 1e-16, 0.0),
            eval("B", -10.0, 0.0, 1e-16, 0.0),
        ];
        let e = combine(&v, 0.0, (2e-16f64).powi(2) / 30.0).unwrap();
        assert!(e.weights[1] > 0.9, "{:?}", e.weights);
        assert!((e.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn ul_tai_follows_the_power_law() {
        // At τ0 it is √2 u_A/τ0; over 4τ0 it falls by 4^0.9.
        let u5 = ul_tai(0.2, 5.0, 5.0, 0.9);
        assert!((u5 - 2f64.sqrt() * 0.2e-9 / 432_000.0).abs() < 1e-30);
        assert!((ul_tai(0.2, 20.0, 5.0, 0.9) * 4f64.powf(0.9) - u5).abs() < 1e-30);
        assert_eq!(combine(&[], 0.0, 0.0), None);
        assert_eq!(combine(&[eval("A", 0.0, 0.0, 0.0, 0.0)], 0.0, 0.0), None);
    }
}
