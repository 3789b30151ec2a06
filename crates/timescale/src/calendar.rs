//! Civil calendar ↔ Modified Julian Date, and the UTC date-time strings the
//! leap-second functions read.
//!
//! What: proleptic Gregorian dates ↔ MJD (integer days), month boundaries,
//! and a strict parser for `YYYY-MM-DD[T ]hh:mm:ss[.fff]` that keeps the
//! second field as written, so 23:59:60 survives parsing and can be checked
//! against a leap-second table.
//!
//! Why our own and not `hifitime`: the engine only needs integer-day MJDs and
//! label-level UTC parsing; hifitime's epoch type hides the 23:59:60 label
//! this module must reject or accept against a *user-supplied* table.
//!
//! The day-count formulas are the civil-from-days / days-from-civil
//! algorithms of H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"
//! (2013), with MJD 0 = 1858-11-17 (MJD 51544 = 2000-01-01).

use std::fmt;

/// MJD of 1970-01-01 (Unix epoch): 40587.
const MJD_UNIX_EPOCH: i64 = 40_587;

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year (astronomical numbering).
    pub year: i32,
    /// Month 1..=12.
    pub month: u32,
    /// Day of month 1..=31.
    pub day: u32,
}

impl Date {
    /// The date, if it exists in the Gregorian calendar.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        ok.then_some(Date { year, month, day })
    }

    /// Modified Julian Date of 0h on this date.
    pub fn mjd(self) -> i64 {
        // Hinnant, days_from_civil: days since 1970-01-01.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12; // March = 0
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468 + MJD_UNIX_EPOCH
    }

    /// The date of a Modified Julian Date.
    pub fn from_mjd(mjd: i64) -> Date {
        // Hinnant, civil_from_days.
        let z = mjd - MJD_UNIX_EPOCH + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month (0 for an invalid month).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Three-letter English month abbreviation, upper case (`JAN`…`DEC`), as
/// Circular T and NAIF kernels print them.
pub fn month_abbrev(month: u32) -> &'static str {
    const M: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    M.get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("???")
}

/// Month number of a three-letter English abbreviation (any case).
pub fn month_from_abbrev(s: &str) -> Option<u32> {
    let up = s.to_ascii_uppercase();
    (1..=12).find(|&m| month_abbrev(m) == up)
}

/// A UTC date-time label as written: the seconds field may be 60.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateTimeLabel {
    /// Calendar date.
    pub date: Date,
    /// Hour 0..=23.
    pub hour: u32,
    /// Minute 0..=59.
    pub minute: u32,
    /// Second 0 ≤ s < 61 (60.x only in a positive leap second).
    pub second: f64,
}

impl DateTimeLabel {
    /// Seconds since 0h of the day, counting 23:59:60 as 86400.
    pub fn seconds_of_day(&self) -> f64 {
        f64::from(self.hour * 3600 + self.minute * 60) + self.second
    }
}

/// Why a date-time label was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid UTC date-time {text:?}: {reason}")]
pub struct DateTimeError {
    /// The input.
    pub text: String,
    /// What is wrong.
    pub reason: &'static str,
}

/// Parses `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fff]]` or the same with a
/// space instead of `T`, optionally ending in `Z`. Seconds up to 60.999…
/// are accepted here; whether 60 is legal depends on the leap-second table.
pub fn parse_datetime(text: &str) -> Result<DateTimeLabel, DateTimeError> {
    let err = |reason| DateTimeError {
        text: text.to_string(),
        reason,
    };
    let s = text.trim();
    let s = s.strip_suffix('Z').unwrap_or(s);
    let (d, t) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let dp: Vec<&str> = d.split('-').collect();
    if dp.len() != 3 || dp[0].len() != 4 || dp[1].len() != 2 || dp[2].len() != 2 {
        return Err(err("date must be YYYY-MM-DD"));
    }
    let num = |p: &str| -> Option<u32> {
        p.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| p.parse().ok())
            .flatten()
    };
    let (y, m, dd) = match (num(dp[0]), num(dp[1]), num(dp[2])) {
        (Some(y), Some(m), Some(d)) => (y as i32, m, d),
        _ => return Err(err("date fields must be digits")),
    };
    let date = Date::new(y, m, dd).ok_or_else(|| err("no such calendar date"))?;
    let (hour, minute, second) = match t {
        None => (0, 0, 0.0),
        Some(t) => {
            let tp: Vec<&str> = t.split(':').collect();
            if !(2..=3).contains(&tp.len()) || tp[0].len() != 2 || tp[1].len() != 2 {
                return Err(err("time must be hh:mm[:ss[.fff]]"));
            }
            let h = num(tp[0]).ok_or_else(|| err("hour must be digits"))?;
            let mi = num(tp[1]).ok_or_else(|| err("minute must be digits"))?;
            let sec = match tp.get(2) {
                None => 0.0,
                Some(sp) => {
                    let int = sp.split('.').next().unwrap_or("");
                    let ok = int.len() == 2
                        && sp.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                        && sp.matches('.').count() <= 1
                        && !sp.ends_with('.');
                    if !ok {
                        return Err(err("seconds must be ss or ss.fff"));
                    }
                    sp.parse::<f64>().map_err(|_| err("seconds not a number"))?
                }
            };
            if h > 23 || mi > 59 || sec >= 61.0 {
                return Err(err("time of day out of range"));
            }
            if sec >= 60.0 && (h != 23 || mi != 59) {
                return Err(err("second 60 exists only at 23:59:60"));
            }
            (h, mi, sec)
        }
    };
    Ok(DateTimeLabel {
        date,
        hour,
        minute,
        second,
    })
}

/// First and last MJD of a calendar month.
pub fn month_mjd_range(year: i32, month: u32) -> Option<(i64, i64)> {
    let first = Date::new(year, month, 1)?;
    let last = Date::new(year, month, days_in_month(year, month))?;
    Some((first.mjd(), last.mjd()))
}

/// Parses `YYYY-MM` into (year, month).
pub fn parse_year_month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some((y, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mjd_round_trip_and_anchors() {
        // MJD 0 = 1858-11-17 and MJD 51544 = 2000-01-01 (definition of MJD).
        assert_eq!(Date::new(1858, 11, 17).unwrap().mjd(), 0);
        assert_eq!(Date::new(2000, 1, 1).unwrap().mjd(), 51_544);
        for mjd in -1000..80_000 {
            assert_eq!(Date::from_mjd(mjd).mjd(), mjd);
        }
    }

    #[test]
    fn datetime_parsing() {
        let t = parse_datetime("2016-12-31T23:59:60.5Z").unwrap();
        assert_eq!(t.seconds_of_day(), 86_400.5);
        assert!(parse_datetime("2016-12-31 23:58:60").is_err());
        assert!(parse_datetime("2016-02-30").is_err());
        assert!(parse_datetime("2016-1-3").is_err());
        assert!(parse_datetime("2016-12-31T24:00:00").is_err());
        assert!(parse_datetime("2016-12-31T23:59:61").is_err());
        assert_eq!(parse_year_month("2024-02"), Some((2024, 2)));
        assert_eq!(parse_year_month("2024-13"), None);
    }
}
