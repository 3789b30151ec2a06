//! Sevres timescale: pure time-scale computations for the metrology
//! community (no I/O, no async; slices in, values out).
//!
//! Modules:
//! * [`stability`] — frequency-stability statistics (Allan family, total and
//!   Théo variances, TIE/MTIE) with Stable32-compatible confidence intervals.

pub mod stability;
