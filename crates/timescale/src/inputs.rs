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
    /// Link technique as named in Circular T section 5 (e.g. `GPSPPP`,
    /// `TWSTFT`), if given: the optional seventh column.
    pub kind: Option<String>,
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
    /// Its components, if the laboratory reported them (the optional
    /// columns `u_a,u_b,u_l_lab`); then u_y = √(u_A² + u_B² + u_l/Lab²).
    pub components: Option<PsfsComponents>,
    /// File and line.
    pub source: Source,
}

/// The uncertainty components of a PSFS evaluation as Circular T section 3
/// lists them (Petit, "Use of primary frequency standards for estimating the
/// duration of the scale unit of TAI", PTTI 1999: the uncertainty of a
/// comparison broken down into elementary components).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PsfsComponents {
    /// u_A: statistical uncertainty of the standard over the evaluation
    /// (independent from one evaluation to the next).
    pub u_a: f64,
    /// u_B: systematic uncertainty of the standard (correlated between the
    /// successive evaluations of one standard).
    pub u_b: f64,
    /// u_l/Lab: uncertainty of the link between the standard and UTC(lab)
    /// (local comparison, dead time).
    pub u_l_lab: f64,
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
    /// Every column, the required ones first.
    header: &'static [&'static str],
    /// How many leading columns are required; the others are optional and
    /// may be left off the end of a row (or given as `-` or empty).
    required: usize,
    first: bool,
}

impl<'a> Rows<'a> {
    fn new(file: &str, text: &'a str, header: &'static [&'static str]) -> Self {
        Self::with_optional(file, text, header, header.len())
    }

    fn with_optional(
        file: &str,
        text: &'a str,
        header: &'static [&'static str],
        required: usize,
    ) -> Self {
        Rows {
            file: Arc::from(file),
            lines: text.lines().enumerate(),
            header,
            required,
            first: true,
        }
    }

    fn columns(&self) -> String {
        let (req, opt) = self.header.split_at(self.required);
        if opt.is_empty() {
            req.join(",")
        } else {
            format!("{}[,{}]", req.join(","), opt.join(","))
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
            let fits = (self.required..=self.header.len()).contains(&fields.len());
            if is_header {
                let ok = fits
                    && fields
                        .iter()
                        .zip(self.header)
                        .all(|(a, b)| a.eq_ignore_ascii_case(b));
                if !ok {
                    return Some(Err(
                        self.err(line, format!("header must be {}", self.columns()))
                    ));
                }
                continue;
            }
            if !fits {
                let expected = if self.required == self.header.len() {
                    self.required.to_string()
                } else {
                    format!("{} to {}", self.required, self.header.len())
                };
                return Some(Err(self.err(
                    line,
                    format!(
                        "expected {expected} fields ({}), found {}",
                        self.columns(),
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

    /// An optional column: absent, empty or `-` is None.
    fn optional<'f, T>(
        &self,
        fields: &[&'f str],
        i: usize,
        parse: impl FnOnce(&'f str) -> Result<T, InputError>,
    ) -> Result<Option<T>, InputError> {
        match fields.get(i) {
            None | Some(&"") | Some(&"-") => Ok(None),
            Some(f) => parse(f).map(Some),
        }
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
    let mut rows = Rows::with_optional(
        file,
        text,
        &["mjd", "lab", "pivot", "x_ns", "ua_ns", "ub_ns", "type"],
        6,
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
            kind: rows.optional(&f, 6, |v| rows.ident(line, "type", v))?,
            source,
        });
    }
    Ok(out)
}

/// Reads PSFS evaluations `mjd_start,mjd_end,standard,lab,y,u_y[,u_a,u_b,u_l_lab]`.
///
/// The three optional components come together or not at all, and must
/// combine to u_y within 1 % (u_y = √(u_A² + u_B² + u_l/Lab²)): a check on
/// the report, as the BIPM asks laboratories for both.
pub fn read_psfs(file: &str, text: &str) -> Result<Vec<PsfsReport>, InputError> {
    let mut rows = Rows::with_optional(
        file,
        text,
        &[
            "mjd_start",
            "mjd_end",
            "standard",
            "lab",
            "y",
            "u_y",
            "u_a",
            "u_b",
            "u_l_lab",
        ],
        6,
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
        let u = |i: usize, name: &str| rows.optional(&f, i, |v| rows.uncertainty(line, name, v));
        let components = match (u(6, "u_a")?, u(7, "u_b")?, u(8, "u_l_lab")?) {
            (None, None, None) => None,
            (Some(u_a), Some(u_b), Some(u_l_lab)) => {
                let total = (u_a * u_a + u_b * u_b + u_l_lab * u_l_lab).sqrt();
                if (total - u_y).abs() > 0.01 * u_y {
                    return Err(rows.err(
                        line,
                        format!(
                            "u_y {u_y:e} does not combine its components: \
                             sqrt(u_a² + u_b² + u_l_lab²) = {total:e}"
                        ),
                    ));
                }
                Some(PsfsComponents { u_a, u_b, u_l_lab })
            }
            _ => return Err(rows.err(line, "give all of u_a, u_b, u_l_lab or none")),
        };
        out.push(PsfsReport {
            mjd_start,
            mjd_end,
            standard: rows.ident(line, "standard", f[2])?,
            lab: rows.ident(line, "lab", f[3])?,
            y: rows.value(line, "y", f[4])?,
            u_y,
            components,
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

/// Writes time links in the format [`read_links`] reads (with the `type`
/// column when a link has one).
pub fn write_links(rows: &[LinkReading]) -> String {
    let typed = rows.iter().any(|r| r.kind.is_some());
    let mut s = String::from("mjd,lab,pivot,x_ns,ua_ns,ub_ns");
    s.push_str(if typed { ",type\n" } else { "\n" });
    for r in rows {
        s.push_str(&format!(
            "{},{},{},{:.4},{:.3},{:.3}",
            r.mjd, r.lab, r.pivot, r.x_ns, r.ua_ns, r.ub_ns
        ));
        if typed {
            s.push(',');
            s.push_str(r.kind.as_deref().unwrap_or("-"));
        }
        s.push('\n');
    }
    s
}

/// Writes PSFS evaluations in the format [`read_psfs`] reads (with the
/// component columns when an evaluation has them).
pub fn write_psfs(rows: &[PsfsReport]) -> String {
    let split = rows.iter().any(|r| r.components.is_some());
    let mut s = String::from("mjd_start,mjd_end,standard,lab,y,u_y");
    s.push_str(if split { ",u_a,u_b,u_l_lab\n" } else { "\n" });
    for r in rows {
        s.push_str(&format!(
            "{},{},{},{},{:e},{:e}",
            r.mjd_start, r.mjd_end, r.standard, r.lab, r.y, r.u_y
        ));
        match (split, r.components) {
            (true, Some(c)) => s.push_str(&format!(",{:e},{:e},{:e}", c.u_a, c.u_b, c.u_l_lab)),
            (true, None) => s.push_str(",-,-,-"),
            _ => {}
        }
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------
// The BIPM clock-data format.
//
// What: the fixed-column text in which laboratories send their clock data to
// the BIPM each month. Data lines are recognised by their start; every other
// line (the header) is skipped:
//
// * clock line: columns 1–5 the MJD, 7–11 the laboratory's 5-digit code,
//   then up to five clocks of 18 columns each from column 13: the clock's
//   7-digit BIPM code, a blank, and in the next 9 columns UTC(k) − clock in
//   ns (so the i-th clock, i = 0…4, has its code in columns 13+18i … 19+18i
//   and its value in 21+18i … 29+18i); a laboratory with more clocks writes
//   more lines for the same MJD;
// * jump line (a declared time or frequency step of a clock): columns 1–8
//   the MJD with decimals, 10–16 the clock code, 18–26 the time step, 28–36
//   the frequency step, 41–44 the laboratory acronym, 46–50 its code.
//
// Source: the BIPM's own checker of this format, TheBIPM/check_bipm_data
// (check_bipm_data/check.py at commit af583e62c4e81f589cc5305fe7fba27cc0270c6e,
// "checking compliance to the clock data format",
// https://webtai.bipm.org/database/documents/clock-data_format.pdf), whose
// column positions and line patterns are those above. The specification
// itself (the PDF) was not available; the units of the steps are not stated
// by the checker and are returned as written.
// ---------------------------------------------------------------------------

/// A clock step declared in a BIPM clock-data file.
#[derive(Debug, Clone, PartialEq)]
pub struct BipmClockJump {
    /// Date of the step (MJD with decimals).
    pub mjd: f64,
    /// Laboratory acronym as written (columns 41–44).
    pub lab: String,
    /// Laboratory code (columns 46–50).
    pub lab_code: String,
    /// Clock code (7 digits).
    pub clock: String,
    /// Time step, as written (columns 18–26).
    pub time_step: f64,
    /// Frequency step, as written (columns 28–36).
    pub frequency_step: f64,
    /// File and line.
    pub source: Source,
}

/// What a BIPM clock-data file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct BipmClockFile {
    /// The clock readings, with the laboratory named as
    /// [`read_bipm_clocks`] says and the clock by its 7-digit code.
    pub readings: Vec<ClockReading>,
    /// The declared steps.
    pub jumps: Vec<BipmClockJump>,
}

/// Whether `text` looks like a BIPM clock-data file: its first line that
/// starts with a digit is a clock line (MJD, 5-digit laboratory code,
/// 7-digit clock code and a value) or a jump line.
pub fn looks_like_bipm_clocks(text: &str) -> bool {
    text.lines()
        .map(str::trim_end)
        .find(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .is_some_and(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
            let clock_line = f.len() >= 4
                && digits(f[0], 5)
                && digits(f[1], 5)
                && digits(f[2], 7)
                && f[3].parse::<f64>().is_ok();
            let jump_line =
                f.len() >= 6 && f[0].len() > 6 && f[0].as_bytes()[5] == b'.' && digits(f[1], 7);
            clock_line || jump_line
        })
}

/// Columns `from..=to` (1-based) of a line, or what there is of them.
fn cols(line: &str, from: usize, to: usize) -> &str {
    let end = to.min(line.len());
    line.get(from - 1..end).unwrap_or("")
}

/// Reads a BIPM clock-data file (the format above).
///
/// `lab_names` maps laboratory codes to acronyms (e.g. `"00001"` →
/// `"PTB"`, as the links name them); codes not in it take the acronym a
/// jump line of the file gives for them, or else stay as the 5-digit code.
/// Every malformed data line is an error naming the line and the field
/// (with its columns).
pub fn read_bipm_clocks(
    file: &str,
    text: &str,
    lab_names: &std::collections::BTreeMap<String, String>,
) -> Result<BipmClockFile, InputError> {
    let err = |line: usize, reason: String| InputError {
        file: file.to_string(),
        line,
        reason,
    };
    let src: Arc<str> = Arc::from(file);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let number = |line: usize, field: &str, s: &str| -> Result<f64, InputError> {
        let t = s.trim();
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(err(line, format!("{field}: {t:?} is not a number"))),
        }
    };
    // (line, MJD, lab code, clock code, value)
    let mut clocks: Vec<(usize, i64, String, String, f64)> = Vec::new();
    let mut jumps = Vec::new();
    let mut learned: std::collections::BTreeMap<String, String> = Default::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim_end();
        let head = l.as_bytes();
        if head.len() < 5 || !head[..5].iter().all(u8::is_ascii_digit) {
            continue; // header text
        }
        if !l.is_ascii() {
            return Err(err(line, "a data line must be ASCII".into()));
        }
        if head.get(5) == Some(&b'.') {
            // Jump line.
            let mjd = number(line, "MJD (columns 1-8)", cols(l, 1, 8))?;
            let clock = cols(l, 10, 16).trim();
            if !digits(clock, 7) {
                return Err(err(
                    line,
                    format!("clock code (columns 10-16): {clock:?} is not 7 digits"),
                ));
            }
            let time_step = number(line, "time step (columns 18-26)", cols(l, 18, 26))?;
            let frequency_step = number(line, "frequency step (columns 28-36)", cols(l, 28, 36))?;
            let lab = cols(l, 41, 44).trim();
            let code = cols(l, 46, 50).trim();
            if lab.is_empty() || !lab.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(err(
                    line,
                    format!("laboratory acronym (columns 41-44): {lab:?}"),
                ));
            }
            if !digits(code, 5) {
                return Err(err(
                    line,
                    format!("laboratory code (columns 46-50): {code:?} is not 5 digits"),
                ));
            }
            learned.insert(code.to_string(), lab.to_string());
            jumps.push(BipmClockJump {
                mjd,
                lab: lab.to_string(),
                lab_code: code.to_string(),
                clock: clock.to_string(),
                time_step,
                frequency_step,
                source: Source {
                    file: src.clone(),
                    line,
                },
            });
            continue;
        }
        // Clock line.
        let mjd: i64 = cols(l, 1, 5)
            .parse()
            .map_err(|_| err(line, "MJD (columns 1-5) is not a number".into()))?;
        if cols(l, 6, 6) != " " {
            return Err(err(
                line,
                "column 6 must be blank after the MJD (a fractional MJD starts a jump line)".into(),
            ));
        }
        let lab = cols(l, 7, 11);
        if !digits(lab, 5) {
            return Err(err(
                line,
                format!("laboratory code (columns 7-11): {lab:?} is not 5 digits"),
            ));
        }
        let mut n = 0;
        for k in 0..5 {
            let start = 13 + 18 * k;
            if l.len() < start {
                break;
            }
            let (c0, c1, v0, v1) = (start, start + 6, start + 8, start + 16);
            let code = cols(l, c0, c1);
            if code.trim().is_empty() && cols(l, v0, v1).trim().is_empty() {
                break;
            }
            if !digits(code, 7) {
                return Err(err(
                    line,
                    format!(
                        "clock {} code (columns {c0}-{c1}): {code:?} is not 7 digits",
                        k + 1
                    ),
                ));
            }
            if !cols(l, c1 + 1, c1 + 1).trim().is_empty() {
                return Err(err(
                    line,
                    format!("clock {} (column {}) must be blank", k + 1, c1 + 1),
                ));
            }
            let field = format!("clock {} value (columns {v0}-{v1})", k + 1);
            let value = number(line, &field, cols(l, v0, v1))?;
            clocks.push((line, mjd, lab.to_string(), code.to_string(), value));
            n += 1;
        }
        if n == 0 {
            return Err(err(
                line,
                "a clock line needs at least one clock (columns 13-29)".into(),
            ));
        }
        if l.len() > 13 + 18 * 5 - 2 {
            return Err(err(
                line,
                format!(
                    "more than five clocks on a line (text after column {})",
                    13 + 18 * 5 - 2
                ),
            ));
        }
    }
    let name = |code: &str| {
        lab_names
            .get(code)
            .or_else(|| learned.get(code))
            .cloned()
            .unwrap_or_else(|| code.to_string())
    };
    let readings = clocks
        .into_iter()
        .map(|(line, mjd, lab, clock, x_ns)| ClockReading {
            mjd,
            lab: name(&lab),
            clock,
            x_ns,
            source: Source {
                file: src.clone(),
                line,
            },
        })
        .collect();
    Ok(BipmClockFile { readings, jumps })
}

/// Writes clock readings in the BIPM clock-data format (five clocks a
/// line, values with one decimal in ns), for laboratory `lab_code`: every
/// reading's clock must be a 7-digit code and its value fit the 9 columns.
pub fn write_bipm_clocks(lab_code: &str, rows: &[ClockReading]) -> Option<String> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(lab_code, 5) {
        return None;
    }
    let mut by_mjd: std::collections::BTreeMap<i64, Vec<&ClockReading>> = Default::default();
    for r in rows {
        let v = format!("{:9.1}", r.x_ns);
        if !digits(&r.clock, 7) || v.len() != 9 || !(0..=99_999).contains(&r.mjd) {
            return None;
        }
        by_mjd.entry(r.mjd).or_default().push(r);
    }
    let mut s = String::from("# BIPM clock data written by sevres-timescale: MJD, lab code, (clock code, UTC(k)-clock/ns) x 5\n");
    for (mjd, rs) in by_mjd {
        for chunk in rs.chunks(5) {
            s.push_str(&format!("{mjd:05} {lab_code}"));
            for r in chunk {
                s.push_str(&format!(" {} {:9.1}", r.clock, r.x_ns));
            }
            s.push('\n');
        }
    }
    Some(s)
}
