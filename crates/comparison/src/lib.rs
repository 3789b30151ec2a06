//! Key-comparison analysis engine: reference values, consistency tests,
//! degrees of equivalence and linking, as pure functions (values in, results
//! out; no I/O, no async).
//!
//! The entry point is [`analyse`]: give it a [`ComparisonInput`] (participants
//! with value `x`, standard uncertainty `u`, optional `dof`, an
//! `in_reference` flag, and optional correlations), a [`Method`] and
//! [`Options`]; it returns an [`Analysis`] with the KCRV, its uncertainty, the
//! dark uncertainty τ where the model has one, the chi-squared test, and the
//! degrees of equivalence of every participant (including those left out of
//! the reference value). [`bilateral`] gives the pairwise DoE matrix,
//! [`degrees_of_equivalence`] evaluates DoE against a fixed reference value, and
//! [`link`] links a subsequent comparison to a CIPM key comparison. The
//! [`estimators`] module exposes allocation-free slice versions of the
//! closed-form and root-finding estimators.
//!
//! Every formula cites its source next to the code; see the module docs of
//! `estimators::*`, `doe` and `linking`.
//!
//! ```
//! use sevres_comparison::{analyse, ComparisonInput, Method, Options, Participant};
//!
//! let input = ComparisonInput::new(vec![
//!     Participant::new("A", 10.0, 0.1),
//!     Participant::new("B", 10.2, 0.2),
//!     Participant::new("C", 9.9, 0.1).in_reference(false),
//! ]);
//! let a = analyse(&input, "weighted-mean".parse::<Method>()?, &Options::default())?;
//! assert_eq!(a.doe.len(), 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod doe;
mod error;
pub mod estimators;
mod input;
mod linalg;
mod linking;
mod method;
mod montecarlo;
mod options;
mod output;
mod special;

pub use doe::{bilateral, degrees_of_equivalence, BilateralMatrix, FixedReference};
pub use error::AnalysisError;
pub use input::{ComparisonInput, Dependence, Participant};
pub use linking::{link, Link, LinkingLab, RmoResult};
pub use method::{Method, ParseMethodError};
pub use options::Options;
pub use output::{Analysis, CoverageInterval, DegreeOfEquivalence};

/// A participant's label. Shared rather than copied: every output that names a participant
/// (degrees of equivalence, exclusions) holds the input's label, so an analysis allocates no
/// strings.
pub type Label = std::sync::Arc<str>;

use std::borrow::Cow;

use estimators::{classical, linear_pool, random_effects, robust, DoeModel, Estimate};

/// Evaluates a comparison with one reference-value estimator.
///
/// The reference set is the participants flagged `in_reference` (at least two);
/// `procedure-a` may shrink it to the largest consistent subset. Every
/// participant gets a degree of equivalence, in input order; how `u_d` is
/// formed for each method is documented in the `doe` module (weighted means:
/// `u_i² − u_ref²` in the reference, `u_i² + u_ref²` outside; random effects add
/// τ² to `u_i²`). The chi-squared statistics always refer to the fixed-effect
/// weighted mean of the final reference set.
///
/// Correlated participants ([`Dependence`]) are supported by `mean`,
/// `weighted-mean`, `procedure-a` (GLS) and `procedure-b` (joint Gaussian
/// sampling); the other methods return [`AnalysisError::CorrelationUnsupported`].
pub fn analyse(
    input: &ComparisonInput,
    method: Method,
    options: &Options,
) -> Result<Analysis, AnalysisError> {
    options.validate()?;
    let data = input.validate(2)?;
    let correlated = data.correlation.is_some();
    if correlated
        && !matches!(
            method,
            Method::Mean | Method::WeightedMean | Method::ProcedureA | Method::ProcedureB
        )
    {
        return Err(AnalysisError::CorrelationUnsupported { method });
    }
    let idx = data.reference_indices();
    let est = match method {
        Method::Mean => classical::mean(&data, &idx),
        Method::WeightedMean => classical::weighted_mean(&data, &idx)?,
        Method::ProcedureA => classical::procedure_a(&data, &idx, options)?,
        Method::Median => robust::median(&data, &idx),
        Method::ProcedureB => robust::procedure_b(&data, &idx, options)?,
        Method::LinearPool => linear_pool::linear_pool(&data, &idx, options)?,
        Method::DerSimonianLaird | Method::PauleMandel | Method::PowerModeratedMean => {
            random_effects_estimate(&data, &idx, method, options)?
        }
    };
    finish(input, &data, method, est, options)
}

/// DL, PM and PMM on the reference set.
fn random_effects_estimate(
    data: &input::Validated,
    idx: &[usize],
    method: Method,
    options: &Options,
) -> Result<Estimate, AnalysisError> {
    let x = gather(&data.x, idx);
    let u = gather(&data.u, idx);
    if method == Method::PowerModeratedMean {
        let mut w = vec![0.0; idx.len()];
        let p = random_effects::pmm_with_weights(&x, &u, Some(&mut w))?;
        return Ok(Estimate {
            kcrv: p.mean,
            u_kcrv: p.u_mean,
            tau2: p.tau2,
            reference: idx.to_vec(),
            dropped: Vec::new(),
            coverage: None,
            // CCRI(II) DoE: u_d² = (1 − 2w_i) u_i² + u_ref² (BIPM-RI Python_lib DoE.py),
            // i.e. the weighted-mean formula without s² in the participant variance.
            doe: DoeModel::Linear {
                weights: classical::full_weights(data.n, idx, &w),
                tau2: 0.0,
            },
        });
    }
    let p = if method == Method::DerSimonianLaird {
        random_effects::dersimonian_laird_checked(&x, &u)
    } else {
        estimators::paule_mandel(&x, &u)?
    };
    let weights = random_effects::re_weights(data.n, idx, &u, p.tau2);
    let (u_kcrv, coverage) = if options.knapp_hartung {
        let u_kh = random_effects::knapp_hartung_u(&x, &u, p.tau2);
        let t = special::t_quantile(
            0.5 + options.coverage_probability / 2.0,
            (x.len() - 1) as f64,
        )?;
        (
            u_kh,
            Some(CoverageInterval {
                low: p.mean - t * u_kh,
                high: p.mean + t * u_kh,
                probability: options.coverage_probability,
            }),
        )
    } else {
        (p.u_mean, None)
    };
    Ok(Estimate {
        kcrv: p.mean,
        u_kcrv,
        tau2: p.tau2,
        reference: idx.to_vec(),
        dropped: Vec::new(),
        coverage,
        doe: DoeModel::Linear {
            weights,
            tau2: p.tau2,
        },
    })
}

/// `column[i]` for `i` in `idx`; borrowed when `idx` is every participant (the usual case).
fn gather<'a>(column: &'a [f64], idx: &[usize]) -> Cow<'a, [f64]> {
    if idx.len() == column.len() {
        Cow::Borrowed(column)
    } else {
        Cow::Owned(idx.iter().map(|&i| column[i]).collect())
    }
}

/// Consistency statistics, DoE and labels.
fn finish(
    input: &ComparisonInput,
    data: &input::Validated,
    method: Method,
    est: Estimate,
    options: &Options,
) -> Result<Analysis, AnalysisError> {
    let wm = classical::weighted_mean_of(data, &est.reference)?;
    let dof = est.reference.len() - 1;
    let p_value = special::chi2_upper_tail(wm.chi2, dof);
    let mut in_ref = vec![false; data.n];
    for &i in &est.reference {
        in_ref[i] = true;
    }
    let lab = |i: usize| input.participants[i].lab.clone();
    let doe = doe::unilateral(
        input,
        data,
        &in_ref,
        est.kcrv,
        est.u_kcrv,
        &est.doe,
        options.coverage_factor,
    );
    let weights = match est.doe {
        DoeModel::Linear { weights, .. } => Some(weights),
        _ => None,
    };
    Ok(Analysis {
        method,
        kcrv: est.kcrv,
        u_kcrv: est.u_kcrv,
        tau: est.tau2.sqrt(),
        chi2: wm.chi2,
        dof,
        p_value,
        birge_ratio: (wm.chi2 / dof as f64).sqrt(),
        consistent: p_value >= options.significance,
        excluded: (0..data.n).filter(|&i| !in_ref[i]).map(lab).collect(),
        dropped: est.dropped.iter().map(|&i| lab(i)).collect(),
        weights,
        coverage_interval: est.coverage,
        doe,
    })
}
