//! Degrees of equivalence: unilateral (participant vs KCRV) and bilateral
//! (participant vs participant).
//!
//! Unilateral, `d_i = x_i − KCRV`, with `U_d = k·u_d` (`k` from
//! [`Options::coverage_factor`], default 2, as reported in the KCDB; the
//! participants' own `k` are not used) and `E_n = d_i/U_d`. `u_d` depends on
//! how the KCRV was formed:
//!
//! * weighted means (`weighted-mean`, `procedure-a`, and `mean`, `pmm` with their
//!   weights): `d_i = x_i − Σ w_j x_j`, so by the law of propagation of
//!   uncertainty `u_d² = u_i² − 2 Σ_j w_j V_ij + u_ref²`. For the inverse-variance
//!   (GLS) weighted mean `Σ_j w_j V_ij = u_ref²` for every participant in the
//!   reference, giving `u_d² = u_i² − u_ref²`, and `u_i² + u_ref²` for
//!   independent participants outside it (Cox 2002, procedure A). For `pmm`
//!   this is the CCRI(II) formula `(1 − 2w_i) u_i² + u_ref²`.
//! * random effects (`dl`, `pm`): the same formula with each participant's
//!   variance `u_i² + τ²`, i.e. `u_d² = u_i² + τ² − u_ref²` in the reference and
//!   `u_i² + τ² + u_ref²` outside it. The dark uncertainty τ is part of the
//!   model's variance of `x_i − μ` (Koepke et al., Metrologia 54 (2017) S34,
//!   DoE section; A. L. Rukhin, "Weighted means statistics in interlaboratory
//!   studies", Metrologia 46 (2009) 323).
//! * `median`, `linear-pool`: KCRV treated as independent of the participant,
//!   `u_d² = u_i² + u_ref²`.
//! * `procedure-b`: Monte Carlo standard deviation of `x_i* − median*`.
//!
//! Bilateral: `d_ij = x_i − x_j`, `u(d_ij)² = u_i² + u_j² − 2 cov_ij`, `U = k u`.

use crate::estimators::DoeModel;
use crate::input::Validated;
use crate::{AnalysisError, ComparisonInput, DegreeOfEquivalence, Label, Options};

/// Builds one DoE entry.
pub(crate) fn entry(
    lab: Label,
    in_reference: bool,
    d: f64,
    var: f64,
    k: f64,
) -> DegreeOfEquivalence {
    let u_d = var.max(0.0).sqrt();
    let big = k * u_d;
    DegreeOfEquivalence {
        lab,
        in_reference,
        d,
        u_d,
        expanded_u_d: big,
        en: if d == 0.0 { 0.0 } else { d / big },
    }
}

/// Unilateral DoE for every participant (input order).
pub(crate) fn unilateral(
    input: &ComparisonInput,
    data: &Validated,
    reference: &[bool],
    kcrv: f64,
    u_kcrv: f64,
    model: &DoeModel,
    k: f64,
) -> Vec<DegreeOfEquivalence> {
    let u2_ref = u_kcrv * u_kcrv;
    (0..data.n)
        .map(|i| {
            let var = match model {
                DoeModel::Linear { weights, tau2 } => {
                    let cw: f64 = match &data.correlation {
                        None => weights[i] * data.u[i] * data.u[i],
                        Some(_) => (0..data.n).map(|j| weights[j] * data.cov(i, j)).sum(),
                    } + weights[i] * tau2;
                    data.u[i] * data.u[i] + tau2 - 2.0 * cw + u2_ref
                }
                DoeModel::Independent => data.u[i] * data.u[i] + u2_ref,
                DoeModel::MonteCarlo(u_d) => u_d[i] * u_d[i],
            };
            entry(
                input.participants[i].lab.clone(),
                reference[i],
                data.x[i] - kcrv,
                var,
                k,
            )
        })
        .collect()
}

/// A reference value fixed beforehand (e.g. the KCRV of an earlier evaluation,
/// as the CCRI(II) does for later SIR submissions).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FixedReference {
    /// The reference value.
    pub value: f64,
    /// Its standard uncertainty.
    pub u: f64,
    /// Weight of each participant (input order) in the reference value, if it was a
    /// weighted mean of some of them; `None` when all are independent of it.
    pub weights: Option<Vec<f64>>,
}

/// Unilateral DoE of every participant against a fixed reference value:
/// `d_i = x_i − value`, `u_d² = u_i² − 2 Σ_j w_j V_ij + u²` (just `u_i² + u²` without weights).
pub fn degrees_of_equivalence(
    input: &ComparisonInput,
    reference: &FixedReference,
    options: &Options,
) -> Result<Vec<DegreeOfEquivalence>, AnalysisError> {
    options.validate()?;
    let data = input.validate(0)?;
    for (name, v) in [
        ("reference value", reference.value),
        ("reference u", reference.u),
    ] {
        if !v.is_finite() {
            return Err(AnalysisError::InvalidOption {
                name: "reference",
                reason: format!("{name} is not finite ({v})"),
            });
        }
    }
    if reference.u < 0.0 {
        return Err(AnalysisError::InvalidOption {
            name: "reference",
            reason: format!("negative uncertainty {}", reference.u),
        });
    }
    let model = match &reference.weights {
        None => DoeModel::Independent,
        Some(w) => {
            if w.len() != data.n {
                return Err(AnalysisError::LengthMismatch {
                    what: "reference weights and participants",
                    a: w.len(),
                    b: data.n,
                });
            }
            if let Some((i, &wi)) = w.iter().enumerate().find(|(_, wi)| !wi.is_finite()) {
                return Err(AnalysisError::NonFinite {
                    index: i,
                    lab: input.participants[i].lab.to_string(),
                    field: "weight",
                    value: wi,
                });
            }
            DoeModel::Linear {
                weights: w.clone(),
                tau2: 0.0,
            }
        }
    };
    let in_ref: Vec<bool> = match &reference.weights {
        Some(w) => w.iter().map(|&wi| wi != 0.0).collect(),
        None => vec![false; data.n],
    };
    Ok(unilateral(
        input,
        &data,
        &in_ref,
        reference.value,
        reference.u,
        &model,
        options.coverage_factor,
    ))
}

/// Matrix of bilateral degrees of equivalence.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BilateralMatrix {
    /// Laboratories, in input order (rows and columns).
    pub labs: Vec<Label>,
    /// Coverage factor used for [`BilateralMatrix::expanded`].
    pub coverage_factor: f64,
    d: Vec<f64>,
    u: Vec<f64>,
}

impl BilateralMatrix {
    /// Number of participants.
    pub fn len(&self) -> usize {
        self.labs.len()
    }

    /// Whether there are no participants.
    pub fn is_empty(&self) -> bool {
        self.labs.is_empty()
    }

    /// `d_ij = x_i − x_j`, or `None` when out of range.
    pub fn d(&self, i: usize, j: usize) -> Option<f64> {
        self.index(i, j).map(|k| self.d[k])
    }

    /// `u(d_ij)`.
    pub fn u(&self, i: usize, j: usize) -> Option<f64> {
        self.index(i, j).map(|k| self.u[k])
    }

    /// `U(d_ij) = k·u(d_ij)`.
    pub fn expanded(&self, i: usize, j: usize) -> Option<f64> {
        self.u(i, j).map(|u| self.coverage_factor * u)
    }

    fn index(&self, i: usize, j: usize) -> Option<usize> {
        let n = self.len();
        (i < n && j < n).then_some(i * n + j)
    }
}

/// Bilateral DoE of all pairs: `d_ij = x_i − x_j`, `u(d_ij)² = u_i² + u_j² − 2 cov_ij`
/// (law of propagation of uncertainty, JCGM 100:2008 eq. (13)).
pub fn bilateral(
    input: &ComparisonInput,
    options: &Options,
) -> Result<BilateralMatrix, AnalysisError> {
    options.validate()?;
    let data = input.validate(0)?;
    let n = data.n;
    let mut d = Vec::with_capacity(n * n);
    let mut u = Vec::with_capacity(n * n);
    for i in 0..n {
        for j in 0..n {
            d.push(data.x[i] - data.x[j]);
            let var = data.cov(i, i) + data.cov(j, j) - 2.0 * data.cov(i, j);
            u.push(var.max(0.0).sqrt());
        }
    }
    Ok(BilateralMatrix {
        labs: input.participants.iter().map(|p| p.lab.clone()).collect(),
        coverage_factor: options.coverage_factor,
        d,
        u,
    })
}
