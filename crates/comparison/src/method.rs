//! The reference-value estimators by name.
//!
//! The names are the ones used on the command line and in the web API
//! (`mean`, `weighted-mean`, `procedure-a`, `median`, `procedure-b`, `dl`,
//! `pm`, `pmm`, `linear-pool`); [`Method::from_str`](std::str::FromStr) accepts
//! exactly these and [`Method::name`] gives them back.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// A key-comparison reference value (KCRV) estimator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Method {
    /// Arithmetic mean, `u = s/√n`.
    Mean,
    /// Inverse-variance weighted mean (generalised least squares when correlated).
    WeightedMean,
    /// Cox 2002 procedure A: weighted mean, chi-squared test, largest consistent subset.
    ProcedureA,
    /// Median with the MAD-based uncertainty of Müller 2000.
    Median,
    /// Cox 2002 procedure B: median with Monte Carlo uncertainty.
    ProcedureB,
    /// DerSimonian–Laird random-effects mean.
    #[cfg_attr(feature = "serde", serde(rename = "dl"))]
    DerSimonianLaird,
    /// Paule–Mandel random-effects mean.
    #[cfg_attr(feature = "serde", serde(rename = "pm"))]
    PauleMandel,
    /// Power-moderated mean (Pommé & Keightley 2015).
    #[cfg_attr(feature = "serde", serde(rename = "pmm"))]
    PowerModeratedMean,
    /// NIST Consensus Builder linear opinion pool (Koepke et al. 2017).
    LinearPool,
}

impl Method {
    /// Every method, in a fixed order.
    pub const ALL: [Method; 9] = [
        Method::Mean,
        Method::WeightedMean,
        Method::ProcedureA,
        Method::Median,
        Method::ProcedureB,
        Method::DerSimonianLaird,
        Method::PauleMandel,
        Method::PowerModeratedMean,
        Method::LinearPool,
    ];

    /// The method's name as accepted by [`FromStr`].
    pub fn name(self) -> &'static str {
        match self {
            Method::Mean => "mean",
            Method::WeightedMean => "weighted-mean",
            Method::ProcedureA => "procedure-a",
            Method::Median => "median",
            Method::ProcedureB => "procedure-b",
            Method::DerSimonianLaird => "dl",
            Method::PauleMandel => "pm",
            Method::PowerModeratedMean => "pmm",
            Method::LinearPool => "linear-pool",
        }
    }

    /// Whether the method evaluates its uncertainty by Monte Carlo (and so reports a
    /// coverage interval and depends on [`crate::Options::seed`]).
    pub fn is_monte_carlo(self) -> bool {
        matches!(self, Method::ProcedureB | Method::LinearPool)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The string given to [`Method::from_str`](std::str::FromStr) is not a method name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown method {name:?}; expected one of mean, weighted-mean, procedure-a, median, procedure-b, dl, pm, pmm, linear-pool")]
pub struct ParseMethodError {
    /// The rejected name.
    pub name: String,
}

impl FromStr for Method {
    type Err = ParseMethodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Method::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| ParseMethodError { name: s.to_owned() })
    }
}
