//! Equivalent degrees of freedom (edf) of the variance estimators.
//!
//! Why: the confidence intervals Stable32 prints are χ² intervals whose
//! width is fixed by the edf; matching Stable32 needs the same edf model for
//! each statistic:
//! * ADEV, OADEV, MDEV, TDEV, HDEV, OHDEV: C. A. Greenhall and W. J. Riley,
//!   "Uncertainty of stability variances based on finite differences",
//!   Proc. 35th PTTI (2003), eqs. (7)–(13) and Tables 1–3 (as used by
//!   Stable32 and NIST SP 1065 §5.3.3).
//! * TOTDEV: NIST SP 1065 §5.3.4 Table 7 (b·T/τ − c) for FM noise, and the
//!   SP 1065 Table 5 (Stein 1985) formulas for white/flicker PM, which is
//!   what reproduces Stable32's printed TOTDEV intervals.
//! * MTOTDEV / TTOTDEV: NIST SP 1065 §5.3.4 Table 8.
//! * HTOTDEV: no published closed form is used here; the overlapping
//!   Hadamard (Greenhall) edf is taken as a conservative stand-in.

/// ln-power kernel sw(t) of Greenhall & Riley eq. (7), up to the constant
/// factor per α that cancels in the edf ratio.
fn sw(t: f64, alpha: i32) -> f64 {
    let lnt = |t: f64| if t == 0.0 { 0.0 } else { t.abs().ln() };
    match alpha {
        2 => -t.abs(),
        1 => t * t * lnt(t),
        0 => t.abs().powi(3),
        -1 => -t.powi(4) * lnt(t),
        -2 => -t.abs().powi(5),
        -3 => t.powi(6) * lnt(t),
        _ => t.abs().powi(7),
    }
}

/// sx(t) of Greenhall & Riley eq. (8); `f = None` is F = ∞.
fn sx(t: f64, f: Option<f64>, alpha: i32) -> f64 {
    match f {
        None => sw(t, alpha + 2),
        Some(f) => f * f * (2.0 * sw(t, alpha) - sw(t - 1.0 / f, alpha) - sw(t + 1.0 / f, alpha)),
    }
}

/// sz(t) of Greenhall & Riley eq. (9): the d-th binomial difference of sx.
///
/// For F = 1 (the modified variances, evaluated for every τ) sx(t + u) is
/// itself a second difference of sw at unit spacing, so sz is the
/// (d + 1)-th binomial difference of sw: 2d + 3 evaluations of sw (each a
/// logarithm for odd α) instead of 3·(2d + 1).
fn sz(t: f64, f: Option<f64>, alpha: i32, d: u32) -> f64 {
    if f == Some(1.0) {
        // sx = −δ²sw with δ² the centred second difference [1, −2, 1], and
        // sz = (−1)^d δ^{2d} sx, hence sz = (−1)^{d+1} δ^{2(d+1)} sw.
        const W: [&[f64]; 3] = [
            &[1.0, -4.0, 6.0, -4.0, 1.0],
            &[1.0, -6.0, 15.0, -20.0, 15.0, -6.0, 1.0],
            &[1.0, -8.0, 28.0, -56.0, 70.0, -56.0, 28.0, -8.0, 1.0],
        ];
        let w = W[(d.clamp(1, 3) - 1) as usize];
        let half = (w.len() / 2) as f64;
        let sum: f64 = w
            .iter()
            .enumerate()
            .map(|(k, c)| c * sw(t + k as f64 - half, alpha))
            .sum();
        return if d % 2 == 0 { -sum } else { sum };
    }
    let s = |u: f64| sx(t + u, f, alpha);
    match d {
        1 => 2.0 * s(0.0) - s(-1.0) - s(1.0),
        2 => 6.0 * s(0.0) - 4.0 * (s(-1.0) + s(1.0)) + s(-2.0) + s(2.0),
        _ => {
            20.0 * s(0.0) - 15.0 * (s(-1.0) + s(1.0)) + 6.0 * (s(-2.0) + s(2.0)) - s(-3.0) - s(3.0)
        }
    }
}

/// BasicSum of Greenhall & Riley eq. (10).
fn basic_sum(j: f64, m_terms: f64, s: f64, f: Option<f64>, alpha: i32, d: u32) -> f64 {
    let mut sum = sz(0.0, f, alpha, d).powi(2);
    sum += (1.0 - j / m_terms) * sz(j / s, f, alpha, d).powi(2);
    let mut k = 1.0;
    while k < j {
        sum += 2.0 * (1.0 - k / m_terms) * sz(k / s, f, alpha, d).powi(2);
        k += 1.0;
    }
    sum
}

/// Greenhall & Riley Table 1 (modified variances), (a0, a1) by α and d.
fn table1(alpha: i32, d: u32) -> Option<(f64, f64)> {
    let row: [Option<(f64, f64)>; 3] = match alpha {
        2 => [
            Some((2.0 / 3.0, 1.0 / 3.0)),
            Some((7.0 / 9.0, 0.5)),
            Some((22.0 / 25.0, 2.0 / 3.0)),
        ],
        1 => [
            Some((0.840, 0.345)),
            Some((0.997, 0.616)),
            Some((1.141, 0.843)),
        ],
        0 => [
            Some((1.079, 0.368)),
            Some((1.033, 0.607)),
            Some((1.184, 0.848)),
        ],
        -1 => [None, Some((1.048, 0.534)), Some((1.180, 0.816))],
        -2 => [None, Some((1.302, 0.535)), Some((1.175, 0.777))],
        -3 => [None, None, Some((1.194, 0.703))],
        _ => [None, None, Some((1.489, 0.702))],
    };
    row[(d - 1) as usize]
}

/// Greenhall & Riley Table 2 (unmodified variances), (a0, a1) by α and d.
fn table2(alpha: i32, d: u32) -> Option<(f64, f64)> {
    let row: [Option<(f64, f64)>; 3] = match alpha {
        2 => [
            Some((1.5, 0.5)),
            Some((35.0 / 18.0, 1.0)),
            Some((231.0 / 100.0, 1.5)),
        ],
        1 => [
            Some((78.6, 25.2)),
            Some((790.0, 410.0)),
            Some((9950.0, 6520.0)),
        ],
        0 => [
            Some((2.0 / 3.0, 1.0 / 6.0)),
            Some((2.0 / 3.0, 1.0 / 3.0)),
            Some((7.0 / 9.0, 0.5)),
        ],
        -1 => [None, Some((0.852, 0.375)), Some((0.997, 0.617))],
        -2 => [None, Some((1.079, 0.368)), Some((1.033, 0.607))],
        -3 => [None, None, Some((1.053, 0.553))],
        _ => [None, None, Some((1.302, 0.535))],
    };
    row[(d - 1) as usize]
}

/// Greenhall & Riley Table 3 (α = 1, unmodified), (b0, b1) by d.
fn table3(d: u32) -> (f64, f64) {
    [(6.0, 4.0), (15.23, 12.0), (47.8, 40.0)][(d - 1) as usize]
}

/// Shape of a finite-difference variance estimator for the Greenhall edf.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Estimator {
    /// Order of the phase difference: 2 for Allan, 3 for Hadamard.
    pub(crate) d: u32,
    /// Overlapping (stride 1) rather than non-overlapping (stride m).
    pub(crate) overlapping: bool,
    /// Modified (phase averaged over m samples) variance.
    pub(crate) modified: bool,
}

/// Greenhall & Riley edf algorithm (their §3, eqs. 11–13 and cases 1–4) for
/// `alpha` (power-law exponent of S_y), averaging factor `m` and `n` phase
/// points. `None` when the combination is outside the algorithm's domain.
pub(crate) fn greenhall(alpha: i32, est: Estimator, m: usize, n: usize) -> Option<f64> {
    let d = est.d;
    if alpha + 2 * d as i32 <= 1 || m == 0 {
        return None;
    }
    let mf = m as f64;
    let f_factor = if est.modified { 1.0 } else { mf };
    let s = if est.overlapping { mf } else { 1.0 };
    let l = mf / f_factor + mf * d as f64;
    if (n as f64) < l {
        return None;
    }
    let m_terms = 1.0 + (s * (n as f64 - l) / mf).floor();
    let j = m_terms.min((d as f64 + 1.0) * s);
    const J_MAX: f64 = 100.0;
    let r = m_terms / s;
    let df = d as f64;
    let inv = if est.modified {
        // Case 1: modified variances, all α.
        if j <= J_MAX {
            basic_sum(j, m_terms, s, Some(1.0), alpha, d)
                / (sz(0.0, Some(1.0), alpha, d).powi(2) * m_terms)
        } else if r > df + 1.0 {
            let (a0, a1) = table1(alpha, d)?;
            (a0 - a1 / r) / r
        } else {
            let m_prime = J_MAX / r;
            basic_sum(J_MAX, J_MAX, m_prime, Some(1.0), alpha, d)
                / (sz(0.0, Some(1.0), alpha, d).powi(2) * J_MAX)
        }
    } else if alpha <= 0 {
        // Case 2: unmodified variances, α ≤ 0.
        if j <= J_MAX {
            let f = if mf * (df + 1.0) <= J_MAX {
                Some(mf)
            } else {
                None
            };
            basic_sum(j, m_terms, s, f, alpha, d) / (sz(0.0, f, alpha, d).powi(2) * m_terms)
        } else if r > df + 1.0 {
            let (a0, a1) = table2(alpha, d)?;
            (a0 - a1 / r) / r
        } else {
            let m_prime = J_MAX / r;
            basic_sum(J_MAX, J_MAX, m_prime, None, alpha, d)
                / (sz(0.0, None, alpha, d).powi(2) * J_MAX)
        }
    } else if alpha == 1 {
        // Case 3: unmodified variances, α = 1.
        if j <= J_MAX {
            basic_sum(j, m_terms, s, Some(mf), alpha, d)
                / (sz(0.0, Some(mf), alpha, d).powi(2) * m_terms)
        } else if r > df + 1.0 {
            let (a0, a1) = table2(alpha, d)?;
            let (b0, b1) = table3(d);
            (a0 - a1 / r) / ((b0 + b1 * mf.ln()).powi(2) * r)
        } else {
            let m_prime = J_MAX / r;
            let (b0, b1) = table3(d);
            basic_sum(J_MAX, J_MAX, m_prime, Some(m_prime), alpha, d)
                / ((b0 + b1 * mf.ln()).powi(2) * J_MAX)
        }
    } else {
        // Case 4: unmodified variances, α = 2: 1/edf = (a0 − a1/r)/M with
        // a0 = C(4d,2d)/C(2d,d)², a1 = d/2 (valid for ⌈r⌉ > d; for the
        // tiny-M case K ≤ d the exact BasicSum is used instead).
        if r.ceil() <= df {
            basic_sum(j, m_terms, s, Some(mf), alpha, d)
                / (sz(0.0, Some(mf), alpha, d).powi(2) * m_terms)
        } else {
            let a0 = binomial(4 * d, 2 * d) / binomial(2 * d, d).powi(2);
            let a1 = df / 2.0;
            (a0 - a1 / r) / m_terms
        }
    };
    (inv.is_finite() && inv > 0.0).then(|| 1.0 / inv)
}

fn binomial(n: u32, k: u32) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * f64::from(n - i) / f64::from(i + 1))
}

/// Simple edf formulas of NIST SP 1065 §5.3.3 Table 5 (after Stein 1985) for
/// the overlapping Allan variance; `n` phase points, averaging factor `m`.
pub(crate) fn simple(alpha: i32, n: usize, m: usize) -> Option<f64> {
    let nf = n as f64;
    let mf = m as f64;
    let edf = match alpha {
        2 => (nf + 1.0) * (nf - 2.0 * mf) / (2.0 * (nf - mf)),
        1 => {
            let a = (nf - 1.0) / (2.0 * mf);
            let b = (2.0 * mf + 1.0) * (nf - 1.0) / 4.0;
            (a.ln() * b.ln()).sqrt().exp()
        }
        0 => {
            (3.0 * (nf - 1.0) / (2.0 * mf) - 2.0 * (nf - 2.0) / nf) * (4.0 * mf * mf)
                / (4.0 * mf * mf + 5.0)
        }
        -1 => {
            if m == 1 {
                2.0 * (nf - 2.0) / (2.3 * nf - 4.9)
            } else {
                5.0 * nf * nf / (4.0 * mf * (nf + 3.0 * mf))
            }
        }
        _ => {
            (nf - 2.0) / (mf * (nf - 3.0).powi(2))
                * ((nf - 1.0).powi(2) - 3.0 * mf * (nf - 1.0) + 4.0 * mf * mf)
        }
    };
    (edf.is_finite() && edf > 0.0).then_some(edf)
}

/// TOTDEV edf: NIST SP 1065 §5.3.4 Table 7, edf = b·(T/τ) − c with
/// T/τ = N/m, for FM noise; PM noise uses [`simple`] (as Stable32 does).
pub(crate) fn totdev(alpha: i32, n: usize, m: usize) -> Option<f64> {
    let (b, c) = match alpha {
        0 => (1.500, 0.000),
        -1 => (1.168, 0.222),
        -2 => (0.927, 0.358),
        _ => return simple(alpha, n, m),
    };
    let edf = b * n as f64 / m as f64 - c;
    (edf > 0.0).then_some(edf)
}

/// MTOTDEV / TTOTDEV edf: NIST SP 1065 §5.3.4 Table 8, edf = b·(T/τ) − c.
pub(crate) fn mtotdev(alpha: i32, n: usize, m: usize) -> Option<f64> {
    let (b, c) = match alpha {
        2 => (1.90, 2.10),
        1 => (1.20, 1.40),
        0 => (1.10, 1.20),
        -1 => (0.85, 0.50),
        _ => (0.75, 0.31),
    };
    let edf = b * n as f64 / m as f64 - c;
    (edf > 0.0).then_some(edf)
}
