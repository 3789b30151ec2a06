//! What one month hands to the next: each clock's phase, predicted
//! frequency and drift, its service age and its recent prediction errors
//! (for the weights), and the TAI steering state.
//!
//! The text format is line based, one record per line, fields separated by
//! TAB (shown as ␉ below; identifiers may hold spaces), numbers written in Rust's shortest
//! round-trip form so that reading back gives the same bits:
//!
//! ```text
//! sevres-timescale-state ␉ 1
//! last_mjd ␉ 60674
//! months ␉ 12
//! pivot ␉ PTB
//! tai_minus_eal_ns ␉ -3.25
//! steering_ns_per_day ␉ 0.0173
//! y_eal ␉ 1.2e-15 ␉ 3e-16          (estimate and uncertainty; "-" when unknown)
//! clock ␉ LAB ␉ CLOCK ␉ mjd ␉ x_ns ␉ freq ␉ drift ␉ months ␉ founding ␉ weight
//! errors ␉ e1 ␉ e2 ␉ …               (prediction errors of the clock above)
//! freqs ␉ mjd:y ␉ mjd:y ␉ …           (monthly mean frequencies of the clock above)
//! short ␉ s1 ␉ s2 ␉ …               (monthly interval-noise mean squares of the clock above)
//! psfs ␉ STANDARD ␉ mid_mjd ␉ y_eal ␉ u_indep ␉ u_b   (a PSFS evaluation kept for the d filter)
//! ```
//!
//! A state written before the `psfs` records existed reads as one without
//! history: the d filter then starts from `y_eal`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A clock, identified by laboratory and clock name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockKey {
    /// Laboratory acronym.
    pub lab: String,
    /// Clock identifier within the laboratory.
    pub clock: String,
}

/// What the engine remembers about one clock. Phases are x = EAL − clock
/// in ns; frequencies are d x / d t in ns/day (a clock running fast has a
/// negative frequency in this convention); drifts in ns/day².
#[derive(Debug, Clone, PartialEq)]
pub struct ClockState {
    /// MJD of `x_ns`.
    pub mjd: i64,
    /// EAL − clock at `mjd`, ns.
    pub x_ns: f64,
    /// Predicted frequency of x at `mjd`, ns/day.
    pub freq: f64,
    /// Frequency drift used in the prediction, ns/day².
    pub drift: f64,
    /// Months with complete data so far.
    pub months: u32,
    /// Member of the first computation (exempt from probation).
    pub founding: bool,
    /// Relative weight in the last month.
    pub weight: f64,
    /// Recent monthly prediction errors (observed − predicted mean
    /// frequency), ns/day, oldest first.
    pub errors: Vec<f64>,
    /// Recent monthly mean frequencies of TT − clock, i.e. of x referred to
    /// the SI second through the PSFS estimate of the EAL frequency
    /// (mid-interval MJD, ns/day), oldest first; cleared after a frequency
    /// step. Their slope is the drift.
    pub freqs: Vec<(f64, f64)>,
    /// Recent monthly mean squares of the interval frequency residuals
    /// about their mean ((ns/day)²), oldest first: the clock's short-term
    /// noise, which scales the frequency-step test.
    pub short: Vec<f64>,
}

/// The state carried from month to month.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// Last date computed (the first date of the next month), if any.
    pub last_mjd: Option<i64>,
    /// Number of months computed.
    pub months: u32,
    /// Pivot laboratory of the links.
    pub pivot: Option<String>,
    /// TAI − EAL at `last_mjd`, ns.
    pub tai_minus_eal_ns: f64,
    /// Rate of TAI − EAL applied in the coming month, ns/day.
    pub steering_ns_per_day: f64,
    /// Estimate of the fractional frequency of EAL against the SI second
    /// (from PSFS) and its standard uncertainty, at `last_mjd`.
    pub y_eal: Option<(f64, f64)>,
    /// Clocks.
    pub clocks: BTreeMap<ClockKey, ClockState>,
    /// The PSFS evaluations of the past months the d filter combines.
    pub psfs: Vec<super::PsfsEvaluation>,
}

/// A malformed state file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("state line {line}: {reason}")]
pub struct StateError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

const MAGIC: &str = "sevres-timescale-state";

impl State {
    /// An empty state: the next computation is the first one.
    pub fn new() -> State {
        State::default()
    }

    /// Serialises the state (see the module documentation).
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let opt = |v: Option<i64>| v.map_or("-".to_string(), |v| v.to_string());
        let _ = writeln!(s, "{MAGIC}\t1");
        let _ = writeln!(s, "last_mjd\t{}", opt(self.last_mjd));
        let _ = writeln!(s, "months\t{}", self.months);
        let _ = writeln!(s, "pivot\t{}", self.pivot.as_deref().unwrap_or("-"));
        let _ = writeln!(s, "tai_minus_eal_ns\t{:?}", self.tai_minus_eal_ns);
        let _ = writeln!(s, "steering_ns_per_day\t{:?}", self.steering_ns_per_day);
        match self.y_eal {
            Some((y, u)) => {
                let _ = writeln!(s, "y_eal\t{y:?}\t{u:?}");
            }
            None => {
                let _ = writeln!(s, "y_eal\t-\t-");
            }
        }
        for (k, c) in &self.clocks {
            let _ = writeln!(
                s,
                "clock\t{}\t{}\t{}\t{:?}\t{:?}\t{:?}\t{}\t{}\t{:?}",
                k.lab,
                k.clock,
                c.mjd,
                c.x_ns,
                c.freq,
                c.drift,
                c.months,
                u8::from(c.founding),
                c.weight
            );
            s.push_str("errors");
            for e in &c.errors {
                let _ = write!(s, "\t{e:?}");
            }
            s.push_str("\nfreqs");
            for (m, y) in &c.freqs {
                let _ = write!(s, "\t{m:?}:{y:?}");
            }
            s.push_str("\nshort");
            for v in &c.short {
                let _ = write!(s, "\t{v:?}");
            }
            s.push('\n');
        }
        for e in &self.psfs {
            let _ = writeln!(
                s,
                "psfs\t{}\t{:?}\t{:?}\t{:?}\t{:?}",
                e.standard, e.mid_mjd, e.y_eal, e.u_indep, e.u_b
            );
        }
        s
    }

    /// Reads a state written by [`State::to_text`].
    pub fn from_text(text: &str) -> Result<State, StateError> {
        let mut st = State::default();
        let mut last: Option<ClockKey> = None;
        let mut seen_magic = false;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |reason: &str| StateError {
                line,
                reason: reason.to_string(),
            };
            if raw.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = raw.split('\t').collect();
            let num = |j: usize| -> Result<f64, StateError> {
                let v: f64 = f
                    .get(j)
                    .ok_or_else(|| err("missing field"))?
                    .parse()
                    .map_err(|_| err("not a number"))?;
                if v.is_finite() {
                    Ok(v)
                } else {
                    Err(err("not a finite number"))
                }
            };
            let int = |j: usize| -> Result<i64, StateError> {
                f.get(j)
                    .ok_or_else(|| err("missing field"))?
                    .parse()
                    .map_err(|_| err("not an integer"))
            };
            if !seen_magic {
                if f.first() != Some(&MAGIC) || f.get(1) != Some(&"1") {
                    return Err(err("not a sevres-timescale-state version 1 file"));
                }
                seen_magic = true;
                continue;
            }
            match f[0] {
                "last_mjd" => {
                    st.last_mjd = match f.get(1) {
                        Some(&"-") => None,
                        _ => Some(int(1)?),
                    }
                }
                "months" => st.months = u32::try_from(int(1)?).map_err(|_| err("bad count"))?,
                "pivot" => {
                    st.pivot = match f.get(1) {
                        Some(&"-") | None => None,
                        Some(p) => Some(p.to_string()),
                    }
                }
                "tai_minus_eal_ns" => st.tai_minus_eal_ns = num(1)?,
                "steering_ns_per_day" => st.steering_ns_per_day = num(1)?,
                "y_eal" => {
                    st.y_eal = match f.get(1) {
                        Some(&"-") => None,
                        _ => Some((num(1)?, num(2)?)),
                    }
                }
                "clock" => {
                    if f.len() != 10 {
                        return Err(err("clock record needs 10 fields"));
                    }
                    let key = ClockKey {
                        lab: f[1].to_string(),
                        clock: f[2].to_string(),
                    };
                    let c = ClockState {
                        mjd: int(3)?,
                        x_ns: num(4)?,
                        freq: num(5)?,
                        drift: num(6)?,
                        months: u32::try_from(int(7)?).map_err(|_| err("bad count"))?,
                        founding: match f[8] {
                            "0" => false,
                            "1" => true,
                            _ => return Err(err("founding must be 0 or 1")),
                        },
                        weight: num(9)?,
                        errors: Vec::new(),
                        freqs: Vec::new(),
                        short: Vec::new(),
                    };
                    if st.clocks.insert(key.clone(), c).is_some() {
                        return Err(err("clock listed twice"));
                    }
                    last = Some(key);
                }
                "errors" | "freqs" | "short" => {
                    let c = last
                        .as_ref()
                        .and_then(|k| st.clocks.get_mut(k))
                        .ok_or_else(|| err("errors/freqs/short before any clock record"))?;
                    for (j, tok) in f.iter().enumerate().skip(1) {
                        if f[0] == "errors" {
                            c.errors.push(num(j)?);
                        } else if f[0] == "short" {
                            c.short.push(num(j)?);
                        } else {
                            let (m, y) =
                                tok.split_once(':').ok_or_else(|| err("expected mjd:y"))?;
                            let (m, y): (f64, f64) = match (m.parse(), y.parse()) {
                                (Ok(m), Ok(y)) => (m, y),
                                _ => return Err(err("expected mjd:y numbers")),
                            };
                            if !m.is_finite() || !y.is_finite() {
                                return Err(err("not a finite number"));
                            }
                            c.freqs.push((m, y));
                        }
                    }
                }
                "psfs" => {
                    if f.len() != 6 {
                        return Err(err("psfs record needs 6 fields"));
                    }
                    let (u_indep, u_b) = (num(4)?, num(5)?);
                    if u_indep < 0.0 || u_b < 0.0 {
                        return Err(err("psfs uncertainties must not be negative"));
                    }
                    st.psfs.push(super::PsfsEvaluation {
                        standard: f[1].to_string(),
                        mid_mjd: num(2)?,
                        y_eal: num(3)?,
                        u_indep,
                        u_b,
                    });
                }
                other => return Err(err(&format!("unknown record {other:?}"))),
            }
        }
        if !seen_magic {
            return Err(StateError {
                line: 1,
                reason: "empty state file".into(),
            });
        }
        Ok(st)
    }
}
