//! The time service shared by the API and the web pages: the built-in leap-second table, stored
//! Circular T months and laboratory series, frequency-stability runs and CGGTTS checks, and how
//! library errors become client errors.
//!
//! The computations are `sevres-timescale`'s; this module only bounds what a request may ask
//! (a stability run's work is estimated before it starts) and shapes the answers.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use sevres_store::{LabInMonth, Store, StoredTimeMonth, TimeLab, TimeMonth, YearMonth};
use sevres_timescale::calendar;
use sevres_timescale::circular_t::{Section1, Section1Row};
use sevres_timescale::leap::LeapTable;
use sevres_timescale::stability::{self, AveragingFactors, DataType, Kind, Point};

use crate::api::ApiError;

/// The IERS leap-second table, compiled in (see `data/time/README.md`).
const LEAP_SECONDS_LIST: &str = include_str!("../data/time/leap-seconds.list");

static LEAP: LazyLock<Result<LeapTable, String>> =
    LazyLock::new(|| LeapTable::parse(LEAP_SECONDS_LIST).map_err(|e| e.to_string()));

/// The built-in leap-second table; the error says why it does not read (a defect of the build).
pub(crate) fn leap_table() -> Result<&'static LeapTable, String> {
    LEAP.as_ref().map_err(Clone::clone)
}

/// TAI − UTC in seconds at a UTC label such as `2016-12-31T23:59:60` (400 for a label that is
/// not a UTC date-time or a second that does not exist, 422 outside the table), from the
/// operator's table when one was given, else the built-in one.
pub(crate) fn tai_minus_utc(
    operator_table: Option<&LeapTable>,
    utc: &str,
) -> Result<i32, ApiError> {
    use sevres_timescale::leap::LeapError;
    let table = match operator_table {
        Some(table) => table,
        None => leap_table().map_err(|e| ApiError::Internal(format!("leap-seconds.list: {e}")))?,
    };
    table.tai_minus_utc(utc).map_err(|e| match e {
        LeapError::BeforeTable { .. } | LeapError::Expired { .. } => {
            ApiError::Unprocessable(format!("utc {utc:?}: {e}"))
        }
        other => ApiError::BadRequest(format!("utc {utc:?}: {other}")),
    })
}

/// What every simulated answer says about itself.
pub(crate) const SIMULATED_NOTICE: &str = "SIMULATED DATA: computed by Sevres from a simulated \
     clock ensemble (laboratories SIM-A to SIM-O); not a BIPM Circular T.";

/// Reads `YYYY-MM` (400 otherwise).
pub(crate) fn parse_period(text: &str) -> Result<YearMonth, ApiError> {
    calendar::parse_year_month(text)
        .and_then(|(y, m)| YearMonth::new(y, m))
        .ok_or_else(|| ApiError::BadRequest(format!("month {text:?}: expected YYYY-MM")))
}

/// The stored month (404 when absent, naming the months there are).
pub(crate) async fn month(
    store: &dyn Store,
    period: YearMonth,
) -> Result<StoredTimeMonth, ApiError> {
    if let Some(m) = store.time_month(period).await? {
        return Ok(m);
    }
    let months = store.time_months().await?;
    let there = match (months.first(), months.last()) {
        (Some(a), Some(b)) => format!(
            "the stored months are {} to {}",
            a.month.period, b.month.period
        ),
        _ => "no month is stored".to_string(),
    };
    Err(ApiError::NotFound(format!(
        "no Circular T for {period}: {there}"
    )))
}

/// The stored laboratory (404 when absent).
pub(crate) async fn lab(store: &dyn Store, code: &str) -> Result<TimeLab, ApiError> {
    store
        .time_labs()
        .await?
        .into_iter()
        .find(|l| l.code == code)
        .ok_or_else(|| ApiError::NotFound(format!("no laboratory {code:?} in the time scale")))
}

/// Section 1 of a month as the engine's type, for its renderers.
pub(crate) fn section1(m: &TimeMonth, labs: &[TimeLab]) -> Section1 {
    Section1 {
        tai_minus_utc_s: m.tai_minus_utc_s,
        tai_minus_utc_note: m.tai_minus_utc_note.clone(),
        mjds: m.mjds.clone(),
        rows: m
            .labs
            .iter()
            .map(|l| Section1Row {
                lab: l.lab.clone(),
                location: labs
                    .iter()
                    .find(|t| t.code == l.lab)
                    .and_then(|t| t.location.clone()),
                values: l.values_ns.clone(),
                ua_ns: l.ua_ns,
                ub_ns: l.ub_ns,
                u_ns: l.u_ns,
                note: l.note.clone(),
            })
            .collect(),
    }
}

/// The Circular T text: the engine's layout as stored, under the notice when simulated.
pub(crate) fn circular_t_text(m: &TimeMonth) -> String {
    if m.simulated {
        format!("{SIMULATED_NOTICE}\n\n{}", m.circular_t)
    } else {
        m.circular_t.clone()
    }
}

/// Section 1 as CSV (the engine's layout), the notice as a leading comment when simulated.
pub(crate) fn circular_t_csv(m: &TimeMonth, labs: &[TimeLab]) -> String {
    let csv = section1(m, labs).render_csv();
    if m.simulated {
        format!("# {SIMULATED_NOTICE}\n{csv}")
    } else {
        csv
    }
}

/// One date of a laboratory's [UTC − UTC(k)] series.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SeriesPoint {
    /// The Circular T month the value is published in.
    pub(crate) period: YearMonth,
    /// The date (MJD).
    pub(crate) mjd: i64,
    /// [UTC − UTC(k)], ns.
    pub(crate) value_ns: f64,
    /// The month's u_A, u_B and u, ns.
    pub(crate) ua_ns: Option<f64>,
    pub(crate) ub_ns: Option<f64>,
    pub(crate) u_ns: Option<f64>,
}

/// A laboratory's values in date order. A date at the end of one month is also the first date
/// of the next Circular T; the value of the earlier issue is kept (it is the month the date
/// belongs to, except for the very first date). Dates without a value are left out.
pub(crate) fn series(lines: &[LabInMonth]) -> Vec<SeriesPoint> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for m in lines {
        for (&mjd, v) in m.mjds.iter().zip(&m.line.values_ns) {
            if let Some(value_ns) = *v {
                if seen.insert(mjd) {
                    out.push(SeriesPoint {
                        period: m.period,
                        mjd,
                        value_ns,
                        ua_ns: m.line.ua_ns,
                        ub_ns: m.line.ub_ns,
                        u_ns: m.line.u_ns,
                    });
                }
            }
        }
    }
    out.sort_by_key(|p| p.mjd);
    out
}

/// The civil date of an MJD, `2024-01-05`.
pub(crate) fn date(mjd: i64) -> String {
    calendar::Date::from_mjd(mjd).to_string()
}

// ---------------------------------------------------------------------------------------------
// Frequency stability

/// The most computation a stability request may ask, in seconds (estimated before it starts,
/// see [`StabilityRun::seconds`]).
pub(crate) const MAX_STABILITY_SECONDS: f64 = 1.5;

/// Rough time of one kernel step of `kind`, ns: one sample at one averaging factor, times the
/// factor m for the Howe total and Théo kernels, which are O(N·m). Measured on the engine's
/// kernels (x86-64, optimised build), rounded up.
fn step_ns(kind: Kind) -> f64 {
    match kind {
        Kind::Adev | Kind::Oadev | Kind::Hdev | Kind::TieRms => 1.0,
        Kind::Ohdev | Kind::Mdev | Kind::Tdev => 2.0,
        Kind::Mtie => 8.0,
        Kind::Totdev => 10.0,
        Kind::Mtotdev | Kind::Ttotdev | Kind::Htotdev => 5.0,
        Kind::Theo1 => 0.2,
    }
}

/// A stability run, its names already read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StabilityRun {
    pub(crate) kind: Kind,
    pub(crate) data: DataType,
    pub(crate) tau0: f64,
    pub(crate) af: AveragingFactors,
    /// The samples; NaN marks a gap.
    pub(crate) values: Vec<f64>,
}

impl StabilityRun {
    /// Reads the names of the statistic, the data type and the averaging factors (400 when one
    /// is unknown).
    pub(crate) fn new(
        kind: &str,
        data: &str,
        tau0: f64,
        af: &str,
        values: Vec<f64>,
    ) -> Result<StabilityRun, ApiError> {
        let bad = |field: &str, e: stability::StabilityError| {
            ApiError::BadRequest(format!("{field}: {e}"))
        };
        Ok(StabilityRun {
            kind: kind.parse().map_err(|e| bad("kind", e))?,
            data: data.parse().map_err(|e| bad("data", e))?,
            tau0,
            af: af.parse().map_err(|e| bad("af", e))?,
            values,
        })
    }

    /// Phase samples the run works on.
    fn phase_samples(&self) -> usize {
        match self.data {
            DataType::Phase => self.values.len(),
            DataType::Frequency => self.values.len() + 1,
        }
    }

    /// The estimated computing time, s; 422 when the factors do not fit the data.
    fn seconds(&self) -> Result<f64, ApiError> {
        let n = self.phase_samples() as f64;
        let factors = self
            .af
            .resolve(self.kind, self.phase_samples())
            .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
        let steps: f64 = match self.kind {
            Kind::Mtotdev | Kind::Ttotdev | Kind::Htotdev | Kind::Theo1 => {
                factors.iter().map(|&m| n * m as f64).sum()
            }
            _ => n * factors.len() as f64,
        };
        // Théo1 is reported bias-removed (ThêoBR): its correction factor costs O(M³) on the
        // series averaged down to at most M = 2000 points, about 10⁸ steps at most.
        let bias_removal = if self.kind == Kind::Theo1 {
            n.min(2000.0).powi(3) / 80.0
        } else {
            0.0
        };
        Ok((steps * step_ns(self.kind) + bias_removal) * 1e-9)
    }

    /// Runs the statistic off the async threads (422 for data it cannot use, or when it would
    /// take more than [`MAX_STABILITY_SECONDS`]).
    pub(crate) async fn run(self) -> Result<Vec<Point>, ApiError> {
        let seconds = self.seconds()?;
        if seconds > MAX_STABILITY_SECONDS {
            return Err(ApiError::Unprocessable(format!(
                "{} on {} samples with these averaging factors would take about {seconds:.0} s \
                 of computation, more than the {MAX_STABILITY_SECONDS} s a request may take: use \
                 the octave or decade factors, or fewer samples (the command line has no limit)",
                self.kind,
                self.values.len()
            )));
        }
        tokio::task::spawn_blocking(move || {
            stability::deviation(self.kind, &self.values, self.data, self.tau0, &self.af)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("stability run: {e}")))?
        .map_err(|e| ApiError::Unprocessable(e.to_string()))
    }
}

// ---------------------------------------------------------------------------------------------
// CGGTTS

#[cfg(test)]
mod tests {
    use super::*;
    use sevres_store::LabMonth;

    #[test]
    fn the_built_in_leap_table_reads() {
        let table = leap_table().unwrap();
        assert_eq!(table.tai_minus_utc("2017-01-01T00:00:00").unwrap(), 37);
        assert!(matches!(
            tai_minus_utc(None, "2016-12-31T23:59:61"),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            tai_minus_utc(None, "1960-01-01T00:00:00"),
            Err(ApiError::Unprocessable(_))
        ));
    }

    fn line(period: YearMonth, mjds: Vec<i64>, values: Vec<Option<f64>>) -> LabInMonth {
        LabInMonth {
            period,
            simulated: true,
            mjds,
            line: LabMonth {
                lab: "SIM-B".into(),
                values_ns: values,
                ua_ns: Some(0.3),
                ub_ns: Some(2.0),
                u_ns: Some(2.02),
                note: None,
                clocks: 4,
                weight: 0.1,
            },
        }
    }

    #[test]
    fn the_series_keeps_each_date_once() {
        let jan = YearMonth::new(2024, 1).unwrap();
        let feb = YearMonth::new(2024, 2).unwrap();
        let s = series(&[
            line(jan, vec![1, 6, 11], vec![Some(1.0), None, Some(3.0)]),
            line(feb, vec![11, 16], vec![Some(3.5), Some(4.0)]),
        ]);
        let got: Vec<(i64, f64, YearMonth)> =
            s.iter().map(|p| (p.mjd, p.value_ns, p.period)).collect();
        assert_eq!(got, [(1, 1.0, jan), (11, 3.0, jan), (16, 4.0, feb)]);
    }

    #[test]
    fn stability_work_is_bounded() {
        let run = |kind: &str, af: &str, n: usize| {
            StabilityRun::new(kind, "phase", 1.0, af, vec![0.0; n]).unwrap()
        };
        assert!(run("adev", "octave", 100_000).seconds().unwrap() < 0.01);
        assert!(run("totdev", "all", 40_000).seconds().unwrap() > MAX_STABILITY_SECONDS);
        assert!(run("mtotdev", "all", 100_000).seconds().unwrap() > MAX_STABILITY_SECONDS);
        assert!(matches!(
            StabilityRun::new("allan", "phase", 1.0, "octave", vec![]),
            Err(ApiError::BadRequest(t)) if t.starts_with("kind")
        ));
        assert!(matches!(
            run("adev", "octave", 2).seconds(),
            Err(ApiError::Unprocessable(_))
        ));
    }
}
