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

/// Lanes of the independent accumulators in the reductions below: enough
/// to break the floating-point add dependency chain and let LLVM keep the
/// partial sums in vector registers.
const LANES: usize = 8;

/// Σ z_t, with [`LANES`] independent partial sums.
fn lane_sum(z: &[f64]) -> f64 {
    let mut acc = [0.0f64; LANES];
    let chunks = z.chunks_exact(LANES);
    let tail: f64 = chunks.remainder().iter().sum();
    for c in chunks {
        for l in 0..LANES {
            acc[l] += c[l];
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// The `D`-th difference of `z` at t (D ≤ 3), formed as successive first
/// differences (the values a differenced copy of the series would hold).
#[inline(always)]
fn diff<const D: usize>(z: &[f64], t: usize) -> f64 {
    let d1 = |t: usize| z[t + 1] - z[t];
    let d2 = |t: usize| d1(t + 1) - d1(t);
    match D {
        0 => z[t],
        1 => d1(t),
        2 => d2(t),
        _ => d2(t + 1) - d2(t),
    }
}

/// Lag-1 autocorrelation r1 = Σ(v_t − v̄)(v_{t+1} − v̄) / Σ(v_t − v̄)²
/// (Riley & Greenhall 2004 eq. 2) of v = the `D`-th difference of `z`,
/// formed on the fly (no differenced copy). v̄ is Σv/n, by [`lane_sum`] for
/// D = 0 and by telescoping for D > 0 (Σ_t Δv_t = last − first of the
/// (D − 1)-th difference), so that one pass forms the centred sums.
fn lag1<const D: usize>(z: &[f64]) -> Option<f64> {
    let n = z.len().checked_sub(D)?;
    if n < 3 {
        return None;
    }
    let mean = match D {
        0 => lane_sum(z),
        1 => z[n] - z[0],
        2 => diff::<1>(z, n) - diff::<1>(z, 0),
        _ => diff::<2>(z, n) - diff::<2>(z, 0),
    } / n as f64;
    let mut num = [0.0f64; LANES];
    let mut den = [0.0f64; LANES];
    let full = (n - 1) / LANES * LANES;
    for o in (0..full).step_by(LANES) {
        for k in 0..LANES {
            let u = diff::<D>(z, o + k) - mean;
            let w = diff::<D>(z, o + k + 1) - mean;
            num[k] += u * w;
            den[k] += u * u;
        }
    }
    let (mut num_s, mut den_s): (f64, f64) = (num.iter().sum(), den.iter().sum());
    for t in full..n - 1 {
        let u = diff::<D>(z, t) - mean;
        num_s += u * (diff::<D>(z, t + 1) - mean);
        den_s += u * u;
    }
    let last = diff::<D>(z, n - 1) - mean;
    den_s += last * last;
    Some(if den_s > 0.0 { num_s / den_s } else { 0.0 })
}

/// Lag-1 ACF noise identification on `z`, the decimated phase (`is_phase`)
/// or τ-averaged frequency samples (O(N/m) values at factor m, as Riley &
/// Greenhall prescribe — not the full series): the series is differenced
/// until δ = r1/(1 + r1) < 0.25 or `dmax` (≤ 3) differences were taken;
/// then α = −round(2δ) − 2d (+2 for phase). Riley & Greenhall 2004 §3.
///
/// No drift is removed beforehand: on the reference tables (Cs 5071A,
/// PHASE.DAT, 53230A, OCXO, flicker-FM sets) Stable32's α is reproduced
/// without detrending and departs from it with a polynomial fit removed.
pub(crate) fn acf_alpha(z: &[f64], is_phase: bool, dmax: u32) -> i32 {
    let mut d = 0u32;
    loop {
        let r1 = match d {
            0 => lag1::<0>(z),
            1 => lag1::<1>(z),
            2 => lag1::<2>(z),
            _ => lag1::<3>(z),
        };
        let delta = r1.map_or(0.0, |r1| r1 / (1.0 + r1));
        if delta < 0.25 || d >= dmax.min(3) {
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
