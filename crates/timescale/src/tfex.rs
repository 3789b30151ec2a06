//! Reader for the BIPM Time and Frequency EXchange format (TFEX), the
//! proposed successor of the BIPM clock and link exchange files.
//!
//! What: a header of `#` lines holding TOML key/value pairs (TFEXVER,
//! MJDSTART, MJDSTOP, NDATA, SAMPLING_INTERVAL_s, REFPOINTS, COLUMNS,
//! CONSTANT_DELAYS, COMMENT, …), then white-space-separated data rows with
//! one field per entry of COLUMNS and `*` for a missing value (format as in
//! the BIPM UTClib test fixture `input.tfex`, TFEXVER 0.2).
//!
//! Why a small TOML reader of our own: the header uses only the TOML subset
//! of strings ('…', "…", """…"""), numbers, booleans, arrays and inline
//! tables, spread over `#` lines; a full TOML dependency would still need
//! the `#` stripping and could not report file lines. Every error names the
//! line.

use std::collections::BTreeMap;

/// A TOML value of the header.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// String.
    Str(String),
    /// Number.
    Num(f64),
    /// Boolean.
    Bool(bool),
    /// Array.
    Array(Vec<Value>),
    /// Inline table.
    Table(BTreeMap<String, Value>),
}

impl Value {
    /// The string, if a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(v) => Some(*v),
            _ => None,
        }
    }
}

/// One data column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Label (e.g. `MJD`, `SoD`, `delta_t`).
    pub label: String,
    /// Whether it is part of the time tag.
    pub timetag: bool,
    /// Unit (e.g. `si:nanosecond`).
    pub unit: Option<String>,
    /// Time scale of a time-tag column.
    pub scale: Option<String>,
    /// Trips (pairs of reference points) a measurement column relates.
    pub trip: Vec<String>,
}

/// A TFEX file.
#[derive(Debug, Clone, PartialEq)]
pub struct Tfex {
    /// TFEXVER.
    pub version: String,
    /// Every header key, in TOML form.
    pub header: BTreeMap<String, Value>,
    /// COLUMNS.
    pub columns: Vec<Column>,
    /// Data rows (None: `*`).
    pub rows: Vec<Vec<Option<f64>>>,
    /// Line of each data row.
    pub row_lines: Vec<usize>,
}

/// A file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct TfexError {
    /// File name as given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Header text with the line of each character.
struct Cursor<'a> {
    chars: Vec<(char, usize)>,
    pos: usize,
    file: &'a str,
}

impl Cursor<'_> {
    fn line(&self) -> usize {
        self.chars
            .get(self.pos)
            .or(self.chars.last())
            .map_or(1, |c| c.1)
    }

    fn err(&self, reason: impl Into<String>) -> TfexError {
        TfexError {
            file: self.file.to_string(),
            line: self.line(),
            reason: reason.into(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|c| c.0)
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i).map(|x| x.0) == Some(c))
    }

    /// Skips spaces; with `newlines` also line ends.
    fn skip(&mut self, newlines: bool) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn key(&mut self) -> Result<String, TfexError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.err("expected a key"));
        }
        Ok(self.chars[start..self.pos].iter().map(|c| c.0).collect())
    }

    fn value(&mut self, depth: usize) -> Result<Value, TfexError> {
        if depth > 32 {
            return Err(self.err("nesting too deep"));
        }
        self.skip(false);
        match self.peek() {
            None => Err(self.err("missing value")),
            Some('"') if self.starts_with("\"\"\"") => {
                self.pos += 3;
                let start = self.pos;
                while !self.starts_with("\"\"\"") {
                    if self.peek().is_none() {
                        return Err(self.err("unterminated \"\"\" string"));
                    }
                    self.pos += 1;
                }
                let s: String = self.chars[start..self.pos].iter().map(|c| c.0).collect();
                self.pos += 3;
                Ok(Value::Str(s.strip_prefix('\n').unwrap_or(&s).to_string()))
            }
            Some(q @ ('"' | '\'')) => {
                self.pos += 1;
                let start = self.pos;
                while self.peek() != Some(q) {
                    if matches!(self.peek(), None | Some('\n')) {
                        return Err(self.err("unterminated string"));
                    }
                    self.pos += 1;
                }
                let s = self.chars[start..self.pos].iter().map(|c| c.0).collect();
                self.pos += 1;
                Ok(Value::Str(s))
            }
            Some('[') => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip(true);
                    if self.peek() == Some(']') {
                        self.pos += 1;
                        return Ok(Value::Array(items));
                    }
                    items.push(self.value(depth + 1)?);
                    self.skip(true);
                    match self.peek() {
                        Some(',') => self.pos += 1,
                        Some(']') => {}
                        _ => return Err(self.err("expected ',' or ']' in array")),
                    }
                }
            }
            Some('{') => {
                self.pos += 1;
                let mut t = BTreeMap::new();
                loop {
                    self.skip(false);
                    if self.peek() == Some('}') {
                        self.pos += 1;
                        return Ok(Value::Table(t));
                    }
                    let k = self.key()?;
                    self.skip(false);
                    if self.peek() != Some('=') {
                        return Err(self.err(format!("expected '=' after {k:?}")));
                    }
                    self.pos += 1;
                    let v = self.value(depth + 1)?;
                    t.insert(k, v);
                    self.skip(false);
                    match self.peek() {
                        Some(',') => self.pos += 1,
                        Some('}') => {}
                        _ => return Err(self.err("expected ',' or '}' in inline table")),
                    }
                }
            }
            Some(_) => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, ',' | ']' | '}' | '\n' | ' ' | '\t' | '\r'))
                {
                    self.pos += 1;
                }
                let tok: String = self.chars[start..self.pos].iter().map(|c| c.0).collect();
                match tok.as_str() {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    _ => tok
                        .replace('_', "")
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .map(Value::Num)
                        .ok_or_else(|| self.err(format!("{tok:?} is not a TOML value"))),
                }
            }
        }
    }
}

impl Tfex {
    /// Reads a TFEX file.
    pub fn parse(file: &str, text: &str) -> Result<Tfex, TfexError> {
        let err = |line: usize, reason: String| TfexError {
            file: file.to_string(),
            line,
            reason,
        };
        let mut chars = Vec::new();
        let mut data_lines = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            if let Some(h) = raw.strip_prefix('#') {
                chars.extend(h.chars().map(|c| (c, line)));
                chars.push(('\n', line));
            } else if !raw.trim().is_empty() {
                data_lines.push((line, raw));
            }
        }
        let mut cur = Cursor {
            chars,
            pos: 0,
            file,
        };
        let mut header = BTreeMap::new();
        loop {
            cur.skip(true);
            if cur.peek().is_none() {
                break;
            }
            let k = cur.key()?;
            cur.skip(false);
            if cur.peek() != Some('=') {
                return Err(cur.err(format!("expected '=' after {k:?}")));
            }
            cur.pos += 1;
            let v = cur.value(0)?;
            cur.skip(false);
            if !matches!(cur.peek(), None | Some('\n')) {
                return Err(cur.err(format!("unexpected text after the value of {k:?}")));
            }
            if header.insert(k.clone(), v).is_some() {
                return Err(cur.err(format!("key {k:?} given twice")));
            }
        }
        let version = match header.get("TFEXVER") {
            Some(Value::Num(v)) => v.to_string(),
            Some(Value::Str(s)) => s.clone(),
            _ => return Err(err(1, "no TFEXVER in the header".into())),
        };
        let Some(Value::Array(cols)) = header.get("COLUMNS") else {
            return Err(err(1, "no COLUMNS array in the header".into()));
        };
        let mut columns = Vec::new();
        for c in cols {
            let Value::Table(t) = c else {
                return Err(err(1, "COLUMNS entries must be inline tables".into()));
            };
            let s = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_string);
            columns.push(Column {
                label: s("label").ok_or_else(|| err(1, "a column has no label".into()))?,
                timetag: matches!(t.get("timetag"), Some(Value::Bool(true))),
                unit: s("unit"),
                scale: s("scale"),
                trip: match t.get("trip") {
                    Some(Value::Array(a)) => a
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                },
            });
        }
        let mut rows = Vec::with_capacity(data_lines.len());
        let mut row_lines = Vec::with_capacity(data_lines.len());
        for (line, raw) in data_lines {
            let f: Vec<&str> = raw.split_whitespace().collect();
            if f.len() != columns.len() {
                return Err(err(
                    line,
                    format!("{} fields, expected {} (COLUMNS)", f.len(), columns.len()),
                ));
            }
            let row = f
                .iter()
                .zip(&columns)
                .map(|(v, c)| {
                    if *v == "*" {
                        return Ok(None);
                    }
                    v.parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .map(Some)
                        .ok_or_else(|| err(line, format!("{}: {v:?} is not a number", c.label)))
                })
                .collect::<Result<Vec<_>, _>>()?;
            rows.push(row);
            row_lines.push(line);
        }
        Ok(Tfex {
            version,
            header,
            columns,
            rows,
            row_lines,
        })
    }

    /// Values of one column (None where missing), if the column exists.
    pub fn column(&self, label: &str) -> Option<Vec<Option<f64>>> {
        let i = self.columns.iter().position(|c| c.label == label)?;
        Some(self.rows.iter().map(|r| r[i]).collect())
    }

    /// Time tags as fractional MJD, from an `MJD` column plus an optional
    /// `SoD` (seconds of day) column.
    pub fn epochs_mjd(&self) -> Option<Vec<Option<f64>>> {
        let mjd = self.column("MJD")?;
        let sod = self.column("SoD");
        Some(
            mjd.iter()
                .enumerate()
                .map(|(i, m)| {
                    let s = sod.as_ref().map_or(Some(0.0), |s| s[i]);
                    Some(m.as_ref()? + s? / 86_400.0)
                })
                .collect(),
        )
    }

    /// Differences between the header's declarations and the data: NDATA
    /// against the row count, missing values when MISSING_EPOCHS = false,
    /// and rows outside MJDSTART–MJDSTOP.
    pub fn check(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(n) = self.header.get("NDATA").and_then(Value::as_f64) {
            if n != self.rows.len() as f64 {
                out.push(format!(
                    "NDATA = {n} but the file has {} rows",
                    self.rows.len()
                ));
            }
        }
        if matches!(self.header.get("MISSING_EPOCHS"), Some(Value::Bool(false))) {
            for (r, line) in self.rows.iter().zip(&self.row_lines) {
                if r.iter().any(Option::is_none) {
                    out.push(format!(
                        "line {line}: missing value although MISSING_EPOCHS = false"
                    ));
                }
            }
        }
        let start = self.header.get("MJDSTART").and_then(Value::as_f64);
        let stop = self.header.get("MJDSTOP").and_then(Value::as_f64);
        if let (Some(a), Some(b), Some(ep)) = (start, stop, self.epochs_mjd()) {
            for (e, line) in ep.iter().zip(&self.row_lines) {
                if let Some(e) = e {
                    if *e < a || *e > b + 1.0 {
                        out.push(format!("line {line}: MJD {e} outside MJDSTART–MJDSTOP"));
                    }
                }
            }
        }
        out
    }
}
