//! Leap seconds: TAI − UTC (ΔAT) from the published tables, and UTC labels
//! checked against them.
//!
//! What: one table type, [`LeapTable`], read from any of the three formats in
//! use — the IERS/NIST `leap-seconds.list` (NTP timestamps, with its SHA-1
//! integrity line checked), the tz database `leapseconds` file (`Leap` rows)
//! and the NAIF SPICE leap-seconds kernel (`DELTET/DELTA_AT`). It answers
//! ΔAT for a day ([`LeapTable::tai_minus_utc_mjd`]) or for a UTC label
//! ([`LeapTable::tai_minus_utc`]), where 23:59:60 is accepted only at the end
//! of a day followed by a positive leap second.
//!
//! Why: UTC = TAI − ΔAT (ITU-R Recommendation TF.460-6, §2), with ΔAT an
//! integer number of seconds since 1972-01-01, when it was set to 10 s.
//! A table is only valid up to its expiry date (the IERS announces leap
//! seconds at most about six months ahead, Bulletin C), so a query past
//! expiry is an error rather than a silent extrapolation — except in
//! *continuous-UTC* mode ([`LeapTable::with_continuous_after`]): CGPM 2022
//! Resolution 4 decided that the tolerance on UT1 − UTC be increased by or
//! before 2035, after which no leap second would be inserted; in that mode
//! ΔAT is frozen from a cut-off date onwards.

use std::fmt;

use sha1::{Digest, Sha1};

use crate::calendar::{self, Date, DateTimeError};

/// MJD of 1972-01-01, the start of the integer-second UTC system (TF.460-6).
pub const MJD_1972: i64 = 41_317;
/// MJD of the NTP epoch 1900-01-01 (leap-seconds.list: MJD = X/86400 + 15020).
const MJD_NTP_EPOCH: i64 = 15_020;

/// ΔAT takes `tai_minus_utc` from 0h UTC of day `mjd` onwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeapStep {
    /// First day (MJD) with this value.
    pub mjd: i64,
    /// TAI − UTC in seconds.
    pub tai_minus_utc: i32,
}

/// The format a table was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeapFormat {
    /// IERS/NIST `leap-seconds.list`.
    IersList,
    /// tz database `leapseconds`.
    Tzdata,
    /// NAIF SPICE leap-seconds kernel (`.tls`).
    NaifLsk,
    /// Built from steps given by the caller.
    Steps,
}

/// A leap-second table.
#[derive(Debug, Clone, PartialEq)]
pub struct LeapTable {
    steps: Vec<LeapStep>,
    expires_mjd: Option<i64>,
    updated_mjd: Option<i64>,
    cutoff_mjd: Option<i64>,
    format: LeapFormat,
}

/// Why a table could not be read or a question not answered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LeapError {
    /// A line of the file is malformed.
    #[error("line {line}: {reason}")]
    Parse {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// `leap-seconds.list` has no `#h` line.
    #[error("leap-seconds.list has no '#h' SHA-1 line: integrity cannot be checked")]
    MissingHash,
    /// The SHA-1 of the data does not match the `#h` line.
    #[error("leap-seconds.list SHA-1 mismatch: file says {stated}, data hashes to {computed}")]
    HashMismatch {
        /// The hash in the `#h` line (normalised).
        stated: String,
        /// The hash of the data.
        computed: String,
    },
    /// No entries.
    #[error("the leap-second table has no entries")]
    Empty,
    /// Entries are not strictly increasing in date or do not step by ±1 s.
    #[error("entry for MJD {mjd}: {reason}")]
    Inconsistent {
        /// MJD of the offending entry.
        mjd: i64,
        /// What is wrong.
        reason: String,
    },
    /// The date precedes the table (before 1972 UTC had fractional offsets).
    #[error("MJD {mjd} is before the first entry of the table (MJD {first})")]
    BeforeTable {
        /// Queried day.
        mjd: i64,
        /// First day of the table.
        first: i64,
    },
    /// The date is at or after the table's expiry.
    #[error("MJD {mjd} is at or after the expiry of the leap-second table (MJD {expires}); get a newer table")]
    Expired {
        /// Queried day.
        mjd: i64,
        /// Expiry day.
        expires: i64,
    },
    /// The label is not a valid UTC date-time.
    #[error(transparent)]
    Label(#[from] DateTimeError),
    /// 23:59:60 on a day not followed by a positive leap second, or
    /// 23:59:59 on a day shortened by a negative one.
    #[error("{text:?} does not exist in UTC: {reason}")]
    NoSuchSecond {
        /// The label.
        text: String,
        /// Why.
        reason: &'static str,
    },
}

fn perr(line: usize, reason: impl Into<String>) -> LeapError {
    LeapError::Parse {
        line,
        reason: reason.into(),
    }
}

impl LeapTable {
    /// Builds a table from steps (sorted, strictly increasing dates, each
    /// step ±1 s from the previous one) and an optional expiry MJD.
    pub fn from_steps(steps: Vec<LeapStep>, expires_mjd: Option<i64>) -> Result<Self, LeapError> {
        Self::build(steps, expires_mjd, None, LeapFormat::Steps)
    }

    fn build(
        steps: Vec<LeapStep>,
        expires_mjd: Option<i64>,
        updated_mjd: Option<i64>,
        format: LeapFormat,
    ) -> Result<Self, LeapError> {
        if steps.is_empty() {
            return Err(LeapError::Empty);
        }
        for w in steps.windows(2) {
            if w[1].mjd <= w[0].mjd {
                return Err(LeapError::Inconsistent {
                    mjd: w[1].mjd,
                    reason: format!("not after the previous entry (MJD {})", w[0].mjd),
                });
            }
            if (w[1].tai_minus_utc - w[0].tai_minus_utc).abs() != 1 {
                return Err(LeapError::Inconsistent {
                    mjd: w[1].mjd,
                    reason: format!(
                        "TAI-UTC changes from {} s to {} s; a leap second changes it by exactly 1 s",
                        w[0].tai_minus_utc, w[1].tai_minus_utc
                    ),
                });
            }
        }
        Ok(LeapTable {
            steps,
            expires_mjd,
            updated_mjd,
            cutoff_mjd: None,
            format,
        })
    }

    /// Reads any of the three formats, recognised by content: NAIF kernels
    /// contain `DELTET/DELTA_AT`, tzdata files `Leap` rows, anything else is
    /// read as `leap-seconds.list`.
    pub fn parse(text: &str) -> Result<Self, LeapError> {
        if text.contains("DELTET/DELTA_AT") {
            Self::parse_naif_lsk(text)
        } else if text
            .lines()
            .any(|l| l.split_whitespace().next() == Some("Leap"))
        {
            Self::parse_tzdata(text)
        } else {
            Self::parse_iers_list(text)
        }
    }

    /// Reads the IERS/NIST `leap-seconds.list` and checks its `#h` line.
    ///
    /// Format (file header and the IERS `ntp/sources/README`): data rows
    /// `NTP-seconds  ΔAT  # comment` where NTP seconds count from
    /// 1900-01-01 (MJD = X/86400 + 15020); `#$` last update, `#@` expiry
    /// (NTP seconds); `#h` five 32-bit hex words of the SHA-1 of the
    /// concatenation, without white space, of the `#$` value, the `#@` value
    /// and the first two fields of every data row, in file order. Some
    /// published copies drop leading zeros of a word; words are zero-padded
    /// before comparison.
    pub fn parse_iers_list(text: &str) -> Result<Self, LeapError> {
        let mut updated: Option<(usize, String)> = None;
        let mut expires: Option<(usize, String)> = None;
        let mut hash: Option<String> = None;
        let mut data = String::new();
        let mut steps = Vec::new();
        let ntp_to_mjd = |line: usize, tok: &str| -> Result<i64, LeapError> {
            let x: i64 = tok
                .parse()
                .map_err(|_| perr(line, format!("NTP timestamp {tok:?} is not an integer")))?;
            if x < 0 || x % 86_400 != 0 {
                return Err(perr(
                    line,
                    format!("NTP timestamp {x} is not a whole day since 1900-01-01"),
                ));
            }
            Ok(x / 86_400 + MJD_NTP_EPOCH)
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim();
            if let Some(rest) = l.strip_prefix("#$") {
                // The last update is any second (e.g. 3976686858 in the file of 2026), unlike
                // the expiry and the leap dates, which are whole days.
                let v = rest.split_whitespace().next().unwrap_or("");
                if !v.parse::<i64>().is_ok_and(|x| x >= 0) {
                    return Err(perr(line, format!("NTP timestamp {v:?} is not an integer")));
                }
                updated = Some((line, v.to_string()));
            } else if let Some(rest) = l.strip_prefix("#@") {
                let v = rest.split_whitespace().next().unwrap_or("");
                ntp_to_mjd(line, v)?;
                expires = Some((line, v.to_string()));
            } else if let Some(rest) = l.strip_prefix("#h") {
                let mut h = String::new();
                for w in rest.split_whitespace() {
                    if w.len() > 8 || !w.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return Err(perr(line, format!("hash word {w:?} is not hexadecimal")));
                    }
                    h.push_str(&format!("{:0>8}", w.to_ascii_lowercase()));
                }
                if h.len() != 40 {
                    return Err(perr(line, "the '#h' line must hold five 32-bit hex words"));
                }
                hash = Some(h);
            } else if l.is_empty() || l.starts_with('#') {
                continue;
            } else {
                let body = l.split('#').next().unwrap_or("");
                let f: Vec<&str> = body.split_whitespace().collect();
                if f.len() != 2 {
                    return Err(perr(line, "data row must be 'NTP-seconds TAI-UTC'"));
                }
                let mjd = ntp_to_mjd(line, f[0])?;
                let dat: i32 = f[1]
                    .parse()
                    .map_err(|_| perr(line, format!("TAI-UTC {:?} is not an integer", f[1])))?;
                data.push_str(f[0]);
                data.push_str(f[1]);
                steps.push(LeapStep {
                    mjd,
                    tai_minus_utc: dat,
                });
            }
        }
        let (Some((_, up)), Some((_, ex))) = (&updated, &expires) else {
            return Err(perr(
                text.lines().count(),
                "missing '#$' (last update) or '#@' (expiry) line",
            ));
        };
        let stated = hash.ok_or(LeapError::MissingHash)?;
        let mut hasher = Sha1::new();
        hasher.update(up.as_bytes());
        hasher.update(ex.as_bytes());
        hasher.update(data.as_bytes());
        let computed: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if computed != stated {
            return Err(LeapError::HashMismatch { stated, computed });
        }
        let to_mjd = |s: &str| s.parse::<i64>().map(|x| x / 86_400 + MJD_NTP_EPOCH).ok();
        Self::build(steps, to_mjd(ex), to_mjd(up), LeapFormat::IersList)
    }

    /// Reads the tz database `leapseconds` file.
    ///
    /// Rows `Leap YEAR MON DAY hh:mm:ss CORR R/S` (zic(8)): the leap second
    /// is inserted (`+`, at 23:59:60) or removed (`-`) at the end of the
    /// given day. The file lists changes only, so the table starts from
    /// ΔAT = 10 s on 1972-01-01 (TF.460-6). Expiry from an `Expires` row or
    /// the `#expires <POSIX seconds>` comment.
    pub fn parse_tzdata(text: &str) -> Result<Self, LeapError> {
        let mut steps = vec![LeapStep {
            mjd: MJD_1972,
            tai_minus_utc: 10,
        }];
        let mut expires = None;
        let date_of = |line: usize, y: &str, m: &str, d: &str| -> Result<Date, LeapError> {
            let y: i32 = y.parse().map_err(|_| perr(line, "bad year"))?;
            let m = calendar::month_from_abbrev(m).ok_or_else(|| perr(line, "bad month"))?;
            let d: u32 = d.parse().map_err(|_| perr(line, "bad day"))?;
            Date::new(y, m, d).ok_or_else(|| perr(line, "no such date"))
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let f: Vec<&str> = raw.split_whitespace().collect();
            match f.first().copied() {
                Some("Leap") => {
                    if f.len() != 7 {
                        return Err(perr(line, "Leap row must have 7 fields"));
                    }
                    let date = date_of(line, f[1], f[2], f[3])?;
                    let (corr, hms) = match f[5] {
                        "+" => (1, "23:59:60"),
                        "-" => (-1, "23:59:59"),
                        _ => return Err(perr(line, "correction must be '+' or '-'")),
                    };
                    if f[4] != hms {
                        return Err(perr(line, format!("a '{}' leap is at {hms}", f[5])));
                    }
                    if f[6] != "S" && f[6] != "R" {
                        return Err(perr(line, "last field must be 'S' or 'R'"));
                    }
                    let prev = steps.last().map_or(10, |s| s.tai_minus_utc);
                    steps.push(LeapStep {
                        mjd: date.mjd() + 1,
                        tai_minus_utc: prev + corr,
                    });
                }
                Some("Expires") => {
                    if f.len() < 4 {
                        return Err(perr(line, "Expires row must be 'Expires YEAR MON DAY'"));
                    }
                    expires = Some(date_of(line, f[1], f[2], f[3])?.mjd());
                }
                Some("#expires") if expires.is_none() => {
                    let secs: i64 = f
                        .get(1)
                        .and_then(|s| s.parse().ok())
                        .ok_or_else(|| perr(line, "#expires needs POSIX seconds"))?;
                    expires = Some(secs.div_euclid(86_400) + 40_587);
                }
                Some(w) if !w.starts_with('#') => {
                    return Err(perr(line, format!("unexpected row type {w:?}")));
                }
                _ => {}
            }
        }
        if steps.len() == 1 {
            return Err(LeapError::Empty);
        }
        Self::build(steps, expires, None, LeapFormat::Tzdata)
    }

    /// Reads a NAIF SPICE leap-seconds kernel: inside `\begindata` blocks,
    /// `DELTET/DELTA_AT = ( 10, @1972-JAN-1  11, @1972-JUL-1 … )` gives
    /// ΔAT and the date from which it holds (NAIF "Kernel Required Reading",
    /// text kernel format). Such kernels carry no expiry.
    pub fn parse_naif_lsk(text: &str) -> Result<Self, LeapError> {
        let mut in_data = false;
        let mut collecting = false;
        let mut tokens: Vec<(usize, String)> = Vec::new();
        let mut found = false;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim();
            if l.starts_with("\\begindata") {
                in_data = true;
                continue;
            }
            if l.starts_with("\\begintext") {
                if collecting {
                    return Err(perr(line, "DELTET/DELTA_AT list not closed with ')'"));
                }
                in_data = false;
                continue;
            }
            if !in_data {
                continue;
            }
            let mut rest = l;
            if !collecting {
                let Some(p) = l.find("DELTET/DELTA_AT") else {
                    continue;
                };
                let after = l[p + "DELTET/DELTA_AT".len()..].trim_start();
                let Some(after) = after.strip_prefix('=') else {
                    return Err(perr(line, "expected '=' after DELTET/DELTA_AT"));
                };
                let Some(after) = after.trim_start().strip_prefix('(') else {
                    return Err(perr(line, "expected '(' to open the DELTA_AT list"));
                };
                if found {
                    return Err(perr(line, "DELTET/DELTA_AT assigned twice"));
                }
                found = true;
                collecting = true;
                rest = after;
            }
            let (body, closed) = match rest.find(')') {
                Some(p) => (&rest[..p], true),
                None => (rest, false),
            };
            for t in body.split([',', ' ', '\t']).filter(|t| !t.is_empty()) {
                tokens.push((line, t.to_string()));
            }
            if closed {
                collecting = false;
            }
        }
        if collecting {
            return Err(perr(
                text.lines().count(),
                "DELTET/DELTA_AT list not closed with ')'",
            ));
        }
        if !found {
            return Err(perr(
                1,
                "no DELTET/DELTA_AT assignment in a \\begindata block",
            ));
        }
        if tokens.len() % 2 != 0 {
            let line = tokens.last().map_or(1, |t| t.0);
            return Err(perr(line, "DELTA_AT list must hold pairs 'value, @date'"));
        }
        let mut steps = Vec::with_capacity(tokens.len() / 2);
        for pair in tokens.chunks(2) {
            let (line, v) = &pair[0];
            let value: f64 = v
                .replace(['D', 'd'], "E")
                .parse()
                .map_err(|_| perr(*line, format!("{v:?} is not a number")))?;
            if value.fract() != 0.0 || !value.is_finite() || value.abs() > 1e6 {
                return Err(perr(
                    *line,
                    format!("ΔAT {v} is not a whole number of seconds"),
                ));
            }
            let (line, d) = &pair[1];
            let d = d
                .strip_prefix('@')
                .ok_or_else(|| perr(*line, format!("{d:?}: a date must start with '@'")))?;
            let parts: Vec<&str> = d.split('-').collect();
            let date = (parts.len() == 3)
                .then(|| {
                    let y = parts[0].parse().ok()?;
                    let m = calendar::month_from_abbrev(parts[1])?;
                    let dd = parts[2].parse().ok()?;
                    Date::new(y, m, dd)
                })
                .flatten()
                .ok_or_else(|| perr(*line, format!("date {d:?} is not YYYY-MON-D")))?;
            steps.push(LeapStep {
                mjd: date.mjd(),
                tai_minus_utc: value as i32,
            });
        }
        Self::build(steps, None, None, LeapFormat::NaifLsk)
    }

    /// The same table in continuous-UTC mode: steps after `cutoff_mjd` are
    /// dropped and ΔAT keeps its value at the cut-off for ever after; the
    /// expiry no longer limits dates at or after the cut-off.
    pub fn with_continuous_after(mut self, cutoff_mjd: i64) -> Self {
        self.steps.retain(|s| s.mjd <= cutoff_mjd);
        self.cutoff_mjd = Some(cutoff_mjd);
        self
    }

    /// The steps, in date order.
    pub fn steps(&self) -> &[LeapStep] {
        &self.steps
    }

    /// Expiry day (MJD), if the file states one.
    pub fn expires_mjd(&self) -> Option<i64> {
        self.expires_mjd
    }

    /// Day of the last update (MJD), if the file states one.
    pub fn updated_mjd(&self) -> Option<i64> {
        self.updated_mjd
    }

    /// The continuous-UTC cut-off, if set.
    pub fn cutoff_mjd(&self) -> Option<i64> {
        self.cutoff_mjd
    }

    /// The format the table was read from.
    pub fn format(&self) -> LeapFormat {
        self.format
    }

    /// ΔAT = TAI − UTC in seconds during UTC day `mjd`.
    pub fn tai_minus_utc_mjd(&self, mjd: i64) -> Result<i32, LeapError> {
        let first = self.steps[0].mjd;
        if mjd < first {
            return Err(LeapError::BeforeTable { mjd, first });
        }
        if let Some(expires) = self.expires_mjd {
            // In continuous mode the table must only be known up to the cut-off.
            let needed = self.cutoff_mjd.map_or(mjd, |c| mjd.min(c));
            if needed >= expires {
                return Err(LeapError::Expired { mjd, expires });
            }
        }
        let i = self.steps.partition_point(|s| s.mjd <= mjd);
        Ok(self.steps[i - 1].tai_minus_utc)
    }

    /// Leap second at the end of UTC day `mjd`: +1 (23:59:60 exists), −1
    /// (23:59:59 is skipped) or 0.
    pub fn leap_at_end_of(&self, mjd: i64) -> i32 {
        let i = self.steps.partition_point(|s| s.mjd <= mjd);
        match (i.checked_sub(1).map(|j| self.steps[j]), self.steps.get(i)) {
            (Some(a), Some(b)) if b.mjd == mjd + 1 => b.tai_minus_utc - a.tai_minus_utc,
            _ => 0,
        }
    }

    /// ΔAT = TAI − UTC in seconds at a UTC label such as
    /// `2016-12-31T23:59:60.25`. During a positive leap second (23:59:60)
    /// the value of the day is returned, so that TAI = UTC + ΔAT holds with
    /// the leap second counted as second 86400 of its day (the convention of
    /// the IAU SOFA routine `iauDat`). Errors for 23:59:60 on a day without a
    /// positive leap second, and for 23:59:59 on a day shortened by a
    /// negative one.
    pub fn tai_minus_utc(&self, utc: &str) -> Result<i32, LeapError> {
        let t = calendar::parse_datetime(utc)?;
        let mjd = t.date.mjd();
        let dat = self.tai_minus_utc_mjd(mjd)?;
        let leap = self.leap_at_end_of(mjd);
        let sod = t.seconds_of_day();
        if sod >= 86_400.0 && leap != 1 {
            return Err(LeapError::NoSuchSecond {
                text: utc.to_string(),
                reason:
                    "23:59:60 exists only at the end of a day followed by a positive leap second",
            });
        }
        if sod >= 86_399.0 && leap == -1 {
            return Err(LeapError::NoSuchSecond {
                text: utc.to_string(),
                reason: "the day ends at 23:59:58 (negative leap second)",
            });
        }
        Ok(dat)
    }
}

impl fmt::Display for LeapTable {
    /// Writes the table as `MJD date ΔAT` rows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.steps {
            writeln!(f, "{} {} {}", s.mjd, Date::from_mjd(s.mjd), s.tai_minus_utc)?;
        }
        Ok(())
    }
}
