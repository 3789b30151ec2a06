//! Chi-squared quantiles and the confidence interval of a deviation.
//!
//! Why here: the library must not depend on a statistics crate for one
//! function, and Stable32's large-edf behaviour has to be reproduced exactly
//! (see [`confidence_interval`]).
//!
//! Sources: regularized incomplete gamma function by series / Lentz continued
//! fraction (Press et al., *Numerical Recipes* 3rd ed. §6.2); log-gamma by the
//! Lanczos approximation (g = 7, n = 9); normal quantile by Acklam's rational
//! approximation (relative error < 1.2e-9) refined by one Halley step;
//! Wilson–Hilferty cube-root approximation of χ² quantiles.

use std::f64::consts::PI;

/// Two-sided confidence factor used by Stable32 ("Confidence Factor = 0.683").
pub(crate) const CONFIDENCE_FACTOR: f64 = 0.683;

/// Above this many equivalent degrees of freedom Stable32 does not evaluate
/// the χ² quantile exactly (see [`confidence_interval`]).
const LARGE_EDF: f64 = 100.0;

/// Tail probability that reproduces Stable32's large-edf intervals.
///
/// Inverting the published PHASE.DAT ADEV and TOTDEV intervals for
/// edf = 188…1500 gives an effective normal quantile of 0.9945 ± 0.001 for
/// every row, i.e. Φ⁻¹(0.84), instead of Φ⁻¹(0.8415) = 1.0006 that the
/// 0.683 factor implies (rows with edf ≤ 94 invert to the exact value).
const LARGE_EDF_TAIL: f64 = 0.16;

/// ln Γ(x) for x > 0 (Lanczos, g = 7).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection formula Γ(x)Γ(1−x) = π / sin(πx).
        return (PI / (PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Regularized lower incomplete gamma P(a, x) (Numerical Recipes §6.2).
fn gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let ln_pre = a * x.ln() - x - ln_gamma(a);
    if x < a + 1.0 {
        // Series: P = e^{-x} x^a / Γ(a+1) Σ x^n / ((a+1)…(a+n)).
        let mut term = 1.0 / a;
        let mut sum = term;
        let mut ap = a;
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (sum.ln() + ln_pre).exp().min(1.0)
    } else {
        // Continued fraction for Q = 1 − P (modified Lentz).
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (1.0 - (ln_pre.exp() * h)).max(0.0)
    }
}

/// χ² cumulative distribution with `k` (real, > 0) degrees of freedom.
fn chi2_cdf(x: f64, k: f64) -> f64 {
    gamma_p(0.5 * k, 0.5 * x)
}

/// Standard normal quantile Φ⁻¹(p), 0 < p < 1 (Acklam + one Halley step).
fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p_low = 0.024_25;
    let x = if p < p_low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - p_low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // Halley refinement with Φ(x) = erfc(−x/√2)/2 computed from gamma_p:
    // Φ(x) = ½(1 + sign(x) P(½, x²/2)).
    let cdf = 0.5 * (1.0 + x.signum() * gamma_p(0.5, 0.5 * x * x));
    let e = cdf - p;
    let u = e * (2.0 * PI).sqrt() * (0.5 * x * x).exp();
    x - u / (1.0 + 0.5 * x * u)
}

/// χ² quantile: the x with P(χ²_k ≤ x) = p (k > 0, 0 < p < 1).
///
/// Safeguarded Newton iteration on the exact cdf, started from the
/// Wilson–Hilferty approximation: the step is F(x) − p over the χ² density
/// f(x) = x^{k/2−1} e^{−x/2} / (2^{k/2} Γ(k/2)); a step leaving the
/// bracket [lo, hi] known to hold the root is replaced by bisection.
/// Converges in 3–5 cdf evaluations where bisection to the same 1e-13
/// relative width needed about 45 (this runs for every τ with edf ≤ 100).
fn chi2_quantile(p: f64, k: f64) -> f64 {
    let half = 0.5 * k;
    let ln_norm = half * std::f64::consts::LN_2 + ln_gamma(half);
    let density = |x: f64| ((half - 1.0) * x.ln() - 0.5 * x - ln_norm).exp();
    let (mut lo, mut hi) = (0.0_f64, f64::INFINITY);
    let mut x = chi2_wilson_hilferty(normal_quantile(p), k);
    if !(x > 0.0 && x.is_finite()) {
        x = k.max(1.0) * 1e-3;
    }
    for _ in 0..200 {
        let f = chi2_cdf(x, k) - p;
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let mut next = x - f / density(x);
        if !(next > lo && next < hi) {
            next = if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                2.0 * x
            };
        }
        if (next - x).abs() <= 1e-14 * x || (hi.is_finite() && hi - lo <= 1e-13 * hi) {
            return next;
        }
        x = next;
    }
    x
}

/// Wilson–Hilferty χ² quantile for normal quantile `z`
/// (NIST SP 1065 §5.3.2 large-edf approximation).
fn chi2_wilson_hilferty(z: f64, k: f64) -> f64 {
    let a = 2.0 / (9.0 * k);
    k * (1.0 - a + z * a.sqrt()).powi(3)
}

/// Confidence interval of a deviation with `edf` equivalent degrees of
/// freedom at Stable32's 0.683 confidence factor.
///
/// NIST SP 1065 §5.3.2 eq. (45): σ²_min = σ²·edf/χ²(1−p, edf),
/// σ²_max = σ²·edf/χ²(p, edf) with p = (1 − 0.683)/2. For edf ≤ 100 the χ²
/// quantile is exact; above, Stable32's own approximation is reproduced (see
/// [`LARGE_EDF_TAIL`]). Returns `None` when `edf` is not a positive number.
pub(crate) fn confidence_interval(dev: f64, edf: f64) -> Option<(f64, f64)> {
    if !(edf.is_finite() && edf > 0.0 && dev.is_finite()) {
        return None;
    }
    let (chi_lo, chi_hi) = if edf <= LARGE_EDF {
        let p = 0.5 * (1.0 - CONFIDENCE_FACTOR);
        (chi2_quantile(p, edf), chi2_quantile(1.0 - p, edf))
    } else {
        let z = normal_quantile(1.0 - LARGE_EDF_TAIL);
        (chi2_wilson_hilferty(-z, edf), chi2_wilson_hilferty(z, edf))
    };
    if !(chi_lo > 0.0 && chi_hi > 0.0) {
        return None;
    }
    Some((dev * (edf / chi_hi).sqrt(), dev * (edf / chi_lo).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_quantiles() {
        // Tabulated values (Abramowitz & Stegun Table 26.8).
        assert!((chi2_quantile(0.95, 1.0) - 3.841_459).abs() < 1e-5);
        assert!((chi2_quantile(0.05, 10.0) - 3.940_299).abs() < 1e-5);
        assert!((chi2_quantile(0.5, 2.0) - 1.386_294).abs() < 1e-5);
        assert!((normal_quantile(0.975) - 1.959_964).abs() < 1e-6);
        assert!((normal_quantile(0.16) + 0.994_458).abs() < 1e-6);
    }
}
