//! What a month's computation returns: per-clock, per-laboratory and
//! frequency results, with Circular T rendering.

use crate::calendar::Date;
use crate::circular_t::{Section1, Section1Row};

/// How a clock took part in the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockStatus {
    /// Weighted normally.
    Weighted,
    /// New clock, zero weight during probation.
    Probation,
    /// Zero weight: abnormal frequency or frequency step this month.
    Abnormal,
    /// Back after missing data: zero weight this month.
    Reentry,
    /// Missing dates (with [`Policy::Exclude`](super::Policy::Exclude)): zero weight.
    Incomplete,
    /// Time jump (with [`Policy::Exclude`](super::Policy::Exclude)): zero weight, restarted as new.
    Jump,
}

/// One clock's month.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockResult {
    /// Laboratory.
    pub lab: String,
    /// Clock.
    pub clock: String,
    /// Participation.
    pub status: ClockStatus,
    /// Relative weight (0–1).
    pub weight: f64,
    /// Whether the weight hit the maximum A/N.
    pub capped: bool,
    /// Fractional frequency of the clock against EAL over the month.
    pub frequency: Option<f64>,
    /// Observed minus predicted frequency (fractional).
    pub prediction_error: Option<f64>,
    /// Predictability σ used for the weight (fractional).
    pub sigma: Option<f64>,
    /// Frequency drift used in the prediction (fractional, per day).
    pub drift_per_day: f64,
}

/// A frequency step found in a clock.
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    /// Laboratory.
    pub lab: String,
    /// Clock.
    pub clock: String,
    /// The step lies between this date and the previous one (MJD).
    pub mjd: i64,
    /// Size of the step of the clock's frequency (fractional).
    pub size: f64,
    /// Significance in standard deviations.
    pub significance: f64,
}

/// One PSFS evaluation as used for TAI.
#[derive(Debug, Clone, PartialEq)]
pub struct PsfsResult {
    /// Standard.
    pub standard: String,
    /// Laboratory.
    pub lab: String,
    /// Interval start (MJD).
    pub mjd_start: i64,
    /// Interval end (MJD).
    pub mjd_end: i64,
    /// Reported frequency of UTC(lab) against the SI second.
    pub y_lab: f64,
    /// Reported uncertainty.
    pub u_y: f64,
    /// Derived frequency of EAL against the SI second, if usable.
    pub y_eal: Option<f64>,
    /// Its total uncertainty √(u_A² + u_B² + u_l/Lab² + u_l/Tai² + u_EAL²).
    pub u_total: Option<f64>,
    /// u_A of the standard (statistical).
    pub u_a: Option<f64>,
    /// u_B of the standard (systematic).
    pub u_b: Option<f64>,
    /// u_l/Lab: link between the standard and UTC(lab).
    pub u_l_lab: Option<f64>,
    /// u_l/Tai: link between UTC(lab) and TAI over the interval.
    pub u_l_tai: Option<f64>,
    /// This evaluation's estimate of d over its interval: −(y_EAL + s), s
    /// the steering of the month.
    pub d: Option<f64>,
    /// Weight of the evaluation in the month's estimate of d (the weights of
    /// all the evaluations the filter combines sum to 1).
    pub weight: Option<f64>,
    /// Why it was not used, if so.
    pub unused_reason: Option<String>,
}

/// Frequency of EAL and TAI (Circular T sections 2–3).
#[derive(Debug, Clone, PartialEq)]
pub struct FrequencyResult {
    /// f(EAL) − f(TAI) applied this month (fractional; minus the steering).
    pub eal_minus_tai: f64,
    /// The frequency of EAL and its uncertainty from this month's PSFS
    /// evaluations alone (the same filter, without the past months).
    pub y_eal_month: Option<(f64, f64)>,
    /// Birge ratio of the evaluations the filter combined (n > 1).
    pub birge_ratio: Option<f64>,
    /// Filtered estimate of the frequency of EAL over the month (with the
    /// evaluations of the past months).
    pub y_eal: Option<(f64, f64)>,
    /// d, the fractional deviation of the TAI scale interval from the SI
    /// second, and its uncertainty.
    pub d: Option<(f64, f64)>,
    /// f(EAL) − f(TAI) to apply next month.
    pub eal_minus_tai_next: f64,
    /// Number of evaluations the filter combined (this month's and the kept
    /// past ones).
    pub evaluations: usize,
}

/// A time link of the month (Circular T section 5).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkResult {
    /// Laboratory.
    pub lab: String,
    /// Pivot laboratory.
    pub pivot: String,
    /// Link technique, if the inputs name it.
    pub kind: Option<String>,
    /// Statistical uncertainty u_A of the link (RMS over the month), ns.
    pub ua_ns: f64,
    /// Calibration uncertainty u_B of the link (RMS over the month), ns.
    pub ub_ns: f64,
    /// Number of the month's dates with a link value.
    pub dates: usize,
}

/// A leap second after the first date of the month, as the leap-second
/// table announces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeapNotice {
    /// First day (MJD, 0h UTC) of the new TAI − UTC.
    pub mjd: i64,
    /// TAI − UTC from then on, s.
    pub tai_minus_utc_s: i32,
    /// TAI − UTC before, s.
    pub previous_s: i32,
}

/// One laboratory's line of Circular T section 1.
#[derive(Debug, Clone, PartialEq)]
pub struct LabResult {
    /// Laboratory acronym.
    pub lab: String,
    /// Location, if given in the inputs.
    pub location: Option<String>,
    /// [UTC − UTC(k)] in ns at each date (None: no link).
    pub utc_minus_utck_ns: Vec<Option<f64>>,
    /// Statistical uncertainty u_A, ns.
    pub ua_ns: Option<f64>,
    /// Systematic uncertainty u_B, ns.
    pub ub_ns: Option<f64>,
    /// Combined standard uncertainty u, ns.
    pub u_ns: Option<f64>,
    /// Number of the lab's clocks with data.
    pub clocks: usize,
    /// Sum of the relative weights of the lab's clocks.
    pub weight: f64,
}

/// The result of one month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthResult {
    /// Year.
    pub year: i32,
    /// Month.
    pub month: u32,
    /// The dates (MJD).
    pub mjds: Vec<i64>,
    /// TAI − UTC at each date, s.
    pub tai_minus_utc_s: Vec<i32>,
    /// Date from which the last date's TAI − UTC holds.
    pub tai_minus_utc_since: Date,
    /// Pivot laboratory.
    pub pivot: String,
    /// EAL − UTC(pivot) − ΔAT at each date, ns.
    pub eal_minus_pivot_ns: Vec<f64>,
    /// TAI − EAL at each date, ns.
    pub tai_minus_eal_ns: Vec<f64>,
    /// Laboratories, alphabetical.
    pub labs: Vec<LabResult>,
    /// Clocks, by laboratory and name.
    pub clocks: Vec<ClockResult>,
    /// Frequency steps found.
    pub steps: Vec<StepReport>,
    /// PSFS evaluations.
    pub psfs: Vec<PsfsResult>,
    /// EAL/TAI frequency.
    pub frequency: FrequencyResult,
    /// The time links (Circular T section 5), by laboratory.
    pub links: Vec<LinkResult>,
    /// The next leap second, if the table announces one after the month's
    /// first date.
    pub leap_second: Option<LeapNotice>,
    /// Maximum relative weight A/N.
    pub max_relative_weight: f64,
    /// Number of clocks with non-zero weight.
    pub weighted_clocks: usize,
    /// Ensemble iterations used.
    pub iterations: usize,
}

/// The result of a UTCr computation (rapid UTC, daily values).
#[derive(Debug, Clone, PartialEq)]
pub struct UtcrResult {
    /// The days (MJD).
    pub mjds: Vec<i64>,
    /// Pivot laboratory.
    pub pivot: String,
    /// EAL − UTC(pivot) − ΔAT, ns.
    pub eal_minus_pivot_ns: Vec<f64>,
    /// TAI − EAL, ns.
    pub tai_minus_eal_ns: Vec<f64>,
    /// [UTCr − UTC(k)] per laboratory, with link uncertainties.
    pub labs: Vec<LabResult>,
    /// Clocks (weights frozen from the monthly state).
    pub clocks: Vec<ClockResult>,
}

impl MonthResult {
    /// Circular T section 1 data of this month.
    pub fn section1(&self) -> Section1 {
        let since = self.tai_minus_utc_since;
        let dat = self.tai_minus_utc_s.last().copied().unwrap_or(0);
        Section1 {
            tai_minus_utc_note: format!(
                "From {} {} {}, 0h UTC, TAI-UTC = {} s",
                since.year,
                month_name(since.month),
                since.day,
                dat
            ),
            tai_minus_utc_s: dat,
            mjds: self.mjds.clone(),
            rows: self
                .labs
                .iter()
                .map(|l| Section1Row {
                    lab: l.lab.clone(),
                    location: l.location.clone(),
                    values: l.utc_minus_utck_ns.clone(),
                    ua_ns: l.ua_ns,
                    ub_ns: l.ub_ns,
                    u_ns: l.u_ns,
                    note: None,
                })
                .collect(),
        }
    }

    /// The month as Circular T text ([`crate::circular_t::CircularT::render_text`]).
    pub fn circular_t_text(&self) -> String {
        self.circular_t().render_text()
    }
}

pub(crate) fn month_name(m: u32) -> &'static str {
    const N: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    N.get(m.wrapping_sub(1) as usize).copied().unwrap_or("?")
}
