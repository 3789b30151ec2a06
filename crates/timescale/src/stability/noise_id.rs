//! Power-law noise identification (the "Alpha" column of Stable32).
//!
//! Why: the edf, hence the confidence interval, depends on the dominant
//! power-law noise exponent α (S_y(f) ∝ f^α) at each τ. Stable32 identifies
//! it with the lag-1 autocorrelation method when at least 30 decimated or
//! averaged points are available, and otherwise with the B1 bias ratio
//! refined by R(n):
//! * W. J. Riley and C. A. Greenhall, "Power law noise identification using
//!   the lag 1 autocorrelation", Proc. 18th EFTF (2004); NIST SP 1065 §5.5.6.
//! * B1 ratio (Barnes 1969) and R(n) = MVAR/AVAR (Howe), NIST SP 1065 §5.5.5.

use std::f64::consts::PI;

/// Minimum number of τ-intervals, ⌊(N−1)/m⌋, for the lag-1 autocorrelation
/// method (Riley & Greenhall 2004: "N ≥ 30"; Stable32 counts intervals:
/// the Cs 5071A table switches method between m = 18262 and 18784).
pub(crate) const ACF_MIN_POINTS: usize = 30;

/// Lag-1 autocorrelation r1 = Σ(z_t − z̄)(z_{t+1} − z̄) / Σ(z_t − z̄)²
/// (Riley & Greenhall 2004 eq. 2) of the `d`-th difference (d ≤ 3) of the
/// series produced by `samples`, in two streaming passes (mean, then the
/// centred sums) without materialising the series.
fn lag1<I: Iterator<Item = f64>>(samples: &impl Fn() -> I, d: u32) -> Option<f64> {
    let d = d.min(3) as usize;
    let diffs = || {
        let mut hist = [0.0f64; 3];
        let mut seen = 0usize;
        samples().filter_map(move |z| {
            let mut v = z;
            for h in hist.iter_mut().take(d) {
                let prev = *h;
                *h = v;
                v -= prev;
            }
            seen += 1;
            (seen > d).then_some(v)
        })
    };
    let (sum, n) = diffs().fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n < 3 {
        return None;
    }
    let mean = sum / n as f64;
    let mut prev: Option<f64> = None;
    let (mut num, mut den) = (0.0, 0.0);
    for v in diffs() {
        let c = v - mean;
        den += c * c;
        if let Some(p) = prev {
            num += p * c;
        }
        prev = Some(c);
    }
    Some(if den > 0.0 { num / den } else { 0.0 })
}

/// Lag-1 ACF noise identification on the decimated phase (`is_phase`) or
/// τ-averaged frequency samples that `samples` yields: the series is
/// differenced until δ = r1/(1 + r1) < 0.25 or `dmax` differences were
/// taken; then α = −round(2δ) − 2d (+2 for phase). Riley & Greenhall 2004
/// §3.
///
/// No drift is removed beforehand: on the reference tables (Cs 5071A,
/// PHASE.DAT, 53230A, OCXO, flicker-FM sets) Stable32's α is reproduced
/// without detrending and departs from it with a polynomial fit removed.
pub(crate) fn acf_alpha<I: Iterator<Item = f64>>(
    samples: impl Fn() -> I,
    is_phase: bool,
    dmax: u32,
) -> i32 {
    let mut d = 0u32;
    loop {
        let delta = lag1(&samples, d).map_or(0.0, |r1| r1 / (1.0 + r1));
        if delta < 0.25 || d >= dmax {
            let a = -(2.0 * delta).round() as i32 - 2 * d as i32;
            return if is_phase { a + 2 } else { a };
        }
        d += 1;
    }
}

/// Barnes' B1 bias function for `n` frequency averages and exponent μ
/// (σ²_std/σ²_Allan expectation), NIST SP 1065 §5.5.5.
fn b1_theory(n: f64, mu: i32) -> f64 {
    if mu == 0 {
        n * n.ln() / (2.0 * (n - 1.0) * 2f64.ln())
    } else {
        let mu = f64::from(mu);
        n * (1.0 - n.powf(mu)) / (2.0 * (n - 1.0) * (1.0 - 2f64.powf(mu)))
    }
}

/// Theoretical R(n) = MVAR/AVAR for white PM (α = 2) and flicker PM (α = 1)
/// at averaging factor m, with f_h = 1/(2τ0) (NIST SP 1065 Table 9 ratios).
fn rn_theory(alpha: i32, m: f64) -> f64 {
    if alpha == 2 {
        1.0 / m
    } else {
        let avar = (1.038 + 3.0 * (2.0 * PI * 0.5 * m).ln()) / (4.0 * PI * PI);
        let mvar = 3.0 * (256.0f64 / 27.0).ln() / (8.0 * PI * PI);
        mvar / avar
    }
}

/// B1/R(n) noise identification for small samples.
///
/// `b1` is the measured ratio of the standard variance of the `n_avg`
/// τ-averaged frequencies to the Allan-type variance at the same τ; `rn`
/// the measured MVAR/AVAR ratio (only consulted when B1 points to PM
/// noise). μ is chosen as the theoretical B1 nearest on a log scale
/// (boundaries at geometric means), μ → α = −μ − 1 for μ ≥ −1, and R(n)
/// separates white PM from flicker PM.
pub(crate) fn b1_alpha(
    b1: f64,
    n_avg: usize,
    m: usize,
    rn: impl FnOnce() -> Option<f64>,
    hadamard: bool,
) -> i32 {
    let n = n_avg as f64;
    let top = if hadamard { 2 } else { 1 };
    let mut mu = -2;
    for cand in (-1..=top).rev() {
        let boundary = (b1_theory(n, cand) * b1_theory(n, cand - 1)).sqrt();
        if b1 > boundary {
            mu = cand;
            break;
        }
    }
    if mu > -2 {
        return -mu - 1;
    }
    let mf = m as f64;
    let boundary = (rn_theory(2, mf) * rn_theory(1, mf)).sqrt();
    match rn() {
        Some(r) if r > boundary => 1,
        Some(_) => 2,
        None => 2,
    }
}
