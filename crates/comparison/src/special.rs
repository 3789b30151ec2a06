//! Special functions and a bracketing root finder.
//!
//! * chi-squared upper tail `P(χ²_ν > q) = Q(ν/2, q/2)`, the regularised upper
//!   incomplete gamma function (Abramowitz & Stegun 26.4.19): by the finite sums of
//!   A&S 26.4.4 (odd ν) and 26.4.5 (even ν) for the ν and q of comparisons, else from
//!   `statrs`;
//! * Student-t quantiles for Knapp–Hartung intervals, from `statrs`;
//! * Brent's method (R. P. Brent, *Algorithms for Minimization without
//!   Derivatives*, 1973, ch. 4, procedure `zero`) for the Paule–Mandel
//!   equation, run until the bracket is a few ulps wide.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::AnalysisError;

/// `P(χ²_dof > chi2)`: the p-value of the chi-squared consistency test.
pub(crate) fn chi2_upper_tail(chi2: f64, dof: usize) -> f64 {
    if dof == 0 || chi2.is_nan() {
        return f64::NAN;
    }
    if chi2 <= 0.0 {
        return 1.0;
    }
    if chi2 == f64::INFINITY {
        return 0.0;
    }
    if dof <= FINITE_SUM_MAX_DOF && chi2 <= FINITE_SUM_MAX_CHI2 {
        return chi2_upper_tail_finite_sum(chi2, dof);
    }
    statrs::function::gamma::checked_gamma_ur(dof as f64 / 2.0, chi2 / 2.0).unwrap_or(f64::NAN)
}

/// Largest ν for the finite sums (at most 100 positive terms).
const FINITE_SUM_MAX_DOF: usize = 200;
/// Largest q for the finite sums: `e^{−q/2}` stays far from underflow.
const FINITE_SUM_MAX_CHI2: f64 = 1000.0;

/// `Q(ν/2, q/2)` for integer ν by Abramowitz & Stegun 26.4.4–26.4.5 (with 26.4.21):
/// ν = 2m: `e^{−q/2} Σ_{i<m} (q/2)^i / i!`;
/// ν = 2m+1: `erfc(√(q/2)) + e^{−q/2} Σ_{i=1}^{m} (q/2)^{i−½} / Γ(i+½)`.
/// All terms are positive, so the sums lose no digits; about ten times cheaper than the
/// general continued fraction for the handful of degrees of freedom comparisons have.
fn chi2_upper_tail_finite_sum(chi2: f64, dof: usize) -> f64 {
    let h = chi2 / 2.0;
    let m = dof / 2;
    if dof % 2 == 0 {
        // Σ_{i<m} h^i / i!, each term from the previous one.
        let (mut term, mut sum) = (1.0, 1.0);
        for i in 1..m {
            term *= h / i as f64;
            sum += term;
        }
        (-h).exp() * sum
    } else {
        // Σ_{i=1}^{m} h^{i−½} / Γ(i+½), from h^{½}/Γ(3/2) (Γ(3/2) = √π/2) and
        // Γ(i+3/2) = (i+½) Γ(i+½).
        let mut term = h.sqrt() * std::f64::consts::FRAC_2_SQRT_PI;
        let mut sum = 0.0;
        for i in 1..=m {
            sum += term;
            term *= h / (i as f64 + 0.5);
        }
        libm::erfc(h.sqrt()) + (-h).exp() * sum
    }
}

/// Quantile `t_p(ν)` of Student's t distribution with `dof` degrees of freedom.
pub(crate) fn t_quantile(p: f64, dof: f64) -> Result<f64, AnalysisError> {
    let t = StudentsT::new(0.0, 1.0, dof).map_err(|e| AnalysisError::InvalidOption {
        name: "dof",
        reason: e.to_string(),
    })?;
    if !(0.0..=1.0).contains(&p) {
        return Err(AnalysisError::InvalidOption {
            name: "coverage_probability",
            reason: format!("{p} is not a probability"),
        });
    }
    Ok(t.inverse_cdf(p))
}

/// Root of `f` in `[a, b]` where `f(a)` and `f(b)` have opposite signs (or one is
/// zero), by Brent's method with tolerance `2ε|x|` (machine precision).
pub(crate) fn brent<F: FnMut(f64) -> f64>(
    mut f: F,
    mut a: f64,
    mut b: f64,
    what: &'static str,
) -> Result<f64, AnalysisError> {
    let mut fa = f(a);
    let mut fb = f(b);
    if fa == 0.0 {
        return Ok(a);
    }
    if fb == 0.0 {
        return Ok(b);
    }
    if fa.is_nan() || fb.is_nan() || (fa > 0.0) == (fb > 0.0) {
        return Err(AnalysisError::NoConvergence { what });
    }
    let mut c = a;
    let mut fc = fa;
    let mut d = b - a;
    let mut e = d;
    for _ in 0..400 {
        if (fb > 0.0) == (fc > 0.0) {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + f64::MIN_POSITIVE;
        let m = 0.5 * (c - b);
        if m.abs() <= tol || fb == 0.0 {
            return Ok(b);
        }
        if e.abs() < tol || fa.abs() <= fb.abs() {
            d = m;
            e = m;
        } else {
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                // Secant step.
                p = 2.0 * m * s;
                q = 1.0 - s;
            } else {
                // Inverse quadratic interpolation.
                let qa = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * m * qa * (qa - r) - (b - a) * (r - 1.0));
                q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * m * q - (tol * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = m;
                e = m;
            }
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol.copysign(m) };
        fb = f(b);
        if fb.is_nan() {
            return Err(AnalysisError::NoConvergence { what });
        }
    }
    Err(AnalysisError::NoConvergence { what })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finite_sums_agree_with_the_continued_fraction() {
        for dof in 1..=FINITE_SUM_MAX_DOF {
            for q in [1e-6, 0.01, 0.5, 1.0, 3.3, 10.0, 47.0, 150.0, 420.0, 999.0] {
                let general =
                    statrs::function::gamma::checked_gamma_ur(dof as f64 / 2.0, q / 2.0).unwrap();
                let sum = chi2_upper_tail_finite_sum(q, dof);
                let tolerance = 1e-12 * general.max(f64::MIN_POSITIVE);
                assert!(
                    (sum - general).abs() <= tolerance.max(1e-300),
                    "dof {dof}, q {q}: {sum} vs {general}"
                );
            }
        }
    }

    #[test]
    fn chi2_tail_of_two_dof_is_exp() {
        // For ν = 2, P(χ² > q) = exp(-q/2) exactly (A&S 26.4.21 with ν = 2).
        for q in [0.1, 1.0, 2.0, 7.5] {
            assert!((chi2_upper_tail(q, 2) - (-q / 2.0f64).exp()).abs() < 1e-14);
        }
        assert_eq!(chi2_upper_tail(0.0, 3), 1.0);
    }

    #[test]
    fn brent_finds_sqrt2() {
        let r = brent(|x| x * x - 2.0, 0.0, 2.0, "test").unwrap();
        assert!((r - std::f64::consts::SQRT_2).abs() <= 4.0 * f64::EPSILON);
        assert!(brent(|x| x * x + 1.0, 0.0, 2.0, "test").is_err());
    }

    #[test]
    fn t_quantile_table_value() {
        // t_{0.975}(10) = 2.228 (Student-t table, e.g. JCGM 100:2008 Table G.2),
        // given there to 3 decimals.
        let t = t_quantile(0.975, 10.0).unwrap();
        assert!((t - 2.228).abs() < 5e-4, "{t}");
    }
}
