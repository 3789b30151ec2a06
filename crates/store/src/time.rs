//! The records of the world time scale as stored: the laboratories, and one [`TimeMonth`] per
//! computed month with what its Circular T publishes (section 1: [UTC − UTC(k)] at the 5-day
//! dates with u_A, u_B and u; the EAL and TAI frequency figures; the text) and the
//! characteristics of every clock that month.
//!
//! These are plain values, not the engine's types: the store keeps what was published, whatever
//! computed it (`sevres-timescale`'s `compute_month` today). Only the clock status is the
//! engine's own type, because it is a closed set the engine defines.

use std::fmt;

pub use sevres_timescale::algos::ClockStatus;

/// A calendar month: the period of one Circular T.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// The month, if `month` is 1–12 and the year has four digits (0–9999).
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        ((0..=9999).contains(&year) && (1..=12).contains(&month))
            .then_some(YearMonth { year, month })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.month
    }
}

impl fmt::Display for YearMonth {
    /// `2024-01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A laboratory that contributes clocks and appears in Circular T.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeLab {
    /// Acronym as in Circular T (`PTB`, `SIM-A`).
    pub code: String,
    /// Name.
    pub name: String,
    /// Location shown next to the acronym in Circular T.
    pub location: Option<String>,
    /// Whether the laboratory belongs to the built-in simulated ensemble.
    pub simulated: bool,
}

/// A value with its standard uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The value.
    pub value: f64,
    /// Its standard uncertainty.
    pub u: f64,
}

/// The frequency of EAL and TAI in a month (Circular T sections 2–3); fractional frequencies.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeFrequency {
    /// f(EAL) − f(TAI) applied this month.
    pub eal_minus_tai: f64,
    /// f(EAL) − f(TAI) to apply next month.
    pub eal_minus_tai_next: f64,
    /// The frequency of EAL from this month's primary and secondary standards.
    pub y_eal_month: Option<Estimate>,
    /// The filtered estimate of the frequency of EAL (with earlier months).
    pub y_eal: Option<Estimate>,
    /// d: the fractional deviation of the TAI scale interval from the SI second.
    pub d: Option<Estimate>,
    /// Birge ratio of the month's evaluations.
    pub birge_ratio: Option<f64>,
    /// Number of clocks with a non-zero weight.
    pub weighted_clocks: u32,
    /// Maximum relative weight A/N.
    pub max_relative_weight: f64,
}

/// One laboratory's line of Circular T section 1.
#[derive(Debug, Clone, PartialEq)]
pub struct LabMonth {
    /// The laboratory ([`TimeLab::code`]).
    pub lab: String,
    /// [UTC − UTC(k)] in ns at each date of the month ([`TimeMonth::mjds`]); `None`: no value.
    pub values_ns: Vec<Option<f64>>,
    /// Statistical uncertainty u_A, ns.
    pub ua_ns: Option<f64>,
    /// Systematic uncertainty u_B, ns.
    pub ub_ns: Option<f64>,
    /// Combined standard uncertainty u, ns.
    pub u_ns: Option<f64>,
    /// Note marks.
    pub note: Option<String>,
    /// Number of the laboratory's clocks with data.
    pub clocks: u32,
    /// Sum of their relative weights.
    pub weight: f64,
}

/// A clock's phase at a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phase {
    /// The date (MJD).
    pub mjd: i64,
    /// EAL − clock, ns.
    pub x_ns: f64,
}

/// The characteristics of one clock in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockMonth {
    /// The laboratory ([`TimeLab::code`]).
    pub lab: String,
    /// The clock's identifier in its laboratory.
    pub clock: String,
    /// How it took part.
    pub status: ClockStatus,
    /// Relative weight (0–1).
    pub weight: f64,
    /// Whether the weight reached the maximum A/N.
    pub capped: bool,
    /// Phase at its last date of the month.
    pub phase: Option<Phase>,
    /// Fractional frequency against EAL over the month.
    pub frequency: Option<f64>,
    /// Frequency drift used in the prediction, fractional per day.
    pub drift_per_day: f64,
    /// Predictability used for the weight (fractional).
    pub sigma: Option<f64>,
    /// Observed minus predicted frequency (fractional).
    pub prediction_error: Option<f64>,
}

/// One computed month: what its Circular T publishes and the clocks behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeMonth {
    /// The month.
    pub period: YearMonth,
    /// Whether it was computed from the built-in simulated ensemble.
    pub simulated: bool,
    /// TAI − UTC in seconds at the last date.
    pub tai_minus_utc_s: i32,
    /// The sentence stating it ("From 2017 January 1, 0h UTC, TAI-UTC = 37 s").
    pub tai_minus_utc_note: String,
    /// The dates of section 1 (MJD, increasing).
    pub mjds: Vec<i64>,
    /// The pivot laboratory of the time links.
    pub pivot: String,
    /// TAI − EAL at each date, ns.
    pub tai_minus_eal_ns: Vec<f64>,
    /// The EAL and TAI frequency figures.
    pub frequency: TimeFrequency,
    /// Section 1, in published order.
    pub labs: Vec<LabMonth>,
    /// Every clock of the month, by laboratory and clock.
    pub clocks: Vec<ClockMonth>,
    /// The Circular T text in its published layout.
    pub circular_t: String,
    /// The version of the software that computed it.
    pub software_version: String,
}

/// A stored month.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTimeMonth {
    /// The month as stored.
    pub month: TimeMonth,
    /// Who stored it ([`crate::Actor::label`]).
    pub computed_by: String,
    /// When (RFC 3339, UTC).
    pub computed_at: String,
}

/// A laboratory's section-1 line in one month, with the month's dates.
#[derive(Debug, Clone, PartialEq)]
pub struct LabInMonth {
    /// The month.
    pub period: YearMonth,
    /// Whether the month is simulated.
    pub simulated: bool,
    /// The month's dates (MJD), which [`LabMonth::values_ns`] follow.
    pub mjds: Vec<i64>,
    /// The line.
    pub line: LabMonth,
}

/// A clock's characteristics in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockInMonth {
    /// The month.
    pub period: YearMonth,
    /// The characteristics.
    pub clock: ClockMonth,
}

/// The name a clock status is stored and served under: `weighted`, `probation`, `abnormal`,
/// `reentry`, `incomplete` or `jump`.
pub fn clock_status_name(status: ClockStatus) -> &'static str {
    match status {
        ClockStatus::Weighted => "weighted",
        ClockStatus::Probation => "probation",
        ClockStatus::Abnormal => "abnormal",
        ClockStatus::Reentry => "reentry",
        ClockStatus::Incomplete => "incomplete",
        ClockStatus::Jump => "jump",
    }
}

/// The status named by [`clock_status_name`].
pub fn clock_status_from_name(name: &str) -> Option<ClockStatus> {
    [
        ClockStatus::Weighted,
        ClockStatus::Probation,
        ClockStatus::Abnormal,
        ClockStatus::Reentry,
        ClockStatus::Incomplete,
        ClockStatus::Jump,
    ]
    .into_iter()
    .find(|s| clock_status_name(*s) == name)
}

impl TimeMonth {
    /// Checks what the database cannot: dates increasing, one value per date, finite numbers,
    /// no laboratory or clock twice. The message names the month and the item.
    pub fn validate(&self) -> Result<(), String> {
        let at = self.period;
        let finite = |what: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(format!("{at}: {what} is not finite ({v})"))
            }
        };
        let finite_opt = |what: &str, v: Option<f64>| v.map_or(Ok(()), |v| finite(what, v));
        if self.mjds.is_empty() || self.mjds.windows(2).any(|w| w[0] >= w[1]) {
            return Err(format!(
                "{at}: the dates must be given, in increasing order"
            ));
        }
        if self.tai_minus_eal_ns.len() != self.mjds.len() {
            return Err(format!(
                "{at}: {} values of TAI − EAL for {} dates",
                self.tai_minus_eal_ns.len(),
                self.mjds.len()
            ));
        }
        for v in &self.tai_minus_eal_ns {
            finite("TAI − EAL", *v)?;
        }
        let f = &self.frequency;
        finite("f(EAL) − f(TAI)", f.eal_minus_tai)?;
        finite("f(EAL) − f(TAI) for the next month", f.eal_minus_tai_next)?;
        finite("the maximum relative weight", f.max_relative_weight)?;
        finite_opt("the Birge ratio", f.birge_ratio)?;
        for (what, e) in [
            ("the frequency of EAL this month", f.y_eal_month),
            ("the frequency of EAL", f.y_eal),
            ("d", f.d),
        ] {
            if let Some(e) = e {
                finite(what, e.value)?;
                finite(&format!("the uncertainty of {what}"), e.u)?;
            }
        }
        let mut labs = std::collections::BTreeSet::new();
        for l in &self.labs {
            if !labs.insert(l.lab.as_str()) {
                return Err(format!("{at}: laboratory {} appears twice", l.lab));
            }
            if l.values_ns.len() != self.mjds.len() {
                return Err(format!(
                    "{at}: laboratory {} has {} values for {} dates",
                    l.lab,
                    l.values_ns.len(),
                    self.mjds.len()
                ));
            }
            let name = |what: &str| format!("{what} of {}", l.lab);
            for v in &l.values_ns {
                finite_opt(&name("[UTC − UTC(k)]"), *v)?;
            }
            finite_opt(&name("uA"), l.ua_ns)?;
            finite_opt(&name("uB"), l.ub_ns)?;
            finite_opt(&name("u"), l.u_ns)?;
            finite(&name("the weight"), l.weight)?;
        }
        let mut clocks = std::collections::BTreeSet::new();
        for c in &self.clocks {
            if !clocks.insert((c.lab.as_str(), c.clock.as_str())) {
                return Err(format!("{at}: clock {}/{} appears twice", c.lab, c.clock));
            }
            let name = |what: &str| format!("{what} of clock {}/{}", c.lab, c.clock);
            if !(c.weight.is_finite() && c.weight >= 0.0) {
                return Err(format!(
                    "{at}: {} must be a finite number ≥ 0 ({})",
                    name("the weight"),
                    c.weight
                ));
            }
            finite_opt(&name("the phase"), c.phase.map(|p| p.x_ns))?;
            finite_opt(&name("the frequency"), c.frequency)?;
            finite(&name("the drift"), c.drift_per_day)?;
            finite_opt(&name("sigma"), c.sigma)?;
            finite_opt(&name("the prediction error"), c.prediction_error)?;
        }
        Ok(())
    }
}
