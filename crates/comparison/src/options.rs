//! Evaluation options shared by all estimators.
//!
//! Defaults follow common key-comparison practice: a 5 % chi-squared test
//! (Cox 2002, procedure A), `k = 2` for expanded uncertainties of degrees of
//! equivalence (as the KCDB reports them), a 95 %
//! coverage interval, and 10⁶ Monte Carlo draws (JCGM 101:2008, 7.2.2).

use crate::AnalysisError;

/// Options of [`crate::analyse`]. Build with `Options { draws: 10_000, ..Options::default() }`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct Options {
    /// Significance level of the chi-squared consistency test (default 0.05).
    pub significance: f64,
    /// Coverage factor for the expanded uncertainty `U_d = k u_d` of degrees of
    /// equivalence (default 2; the participants' own `k` are not used).
    pub coverage_factor: f64,
    /// Coverage probability of reported coverage intervals (default 0.95).
    pub coverage_probability: f64,
    /// Knapp–Hartung adjustment of the uncertainty of random-effects means
    /// (`dl`, `pm`), with a Student-t coverage interval (default `false`).
    pub knapp_hartung: bool,
    /// Number of Monte Carlo draws for `procedure-b` and `linear-pool` (default 10⁶).
    pub draws: usize,
    /// Seed of the ChaCha8 generator: equal seeds give identical results.
    pub seed: u64,
    /// Upper bound on the number of subsets examined by the largest-consistent-subset
    /// search of `procedure-a` (default 2²⁴).
    pub max_subsets: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            significance: 0.05,
            coverage_factor: 2.0,
            coverage_probability: 0.95,
            knapp_hartung: false,
            draws: 1_000_000,
            seed: 20_020_801,
            max_subsets: 1 << 24,
        }
    }
}

impl Options {
    pub(crate) fn validate(&self) -> Result<(), AnalysisError> {
        let open_unit = |name: &'static str, v: f64| {
            if v > 0.0 && v < 1.0 {
                Ok(())
            } else {
                Err(AnalysisError::InvalidOption {
                    name,
                    reason: format!("{v} is not in (0, 1)"),
                })
            }
        };
        open_unit("significance", self.significance)?;
        open_unit("coverage_probability", self.coverage_probability)?;
        if !(self.coverage_factor.is_finite() && self.coverage_factor > 0.0) {
            return Err(AnalysisError::InvalidOption {
                name: "coverage_factor",
                reason: format!("{} is not a positive number", self.coverage_factor),
            });
        }
        if self.draws < 100 {
            return Err(AnalysisError::InvalidOption {
                name: "draws",
                reason: format!("{} draws; at least 100 are required", self.draws),
            });
        }
        Ok(())
    }
}
