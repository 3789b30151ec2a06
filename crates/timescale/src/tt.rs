//! Terrestrial Time realised by the BIPM, TT(BIPMyy), from TAI.
//!
//! What: TT(BIPMyy) − TAI = 32.184 s + Δ(t), where Δ is the integral of the
//! deviation d of the TAI scale interval from the SI second: when TAI's
//! second is longer than the SI second (d > 0), TAI runs slow and TT − TAI
//! grows at the rate d ([`tt_minus_tai_from_d`]). The 32.184 s is the
//! conventional offset TT − TAI at 1977 January 1, 0h TAI (IAU 1991
//! Resolution A4, Recommendation III; Guinot, A&A 192 (1988) 370 for the
//! construction; Petit, Proc. 35th PTTI (2003) 307 for the update). Between
//! realisations the BIPM publishes a linear extension,
//! `TT(BIPMyy) = TAI + 32.184 s + A ns + r × (MJD − M) ns` ([`Extension`],
//! read from the header of the BIPM file by [`Extension::parse`]).
//!
//! Also a reader for the two-column clock-correction files (`MJD value`,
//! `#` comments) in which the BIPM products are redistributed for pulsar
//! timing ([`ClockSeries`]), which marks where an extrapolation begins.

/// TT − TAI at 1977-01-01 0h TAI, s.
pub const TT_MINUS_TAI_S: f64 = 32.184;

/// A two-column clock-correction series.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockSeries {
    /// Header comment lines (without `#`).
    pub comments: Vec<String>,
    /// (MJD, value in seconds).
    pub rows: Vec<(f64, f64)>,
    /// Index of the first row after a `# Extrapolation starts here` line.
    pub extrapolation_from: Option<usize>,
}

/// A malformed line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct TtError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl ClockSeries {
    /// Reads `MJD value` rows; `#` starts a comment (whole line or row end).
    pub fn parse(text: &str) -> Result<ClockSeries, TtError> {
        let mut s = ClockSeries {
            comments: Vec::new(),
            rows: Vec::new(),
            extrapolation_from: None,
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim();
            if let Some(c) = l.strip_prefix('#') {
                if c.trim().eq_ignore_ascii_case("Extrapolation starts here") {
                    s.extrapolation_from.get_or_insert(s.rows.len());
                }
                s.comments.push(c.to_string());
                continue;
            }
            // A row may end in a comment.
            let l = l.split('#').next().unwrap_or("").trim();
            if l.is_empty() {
                continue;
            }
            let f: Vec<&str> = l.split_whitespace().collect();
            let num = |t: &str| t.parse::<f64>().ok().filter(|v| v.is_finite());
            match (f.len(), num(f[0]), f.get(1).and_then(|t| num(t))) {
                (2, Some(m), Some(v)) => {
                    if s.rows.last().is_some_and(|r| r.0 >= m) {
                        return Err(TtError {
                            line,
                            reason: "MJDs must increase".into(),
                        });
                    }
                    s.rows.push((m, v));
                }
                _ => {
                    return Err(TtError {
                        line,
                        reason: format!("expected 'MJD value', found {l:?}"),
                    })
                }
            }
        }
        Ok(s)
    }

    /// The rows before the extrapolation marker (the published data).
    pub fn published(&self) -> &[(f64, f64)] {
        &self.rows[..self.extrapolation_from.unwrap_or(self.rows.len())]
    }
}

/// The BIPM's linear extension of TT(BIPMyy) beyond its last computed date:
/// TT − TAI = 32.184 s + offset + rate × (MJD − mjd0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extension {
    /// Reference MJD.
    pub mjd0: f64,
    /// TT − TAI − 32.184 s at `mjd0`, ns.
    pub offset_ns: f64,
    /// Rate, ns per day.
    pub rate_ns_per_day: f64,
}

impl Extension {
    /// Finds the formula `TT(BIPMyy) = TAI + 32.184 s + A ns + r x(MJD-M) ns`
    /// in a text (the BIPM file header).
    pub fn parse(text: &str) -> Option<Extension> {
        text.lines().find_map(|l| {
            let l = l.trim_start_matches(['#', ' ']);
            let rest = l.strip_prefix("TT(BIPM")?;
            let rest = rest.split_once(") = TAI + 32.184 s +")?.1;
            let (a, rest) = rest.split_once("ns +")?;
            let (r, rest) = rest.split_once(['x', '*', '×'])?;
            let m = rest.trim().strip_prefix("(MJD-")?;
            let (m, unit) = m.split_once(')')?;
            (unit.trim() == "ns").then_some(())?;
            Some(Extension {
                offset_ns: a.trim().parse().ok()?,
                rate_ns_per_day: r.trim().parse().ok()?,
                mjd0: m.trim().parse().ok()?,
            })
        })
    }

    /// TT − TAI in seconds at `mjd`.
    pub fn tt_minus_tai_s(&self, mjd: f64) -> f64 {
        TT_MINUS_TAI_S + (self.offset_ns + self.rate_ns_per_day * (mjd - self.mjd0)) * 1e-9
    }
}

/// TT − TAI − 32.184 s (ns) at `mjd`, integrating d from a known value:
/// d(TT − TAI)/dt = d, with `segments` = (MJD from which d holds, d)
/// sorted by date, the first starting at or before `mjd0`.
pub fn tt_minus_tai_from_d(mjd0: f64, offset0_ns: f64, segments: &[(f64, f64)], mjd: f64) -> f64 {
    const NS_PER_DAY: f64 = 86_400e9;
    let (lo, hi, sign) = if mjd >= mjd0 {
        (mjd0, mjd, 1.0)
    } else {
        (mjd, mjd0, -1.0)
    };
    let mut acc = 0.0;
    for (i, &(start, d)) in segments.iter().enumerate() {
        let end = segments.get(i + 1).map_or(f64::INFINITY, |s| s.0);
        let a = start.max(lo);
        let b = end.min(hi);
        if b > a {
            acc += d * (b - a) * NS_PER_DAY;
        }
    }
    offset0_ns + sign * acc
}
