//! BIPM Circular T: section 1 ([UTC − UTC(k)] at the 5-day dates with u_A,
//! u_B and u) as data, as text in the published column layout, and as CSV;
//! plus a text summary of the EAL/TAI frequency and PSFS evaluations.
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

use crate::algos::MonthResult;
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

/// Text summary of the EAL and TAI frequency and the PSFS evaluations of a
/// month (the content of Circular T sections 2–4, simplified).
pub fn render_frequency_text(m: &MonthResult) -> String {
    let mut s = String::new();
    // Rounded to the printed digits first, then `+ 0.0` turns a negative zero into 0: a tiny
    // negative value prints as 0.00, not -0.00.
    let e = |v: f64| format!("{:.2}e-15", (v * 1e17).round() / 100.0 + 0.0);
    let _ = writeln!(s);
    let _ = writeln!(s, "2 - Frequency of EAL and TAI");
    let _ = writeln!(
        s,
        "    f(EAL)-f(TAI) applied from MJD {} to {}: {}",
        m.mjds.first().copied().unwrap_or(0),
        m.mjds.last().copied().unwrap_or(0),
        e(m.frequency.eal_minus_tai)
    );
    match m.frequency.y_eal_month {
        Some((y, u)) => {
            let _ = write!(
                s,
                "    Frequency of EAL from PSFS this month: {} (u = {})",
                e(y),
                e(u)
            );
            if let Some(b) = m.frequency.birge_ratio {
                let _ = write!(s, ", Birge ratio {b:.2}");
            }
            let _ = writeln!(s);
        }
        None => {
            let _ = writeln!(s, "    No PSFS evaluation this month.");
        }
    }
    if let Some((d, u)) = m.frequency.d {
        let _ = writeln!(
            s,
            "    d (TAI scale interval - SI second, fractional): {} (u = {})",
            e(d),
            e(u)
        );
    }
    let _ = writeln!(
        s,
        "    f(EAL)-f(TAI) for the next month: {}",
        e(m.frequency.eal_minus_tai_next)
    );
    let _ = writeln!(
        s,
        "    {} clocks weighted, maximum relative weight A/N = {:.4}",
        m.weighted_clocks, m.max_relative_weight
    );
    if !m.steps.is_empty() {
        let _ = writeln!(s, "    Frequency steps detected:");
        for st in &m.steps {
            let _ = writeln!(
                s,
                "      {:<6} {:<12} before MJD {}: {} ({:.1} sigma)",
                st.lab,
                st.clock,
                st.mjd,
                e(st.size),
                st.significance
            );
        }
    }
    if !m.psfs.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(s, "3 - Primary and secondary frequency standards");
        let _ = writeln!(
            s,
            "    {:<16}{:<8}{:>7}{:>7}{:>12}{:>10}{:>12}{:>10}",
            "Standard", "Lab", "Start", "End", "y(UTC(k))", "u_y", "y(EAL)", "u"
        );
        for p in &m.psfs {
            let _ = write!(
                s,
                "    {:<16}{:<8}{:>7}{:>7}{:>12}{:>10}",
                p.standard,
                p.lab,
                p.mjd_start,
                p.mjd_end,
                e(p.y_lab),
                e(p.u_y)
            );
            match (p.y_eal, p.u_total) {
                (Some(y), Some(u)) => {
                    let _ = writeln!(s, "{:>12}{:>10}", e(y), e(u));
                }
                _ => {
                    let _ = writeln!(
                        s,
                        "  not used: {}",
                        p.unused_reason.as_deref().unwrap_or("")
                    );
                }
            }
        }
    }
    s
}
