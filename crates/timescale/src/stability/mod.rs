//! Frequency-stability analysis: Allan-family deviations with Stable32-style
//! confidence intervals.
//!
//! What: from phase (seconds) or fractional-frequency samples taken every
//! `tau0` seconds, compute for a set of averaging factors m (τ = m·τ0) one of
//! ADEV, OADEV, MDEV, TDEV, HDEV, OHDEV, TOTDEV, MTOTDEV, TTOTDEV, HTOTDEV,
//! Théo1, TIE rms or MTIE, with the number of analysis terms, the identified
//! noise exponent and the 68.3 % confidence interval, as W. Riley's Stable32
//! reports them. Definitions follow NIST SP 1065, *Handbook of Frequency
//! Stability Analysis* (W. J. Riley, 2008); section and equation numbers are
//! cited next to each formula.
//!
//! Why this shape: the library is pure (slices in, values out) so that a CLI
//! (`sevres time stability --kind K --data phase|freq --tau0 S --af SET FILE`)
//! is a thin wrapper: [`parse_series`] → [`deviation`] → serialise the
//! [`Point`]s.
//!
//! Gaps: NaN samples are gaps. Every term of an estimator that touches a gap
//! is skipped and `n` counts only the terms used (see `kernels::Gaps`).
//! Averaging factors whose every term touches a gap are omitted.
//!
//! Performance: every Allan/Hadamard/modified kernel is O(N) per τ on
//! gap-free phase input, with independent partial sums so that the loops
//! vectorise: MDEV/TDEV take their inner sums from compensated prefix sums
//! of the phase built once per series (`kernels::Prefix`, in parallel
//! chunks on long series). The lag-1 autocorrelation noise
//! identification reads only the N/m decimated (or τ-averaged) points, and
//! χ² quantiles converge by Newton steps. Independent τ values are spread
//! over the available cores.
//!
//! Théo1 is reported bias-removed (ThêoBR), as Stable32 does; see
//! `estimate::theo_br_factor`.

mod chi2;
mod edf;
mod estimate;
mod factors;
mod kernels;
mod noise_id;
mod parse;

use std::fmt;
use std::str::FromStr;

pub use estimate::{deviation, frequency_to_phase, phase_to_frequency};
pub use factors::AveragingFactors;
pub use parse::{parse_series, ParseError};

/// The statistic to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Allan deviation, non-overlapping (SP 1065 §5.2.2).
    Adev,
    /// Overlapping Allan deviation (SP 1065 §5.2.4).
    Oadev,
    /// Modified Allan deviation (SP 1065 §5.2.5).
    Mdev,
    /// Time deviation (SP 1065 §5.2.6).
    Tdev,
    /// Hadamard deviation, non-overlapping (SP 1065 §5.2.8).
    Hdev,
    /// Overlapping Hadamard deviation (SP 1065 §5.2.9).
    Ohdev,
    /// Total deviation (SP 1065 §5.2.11).
    Totdev,
    /// Modified total deviation (SP 1065 §5.2.12).
    Mtotdev,
    /// Time total deviation (SP 1065 §5.2.13).
    Ttotdev,
    /// Hadamard total deviation (SP 1065 §5.2.14).
    Htotdev,
    /// Théo1 deviation (SP 1065 §5.2.15), τ = 0.75·m·τ0, m even, reported
    /// bias-removed as Stable32 does (ThêoBR: times the run's mean
    /// AVAR/Théo1 ratio, Howe & Tasset 2004).
    Theo1,
    /// RMS time-interval error (SP 1065 §5.2.16).
    TieRms,
    /// Maximum time-interval error (SP 1065 §5.2.16).
    Mtie,
}

impl Kind {
    /// Every kind, in documentation order.
    pub const ALL: [Kind; 13] = [
        Kind::Adev,
        Kind::Oadev,
        Kind::Mdev,
        Kind::Tdev,
        Kind::Hdev,
        Kind::Ohdev,
        Kind::Totdev,
        Kind::Mtotdev,
        Kind::Ttotdev,
        Kind::Htotdev,
        Kind::Theo1,
        Kind::TieRms,
        Kind::Mtie,
    ];

    /// The lower-case name accepted by [`Kind::from_str`].
    pub fn name(self) -> &'static str {
        match self {
            Kind::Adev => "adev",
            Kind::Oadev => "oadev",
            Kind::Mdev => "mdev",
            Kind::Tdev => "tdev",
            Kind::Hdev => "hdev",
            Kind::Ohdev => "ohdev",
            Kind::Totdev => "totdev",
            Kind::Mtotdev => "mtotdev",
            Kind::Ttotdev => "ttotdev",
            Kind::Htotdev => "htotdev",
            Kind::Theo1 => "theo1",
            Kind::TieRms => "tierms",
            Kind::Mtie => "mtie",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Kind {
    type Err = StabilityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == t)
            .ok_or_else(|| StabilityError::UnknownKind(s.to_string()))
    }
}

/// What the input samples are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataType {
    /// Phase (time error) in seconds, x_i.
    Phase,
    /// Fractional frequency (dimensionless), y_i = (x_{i+1} − x_i)/τ0.
    Frequency,
}

impl FromStr for DataType {
    type Err = StabilityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "phase" | "x" => Ok(DataType::Phase),
            "freq" | "frequency" | "y" => Ok(DataType::Frequency),
            _ => Err(StabilityError::UnknownDataType(s.to_string())),
        }
    }
}

/// One row of a stability table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Averaging factor m.
    pub af: usize,
    /// Averaging time in seconds: m·τ0 (0.75·m·τ0 for Théo1).
    pub tau: f64,
    /// The deviation (seconds for TDEV, TTOTDEV, TIE rms and MTIE,
    /// dimensionless otherwise).
    pub dev: f64,
    /// Number of analysis terms, counted as Stable32 does ("#" column).
    pub n: usize,
    /// Identified power-law noise exponent α (S_y ∝ f^α), when computed.
    pub alpha: Option<i32>,
    /// Equivalent degrees of freedom behind the confidence interval.
    pub edf: Option<f64>,
    /// Lower end of the 68.3 % confidence interval ("Min Sigma").
    pub ci_low: Option<f64>,
    /// Upper end of the 68.3 % confidence interval ("Max Sigma").
    pub ci_high: Option<f64>,
}

/// Why a stability computation was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StabilityError {
    /// No samples at all.
    #[error("no data: the series is empty")]
    EmptyData,
    /// Every sample is a gap (NaN).
    #[error("no data: all {0} samples are gaps (NaN)")]
    AllGaps(usize),
    /// A sample is ±infinity.
    #[error("sample {index} is not finite ({value})")]
    NonFinite {
        /// 0-based index of the sample.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// τ0 is not a positive finite number.
    #[error("tau0 must be a positive finite number of seconds, got {0}")]
    InvalidTau0(f64),
    /// Too few samples for the statistic.
    #[error("{kind} needs at least {needed} phase samples, got {got}")]
    TooFewPoints {
        /// Statistic.
        kind: Kind,
        /// Minimum number of phase samples.
        needed: usize,
        /// Number of phase samples supplied (frequency samples + 1).
        got: usize,
    },
    /// An explicit averaging factor is not usable for this statistic.
    #[error("averaging factor {m} is invalid for {kind}: {reason}")]
    InvalidFactor {
        /// Statistic.
        kind: Kind,
        /// The averaging factor.
        m: usize,
        /// Why it is refused.
        reason: String,
    },
    /// Unknown statistic name.
    #[error("unknown stability kind {0:?} (expected one of adev, oadev, mdev, tdev, hdev, ohdev, totdev, mtotdev, ttotdev, htotdev, theo1, tierms, mtie)")]
    UnknownKind(String),
    /// Unknown data type name.
    #[error("unknown data type {0:?} (expected phase or freq)")]
    UnknownDataType(String),
    /// Averaging-factor set not understood.
    #[error("invalid averaging-factor set {0:?} (expected octave, decade, all or a comma-separated list of positive integers)")]
    InvalidFactorSet(String),
}
