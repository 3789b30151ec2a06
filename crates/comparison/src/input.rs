//! Comparison input: participants, their optional correlations, and validation.
//!
//! [`ComparisonInput::validate`] turns user values into the internal
//! [`Validated`] form once, checking every number for finiteness and sign, the
//! matrix for shape, symmetry, range and positive definiteness, and the
//! reference set for size. Estimators then work on trusted data.

use crate::linalg::Matrix;
use crate::{AnalysisError, Label};

/// One participant's result in a comparison.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Participant {
    /// Laboratory (or submission) name, used to label the outputs (shared, not copied, by them).
    pub lab: Label,
    /// Measured value.
    pub x: f64,
    /// Standard uncertainty of `x` (must be > 0).
    pub u: f64,
    /// Coverage factor stated by the participant (informative; DoE use
    /// [`crate::Options::coverage_factor`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub k: Option<f64>,
    /// Expanded uncertainty stated by the participant (informative).
    #[cfg_attr(feature = "serde", serde(default, rename = "U"))]
    pub expanded_u: Option<f64>,
    /// Effective degrees of freedom of `u`; Monte Carlo methods then draw from a
    /// scaled and shifted t distribution instead of a normal one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub dof: Option<f64>,
    /// Whether the participant contributes to the reference value (default `true`).
    /// Participants outside the reference still receive a degree of equivalence.
    #[cfg_attr(feature = "serde", serde(default = "default_true"))]
    pub in_reference: bool,
}

#[cfg(feature = "serde")]
fn default_true() -> bool {
    true
}

impl Participant {
    /// A participant in the reference set with value `x` and standard uncertainty `u`.
    pub fn new(lab: impl Into<Label>, x: f64, u: f64) -> Self {
        Participant {
            lab: lab.into(),
            x,
            u,
            k: None,
            expanded_u: None,
            dof: None,
            in_reference: true,
        }
    }

    /// The same participant with `dof` effective degrees of freedom.
    pub fn with_dof(mut self, dof: f64) -> Self {
        self.dof = Some(dof);
        self
    }

    /// The same participant, included in or excluded from the reference value.
    pub fn in_reference(mut self, included: bool) -> Self {
        self.in_reference = included;
        self
    }
}

/// Dependence between participants, as a full square matrix in participant order.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Dependence {
    /// Correlation coefficients `r_ij` (1 on the diagonal, in [-1, 1]).
    Correlation(Vec<Vec<f64>>),
    /// Covariances `cov(x_i, x_j)`; the diagonal must equal `u_i²` (relative 1e-9).
    Covariance(Vec<Vec<f64>>),
}

/// A comparison to evaluate: participants in input order, optional dependence.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ComparisonInput {
    /// The participants; outputs keep this order.
    pub participants: Vec<Participant>,
    /// Correlation or covariance between participants; `None` means independent.
    #[cfg_attr(feature = "serde", serde(default))]
    pub dependence: Option<Dependence>,
}

impl ComparisonInput {
    /// Independent participants.
    pub fn new(participants: Vec<Participant>) -> Self {
        ComparisonInput {
            participants,
            dependence: None,
        }
    }

    /// Validates the input (see [`AnalysisError`] for what is checked); with
    /// `min_reference`, also that many participants are flagged `in_reference`.
    pub(crate) fn validate(&self, min_reference: usize) -> Result<Validated<'_>, AnalysisError> {
        let n = self.participants.len();
        // One branch-light pass over the usual, valid input; the detailed pass below only
        // runs to name what is wrong.
        let good = |v: f64, positive: bool| v.is_finite() && (!positive || v > 0.0);
        let good_opt = |v: Option<f64>| v.is_none_or(|v| good(v, true));
        let all_good = self.participants.iter().all(|p| {
            good(p.x, false)
                & good(p.u, true)
                & good_opt(p.k)
                & good_opt(p.expanded_u)
                & good_opt(p.dof)
        });
        if !all_good {
            for (index, p) in self.participants.iter().enumerate() {
                let fields = [
                    ("x", Some(p.x), false),
                    ("u", Some(p.u), true),
                    ("k", p.k, true),
                    ("U", p.expanded_u, true),
                    ("dof", p.dof, true),
                ];
                for (field, value, positive) in fields {
                    let Some(value) = value else { continue };
                    if !value.is_finite() {
                        return Err(AnalysisError::NonFinite {
                            index,
                            lab: p.lab.to_string(),
                            field,
                            value,
                        });
                    }
                    if positive && value <= 0.0 {
                        return Err(AnalysisError::NonPositive {
                            index,
                            lab: p.lab.to_string(),
                            field,
                            value,
                        });
                    }
                }
            }
        }
        let found = self.participants.iter().filter(|p| p.in_reference).count();
        if found < min_reference {
            return Err(AnalysisError::TooFewParticipants { found });
        }
        let u: Vec<f64> = self.participants.iter().map(|p| p.u).collect();
        let correlation = match &self.dependence {
            None => None,
            Some(dep) => self.correlation_matrix(dep, &u)?,
        };
        Ok(Validated {
            x: self.participants.iter().map(|p| p.x).collect(),
            u,
            participants: &self.participants,
            correlation,
            n,
        })
    }

    fn lab(&self, i: usize) -> String {
        self.participants
            .get(i)
            .map(|p| p.lab.to_string())
            .unwrap_or_default()
    }

    /// Checks a dependence matrix and returns the correlation matrix, or `None`
    /// when every off-diagonal entry is zero.
    fn correlation_matrix(
        &self,
        dep: &Dependence,
        u: &[f64],
    ) -> Result<Option<Matrix>, AnalysisError> {
        let n = u.len();
        let (what, rows) = match dep {
            Dependence::Correlation(m) => ("correlation", m),
            Dependence::Covariance(m) => ("covariance", m),
        };
        if rows.len() != n {
            return Err(AnalysisError::DimensionMismatch {
                what,
                rows: rows.len(),
                cols: rows.first().map_or(0, Vec::len),
                row: 0,
                expected: n,
            });
        }
        if let Some((row, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != n) {
            return Err(AnalysisError::DimensionMismatch {
                what,
                rows: n,
                cols: r.len(),
                row,
                expected: n,
            });
        }
        let mut r = Matrix::zeros(n);
        let mut any_off_diagonal = false;
        for i in 0..n {
            for j in 0..n {
                let v = rows[i][j];
                if !v.is_finite() {
                    return Err(AnalysisError::NonFiniteMatrix {
                        what,
                        row: i,
                        col: j,
                        value: v,
                    });
                }
                let w = rows[j][i];
                // Symmetry up to rounding of the producer: 1e-12 relative.
                if (v - w).abs() > 1e-12 * v.abs().max(w.abs()) {
                    return Err(AnalysisError::NotSymmetric {
                        what,
                        row: i,
                        col: j,
                        lab_row: self.lab(i),
                        lab_col: self.lab(j),
                        a: v,
                        b: w,
                    });
                }
                let rho = match dep {
                    Dependence::Correlation(_) => v,
                    Dependence::Covariance(_) => {
                        if i == j {
                            let expected = u[i] * u[i];
                            if (v - expected).abs() > 1e-9 * expected {
                                return Err(AnalysisError::CovarianceDiagonal {
                                    index: i,
                                    lab: self.lab(i),
                                    value: v,
                                    expected,
                                });
                            }
                            1.0
                        } else {
                            v / (u[i] * u[j])
                        }
                    }
                };
                let bad = if i == j {
                    (rho - 1.0).abs() > 1e-12
                } else {
                    !(-1.0..=1.0).contains(&rho)
                };
                if bad {
                    return Err(AnalysisError::CorrelationOutOfRange {
                        row: i,
                        col: j,
                        lab_row: self.lab(i),
                        lab_col: self.lab(j),
                        value: rho,
                    });
                }
                if i != j && rho != 0.0 {
                    any_off_diagonal = true;
                }
                r.set(i, j, if i == j { 1.0 } else { rho });
            }
        }
        if !any_off_diagonal {
            return Ok(None);
        }
        // Positive definiteness, checked on the scale-free correlation matrix.
        if let Err(index) = r.cholesky() {
            return Err(AnalysisError::NotPositiveDefinite {
                index,
                lab: self.lab(index),
            });
        }
        Ok(Some(r))
    }
}

/// Validated input: values and uncertainties in plain vectors (participant order), the
/// participants themselves for their other fields.
#[derive(Debug, Clone)]
pub(crate) struct Validated<'a> {
    pub(crate) n: usize,
    pub(crate) x: Vec<f64>,
    pub(crate) u: Vec<f64>,
    pub(crate) participants: &'a [Participant],
    /// Positive-definite correlation matrix, `None` when independent.
    pub(crate) correlation: Option<Matrix>,
}

impl Validated<'_> {
    /// Covariance `cov(x_i, x_j)`.
    pub(crate) fn cov(&self, i: usize, j: usize) -> f64 {
        match &self.correlation {
            Some(r) => r.get(i, j) * self.u[i] * self.u[j],
            None if i == j => self.u[i] * self.u[i],
            None => 0.0,
        }
    }

    /// Indices of the participants flagged `in_reference`.
    pub(crate) fn reference_indices(&self) -> Vec<usize> {
        (0..self.n)
            .filter(|&i| self.participants[i].in_reference)
            .collect()
    }
}
