//! BIPM Circular T as data ([`CircularT`]), as text in the published layout
//! and as CSV: section 1 ([UTC − UTC(k)] at the 5-day dates with u_A, u_B
//! and u), section 2 (f(EAL) − f(TAI)), section 3 (the duration of the TAI
//! scale interval d, with every PSFS evaluation and its uncertainty
//! components), section 5 (the time links and their uncertainties) and the
//! leap-second announcement. Section 4 (relations of UTC with the GNSS
//! predictions of UTC) needs GNSS data the computation does not have and is
//! left out; the numbering follows the published one (BIPM, "Technical
//! updates to Circular T", 2024: GNSS in section 4, time-link uncertainties
//! in section 5).
//!
//! Sources for the layout: section 1 is checked against the text of
//! Circular T 229 (webtai.bipm.org/ftp/pub/tai/Circular-T/cirt/cirt.229) and
//! the excerpts kept with the test data. The text of sections 2, 3 and 5 of
//! a published issue was not available while this was written: their titles
//! are those of the BIPM (the Annual Report's "Differences between the
//! normalized frequencies of EAL and TAI", "Measurements of the duration of
//! the TAI scale interval"; the "Time links" section), their columns those
//! Circular T section 3 is documented to carry (d, u_A, u_B, u_l/Lab,
//! u_l/Tai for each standard and period of estimation; Petit, PTTI 1999),
//! in the fixed-column style of section 1.
//!
//! Section 1 layout (as published, see the Circular T explanatory
//! supplement): a title naming TAI − UTC, a header with the 0h UTC dates
//! (month abbreviation and day) and their MJDs, then one line per laboratory
//! — acronym, location in parentheses, [UTC − UTC(k)]/ns with one decimal
//! ("-" where there is no value), then u_A, u_B, u and notes.
//! The CSV form has the columns of the excerpts kept with the test data:
//! `lab,location,mjd_NNNNN…,uA_ns,uB_ns,u_ns,note`, `-` for no value, and
//! `#` comment lines of which `tai_minus_utc_s=` and `tai_minus_utc_note=`
//! are read back.

use std::fmt::Write as _;

use crate::algos::{LeapNotice, MonthResult};
use crate::calendar::{self, Date};
use crate::inputs::InputError;

/// Combined standard uncertainty of uncorrelated components,
/// u = √(u_A² + u_B²) (GUM, JCGM 100:2008, eq. 10 with unit sensitivity
/// coefficients).
pub fn combine_uncertainty(ua: f64, ub: f64) -> f64 {
    ua.hypot(ub)
}

/// Section 1 of a Circular T.
#[derive(Debug, Clone, PartialEq)]
pub struct Section1 {
    /// TAI − UTC in seconds during the period.
    pub tai_minus_utc_s: i32,
    /// The sentence stating it (e.g. "From 2017 January 1, 0h UTC, TAI-UTC = 37 s").
    pub tai_minus_utc_note: String,
    /// Dates (MJD).
    pub mjds: Vec<i64>,
    /// Laboratories.
    pub rows: Vec<Section1Row>,
}

/// One laboratory's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Section1Row {
    /// Acronym.
    pub lab: String,
    /// Location.
    pub location: Option<String>,
    /// [UTC − UTC(k)] in ns at each date.
    pub values: Vec<Option<f64>>,
    /// u_A, ns.
    pub ua_ns: Option<f64>,
    /// u_B, ns.
    pub ub_ns: Option<f64>,
    /// u, ns.
    pub u_ns: Option<f64>,
    /// Note marks, e.g. "(1)".
    pub note: Option<String>,
}

fn opt1(v: Option<f64>, w: usize) -> String {
    match v {
        Some(v) => format!("{v:>w$.1}"),
        None => format!("{:>w$}", "-"),
    }
}

impl Section1 {
    /// Renders the section in the published text layout.
    pub fn render_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "1 - Coordinated Universal Time UTC and its local realizations UTC(k). Computed values of [UTC-UTC(k)]"
        );
        let _ = writeln!(
            s,
            "    and uncertainties valid for the period of this Circular. {}.",
            self.tai_minus_utc_note
        );
        let _ = writeln!(s);
        let dates: Vec<Date> = self.mjds.iter().map(|&m| Date::from_mjd(m)).collect();
        let years = match (dates.first(), dates.last()) {
            (Some(a), Some(b)) if a.year != b.year => format!("{}/{:02}", a.year, b.year % 100),
            (Some(a), _) => a.year.to_string(),
            _ => String::new(),
        };
        let mut h1 = format!("{:<28}", format!("Date {years} 0h UTC"));
        let mut h2 = format!("{:>28}", "MJD");
        for (d, m) in dates.iter().zip(&self.mjds) {
            let _ = write!(h1, "   {} {:>2}", calendar::month_abbrev(d.month), d.day);
            let _ = write!(h2, "{m:>9}");
        }
        h1.push_str("    Uncertainty/ns  Notes");
        h2.push_str("     uA    uB     u");
        let _ = writeln!(s, "{h1}");
        let _ = writeln!(s, "{h2}");
        let width = 28 + 9 * self.mjds.len();
        let title = format!(
            "{:<28}{:^w$}",
            "Laboratory k",
            "[UTC-UTC(k)]/ns",
            w = width - 28
        );
        let _ = writeln!(s, "{}", title.trim_end());
        for r in &self.rows {
            let name = match &r.location {
                Some(l) => format!("{:<6}({l})", r.lab),
                None => r.lab.clone(),
            };
            let mut line = format!("{name:<28}");
            for v in &r.values {
                line.push_str(&opt1(*v, 9));
            }
            line.push_str(&opt1(r.ua_ns, 7));
            line.push_str(&opt1(r.ub_ns, 6));
            line.push_str(&opt1(r.u_ns, 6));
            if let Some(n) = &r.note {
                let _ = write!(line, "  {n}");
            }
            let _ = writeln!(s, "{}", line.trim_end());
        }
        s
    }

    /// Renders the section as CSV (the layout of the test-data excerpts).
    pub fn render_csv(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# Circular T section 1: [UTC-UTC(k)]/ns at 0h UTC on the listed MJDs, with uA, uB, u in ns"
        );
        let _ = writeln!(
            s,
            "# tai_minus_utc_s={} tai_minus_utc_note=\"{}\"",
            self.tai_minus_utc_s, self.tai_minus_utc_note
        );
        s.push_str("lab,location");
        for m in &self.mjds {
            let _ = write!(s, ",mjd_{m}");
        }
        s.push_str(",uA_ns,uB_ns,u_ns,note\n");
        let c = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1}"));
        for r in &self.rows {
            let _ = write!(s, "{},\"{}\"", r.lab, r.location.as_deref().unwrap_or(""));
            for v in &r.values {
                let _ = write!(s, ",{}", c(*v));
            }
            let _ = writeln!(
                s,
                ",{},{},{},{}",
                c(r.ua_ns),
                c(r.ub_ns),
                c(r.u_ns),
                r.note.as_deref().unwrap_or("")
            );
        }
        s
    }

    /// Reads the CSV form (as written by [`Section1::render_csv`] or kept
    /// in the test data).
    pub fn parse_csv(file: &str, text: &str) -> Result<Section1, InputError> {
        let err = |line: usize, reason: String| InputError {
            file: file.to_string(),
            line,
            reason,
        };
        let mut dat: Option<i32> = None;
        let mut note = String::new();
        let mut mjds: Option<Vec<i64>> = None;
        let mut rows = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim();
            if l.is_empty() {
                continue;
            }
            if l.starts_with(SECTION_MARK) {
                break; // the other sections of the full CSV
            }
            if let Some(c) = l.strip_prefix('#') {
                if let Some(p) = c.find("tai_minus_utc_s=") {
                    let v: String = c[p + 16..]
                        .chars()
                        .take_while(|ch| ch.is_ascii_digit() || *ch == '-')
                        .collect();
                    dat = Some(
                        v.parse()
                            .map_err(|_| err(line, format!("bad TAI-UTC {v:?}")))?,
                    );
                }
                if let Some(p) = c.find("tai_minus_utc_note=\"") {
                    let rest = &c[p + 20..];
                    note = rest.split('"').next().unwrap_or("").to_string();
                }
                continue;
            }
            let f = split_csv(l).ok_or_else(|| err(line, "unbalanced quotes".into()))?;
            match &mjds {
                None => {
                    let n = f.len();
                    if n < 6
                        || f[0] != "lab"
                        || f[1] != "location"
                        || f[n - 4..] != ["uA_ns", "uB_ns", "u_ns", "note"]
                    {
                        return Err(err(
                            line,
                            "header must be lab,location,mjd_…,uA_ns,uB_ns,u_ns,note".into(),
                        ));
                    }
                    let m = f[2..n - 4]
                        .iter()
                        .map(|h| h.strip_prefix("mjd_").and_then(|v| v.parse().ok()))
                        .collect::<Option<Vec<i64>>>()
                        .ok_or_else(|| err(line, "date columns must be mjd_NNNNN".into()))?;
                    mjds = Some(m);
                }
                Some(m) => {
                    if f.len() != m.len() + 6 {
                        return Err(err(
                            line,
                            format!("expected {} fields, found {}", m.len() + 6, f.len()),
                        ));
                    }
                    let num = |s: &str| -> Result<Option<f64>, InputError> {
                        if s == "-" || s.is_empty() {
                            return Ok(None);
                        }
                        match s.parse::<f64>() {
                            Ok(v) if v.is_finite() => Ok(Some(v)),
                            _ => Err(err(line, format!("{s:?} is not a number"))),
                        }
                    };
                    let n = f.len();
                    rows.push(Section1Row {
                        lab: f[0].clone(),
                        location: (!f[1].is_empty()).then(|| f[1].clone()),
                        values: f[2..n - 4]
                            .iter()
                            .map(|s| num(s))
                            .collect::<Result<_, _>>()?,
                        ua_ns: num(&f[n - 4])?,
                        ub_ns: num(&f[n - 3])?,
                        u_ns: num(&f[n - 2])?,
                        note: (!f[n - 1].is_empty()).then(|| f[n - 1].clone()),
                    });
                }
            }
        }
        let mjds = mjds.ok_or_else(|| err(text.lines().count(), "no header row".into()))?;
        Ok(Section1 {
            tai_minus_utc_s: dat.unwrap_or(0),
            tai_minus_utc_note: note,
            mjds,
            rows,
        })
    }
}

/// The comment that starts each section after section 1 in the CSV form.
const SECTION_MARK: &str = "#section=";

/// Circular T section 2: the fractional frequency difference
/// f(EAL) − f(TAI) applied over each interval between the month's dates
/// (minus the steering of TAI), and the value announced for the next month.
#[derive(Debug, Clone, PartialEq)]
pub struct Section2 {
    /// (first MJD, last MJD, f(EAL) − f(TAI)) per interval.
    pub intervals: Vec<(i64, i64, f64)>,
    /// (from MJD, f(EAL) − f(TAI)) for the next month.
    pub next: (i64, f64),
}

/// Circular T section 3: the duration of the TAI scale interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Section3 {
    /// The period of estimation of d (the month's first and last dates).
    pub period: (i64, i64),
    /// d and its standard uncertainty (fractional), if estimated.
    pub d: Option<(f64, f64)>,
    /// Birge ratio of the combination.
    pub birge_ratio: Option<f64>,
    /// Number of evaluations combined (this month's and kept past ones).
    pub evaluations: usize,
    /// This month's evaluations.
    pub rows: Vec<Section3Row>,
}

/// One PSFS evaluation in section 3 (fractional values).
#[derive(Debug, Clone, PartialEq)]
pub struct Section3Row {
    /// Standard.
    pub standard: String,
    /// Laboratory.
    pub lab: String,
    /// Period of estimation, first MJD.
    pub mjd_start: i64,
    /// Period of estimation, last MJD.
    pub mjd_end: i64,
    /// The standard's estimate of d.
    pub d: Option<f64>,
    /// u_A.
    pub u_a: Option<f64>,
    /// u_B.
    pub u_b: Option<f64>,
    /// u_l/Lab.
    pub u_l_lab: Option<f64>,
    /// u_l/Tai.
    pub u_l_tai: Option<f64>,
    /// Total uncertainty.
    pub u: Option<f64>,
    /// Weight in the month's d.
    pub weight: Option<f64>,
    /// Why the evaluation was not used, if so.
    pub note: Option<String>,
}

/// Circular T section 5: the time links of the month.
#[derive(Debug, Clone, PartialEq)]
pub struct Section5 {
    /// One row per laboratory linked to the pivot.
    pub rows: Vec<Section5Row>,
}

/// One time link in section 5.
#[derive(Debug, Clone, PartialEq)]
pub struct Section5Row {
    /// Laboratory.
    pub lab: String,
    /// Pivot laboratory.
    pub pivot: String,
    /// Link technique, if known.
    pub kind: Option<String>,
    /// u_A of the link, ns.
    pub ua_ns: f64,
    /// u_B (calibration) of the link, ns.
    pub ub_ns: f64,
}

/// A whole Circular T (the sections the computation can produce).
#[derive(Debug, Clone, PartialEq)]
pub struct CircularT {
    /// Section 1.
    pub section1: Section1,
    /// Section 2.
    pub section2: Section2,
    /// Section 3.
    pub section3: Section3,
    /// Section 5.
    pub section5: Section5,
    /// The next leap second, if announced.
    pub leap_second: Option<LeapNotice>,
}

/// A fractional value in units of 10⁻¹⁵ with three decimals; rounded to the
/// printed digits first, then `+ 0.0` turns a negative zero into 0.
fn e15(v: f64) -> String {
    format!("{:.3}", (v * 1e18).round() / 1000.0 + 0.0)
}

fn opt_e15(v: Option<f64>, w: usize) -> String {
    format!("{:>w$}", v.map_or_else(|| "-".to_string(), e15))
}

fn opt_csv(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:e}"))
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

impl CircularT {
    /// The published text layout: section 1, then sections 2, 3 and 5 and
    /// the leap-second announcement.
    pub fn render_text(&self) -> String {
        let mut s = self.section1.render_text();
        // Section 2.
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "2 - Difference between the normalized frequencies of EAL and TAI"
        );
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "    {:<22}{:>22}",
            "Interval (MJD)", "f(EAL)-f(TAI)/1e-15"
        );
        for (a, b, v) in &self.section2.intervals {
            let _ = writeln!(s, "    {:<22}{:>22}", format!("{a} - {b}"), e15(*v));
        }
        let (from, next) = self.section2.next;
        let _ = writeln!(
            s,
            "    From MJD {from}, f(EAL)-f(TAI) = {} x 1e-15.",
            e15(next)
        );
        // Section 3.
        let sec3 = &self.section3;
        let _ = writeln!(s);
        let _ = writeln!(s, "3 - Duration of the TAI scale interval");
        let _ = writeln!(s);
        match sec3.d {
            Some((d, u)) => {
                let _ = writeln!(
                    s,
                    "    Fractional deviation d of the scale interval of TAI from the SI second, over"
                );
                let _ = writeln!(
                    s,
                    "    MJD {} - {}, from {} PSFS evaluation(s) combined by the filter of Azoubib et al. (1977):",
                    sec3.period.0, sec3.period.1, sec3.evaluations
                );
                let mut line = format!("        d = {} x 1e-15,  u = {} x 1e-15", e15(d), e15(u));
                if let Some(b) = sec3.birge_ratio {
                    let _ = write!(line, ",  Birge ratio {b:.2}");
                }
                let _ = writeln!(s, "{line}");
            }
            None => {
                let _ = writeln!(
                    s,
                    "    No PSFS evaluation: d is not estimated for MJD {} - {}.",
                    sec3.period.0, sec3.period.1
                );
            }
        }
        if !sec3.rows.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "    {:<16}{:<8}{:<16}{:>8}{:>8}{:>8}{:>8}{:>8}{:>8}{:>8}",
                "Standard",
                "Lab",
                "Period (MJD)",
                "d",
                "uA",
                "uB",
                "ul/Lab",
                "ul/Tai",
                "u",
                "Weight"
            );
            let _ = writeln!(s, "{:44}(d and uncertainties /1e-15)", "");
            for r in &sec3.rows {
                let mut line = format!(
                    "    {:<16}{:<8}{:<16}",
                    r.standard,
                    r.lab,
                    format!("{} - {}", r.mjd_start, r.mjd_end)
                );
                match &r.note {
                    Some(n) => {
                        let _ = write!(line, "not used: {n}");
                    }
                    None => {
                        for v in [r.d, r.u_a, r.u_b, r.u_l_lab, r.u_l_tai, r.u] {
                            line.push_str(&opt_e15(v, 8));
                        }
                        let _ = write!(
                            line,
                            "{:>8}",
                            r.weight.map_or("-".to_string(), |w| format!("{w:.3}"))
                        );
                    }
                }
                let _ = writeln!(s, "{}", line.trim_end());
            }
        }
        // Section 5.
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "5 - Time links used for the computation of TAI and their uncertainties"
        );
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "    {:<22}{:<12}{:>8}{:>8}",
            "Link", "Type", "uA/ns", "uB/ns"
        );
        for r in &self.section5.rows {
            let _ = writeln!(
                s,
                "    {:<22}{:<12}{:>8.1}{:>8.1}",
                format!("{}/{}", r.lab, r.pivot),
                r.kind.as_deref().unwrap_or("-"),
                r.ua_ns,
                r.ub_ns
            );
        }
        if let Some(l) = &self.leap_second {
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "{}",
                leap_sentence(l, self.section1.mjds.last().copied())
            );
        }
        s
    }

    /// The CSV form: section 1 as [`Section1::render_csv`], then each other
    /// section after a `#section=N` comment line (which
    /// [`Section1::parse_csv`] stops at), values fractional (sections 2, 3)
    /// or in ns (section 5) in Rust's shortest round-trip form, `-` for none.
    pub fn render_csv(&self) -> String {
        let mut s = self.section1.render_csv();
        let _ = writeln!(
            s,
            "{SECTION_MARK}2 difference between the normalized frequencies of EAL and TAI (fractional)"
        );
        s.push_str("mjd_start,mjd_end,eal_minus_tai\n");
        for (a, b, v) in &self.section2.intervals {
            let _ = writeln!(s, "{a},{b},{v:e}");
        }
        let _ = writeln!(
            s,
            "# next_mjd={} eal_minus_tai_next={:e}",
            self.section2.next.0, self.section2.next.1
        );
        let sec3 = &self.section3;
        let _ = writeln!(
            s,
            "{SECTION_MARK}3 duration of the TAI scale interval (fractional)"
        );
        let _ = writeln!(
            s,
            "# period={}-{} d={} u_d={} birge_ratio={} evaluations={}",
            sec3.period.0,
            sec3.period.1,
            opt_csv(sec3.d.map(|v| v.0)),
            opt_csv(sec3.d.map(|v| v.1)),
            opt_csv(sec3.birge_ratio),
            sec3.evaluations
        );
        s.push_str("standard,lab,mjd_start,mjd_end,d,u_a,u_b,u_l_lab,u_l_tai,u,weight,note\n");
        for r in &sec3.rows {
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{},{},{},{},{},{}",
                csv_field(&r.standard),
                csv_field(&r.lab),
                r.mjd_start,
                r.mjd_end,
                opt_csv(r.d),
                opt_csv(r.u_a),
                opt_csv(r.u_b),
                opt_csv(r.u_l_lab),
                opt_csv(r.u_l_tai),
                opt_csv(r.u),
                opt_csv(r.weight),
                csv_field(r.note.as_deref().unwrap_or(""))
            );
        }
        let _ = writeln!(s, "{SECTION_MARK}5 time links used (ns)");
        s.push_str("lab,pivot,type,uA_ns,uB_ns\n");
        for r in &self.section5.rows {
            let _ = writeln!(
                s,
                "{},{},{},{:e},{:e}",
                csv_field(&r.lab),
                csv_field(&r.pivot),
                csv_field(r.kind.as_deref().unwrap_or("-")),
                r.ua_ns,
                r.ub_ns
            );
        }
        if let Some(l) = &self.leap_second {
            let _ = writeln!(
                s,
                "# leap_second mjd={} tai_minus_utc_s={} previous_s={}",
                l.mjd, l.tai_minus_utc_s, l.previous_s
            );
        }
        s
    }
}

/// "A positive leap second will be introduced at the end of 2016 December
/// 31; from 2017 January 1, 0h UTC, TAI-UTC = 37 s."
fn leap_sentence(l: &LeapNotice, last_mjd: Option<i64>) -> String {
    let end = Date::from_mjd(l.mjd - 1);
    let from = Date::from_mjd(l.mjd);
    let sign = if l.tai_minus_utc_s > l.previous_s {
        "positive"
    } else {
        "negative"
    };
    let tense = if last_mjd.is_some_and(|m| l.mjd <= m) {
        "was"
    } else {
        "will be"
    };
    format!(
        "Leap second: a {sign} leap second {tense} introduced at the end of {} {} {}; from {} {} {}, 0h UTC, TAI-UTC = {} s.",
        end.year,
        crate::algos::month_name(end.month),
        end.day,
        from.year,
        crate::algos::month_name(from.month),
        from.day,
        l.tai_minus_utc_s
    )
}

impl MonthResult {
    /// The month's Circular T (sections 1, 2, 3, 5 and the leap second).
    pub fn circular_t(&self) -> CircularT {
        let n = self.mjds.len();
        let f = &self.frequency;
        CircularT {
            section1: self.section1(),
            section2: Section2 {
                intervals: self
                    .mjds
                    .windows(2)
                    .map(|w| (w[0], w[1], f.eal_minus_tai))
                    .collect(),
                next: (self.mjds.last().copied().unwrap_or(0), f.eal_minus_tai_next),
            },
            section3: Section3 {
                period: (self.mjds[0], self.mjds[n - 1]),
                d: f.d,
                birge_ratio: f.birge_ratio,
                evaluations: f.evaluations,
                rows: self
                    .psfs
                    .iter()
                    .map(|p| Section3Row {
                        standard: p.standard.clone(),
                        lab: p.lab.clone(),
                        mjd_start: p.mjd_start,
                        mjd_end: p.mjd_end,
                        d: p.d,
                        u_a: p.u_a,
                        u_b: p.u_b,
                        u_l_lab: p.u_l_lab,
                        u_l_tai: p.u_l_tai,
                        u: p.u_total,
                        weight: p.weight,
                        note: p.unused_reason.clone(),
                    })
                    .collect(),
            },
            section5: Section5 {
                rows: self
                    .links
                    .iter()
                    .map(|l| Section5Row {
                        lab: l.lab.clone(),
                        pivot: l.pivot.clone(),
                        kind: l.kind.clone(),
                        ua_ns: l.ua_ns,
                        ub_ns: l.ub_ns,
                    })
                    .collect(),
            },
            leap_second: self.leap_second,
        }
    }
}

/// Splits one CSV line; fields may be double-quoted (with `""` for a quote).
fn split_csv(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    out.push(cur.trim().to_string());
    Some(out)
}
