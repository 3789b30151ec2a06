//! Typed errors of the comparison engine.
//!
//! Every failure says *what* is wrong and *where* (participant index and lab,
//! matrix row and column, option name), so that a caller can point a user at
//! the offending input. No function of this crate panics on bad input: it
//! returns one of these variants instead.

use thiserror::Error;

use crate::Method;

/// Everything that can go wrong when validating a comparison or evaluating it.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// A participant's number (`x`, `u`, `k`, `U` or `dof`) is NaN or infinite.
    #[error("participant {index} ({lab}): {field} is not a finite number ({value})")]
    NonFinite {
        /// Position of the participant in the input.
        index: usize,
        /// Its laboratory name.
        lab: String,
        /// Which field (`x`, `u`, `k`, `U`, `dof`).
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A quantity that must be strictly positive (`u`, `k`, `U`, `dof`) is not.
    #[error("participant {index} ({lab}): {field} must be > 0, got {value}")]
    NonPositive {
        /// Position of the participant in the input.
        index: usize,
        /// Its laboratory name.
        lab: String,
        /// Which field (`u`, `k`, `U`, `dof`).
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// Fewer than two participants contribute to the reference value.
    #[error("{found} participant(s) in the reference value; at least 2 are required")]
    TooFewParticipants {
        /// How many participants were found in the reference set.
        found: usize,
    },
    /// A correlation or covariance matrix does not have one row and column per participant.
    #[error("{what} matrix is {rows}x{cols} (row {row}), expected {expected}x{expected}")]
    DimensionMismatch {
        /// `"correlation"` or `"covariance"`.
        what: &'static str,
        /// Number of rows given.
        rows: usize,
        /// Length of the first row that has the wrong length (or of row 0).
        cols: usize,
        /// Index of that row.
        row: usize,
        /// Number of participants.
        expected: usize,
    },
    /// A matrix entry is NaN or infinite.
    #[error("{what} matrix entry [{row}][{col}] is not finite ({value})")]
    NonFiniteMatrix {
        /// `"correlation"` or `"covariance"`.
        what: &'static str,
        /// Row index.
        row: usize,
        /// Column index.
        col: usize,
        /// The offending value.
        value: f64,
    },
    /// The matrix is not symmetric.
    #[error("{what} matrix is not symmetric: [{row}][{col}] = {a} but [{col}][{row}] = {b} ({lab_row} / {lab_col})")]
    NotSymmetric {
        /// `"correlation"` or `"covariance"`.
        what: &'static str,
        /// Row index.
        row: usize,
        /// Column index.
        col: usize,
        /// Laboratory of the row.
        lab_row: String,
        /// Laboratory of the column.
        lab_col: String,
        /// Entry `[row][col]`.
        a: f64,
        /// Entry `[col][row]`.
        b: f64,
    },
    /// A correlation coefficient (given, or implied by a covariance) lies outside [-1, 1],
    /// or a diagonal correlation differs from 1.
    #[error("correlation between {lab_row} and {lab_col} ([{row}][{col}]) is {value}: must lie in [-1, 1] (and be 1 on the diagonal)")]
    CorrelationOutOfRange {
        /// Row index.
        row: usize,
        /// Column index.
        col: usize,
        /// Laboratory of the row.
        lab_row: String,
        /// Laboratory of the column.
        lab_col: String,
        /// The offending correlation coefficient.
        value: f64,
    },
    /// A covariance diagonal entry disagrees with the participant's `u²`.
    #[error("covariance [{index}][{index}] = {value} for {lab} disagrees with u^2 = {expected}")]
    CovarianceDiagonal {
        /// Participant index.
        index: usize,
        /// Its laboratory.
        lab: String,
        /// The diagonal entry given.
        value: f64,
        /// `u²` of the participant.
        expected: f64,
    },
    /// The covariance (correlation) matrix is not positive definite.
    #[error("covariance matrix is not positive definite (Cholesky pivot {index}, {lab})")]
    NotPositiveDefinite {
        /// Index of the pivot at which the factorisation failed.
        index: usize,
        /// Laboratory of that row.
        lab: String,
    },
    /// An option has an invalid value.
    #[error("option {name}: {reason}")]
    InvalidOption {
        /// Option name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// The method cannot use correlated inputs.
    #[error("method {method} does not support correlated participants; use mean, weighted-mean, procedure-a or procedure-b")]
    CorrelationUnsupported {
        /// The method asked for.
        method: Method,
    },
    /// Procedure A: no subset of at least two reference participants passes the chi-squared test.
    #[error("procedure A: no subset of two or more participants passes the chi-squared test")]
    NoConsistentSubset,
    /// Procedure A: the exhaustive largest-consistent-subset search would be too large.
    #[error("procedure A: the largest-consistent-subset search over {participants} participants needs more than {limit} subsets")]
    SubsetSearchTooLarge {
        /// Number of participants in the reference set.
        participants: usize,
        /// The configured limit ([`crate::Options::max_subsets`]).
        limit: u64,
    },
    /// Two input slices that must be of equal length are not.
    #[error("{what}: lengths differ ({a} vs {b})")]
    LengthMismatch {
        /// What was compared.
        what: &'static str,
        /// First length.
        a: usize,
        /// Second length.
        b: usize,
    },
    /// A linking evaluation has no linking laboratory.
    #[error("linking needs at least one linking laboratory")]
    NoLinkingLabs,
    /// An iterative solver did not converge (should not happen for valid input).
    #[error("{what} did not converge")]
    NoConvergence {
        /// The solver.
        what: &'static str,
    },
}
