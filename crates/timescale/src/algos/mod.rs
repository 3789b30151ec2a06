//! The monthly world-time-scale computation: EAL by the ALGOS algorithm,
//! TAI by frequency steering from the primary and secondary standards, and
//! UTC with [UTC − UTC(k)] and its uncertainties for each laboratory, as
//! published in BIPM Circular T. Also the rapid weekly UTCr (daily values).
//!
//! What: [`compute_month`] takes the month's clock comparisons, time links,
//! PSFS evaluations and leap-second table ([`Inputs`]), the [`State`] left by
//! the previous month and a [`Config`]; it returns a [`MonthResult`] and the
//! state for the next month. The dates are the 5-day grid, MJD ≡ 4 (mod 5),
//! from the last grid date before the month to the last grid date in it
//! ([`month_dates`]), as in Circular T section 1.
//!
//! Algorithm (Panfilo & Arias, Metrologia 56 (2019) 042001, and the papers
//! cited next to the code in [`ensemble`](self) and `tai`):
//! 1. readings r_i = UTC(pivot) − clock_i = [UTC(lab) − clock] − [UTC(lab) − UTC(pivot)];
//! 2. quadratic predictions from the state; weights from predictability over
//!    the past 12 months, zero during probation, capped at A/N;
//! 3. EAL − UTC(pivot) = Σ ω_i (x'_i − r_i); a clock whose monthly frequency
//!    misses its prediction by more than `abnormal_k` σ, or that shows a
//!    frequency step, gets weight zero for the month and the ensemble is
//!    recomputed (iteratively);
//! 4. TAI − EAL from the steering; d from the PSFS by the filter of Azoubib,
//!    Granveaud & Guinot (1977) over the evaluations of the past months, with
//!    each standard's u_B correlated between its evaluations (`tai`); the
//!    next steering;
//! 5. [UTC − UTC(k)] = (TAI − UTC(pivot) − ΔAT) − [UTC(k) − UTC(pivot)] and
//!    u_A, u_B, u = √(u_A² + u_B²) (GUM, JCGM 100:2008 eq. 10). The link
//!    errors enter EAL with the weights W_j of the laboratories' clocks, so
//!    u_B² = (1 − W_k)² u_B,k² + Σ_{j≠k} W_j² u_B,j² from the links'
//!    calibrations and u_A² the same of the links' u_A plus the ensemble
//!    term (Lewandowski, Matsakis, Panfilo & Tavella, "The evaluation of
//!    uncertainties in [UTC − UTC(k)]", Metrologia 43 (2006) 278–286,
//!    link-based evaluation).
//!
//! Bootstrap: with an empty state, EAL is defined as the equal-weight
//! average of the clocks present at the first date, with EAL = UTC(pivot) +
//! ΔAT and TAI = EAL there; every clock of that month is a founding member
//! (no probation) and receives equal weight until it has `min_history`
//! prediction errors.
//!
//! Parameters the papers leave to the operator are in [`Config`], with the
//! defaults documented there.

mod ensemble;
mod result;
mod state;
mod tai;

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub(crate) use result::month_name;
pub use result::{
    ClockResult, ClockStatus, FrequencyResult, LabResult, LeapNotice, LinkResult, MonthResult,
    PsfsResult, StepReport, UtcrResult,
};
pub use state::{ClockKey, ClockState, State, StateError};
pub use tai::PsfsEvaluation;

use crate::calendar::{self, Date};
use crate::inputs::{ClockReading, LinkReading, PsfsReport, Source};
use crate::leap::{LeapError, LeapTable};
use tai::NS_PER_DAY;

/// What to do with a clock whose data break a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Stop with a typed error naming the file and line.
    Reject,
    /// Give the clock weight zero, report it, and go on.
    Exclude,
}

/// How the d filter reads a PSFS evaluation that gives u_y without its
/// components u_A, u_B, u_l/Lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsplitPsfs {
    /// u_A = u_y: independent from one evaluation to the next (the reading
    /// of earlier versions, and the right one for the simulator's fountains).
    Statistical,
    /// u_B = u_y: fully correlated between the evaluations of one standard
    /// (conservative: repeated evaluations do not average it down).
    Systematic,
}

/// Parameters of the computation. The defaults follow published BIPM
/// practice where there is one; the others are marked as choices.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// A in the maximum relative weight A/N (Panfilo et al. 2014 adopted
    /// A = 4 with the predictability weighting). Default 4.
    pub max_weight_a: f64,
    /// Months a new clock is observed with zero weight. Default 4 (choice;
    /// BIPM has used a probation of a few months).
    pub probation_months: u32,
    /// Months of prediction errors in the predictability (Panfilo et al.
    /// 2014: the past 12 months). Default 12.
    pub history_months: usize,
    /// Prediction errors needed before a weight is computed. Default 3 (choice).
    pub min_history: usize,
    /// A weighted clock is abnormal when |y − y_pred| > `abnormal_k` σ.
    /// Default 4 (choice).
    pub abnormal_k: f64,
    /// A frequency step is reported when the split test exceeds `step_k`
    /// standard deviations. Default 5 (choice).
    pub step_k: f64,
    /// Monthly frequencies needed to estimate a drift. Default 4 (choice).
    pub drift_min_months: usize,
    /// A drift is used when |slope| ≥ `drift_t` × its standard error.
    /// Default 3 (choice).
    pub drift_t: f64,
    /// Largest change of the TAI steering per month, fractional frequency.
    /// Default 3e-16 (choice, of the order of BIPM's monthly corrections).
    pub max_steering_change: f64,
    /// During the first `alignment_months` computations the steering is set
    /// fully to the PSFS estimate (commissioning of a new time scale, while
    /// the ensemble's drift estimates settle); afterwards it changes by at
    /// most `max_steering_change` per month. Default 6 (choice).
    pub alignment_months: u32,
    /// Instability of EAL when an evaluation covering part of a month is
    /// taken as the month's (fractional): the u_EAL of each evaluation in the
    /// d filter (`tai` module). Default 2e-16 (choice).
    pub eal_frequency_u: f64,
    /// Random walk of the EAL frequency in the d filter: the standard
    /// deviation of its change over 30 days (fractional), i.e. a variance
    /// q = walk²/30 per day (Azoubib, Granveaud & Guinot 1977 §3 model the
    /// frequency of the free scale by a random walk; the level is left to
    /// the operator). Default 2e-16 (choice).
    pub eal_frequency_walk: f64,
    /// Months of PSFS evaluations the d filter keeps (in the state) and
    /// combines. Default 12 (choice; older evaluations weigh little under
    /// the random walk anyway).
    pub psfs_window_months: u32,
    /// τ0 of the u_l/Tai power law, days (Panfilo & Parker, Metrologia 47
    /// (2010) 552). Default 5.
    pub ul_tai_tau0_days: f64,
    /// Exponent β of the u_l/Tai power law (T/τ0)^(−β). Default 0.9
    /// (Panfilo & Parker 2010).
    pub ul_tai_beta: f64,
    /// How to read a PSFS evaluation reported with u_y only, without its
    /// components. Default [`UnsplitPsfs::Statistical`].
    pub unsplit_psfs: UnsplitPsfs,
    /// A phase step larger than this between two dates (after removing the
    /// clock's median rate) is a clock jump, ns. Default 100 (choice).
    pub max_phase_jump_ns: f64,
    /// What to do with a clock jump. Default [`Policy::Reject`].
    pub on_jump: Policy,
    /// What to do with a gap in a clock's readings (a date missing between
    /// two readings of the month) or a clock reading without a link. Clocks
    /// entering or leaving during the month are not gaps: they get weight
    /// zero ([`ClockStatus::Incomplete`]). Default [`Policy::Reject`].
    pub on_missing: Policy,
    /// Limit on the abnormal-clock iterations. Default 10.
    pub max_iterations: usize,
    /// Pivot laboratory; by default the one named in the links.
    pub pivot: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_weight_a: 4.0,
            probation_months: 4,
            history_months: 12,
            min_history: 3,
            abnormal_k: 4.0,
            step_k: 5.0,
            drift_min_months: 4,
            drift_t: 3.0,
            max_steering_change: 3e-16,
            alignment_months: 6,
            eal_frequency_u: 2e-16,
            eal_frequency_walk: 2e-16,
            psfs_window_months: 12,
            ul_tai_tau0_days: 5.0,
            ul_tai_beta: 0.9,
            unsplit_psfs: UnsplitPsfs::Statistical,
            max_phase_jump_ns: 100.0,
            on_jump: Policy::Reject,
            on_missing: Policy::Reject,
            max_iterations: 10,
            pivot: None,
        }
    }
}

impl Config {
    fn validate(&self) -> Result<(), Error> {
        let bad = |what: &str| Err(Error::InvalidConfig(what.to_string()));
        let pos = |v: f64| v.is_finite() && v > 0.0;
        let nonneg = |v: f64| v.is_finite() && v >= 0.0;
        if !(self.max_weight_a.is_finite() && self.max_weight_a >= 1.0) {
            return bad("max_weight_a must be ≥ 1");
        }
        if self.history_months == 0 || self.min_history == 0 {
            return bad("history_months and min_history must be ≥ 1");
        }
        if self.min_history > self.history_months {
            return bad("min_history must not exceed history_months");
        }
        if !pos(self.abnormal_k) || !pos(self.step_k) || !pos(self.drift_t) {
            return bad("abnormal_k, step_k and drift_t must be positive");
        }
        if !nonneg(self.max_steering_change)
            || !nonneg(self.eal_frequency_u)
            || !nonneg(self.eal_frequency_walk)
        {
            return bad("steering limit and EAL frequency uncertainties must be ≥ 0");
        }
        if !(pos(self.ul_tai_tau0_days) && self.ul_tai_beta.is_finite() && self.ul_tai_beta >= 0.0)
        {
            return bad("ul_tai_tau0_days must be positive and ul_tai_beta ≥ 0");
        }
        if !pos(self.max_phase_jump_ns) {
            return bad("max_phase_jump_ns must be positive");
        }
        if self.max_iterations == 0 {
            return bad("max_iterations must be ≥ 1");
        }
        Ok(())
    }
}

/// The month's inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// Year of the month to compute.
    pub year: i32,
    /// Month (1–12).
    pub month: u32,
    /// Clock comparisons (other dates are ignored).
    pub clocks: Vec<ClockReading>,
    /// Time links (other dates are ignored).
    pub links: Vec<LinkReading>,
    /// PSFS evaluations (those not inside the month's dates are reported
    /// as unused).
    pub psfs: Vec<PsfsReport>,
    /// Leap-second table covering the month.
    pub leap: LeapTable,
    /// Optional laboratory locations for the Circular T text.
    pub locations: BTreeMap<String, String>,
}

/// Why a computation was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A configuration value is out of range.
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    /// Not a calendar month.
    #[error("invalid month {year}-{month:02}")]
    InvalidMonth {
        /// Year.
        year: i32,
        /// Month.
        month: u32,
    },
    /// The leap-second table does not cover the dates.
    #[error("leap-second table: {0}")]
    Leap(#[from] LeapError),
    /// The state does not end where this month starts.
    #[error("the state ends at MJD {state_mjd} but this computation starts at MJD {first_mjd}: compute the months in order")]
    StateMismatch {
        /// Last date of the state.
        state_mjd: i64,
        /// First date of this computation.
        first_mjd: i64,
    },
    /// UTCr needs a monthly state.
    #[error("UTCr needs the state of a monthly computation")]
    NoState,
    /// A value is NaN or infinite.
    #[error("{at}: {what} is not finite")]
    NonFinite {
        /// Where.
        at: Source,
        /// Which value.
        what: &'static str,
    },
    /// The same clock or link appears twice at a date.
    #[error("{at}: duplicate {what} at MJD {mjd} (first at {first})")]
    Duplicate {
        /// The second occurrence.
        at: Source,
        /// The first occurrence.
        first: Source,
        /// "clock LAB/CLOCK" or "link LAB".
        what: String,
        /// Date.
        mjd: i64,
    },
    /// Links to different pivots.
    #[error("{at}: link to pivot {found} but the pivot is {expected}")]
    PivotMismatch {
        /// Where.
        at: Source,
        /// Expected pivot.
        expected: String,
        /// Pivot in this row.
        found: String,
    },
    /// A clock misses a date of the month.
    #[error("{file}: clock {lab}/{clock} has no reading at MJD {mjd}")]
    MissingEpoch {
        /// File of the clock's readings.
        file: String,
        /// Laboratory.
        lab: String,
        /// Clock.
        clock: String,
        /// Missing date.
        mjd: i64,
    },
    /// A laboratory with clock data has no link at a date.
    #[error("{at}: laboratory {lab} has clock data but no link at MJD {mjd}")]
    MissingLink {
        /// The clock reading that needs the link.
        at: Source,
        /// Laboratory.
        lab: String,
        /// Date.
        mjd: i64,
    },
    /// A clock's time jumps.
    #[error("{at}: clock {lab}/{clock} jumps by {jump_ns:.1} ns at MJD {mjd}")]
    ClockJump {
        /// The reading after the jump.
        at: Source,
        /// Laboratory.
        lab: String,
        /// Clock.
        clock: String,
        /// Date of the reading after the jump.
        mjd: i64,
        /// Size of the jump (beyond the clock's median rate), ns.
        jump_ns: f64,
    },
    /// No clock can carry the time scale.
    #[error(
        "no clock has complete data with a usable prediction from MJD {first_mjd} to {last_mjd}"
    )]
    NoClocks {
        /// First date.
        first_mjd: i64,
        /// Last date.
        last_mjd: i64,
    },
}

/// The dates of the monthly computation: MJD ≡ 4 (mod 5) from the last
/// such date before the first day of the month to the last one within the
/// month (Circular T section 1; e.g. Circular T 229, January 2007: MJD
/// 54099 … 54129). None for an invalid month.
pub fn month_dates(year: i32, month: u32) -> Option<Vec<i64>> {
    let (first, last) = calendar::month_mjd_range(year, month)?;
    let start = last_grid_on_or_before(first - 1);
    let end = last_grid_on_or_before(last);
    Some((0..=(end - start) / 5).map(|k| start + 5 * k).collect())
}

fn last_grid_on_or_before(mjd: i64) -> i64 {
    mjd - (mjd - 4).rem_euclid(5)
}

/// Computes one month (see the module documentation).
pub fn compute_month(
    inputs: &Inputs,
    state: &State,
    config: &Config,
) -> Result<(MonthResult, State), Error> {
    config.validate()?;
    let dates = month_dates(inputs.year, inputs.month).ok_or(Error::InvalidMonth {
        year: inputs.year,
        month: inputs.month,
    })?;
    if let Some(l) = state.last_mjd {
        if l != dates[0] {
            return Err(Error::StateMismatch {
                state_mjd: l,
                first_mjd: dates[0],
            });
        }
    }
    let run = Run::new(&dates, inputs, state, config)?;
    let solved = run.solve()?;
    Ok(run.finish(inputs, state, solved))
}

/// Rapid UTC (UTCr), simplified: the ensemble of [`compute_month`] on a
/// daily grid of `days` days from `first_mjd`, with the predictions,
/// weights and steering carried in the last monthly state and no state
/// update. The BIPM's UTCr is a weekly solution with daily values from the
/// laboratories' daily data and its own rapid weighting; this keeps the
/// algorithm and changes only the grid. The abnormal-clock and step tests
/// are left to the monthly computation (their thresholds are calibrated on
/// the 5-day grid). Dates must not precede the state's last date.
pub fn compute_utcr(
    inputs: &Inputs,
    state: &State,
    config: &Config,
    first_mjd: i64,
    days: usize,
) -> Result<UtcrResult, Error> {
    config.validate()?;
    let last = state.last_mjd.ok_or(Error::NoState)?;
    if first_mjd < last || days < 2 {
        return Err(Error::StateMismatch {
            state_mjd: last,
            first_mjd,
        });
    }
    let dates: Vec<i64> = (0..days as i64).map(|d| first_mjd + d).collect();
    let mut run = Run::new(&dates, inputs, state, config)?;
    run.tests = false;
    let solved = run.solve()?;
    let (month, _) = run.finish(inputs, state, solved);
    Ok(UtcrResult {
        mjds: month.mjds,
        pivot: month.pivot,
        eal_minus_pivot_ns: month.eal_minus_pivot_ns,
        tai_minus_eal_ns: month.tai_minus_eal_ns,
        labs: month.labs,
        clocks: month.clocks,
    })
}

/// One clock's data for the run.
struct ClockData {
    key: ClockKey,
    /// r_i = UTC(pivot) − clock, ns.
    r: Vec<Option<f64>>,
    complete: bool,
    jump: bool,
    /// Prediction x'_i at each date (continuing clocks and bootstrap).
    pred: Option<Vec<f64>>,
    /// Short-term noise of one interval frequency (ns/day), from history.
    short_sigma: Option<f64>,
    /// Weight class.
    class: Class,
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    /// Predictability known: raw weight 1/σ² (σ in ns/day).
    Sigma(f64),
    /// Eligible but too short a history: median weight.
    Provisional,
    /// Not weighted.
    Zero(ClockStatus),
}

struct Run<'a> {
    dates: Vec<i64>,
    /// Days since dates[0].
    t: Vec<f64>,
    pivot: String,
    dat: Vec<i32>,
    links: BTreeMap<String, Vec<Option<&'a LinkReading>>>,
    clocks: Vec<ClockData>,
    config: &'a Config,
    bootstrap: bool,
    /// Run the abnormal-clock and step tests (monthly mode).
    tests: bool,
}

struct Solved {
    weights: Vec<f64>,
    capped: Vec<bool>,
    cap: f64,
    abnormal: BTreeSet<usize>,
    steps: HashMap<usize, (usize, f64, f64)>,
    /// EAL − R at each date, ns.
    e: Vec<f64>,
    iterations: usize,
}

impl<'a> Run<'a> {
    fn new(
        dates: &[i64],
        inputs: &'a Inputs,
        state: &State,
        config: &'a Config,
    ) -> Result<Run<'a>, Error> {
        let n = dates.len();
        let index: HashMap<i64, usize> = dates.iter().enumerate().map(|(i, &d)| (d, i)).collect();
        let dat = dates
            .iter()
            .map(|&d| inputs.leap.tai_minus_utc_mjd(d))
            .collect::<Result<Vec<_>, _>>()?;
        // Pivot and links.
        let mut pivot: Option<String> = config.pivot.clone();
        let mut links: BTreeMap<String, Vec<Option<&LinkReading>>> = BTreeMap::new();
        for l in &inputs.links {
            let Some(&k) = index.get(&l.mjd) else {
                continue;
            };
            for (v, what) in [(l.x_ns, "x_ns"), (l.ua_ns, "ua_ns"), (l.ub_ns, "ub_ns")] {
                if !v.is_finite() {
                    return Err(Error::NonFinite {
                        at: l.source.clone(),
                        what,
                    });
                }
            }
            match &pivot {
                None => pivot = Some(l.pivot.clone()),
                Some(p) if *p != l.pivot => {
                    return Err(Error::PivotMismatch {
                        at: l.source.clone(),
                        expected: p.clone(),
                        found: l.pivot.clone(),
                    })
                }
                _ => {}
            }
            if l.lab == l.pivot {
                continue;
            }
            let slot = &mut links.entry(l.lab.clone()).or_insert_with(|| vec![None; n])[k];
            if let Some(first) = slot {
                return Err(Error::Duplicate {
                    at: l.source.clone(),
                    first: first.source.clone(),
                    what: format!("link {}", l.lab),
                    mjd: l.mjd,
                });
            }
            *slot = Some(l);
        }
        let pivot = pivot.or_else(|| state.pivot.clone()).unwrap_or_default();
        // Clocks.
        let mut by_key: BTreeMap<ClockKey, Vec<Option<&ClockReading>>> = BTreeMap::new();
        for c in &inputs.clocks {
            let Some(&k) = index.get(&c.mjd) else {
                continue;
            };
            if !c.x_ns.is_finite() {
                return Err(Error::NonFinite {
                    at: c.source.clone(),
                    what: "x_ns",
                });
            }
            let key = ClockKey {
                lab: c.lab.clone(),
                clock: c.clock.clone(),
            };
            let slot = &mut by_key.entry(key).or_insert_with(|| vec![None; n])[k];
            if let Some(first) = slot {
                return Err(Error::Duplicate {
                    at: c.source.clone(),
                    first: first.source.clone(),
                    what: format!("clock {}/{}", c.lab, c.clock),
                    mjd: c.mjd,
                });
            }
            *slot = Some(c);
        }
        let t: Vec<f64> = dates.iter().map(|&d| (d - dates[0]) as f64).collect();
        let bootstrap = state.last_mjd.is_none();
        let mut clocks = Vec::with_capacity(by_key.len());
        for (key, readings) in by_key {
            let mut r = vec![None; n];
            for k in 0..n {
                let Some(c) = readings[k] else {
                    continue;
                };
                let link = if c.lab == pivot {
                    Some(0.0)
                } else {
                    links.get(&c.lab).and_then(|v| v[k]).map(|l| l.x_ns)
                };
                match link {
                    Some(x) => r[k] = Some(c.x_ns - x),
                    None if config.on_missing == Policy::Reject => {
                        return Err(Error::MissingLink {
                            at: c.source.clone(),
                            lab: c.lab.clone(),
                            mjd: dates[k],
                        })
                    }
                    None => {}
                }
            }
            let complete = r.iter().all(Option::is_some);
            // A clock may enter or leave during the month (zero weight); a
            // gap between two of its readings is a missing epoch.
            let first = r.iter().position(Option::is_some);
            let last = r.iter().rposition(Option::is_some);
            let gap = match (first, last) {
                (Some(a), Some(b)) => (a..=b).find(|&k| r[k].is_none()),
                _ => None,
            };
            if let (Some(k), Policy::Reject) = (gap, config.on_missing) {
                let file = readings
                    .iter()
                    .flatten()
                    .next()
                    .map(|c| c.source.file.to_string())
                    .unwrap_or_default();
                return Err(Error::MissingEpoch {
                    file,
                    lab: key.lab,
                    clock: key.clock,
                    mjd: dates[k],
                });
            }
            // Clock jumps: phase increments beyond the median rate.
            let mut jump = false;
            let pts: Vec<(usize, f64)> = r
                .iter()
                .enumerate()
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect();
            if pts.len() >= 3 {
                let rates: Vec<f64> = pts
                    .windows(2)
                    .map(|w| (w[1].1 - w[0].1) / (t[w[1].0] - t[w[0].0]))
                    .collect();
                let med = ensemble::median(&rates).unwrap_or(0.0);
                for w in pts.windows(2) {
                    let dev = (w[1].1 - w[0].1) - med * (t[w[1].0] - t[w[0].0]);
                    if dev.abs() > config.max_phase_jump_ns {
                        if config.on_jump == Policy::Reject {
                            let src = readings[w[1].0].map(|c| c.source.clone());
                            return Err(Error::ClockJump {
                                at: src.unwrap_or_else(|| Source::memory("?", 0)),
                                lab: key.lab,
                                clock: key.clock,
                                mjd: dates[w[1].0],
                                jump_ns: dev,
                            });
                        }
                        jump = true;
                    }
                }
            }
            // Prediction and weight class.
            let cs = state.clocks.get(&key);
            let pred = if bootstrap {
                r[0].map(|r0| vec![r0; n])
            } else {
                cs.map(|cs| {
                    dates
                        .iter()
                        .map(|&d| {
                            let dt = (d - cs.mjd) as f64;
                            cs.x_ns + cs.freq * dt + 0.5 * cs.drift * dt * dt
                        })
                        .collect()
                })
            };
            let class = if jump {
                Class::Zero(ClockStatus::Jump)
            } else if !complete {
                Class::Zero(ClockStatus::Incomplete)
            } else if bootstrap {
                if pred.is_some() {
                    Class::Provisional
                } else {
                    Class::Zero(ClockStatus::Incomplete)
                }
            } else {
                match cs {
                    None => Class::Zero(ClockStatus::Probation),
                    Some(cs) if cs.mjd != state.last_mjd.unwrap_or(cs.mjd) => {
                        Class::Zero(ClockStatus::Reentry)
                    }
                    Some(cs) if !cs.founding && cs.months < config.probation_months => {
                        Class::Zero(ClockStatus::Probation)
                    }
                    Some(cs) => {
                        let h = &cs.errors[cs.errors.len().saturating_sub(config.history_months)..];
                        if h.len() >= config.min_history {
                            let ms = h.iter().map(|e| e * e).sum::<f64>() / h.len() as f64;
                            Class::Sigma(ms.sqrt().max(1e-12))
                        } else if cs.founding || cs.months >= config.probation_months {
                            Class::Provisional
                        } else {
                            Class::Zero(ClockStatus::Probation)
                        }
                    }
                }
            };
            let short_sigma = cs.and_then(|cs| {
                let h = &cs.short[cs.short.len().saturating_sub(config.history_months)..];
                (h.len() >= config.min_history)
                    .then(|| (h.iter().sum::<f64>() / h.len() as f64).sqrt())
            });
            clocks.push(ClockData {
                key,
                short_sigma,
                r,
                complete,
                jump,
                pred,
                class,
            });
        }
        Ok(Run {
            dates: dates.to_vec(),
            t,
            pivot,
            dat,
            links,
            clocks,
            config,
            bootstrap,
            tests: true,
        })
    }

    fn median_sigma(&self) -> Option<f64> {
        let s: Vec<f64> = self
            .clocks
            .iter()
            .filter_map(|c| match c.class {
                Class::Sigma(s) => Some(s),
                _ => None,
            })
            .collect();
        ensemble::median(&s)
    }

    fn solve(&self) -> Result<Solved, Error> {
        let n = self.dates.len();
        let span = self.t[n - 1];
        let med_sigma = self.median_sigma();
        let mut abnormal: BTreeSet<usize> = BTreeSet::new();
        let mut steps: HashMap<usize, (usize, f64, f64)> = HashMap::new();
        let mut iterations = 0;
        loop {
            iterations += 1;
            // Raw weights.
            let eligible: Vec<usize> = (0..self.clocks.len())
                .filter(|&i| {
                    !abnormal.contains(&i)
                        && matches!(self.clocks[i].class, Class::Sigma(_) | Class::Provisional)
                })
                .collect();
            if eligible.is_empty() {
                return Err(Error::NoClocks {
                    first_mjd: self.dates[0],
                    last_mjd: self.dates[n - 1],
                });
            }
            let provisional_raw = med_sigma.map_or(1.0, |s| 1.0 / (s * s));
            let raw: Vec<f64> = eligible
                .iter()
                .map(|&i| match self.clocks[i].class {
                    Class::Sigma(s) => 1.0 / (s * s),
                    _ => provisional_raw,
                })
                .collect();
            let cap = self.config.max_weight_a / eligible.len() as f64;
            let (w, c) = ensemble::capped_weights(&raw, cap);
            let mut weights = vec![0.0; self.clocks.len()];
            let mut capped = vec![false; self.clocks.len()];
            for (j, &i) in eligible.iter().enumerate() {
                weights[i] = w[j];
                capped[i] = c[j];
            }
            // EAL − R = Σ ω_i (x'_i − r_i).
            let mut e = vec![0.0; n];
            for &i in &eligible {
                let cd = &self.clocks[i];
                let pred = cd.pred.as_deref().unwrap_or(&[]);
                for k in 0..n {
                    e[k] += weights[i] * (pred[k] - cd.r[k].unwrap_or(0.0));
                }
            }
            // Abnormal clocks and frequency steps (weighted clocks with σ).
            let mut new_abnormal = false;
            for &i in eligible.iter().filter(|_| self.tests) {
                let cd = &self.clocks[i];
                let Class::Sigma(sigma) = cd.class else {
                    continue;
                };
                let (Some(pred), Some(x)) = (cd.pred.as_deref(), self.x_of(i, &e)) else {
                    continue;
                };
                let ybar = (x[n - 1] - x[0]) / span;
                let ypred = (pred[n - 1] - pred[0]) / span;
                let step = self.step_test(&x, pred, cd.short_sigma, sigma);
                if let Some(s) = step {
                    steps.insert(i, s);
                }
                if (ybar - ypred).abs() > self.config.abnormal_k * sigma || step.is_some() {
                    abnormal.insert(i);
                    new_abnormal = true;
                }
            }
            if !new_abnormal || iterations >= self.config.max_iterations {
                return Ok(Solved {
                    weights,
                    capped,
                    cap,
                    abnormal,
                    steps,
                    e,
                    iterations,
                });
            }
        }
    }

    /// x_i = (EAL − R) + r_i at every date, if the clock is complete.
    fn x_of(&self, i: usize, e: &[f64]) -> Option<Vec<f64>> {
        self.clocks[i]
            .r
            .iter()
            .zip(e)
            .map(|(r, e)| r.map(|r| e + r))
            .collect()
    }

    /// Interval frequency residuals (observed − predicted), ns/day.
    fn interval_residuals(&self, x: &[f64], pred: &[f64]) -> Vec<f64> {
        (1..x.len())
            .map(|k| {
                let dt = self.t[k] - self.t[k - 1];
                ((x[k] - x[k - 1]) - (pred[k] - pred[k - 1])) / dt
            })
            .collect()
    }

    /// Split test on the interval frequencies of x against the prediction.
    /// The per-interval noise is the clock's short-term noise from its
    /// history or, before there is one, σ·√(intervals) from the
    /// predictability σ of the monthly mean (white-FM scaling, conservative).
    fn step_test(
        &self,
        x: &[f64],
        pred: &[f64],
        short_sigma: Option<f64>,
        sigma: f64,
    ) -> Option<(usize, f64, f64)> {
        let v = self.interval_residuals(x, pred);
        let sigma_interval = short_sigma.unwrap_or(sigma * (v.len() as f64).sqrt());
        ensemble::step_split(&v, sigma_interval).filter(|s| s.2 > self.config.step_k)
    }

    fn finish(&self, inputs: &Inputs, state: &State, solved: Solved) -> (MonthResult, State) {
        let cfg = self.config;
        let n = self.dates.len();
        let span = self.t[n - 1];
        let e = &solved.e;
        let to_frac = |v: f64| v / NS_PER_DAY;
        let (psfs, freq, psfs_history) = self.psfs(inputs, state, e);
        // Frequency of TT − EAL (ns/day), to refer clock frequencies to the
        // SI second for the drift estimates.
        let tt_minus_eal_rate = freq.y_eal.map_or(0.0, |(y, _)| -y * NS_PER_DAY);
        // --- Clocks: results and next state.
        let mut next = State {
            last_mjd: Some(self.dates[n - 1]),
            months: state.months + 1,
            pivot: Some(self.pivot.clone()),
            ..State::default()
        };
        let mut clock_results = Vec::with_capacity(self.clocks.len());
        let mut step_reports = Vec::new();
        let mut ens_var = 0.0;
        let med_sigma = self.median_sigma();
        for (i, cd) in self.clocks.iter().enumerate() {
            let w = solved.weights[i];
            let status = if w > 0.0 {
                ClockStatus::Weighted
            } else if solved.abnormal.contains(&i) {
                ClockStatus::Abnormal
            } else {
                match cd.class {
                    Class::Zero(s) => s,
                    _ => ClockStatus::Abnormal,
                }
            };
            let sigma = match cd.class {
                Class::Sigma(s) => Some(s),
                _ => None,
            };
            if w > 0.0 {
                let s = sigma.or(med_sigma).unwrap_or(0.0);
                ens_var += (w * s * span / 2.0).powi(2);
            }
            let x: Vec<Option<f64>> = cd.r.iter().zip(e).map(|(r, e)| r.map(|r| e + r)).collect();
            let old = state.clocks.get(&cd.key);
            let continuing = !self.bootstrap
                && old.is_some_and(|o| Some(o.mjd) == state.last_mjd)
                && cd.complete;
            let ybar = match (x[0], x[n - 1]) {
                (Some(a), Some(b)) => Some((b - a) / span),
                _ => None,
            };
            let pred_err = match (&cd.pred, ybar) {
                (Some(p), Some(y)) if continuing => Some(y - (p[n - 1] - p[0]) / span),
                _ => None,
            };
            let step = solved.steps.get(&i).copied();
            if let Some((s, size, z)) = step {
                step_reports.push(StepReport {
                    lab: cd.key.lab.clone(),
                    clock: cd.key.clock.clone(),
                    mjd: self.dates[s],
                    // x = EAL − clock: the clock's frequency step is −Δ(dx/dt).
                    size: -to_frac(size),
                    significance: z,
                });
            }
            let drift_old = old.map_or(0.0, |o| o.drift);
            clock_results.push(ClockResult {
                lab: cd.key.lab.clone(),
                clock: cd.key.clock.clone(),
                status,
                weight: w,
                capped: solved.capped[i],
                frequency: ybar.map(|y| -to_frac(y)),
                prediction_error: pred_err.map(|v| -to_frac(v)),
                sigma: sigma.map(to_frac),
                drift_per_day: -to_frac(drift_old),
            });
            // Next state.
            if cd.jump {
                continue; // restarts as a new clock
            }
            let last_k = (0..n).rev().find(|&k| x[k].is_some());
            let Some(last_k) = last_k else {
                if let Some(o) = old {
                    next.clocks.insert(cd.key.clone(), o.clone());
                }
                continue;
            };
            let mut cs = old.cloned().unwrap_or(ClockState {
                mjd: self.dates[last_k],
                x_ns: 0.0,
                freq: 0.0,
                drift: 0.0,
                months: 0,
                founding: self.bootstrap,
                weight: 0.0,
                errors: Vec::new(),
                freqs: Vec::new(),
                short: Vec::new(),
            });
            let first_k = (0..n).find(|&k| x[k].is_some()).unwrap_or(last_k);
            let xl = x[last_k].unwrap_or(0.0);
            cs.mjd = self.dates[last_k];
            cs.x_ns = xl;
            cs.weight = w;
            if let Some(err) = pred_err {
                cs.errors.push(err);
                let excess = cs.errors.len().saturating_sub(cfg.history_months);
                cs.errors.drain(..excess);
            }
            // Monthly mean frequency, or the part after a step.
            let (from_k, reset) = match step {
                Some((s, _, _)) => (s, true),
                None => (first_k, false),
            };
            if last_k > from_k {
                let xf = x[from_k].unwrap_or(xl);
                let dt = self.t[last_k] - self.t[from_k];
                let y = (xl - xf) / dt;
                if reset {
                    cs.freqs.clear();
                }
                let mid = self.dates[from_k] as f64 + dt / 2.0;
                cs.freqs.push((mid, y + tt_minus_eal_rate));
                let excess = cs.freqs.len().saturating_sub(cfg.history_months);
                cs.freqs.drain(..excess);
                if cs.freqs.len() >= cfg.drift_min_months {
                    cs.drift = match ensemble::slope(&cs.freqs) {
                        Some((b, se)) if b.abs() >= cfg.drift_t * se => b,
                        _ => 0.0,
                    };
                }
                // Frequency at the last date: the mean over the interval
                // carried half an interval forward with the drift.
                cs.freq = y + cs.drift * dt / 2.0;
            }
            // Short-term noise: scatter of the interval residuals about
            // their mean (about the two segment means after a step).
            if let (true, Some(p), true) = (continuing, cd.pred.as_deref(), n >= 3) {
                let xs: Vec<f64> = x.iter().map(|v| v.unwrap_or(0.0)).collect();
                let v = self.interval_residuals(&xs, p);
                let split = step.map_or(0, |s| s.0);
                let mut ss = 0.0;
                let mut groups = 0;
                for seg in [&v[..split], &v[split..]] {
                    if seg.is_empty() {
                        continue;
                    }
                    groups += 1;
                    let m = seg.iter().sum::<f64>() / seg.len() as f64;
                    ss += seg.iter().map(|a| (a - m).powi(2)).sum::<f64>();
                }
                if v.len() > groups {
                    cs.short.push(ss / (v.len() - groups) as f64);
                    let excess = cs.short.len().saturating_sub(cfg.history_months);
                    cs.short.drain(..excess);
                }
            }
            if cd.complete {
                cs.months += 1;
            }
            next.clocks.insert(cd.key.clone(), cs);
        }
        // Clocks of the state without data this month: kept for a while.
        let horizon = (cfg.history_months as i64) * 31;
        for (k, o) in &state.clocks {
            if !next.clocks.contains_key(k)
                && !self.clocks.iter().any(|c| &c.key == k && c.jump)
                && self.dates[n - 1] - o.mjd <= horizon
            {
                next.clocks.insert(k.clone(), o.clone());
            }
        }
        // --- TAI.
        let t_anchor = state.last_mjd.unwrap_or(self.dates[0]);
        let s_ns = state.steering_ns_per_day;
        let tai_minus_eal: Vec<f64> = self
            .dates
            .iter()
            .map(|&d| state.tai_minus_eal_ns + s_ns * (d - t_anchor) as f64)
            .collect();
        next.tai_minus_eal_ns = tai_minus_eal[n - 1];
        next.steering_ns_per_day = -freq.eal_minus_tai_next * NS_PER_DAY;
        next.y_eal = freq.y_eal;
        next.psfs = psfs_history;
        // --- Laboratories.
        let mut lab_names: BTreeSet<String> = self.links.keys().cloned().collect();
        lab_names.extend(self.clocks.iter().map(|c| c.key.lab.clone()));
        if !self.pivot.is_empty() {
            lab_names.insert(self.pivot.clone());
        }
        let ens_u = ens_var.sqrt();
        // Each laboratory's link over the month (Circular T section 5) and the
        // weight W_j of its clocks in EAL.
        let link_of = |lab: &str| -> Vec<Option<&LinkReading>> {
            self.links
                .get(lab)
                .cloned()
                .unwrap_or_else(|| vec![None; n])
        };
        let rms = |v: &[f64]| (v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64).sqrt();
        let mut lab_stats: BTreeMap<String, (f64, f64, f64)> = BTreeMap::new();
        for lab in &lab_names {
            let w: f64 = self
                .clocks
                .iter()
                .zip(&solved.weights)
                .filter(|(c, _)| c.key.lab == *lab)
                .map(|(_, w)| w)
                .sum();
            let present: Vec<&LinkReading> = link_of(lab).into_iter().flatten().collect();
            let (ua, ub) = if *lab == self.pivot || present.is_empty() {
                (0.0, 0.0)
            } else {
                let ua: Vec<f64> = present.iter().map(|l| l.ua_ns).collect();
                let ub: Vec<f64> = present.iter().map(|l| l.ub_ns).collect();
                (rms(&ua), rms(&ub))
            };
            lab_stats.insert(lab.clone(), (w, ua, ub));
        }
        // Σ_j W_j² u_j² over all laboratories, for u_A (links) and u_B.
        let (sum_a, sum_b) = lab_stats.values().fold((0.0, 0.0), |(a, b), (w, ua, ub)| {
            (a + (w * ua).powi(2), b + (w * ub).powi(2))
        });
        let links: Vec<LinkResult> = lab_names
            .iter()
            .filter(|lab| **lab != self.pivot)
            .filter_map(|lab| {
                let present: Vec<&LinkReading> = link_of(lab).into_iter().flatten().collect();
                let first = present.first()?;
                let (_, ua, ub) = lab_stats.get(lab.as_str()).copied().unwrap_or_default();
                Some(LinkResult {
                    lab: lab.clone(),
                    pivot: first.pivot.clone(),
                    kind: present.iter().find_map(|l| l.kind.clone()),
                    ua_ns: ua,
                    ub_ns: ub,
                    dates: present.len(),
                })
            })
            .collect();
        let labs = lab_names
            .into_iter()
            .map(|lab| {
                let link: Vec<Option<f64>> = if lab == self.pivot {
                    vec![Some(0.0); n]
                } else {
                    link_of(&lab).iter().map(|l| l.map(|l| l.x_ns)).collect()
                };
                let values: Vec<Option<f64>> = (0..n)
                    .map(|k| link[k].map(|x| tai_minus_eal[k] + e[k] - x))
                    .collect();
                let (weight, ua_k, ub_k) = lab_stats.get(lab.as_str()).copied().unwrap_or_default();
                // [UTC − UTC(k)] = (TAI − EAL) + (EAL − R) − L_k, and EAL − R
                // holds every laboratory's link error ε_j with the weight W_j
                // of its clocks, so its error is Σ_j W_j ε_j − ε_k and
                //   u² = (1 − W_k)² u_k² + Σ_{j≠k} W_j² u_j²
                // for the link u_A and, with the calibration uncertainties, for
                // u_B (the link-based evaluation of Lewandowski, Matsakis,
                // Panfilo & Tavella, "The evaluation of uncertainties in
                // [UTC − UTC(k)]", Metrologia 43 (2006) 278–286, and its matrix
                // form in "Refining the evaluation of uncertainties in
                // [UTC − UTC(k)]", 2005). u_A adds the ensemble's own
                // instability over the month in quadrature.
                let correlated = |u_k: f64, sum: f64| {
                    ((1.0 - weight).powi(2) * u_k * u_k + sum - (weight * u_k).powi(2))
                        .max(0.0)
                        .sqrt()
                };
                let (ua, ub) = if values.iter().all(Option::is_none) {
                    (None, None)
                } else {
                    (
                        Some(correlated(ua_k, sum_a).hypot(ens_u)),
                        Some(correlated(ub_k, sum_b)),
                    )
                };
                let clocks = self.clocks.iter().filter(|c| c.key.lab == lab).count();
                LabResult {
                    location: inputs.locations.get(&lab).cloned(),
                    lab,
                    utc_minus_utck_ns: values,
                    ua_ns: ua,
                    ub_ns: ub,
                    u_ns: ua
                        .zip(ub)
                        .map(|(a, b)| crate::circular_t::combine_uncertainty(a, b)),
                    clocks,
                    weight,
                }
            })
            .collect();
        let since = inputs
            .leap
            .steps()
            .iter()
            .rev()
            .find(|s| s.mjd <= self.dates[n - 1])
            .map_or(Date::from_mjd(self.dates[0]), |s| Date::from_mjd(s.mjd));
        let result = MonthResult {
            year: inputs.year,
            month: inputs.month,
            mjds: self.dates.clone(),
            tai_minus_utc_s: self.dat.clone(),
            tai_minus_utc_since: since,
            pivot: self.pivot.clone(),
            eal_minus_pivot_ns: e.clone(),
            tai_minus_eal_ns: tai_minus_eal,
            labs,
            weighted_clocks: solved.weights.iter().filter(|&&w| w > 0.0).count(),
            clocks: clock_results,
            steps: step_reports,
            psfs,
            frequency: freq,
            links,
            leap_second: self.leap_notice(inputs),
            max_relative_weight: solved.cap,
            iterations: solved.iterations,
        };
        (result, next)
    }

    /// The first leap second after the month's first date that the table
    /// knows of (Circular T announces leap seconds ahead of time).
    fn leap_notice(&self, inputs: &Inputs) -> Option<LeapNotice> {
        let steps = inputs.leap.steps();
        let i = steps.iter().position(|s| s.mjd > self.dates[0])?;
        let step = &steps[i];
        let before = if i == 0 {
            step.tai_minus_utc
        } else {
            steps[i - 1].tai_minus_utc
        };
        (step.tai_minus_utc != before).then_some(LeapNotice {
            mjd: step.mjd,
            tai_minus_utc_s: step.tai_minus_utc,
            previous_s: before,
        })
    }

    /// Value of a per-date series at a day inside the dates (linear).
    fn interpolate(&self, v: &[Option<f64>], mjd: i64) -> Option<f64> {
        let n = self.dates.len();
        if mjd < self.dates[0] || mjd > self.dates[n - 1] {
            return None;
        }
        let k = self.dates.partition_point(|&d| d <= mjd);
        let k = k.clamp(1, n - 1);
        let (d0, d1) = (self.dates[k - 1], self.dates[k]);
        let (a, b) = (v[k - 1]?, v[k]?);
        Some(a + (b - a) * (mjd - d0) as f64 / (d1 - d0) as f64)
    }

    /// The PSFS evaluations of the month reduced to the frequency of EAL,
    /// the d filter over them and the kept history (`tai` module), and the
    /// history for the next state.
    fn psfs(
        &self,
        inputs: &Inputs,
        state: &State,
        e: &[f64],
    ) -> (Vec<PsfsResult>, FrequencyResult, Vec<PsfsEvaluation>) {
        let cfg = self.config;
        let n = self.dates.len();
        let s = state.steering_ns_per_day / NS_PER_DAY;
        let mut out = Vec::new();
        let mut month: Vec<(usize, PsfsEvaluation)> = Vec::new();
        for p in &inputs.psfs {
            let mut res = PsfsResult {
                standard: p.standard.clone(),
                lab: p.lab.clone(),
                mjd_start: p.mjd_start,
                mjd_end: p.mjd_end,
                y_lab: p.y,
                u_y: p.u_y,
                y_eal: None,
                u_total: None,
                u_a: None,
                u_b: None,
                u_l_lab: None,
                u_l_tai: None,
                d: None,
                weight: None,
                unused_reason: None,
            };
            if p.mjd_end < self.dates[0] || p.mjd_start > self.dates[n - 1] {
                continue; // another month's evaluation
            }
            if !p.y.is_finite() || !p.u_y.is_finite() || p.u_y <= 0.0 {
                res.unused_reason = Some(format!("{}: y or u_y not finite/positive", p.source));
                out.push(res);
                continue;
            }
            // (EAL − UTC(lab)) = (EAL − R) − (UTC(lab) − R); and link uA.
            let link: Vec<Option<(f64, f64)>> = if p.lab == self.pivot {
                vec![Some((0.0, 0.0)); n]
            } else {
                self.links.get(&p.lab).map_or(vec![None; n], |v| {
                    v.iter().map(|l| l.map(|l| (l.x_ns, l.ua_ns))).collect()
                })
            };
            let diff: Vec<Option<f64>> = (0..n).map(|k| link[k].map(|l| e[k] - l.0)).collect();
            let ua: Vec<Option<f64>> = link.iter().map(|l| l.map(|l| l.1)).collect();
            let (Some(a), Some(b), Some(ua_s), Some(ua_e)) = (
                self.interpolate(&diff, p.mjd_start),
                self.interpolate(&diff, p.mjd_end),
                self.interpolate(&ua, p.mjd_start),
                self.interpolate(&ua, p.mjd_end),
            ) else {
                res.unused_reason = Some(
                    if p.mjd_start < self.dates[0] || p.mjd_end > self.dates[n - 1] {
                        "interval not inside the computed dates".to_string()
                    } else {
                        "no link for the laboratory over the interval".to_string()
                    },
                );
                out.push(res);
                continue;
            };
            let dt = (p.mjd_end - p.mjd_start) as f64;
            // y_EAL,k = y_k + Δ(EAL − UTC(lab))/T (`tai` module).
            let y_eal = p.y + (b - a) / (dt * NS_PER_DAY);
            // u_l/Tai from the link's u_A over the interval (Panfilo &
            // Parker 2010; the RMS of the link u_A at both ends).
            let ua_link = ((ua_s * ua_s + ua_e * ua_e) / 2.0).sqrt();
            let u_l_tai = tai::ul_tai(ua_link, dt, cfg.ul_tai_tau0_days, cfg.ul_tai_beta);
            let (u_a, u_b, u_l_lab) = match (p.components, cfg.unsplit_psfs) {
                (Some(c), _) => (c.u_a, c.u_b, c.u_l_lab),
                (None, UnsplitPsfs::Statistical) => (p.u_y, 0.0, 0.0),
                (None, UnsplitPsfs::Systematic) => (0.0, p.u_y, 0.0),
            };
            let u_indep = (u_a * u_a
                + u_l_lab * u_l_lab
                + u_l_tai * u_l_tai
                + cfg.eal_frequency_u * cfg.eal_frequency_u)
                .sqrt();
            res.y_eal = Some(y_eal);
            res.u_total = Some(u_indep.hypot(u_b));
            res.u_a = Some(u_a);
            res.u_b = Some(u_b);
            res.u_l_lab = Some(u_l_lab);
            res.u_l_tai = Some(u_l_tai);
            // This standard's estimate of d over its interval.
            res.d = Some(-(y_eal + s));
            month.push((
                out.len(),
                PsfsEvaluation {
                    standard: p.standard.clone(),
                    mid_mjd: (p.mjd_start + p.mjd_end) as f64 / 2.0,
                    y_eal,
                    u_indep,
                    u_b,
                },
            ));
            out.push(res);
        }
        // The filter: the kept evaluations of the past months and this
        // month's, carried to the centre of the month.
        let t_ref = (self.dates[0] + self.dates[n - 1]) as f64 / 2.0;
        let q = cfg.eal_frequency_walk.powi(2) / 30.0;
        let horizon = t_ref - f64::from(cfg.psfs_window_months) * 30.4375;
        let kept: Vec<PsfsEvaluation> = state
            .psfs
            .iter()
            .filter(|e| e.mid_mjd >= horizon && e.mid_mjd <= t_ref)
            .cloned()
            .collect();
        let mut all = kept.clone();
        // With nothing kept (a first month, or a state written before the
        // history was kept), the previous estimate stands for the past.
        if kept.is_empty() {
            if let (Some((y, u)), Some(l)) = (state.y_eal, state.last_mjd) {
                all.push(PsfsEvaluation {
                    standard: "(previous estimate)".into(),
                    mid_mjd: l as f64,
                    y_eal: y,
                    u_indep: u,
                    u_b: 0.0,
                });
            }
        }
        let offset = all.len();
        all.extend(month.iter().map(|(_, ev)| ev.clone()));
        let est = tai::combine(&all, t_ref, q);
        let month_only: Vec<PsfsEvaluation> = month.iter().map(|(_, ev)| ev.clone()).collect();
        let est_month = tai::combine(&month_only, t_ref, q);
        if let Some(est) = &est {
            for (j, (i, _)) in month.iter().enumerate() {
                out[*i].weight = est.weights.get(offset + j).copied();
            }
        }
        let y_eal = est.as_ref().map(|e| (e.y, e.u));
        let d = y_eal.map(|(y, u)| (-(y + s), u));
        let initial = state.months < cfg.alignment_months;
        let s_next = tai::next_steering(s, y_eal.map(|v| v.0), cfg.max_steering_change, initial);
        let freq = FrequencyResult {
            eal_minus_tai: -s,
            y_eal_month: est_month.as_ref().map(|m| (m.y, m.u)),
            birge_ratio: est.as_ref().and_then(|m| m.birge),
            y_eal,
            d,
            eal_minus_tai_next: -s_next,
            evaluations: all.len(),
        };
        let mut history = kept;
        history.extend(month_only);
        (out, freq, history)
    }
}
