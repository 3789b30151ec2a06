//! Instants in time, as whole seconds since 1970-01-01T00:00:00Z.
//!
//! The library never reads the clock: the instant at which a signature is judged is either the
//! `xades:SigningTime` of the signature (ETSI EN 319 132-1) or an instant the caller passes
//! in [`crate::VerifyOptions::validation_time`]. This module parses the `xs:dateTime` lexical form
//! used by `SigningTime` (XML Schema 1.1 Part 2 §3.3.7) and converts X.509 `Time` values.

use std::fmt;

/// An instant, in whole seconds since the Unix epoch (UTC). Leap seconds are not counted, as in
/// X.509 and POSIX time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The instant `seconds` after 1970-01-01T00:00:00Z.
    pub const fn from_unix(seconds: i64) -> Self {
        Self(seconds)
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub const fn unix(self) -> i64 {
        self.0
    }

    /// The instant of a civil date and time in UTC, or `None` if a field is out of range.
    pub fn from_utc(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Self> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let secs = days.checked_mul(86_400)?.checked_add(
            i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second.min(59)),
        )?;
        Some(Self(secs))
    }

    /// Parses an `xs:dateTime` such as `2023-03-27T15:14:30Z`, `2023-03-27T17:14:30.5+02:00`.
    /// Fractions of a second are dropped. A value without a time-zone is taken as UTC (XAdES
    /// requires UTC or an offset; a missing zone is reported by the caller, not here).
    pub fn parse_xsd_datetime(text: &str) -> Option<Self> {
        let s = text.trim();
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (date, rest) = s.split_once('T')?;
        let mut date_parts = date.split('-');
        let year: i64 = parse_digits(date_parts.next()?, 4, 9)?;
        let month: u32 = u32::try_from(parse_digits(date_parts.next()?, 2, 2)?).ok()?;
        let day: u32 = u32::try_from(parse_digits(date_parts.next()?, 2, 2)?).ok()?;
        if date_parts.next().is_some() {
            return None;
        }
        let year = if negative { -year } else { year };
        // Split the time-zone designator off the time of day.
        let (time, offset_seconds) = if let Some(t) = rest.strip_suffix('Z') {
            (t, 0i64)
        } else if let Some(pos) = rest.rfind(['+', '-']) {
            let (t, zone) = rest.split_at(pos);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let zone = zone.get(1..)?;
            let (zh, zm) = zone.split_once(':')?;
            let zh = parse_digits(zh, 2, 2)?;
            let zm = parse_digits(zm, 2, 2)?;
            if zh > 14 || zm > 59 {
                return None;
            }
            (t, sign * (zh * 3600 + zm * 60))
        } else {
            (rest, 0)
        };
        let mut time_parts = time.split(':');
        let hour = u32::try_from(parse_digits(time_parts.next()?, 2, 2)?).ok()?;
        let minute = u32::try_from(parse_digits(time_parts.next()?, 2, 2)?).ok()?;
        let sec_text = time_parts.next()?;
        if time_parts.next().is_some() {
            return None;
        }
        let whole = match sec_text.split_once('.') {
            Some((w, frac)) => {
                if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                w
            }
            None => sec_text,
        };
        let second = u32::try_from(parse_digits(whole, 2, 2)?).ok()?;
        // 24:00:00 is the end of the day in XML Schema.
        let (hour, extra_day) = if hour == 24 && minute == 0 && second == 0 {
            (0, 86_400)
        } else {
            (hour, 0)
        };
        let base = Self::from_utc(year, month, day, hour, minute, second)?;
        Some(Self(
            base.0.checked_add(extra_day)?.checked_sub(offset_seconds)?,
        ))
    }

    /// The civil date and time in UTC: (year, month, day, hour, minute, second).
    pub fn to_utc(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        // secs is in 0..86400, so these casts cannot truncate.
        let secs = secs as u32;
        (y, m, d, secs / 3600, (secs / 60) % 60, secs % 60)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC, e.g. `2023-03-27T15:14:30Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.to_utc();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

impl From<&x509_cert::time::Time> for Timestamp {
    fn from(t: &x509_cert::time::Time) -> Self {
        let secs = t.to_unix_duration().as_secs();
        Self(i64::try_from(secs).unwrap_or(i64::MAX))
    }
}

fn parse_digits(s: &str, min_len: usize, max_len: usize) -> Option<i64> {
    if s.len() < min_len || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Days since 1970-01-01 of a proleptic Gregorian date (the well-known era-based formula).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_signing_times() {
        let t = Timestamp::parse_xsd_datetime("2023-03-27T15:14:30Z").unwrap();
        assert_eq!(t.unix(), 1_679_930_070);
        assert_eq!(t.to_string(), "2023-03-27T15:14:30Z");
        let o = Timestamp::parse_xsd_datetime("2023-03-27T17:14:30.250+02:00").unwrap();
        assert_eq!(o, t);
        assert_eq!(
            Timestamp::parse_xsd_datetime("1970-01-01T00:00:00Z")
                .unwrap()
                .unix(),
            0
        );
        assert!(Timestamp::parse_xsd_datetime("2023-02-29T00:00:00Z").is_none());
        assert!(Timestamp::parse_xsd_datetime("garbage").is_none());
        assert!(Timestamp::parse_xsd_datetime("2023-01-01T00:00:00+99:00").is_none());
        assert!(Timestamp::parse_xsd_datetime("").is_none());
    }
}
