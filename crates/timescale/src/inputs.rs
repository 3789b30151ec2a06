//! Readers and writers for the three CSV inputs of the monthly computation.
//!
//! What: clock comparisons `mjd,lab,clock,x_ns` with x = UTC(lab) − clock;
//! time links `mjd,lab,pivot,x_ns,ua_ns,ub_ns` with x = UTC(lab) − UTC(pivot)
//! and the link's statistical (uA) and calibration (uB) standard
//! uncertainties; primary/secondary frequency standard (PSFS) evaluations
//! `mjd_start,mjd_end,standard,lab,y,u_y` with y the fractional frequency
//! deviation of UTC(lab) from the SI second as realised by the standard over
//! the interval (positive: UTC(lab) runs fast) and u_y its standard
//! uncertainty.
//!
//! Why this shape: the readers take the file *name* and its *text* (no I/O)
//! so that every error names `file:line` and the reason; every record keeps
//! its [`Source`] so the engine can name the line behind a clock jump too.
//! Readings are time-interval measurements between 1 PPS signals, so leap
//! seconds do not appear in them (they change UTC labels, not the pulses).
//!
//! Format: `#` starts a comment line; blank lines are skipped; an optional
//! header row naming the columns in this order; fields are separated by
//! commas and may be wrapped in double quotes (no embedded commas). MJDs are
//! whole days (`60674` or `60674.0`). Values must be finite.

use std::fmt;
use std::sync::Arc;

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    /// File name as given to the reader.
    pub file: Arc<str>,
    /// 1-based line number.
    pub line: usize,
}

impl Source {
    /// A source for records built in memory (simulator, API callers).
    pub fn memory(what: &str, line: usize) -> Source {
        Source {
            file: Arc::from(what),
            line,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One clock comparison: x = UTC(lab) − clock at 0h UTC on `mjd`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockReading {
    /// Day (MJD, 0h UTC).
    pub mjd: i64,
    /// Laboratory acronym (e.g. `PTB`).
    pub lab: String,
    /// Clock identifier, unique within the laboratory.
    pub clock: String,
    /// UTC(lab) − clock in nanoseconds.
    pub x_ns: f64,
    /// File and line.
    pub source: Source,
}

/// One time link: x = UTC(lab) − UTC(pivot) at 0h UTC on `mjd`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkReading {
    /// Day (MJD, 0h UTC).
    pub mjd: i64,
    /// Laboratory acronym.
    pub lab: String,
    /// Pivot laboratory acronym.
    pub pivot: String,
    /// UTC(lab) − UTC(pivot) in nanoseconds.
    pub x_ns: f64,
    /// Statistical (type A) standard uncertainty of the link, ns.
    pub ua_ns: f64,
    /// Calibration (type B) standard uncertainty of the link, ns.
    pub ub_ns: f64,
    /// File and line.
    pub source: Source,
}

/// One PSFS evaluation of the frequency of UTC(lab).
#[derive(Debug, Clone, PartialEq)]
pub struct PsfsReport {
    /// First day of the evaluation interval (MJD, 0h UTC).
    pub mjd_start: i64,
    /// Last day of the evaluation interval (MJD, 0h UTC).
    pub mjd_end: i64,
    /// Standard name (e.g. `PTB-CSF2`).
    pub standard: String,
    /// Laboratory whose UTC(lab) was evaluated.
    pub lab: String,
    /// Fractional frequency deviation of UTC(lab) from the SI frequency.
    pub y: f64,
    /// Standard uncertainty of `y`.
    pub u_y: f64,
    /// File and line.
    pub source: Source,
}

/// A malformed input line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct InputError {
    /// File name as given to the reader.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

struct Rows<'a> {
    file: Arc<str>,
    lines: std::iter::Enumerate<std::str::Lines<'a>>,
    header: &'static [&'static str],
    first: bool,
}

impl<'a> Rows<'a> {
    fn new(file: &str, text: &'a str, header: &'static [&'static str]) -> Self {
        Rows {
            file: Arc::from(file),
            lines: text.lines().enumerate(),
            header,
            first: true,
        }
    }

    fn err(&self, line: usize, reason: impl Into<String>) -> InputError {
        InputError {
            file: self.file.to_string(),
            line,
            reason: reason.into(),
        }
    }

    /// Next data row as (source, fields), skipping comments and the header.
    fn next_row(&mut self) -> Option<Result<(Source, Vec<&'a str>), InputError>> {
        loop {
            let (i, raw) = self.lines.next()?;
            let line = i + 1;
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = l
                .split(',')
                .map(|f| {
                    let f = f.trim();
                    f.strip_prefix('"')
                        .and_then(|g| g.strip_suffix('"'))
                        .unwrap_or(f)
                        .trim()
                })
                .collect();
            let is_header = self.first
                && fields
                    .first()
                    .is_some_and(|f| f.eq_ignore_ascii_case(self.header[0]));
            self.first = false;
            if is_header {
                let ok = fields.len() == self.header.len()
                    && fields
                        .iter()
                        .zip(self.header)
                        .all(|(a, b)| a.eq_ignore_ascii_case(b));
                if !ok {
                    return Some(Err(
                        self.err(line, format!("header must be {}", self.header.join(",")))
                    ));
                }
                continue;
            }
            if fields.len() != self.header.len() {
                return Some(Err(self.err(
                    line,
                    format!(
                        "expected {} fields ({}), found {}",
                        self.header.len(),
                        self.header.join(","),
                        fields.len()
                    ),
                )));
            }
            let src = Source {
                file: self.file.clone(),
                line,
            };
            return Some(Ok((src, fields)));
        }
    }

    fn mjd(&self, line: usize, name: &str, f: &str) -> Result<i64, InputError> {
        let v: f64 = f
            .parse()
            .map_err(|_| self.err(line, format!("{name} {f:?} is not a number")))?;
        if !v.is_finite() || v.fract() != 0.0 || !(-1e7..=1e7).contains(&v) {
            return Err(self.err(line, format!("{name} {f:?} is not a whole MJD")));
        }
        Ok(v as i64)
    }

    fn value(&self, line: usize, name: &str, f: &str) -> Result<f64, InputError> {
        let v: f64 = f
            .parse()
            .map_err(|_| self.err(line, format!("{name} {f:?} is not a number")))?;
        if !v.is_finite() {
            return Err(self.err(line, format!("{name} is not finite ({f})")));
        }
        Ok(v)
    }

    fn uncertainty(&self, line: usize, name: &str, f: &str) -> Result<f64, InputError> {
        let v = self.value(line, name, f)?;
        if v < 0.0 {
            return Err(self.err(line, format!("{name} must not be negative ({f})")));
        }
        Ok(v)
    }

    fn ident(&self, line: usize, name: &str, f: &str) -> Result<String, InputError> {
        if f.is_empty() {
            return Err(self.err(line, format!("{name} is empty")));
        }
        if f.chars().any(char::is_control) {
            return Err(self.err(line, format!("{name} contains a control character")));
        }
        Ok(f.to_string())
    }
}

/// Reads clock comparisons `mjd,lab,clock,x_ns`.
pub fn read_clocks(file: &str, text: &str) -> Result<Vec<ClockReading>, InputError> {
    let mut rows = Rows::new(file, text, &["mjd", "lab", "clock", "x_ns"]);
    let mut out = Vec::new();
    while let Some(r) = rows.next_row() {
        let (source, f) = r?;
        let line = source.line;
        out.push(ClockReading {
            mjd: rows.mjd(line, "mjd", f[0])?,
            lab: rows.ident(line, "lab", f[1])?,
            clock: rows.ident(line, "clock", f[2])?,
            x_ns: rows.value(line, "x_ns", f[3])?,
            source,
        });
    }
    Ok(out)
}

/// Reads time links `mjd,lab,pivot,x_ns,ua_ns,ub_ns`.
pub fn read_links(file: &str, text: &str) -> Result<Vec<LinkReading>, InputError> {
    let mut rows = Rows::new(
        file,
        text,
        &["mjd", "lab", "pivot", "x_ns", "ua_ns", "ub_ns"],
    );
    let mut out = Vec::new();
    while let Some(r) = rows.next_row() {
        let (source, f) = r?;
        let line = source.line;
        out.push(LinkReading {
            mjd: rows.mjd(line, "mjd", f[0])?,
            lab: rows.ident(line, "lab", f[1])?,
            pivot: rows.ident(line, "pivot", f[2])?,
            x_ns: rows.value(line, "x_ns", f[3])?,
            ua_ns: rows.uncertainty(line, "ua_ns", f[4])?,
            ub_ns: rows.uncertainty(line, "ub_ns", f[5])?,
            source,
        });
    }
    Ok(out)
}

/// Reads PSFS evaluations `mjd_start,mjd_end,standard,lab,y,u_y`.
pub fn read_psfs(file: &str, text: &str) -> Result<Vec<PsfsReport>, InputError> {
    let mut rows = Rows::new(
        file,
        text,
        &["mjd_start", "mjd_end", "standard", "lab", "y", "u_y"],
    );
    let mut out = Vec::new();
    while let Some(r) = rows.next_row() {
        let (source, f) = r?;
        let line = source.line;
        let mjd_start = rows.mjd(line, "mjd_start", f[0])?;
        let mjd_end = rows.mjd(line, "mjd_end", f[1])?;
        if mjd_end <= mjd_start {
            return Err(rows.err(line, "mjd_end must be after mjd_start"));
        }
        let u_y = rows.uncertainty(line, "u_y", f[5])?;
        if u_y == 0.0 {
            return Err(rows.err(line, "u_y must be positive"));
        }
        out.push(PsfsReport {
            mjd_start,
            mjd_end,
            standard: rows.ident(line, "standard", f[2])?,
            lab: rows.ident(line, "lab", f[3])?,
            y: rows.value(line, "y", f[4])?,
            u_y,
            source,
        });
    }
    Ok(out)
}

/// Writes clock comparisons in the format [`read_clocks`] reads.
pub fn write_clocks(rows: &[ClockReading]) -> String {
    let mut s = String::from("mjd,lab,clock,x_ns\n");
    for r in rows {
        s.push_str(&format!("{},{},{},{:.4}\n", r.mjd, r.lab, r.clock, r.x_ns));
    }
    s
}

/// Writes time links in the format [`read_links`] reads.
pub fn write_links(rows: &[LinkReading]) -> String {
    let mut s = String::from("mjd,lab,pivot,x_ns,ua_ns,ub_ns\n");
    for r in rows {
        s.push_str(&format!(
            "{},{},{},{:.4},{:.3},{:.3}\n",
            r.mjd, r.lab, r.pivot, r.x_ns, r.ua_ns, r.ub_ns
        ));
    }
    s
}

/// Writes PSFS evaluations in the format [`read_psfs`] reads.
pub fn write_psfs(rows: &[PsfsReport]) -> String {
    let mut s = String::from("mjd_start,mjd_end,standard,lab,y,u_y\n");
    for r in rows {
        s.push_str(&format!(
            "{},{},{},{},{:e},{:e}\n",
            r.mjd_start, r.mjd_end, r.standard, r.lab, r.y, r.u_y
        ));
    }
    s
}
