//! Comparison data sets for analysis, from JSON, CSV or an Excel workbook, into one
//! [`ComparisonData`] whose [`ComparisonData::input`] is the analysis engine's
//! [`sevres_comparison::ComparisonInput`] (what `sevres comparison analyse FILE` feeds to
//! [`sevres_comparison::analyse`]).
//!
//! * JSON ([`import_json`]): the format of the project's test data — `id`, `unit`, `measurand`,
//!   `participants: [{lab, x, u, k?, U?, dof?, in_reference?, unit?}]`, `correlations` (a
//!   correlation matrix as an array of rows, `{"correlation": …}` or `{"covariance": …}`; `null`
//!   or a text note mean independent); other fields are ignored.
//! * CSV ([`import_csv`]) and Excel `.xlsx` ([`import_xlsx`]): one row per participant under a
//!   header row naming the columns (`lab`, `x`, `u`, and optionally `k`, `U`, `dof`,
//!   `in_reference`, `unit`; aliases such as `laboratory`, `value`, `expanded uncertainty` are
//!   accepted, `u` and `U` are told apart by case). The header may follow title rows (it is the
//!   first of the first 20 rows that names a lab and a value column); the table ends at the first
//!   empty row, so notes below it are ignored. CSV may use `,`, `;` or tab (detected from the
//!   header line); with `;` or tab, decimal commas (`2,99`) are read.
//!
//! Validation (the list of bad input): every number finite; `u`, `U`, `k`, `dof`
//! positive; at least two participants; distinct lab names; one unit (units that are the same
//! SI unit, `kBq` and `\kilo\becquerel`, agree); a correlation matrix square, symmetric, with a
//! unit diagonal, entries in [−1, 1] and positive definite (Cholesky). A missing `u` with `U` and
//! `k` given is taken as `U/k`, with a warning.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;
use sevres_comparison::{ComparisonInput, Dependence, Participant};

use super::{CsvLines, Warning, MAX_INPUT_BYTES};
use crate::id::{ComparisonId, IdError, InstituteCode};
use crate::model::{Date, ResultEntry};
use crate::unit::Unit;

/// At most this many participant rows are read.
const MAX_ROWS: usize = 100_000;
/// The header row is searched in the first rows.
const HEADER_SEARCH: usize = 20;

/// Why a data set could not be imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// Larger than [`MAX_INPUT_BYTES`].
    #[error("input of {0} bytes exceeds the limit")]
    TooLarge(usize),
    /// Not JSON, or not the expected structure.
    #[error("JSON line {line}, column {column}: {message}")]
    Json {
        /// Line (1-based; 0 when not known).
        line: usize,
        /// Column (1-based; 0 when not known).
        column: usize,
        /// The reason.
        message: String,
    },
    /// A CSV syntax error.
    #[error("CSV line {line}: {message}")]
    Csv {
        /// Line (1-based).
        line: u64,
        /// The reason.
        message: String,
    },
    /// The workbook cannot be read.
    #[error("workbook: {0}")]
    Workbook(String),
    /// No header row naming the required columns.
    #[error(
        "no header row with a '{0}' column (expected lab, x, u[, k, U, dof, in_reference, unit])"
    )]
    MissingColumn(&'static str),
    /// A field that is missing or not what it should be.
    #[error("{at}: {message}")]
    Invalid {
        /// Where (`line 3, column u`, `Sheet1!C4`, `participants[2].u`).
        at: String,
        /// The reason.
        message: String,
    },
    /// A number that is NaN or infinite.
    #[error("{at}: {field} of {lab} is not a finite number ({value})")]
    NonFinite {
        /// Where.
        at: String,
        /// Participant.
        lab: String,
        /// Field.
        field: &'static str,
        /// The value as read.
        value: String,
    },
    /// An uncertainty, coverage factor or degrees of freedom that is zero or negative.
    #[error("{at}: {field} of {lab} must be positive, got {value}")]
    NonPositive {
        /// Where.
        at: String,
        /// Participant.
        lab: String,
        /// Field.
        field: &'static str,
        /// The value.
        value: f64,
    },
    /// The same lab twice.
    #[error("{at}: participant {lab} appears twice")]
    DuplicateLab {
        /// Where.
        at: String,
        /// Participant.
        lab: String,
    },
    /// Fewer than two participants.
    #[error("{found} participant(s); a comparison needs at least two")]
    TooFewParticipants {
        /// How many were found.
        found: usize,
    },
    /// Results in different units.
    #[error("{at}: unit {found:?} differs from {expected:?}")]
    InconsistentUnits {
        /// Where.
        at: String,
        /// The unit of the data set (or first row).
        expected: String,
        /// This row's unit.
        found: String,
    },
    /// A malformed correlation or covariance matrix.
    #[error("{what} matrix: {message}")]
    Matrix {
        /// `correlation` or `covariance`.
        what: &'static str,
        /// The reason.
        message: String,
    },
    /// The correlation matrix is not positive definite.
    #[error("{what} matrix is not positive definite (fails at row {index}, participant {lab})")]
    NotPositiveDefinite {
        /// `correlation` or `covariance`.
        what: &'static str,
        /// Row (0-based) where the Cholesky factorisation fails.
        index: usize,
        /// That participant.
        lab: String,
    },
}

/// A data set ready for analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonData {
    /// The data set's identifier as given (a comparison identifier or any label).
    pub id: String,
    /// The measurand in words, if given.
    pub measurand: Option<String>,
    /// The unit as written, if given.
    pub unit_text: Option<String>,
    /// The unit, when `sevres-si` reads it (`1e-11 m^3 kg^-1 s^-2` or `arbitrary` is kept as
    /// text only, with a warning).
    pub unit: Option<Unit>,
    /// Participants and dependence, validated, in input order.
    pub input: ComparisonInput,
    /// What was repaired or ignored.
    pub warnings: Vec<Warning>,
}

impl ComparisonData {
    /// The identifier as a KCDB comparison identifier (data sets may use other labels).
    pub fn comparison_id(&self) -> Result<ComparisonId, IdError> {
        ComparisonId::parse(&self.id)
    }

    /// The participants' results as result entries of `comparison` / `measurand`.
    pub fn results(
        &self,
        comparison: &ComparisonId,
        measurand: &str,
        submitted_by: &str,
        date: Date,
    ) -> Result<Vec<ResultEntry>, DataError> {
        self.input
            .participants
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let institute = InstituteCode::parse(&p.lab).map_err(|e| DataError::Invalid {
                    at: format!("participant {}", i + 1),
                    message: format!("lab {:?}: {e}", p.lab),
                })?;
                Ok(ResultEntry {
                    comparison: comparison.clone(),
                    measurand: measurand.to_string(),
                    institute,
                    value: p.x,
                    standard_uncertainty: p.u,
                    coverage_factor: p.k,
                    expanded_uncertainty: p.expanded_u,
                    dof: p.dof,
                    in_reference: p.in_reference,
                    submitted_by: submitted_by.to_string(),
                    date,
                })
            })
            .collect()
    }
}

/// A cell or field value before interpretation.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
}

/// One participant's fields as read, with where they came from.
struct RawRow {
    at: String,
    lab: String,
    x: Cell,
    u: Cell,
    k: Cell,
    expanded: Cell,
    dof: Cell,
    in_reference: Cell,
    unit: Cell,
    /// Field locations (for messages): x, u, k, U, dof, in_reference, unit.
    field_at: [String; 7],
}

fn parse_number(text: &str, decimal_comma: bool) -> Option<f64> {
    let t = text.trim();
    let v = t.parse::<f64>().ok().or_else(|| {
        (decimal_comma && t.matches(',').count() == 1 && !t.contains('.'))
            .then(|| t.replace(',', ".").parse::<f64>().ok())
            .flatten()
    })?;
    // Refuse "nan"/"inf" spellings as numbers only via the finiteness check later.
    Some(v)
}

struct Builder {
    decimal_comma: bool,
    warnings: Vec<Warning>,
}

impl Builder {
    /// A number field: `Ok(None)` when empty.
    fn number(
        &self,
        cell: &Cell,
        at: &str,
        lab: &str,
        field: &'static str,
        positive: bool,
    ) -> Result<Option<f64>, DataError> {
        let v = match cell {
            Cell::Empty => return Ok(None),
            Cell::Number(v) => *v,
            Cell::Text(t) if t.trim().is_empty() => return Ok(None),
            Cell::Text(t) => match parse_number(t, self.decimal_comma) {
                Some(v) => v,
                None => {
                    return Err(DataError::Invalid {
                        at: at.to_string(),
                        message: format!("{field} of {lab}: {t:?} is not a number"),
                    })
                }
            },
            Cell::Bool(b) => {
                return Err(DataError::Invalid {
                    at: at.to_string(),
                    message: format!("{field} of {lab}: {b} is not a number"),
                })
            }
        };
        if !v.is_finite() {
            return Err(DataError::NonFinite {
                at: at.to_string(),
                lab: lab.to_string(),
                field,
                value: v.to_string(),
            });
        }
        if positive && v <= 0.0 {
            return Err(DataError::NonPositive {
                at: at.to_string(),
                lab: lab.to_string(),
                field,
                value: v,
            });
        }
        Ok(Some(v))
    }

    fn boolean(&self, cell: &Cell, at: &str, lab: &str) -> Result<bool, DataError> {
        match cell {
            Cell::Empty => Ok(true),
            Cell::Bool(b) => Ok(*b),
            Cell::Number(v) if *v == 1.0 => Ok(true),
            Cell::Number(v) if *v == 0.0 => Ok(false),
            Cell::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
                "" | "true" | "yes" | "y" | "1" | "x" => Ok(true),
                "false" | "no" | "n" | "0" => Ok(false),
                other => Err(DataError::Invalid {
                    at: at.to_string(),
                    message: format!("in_reference of {lab}: {other:?} is not yes/no"),
                }),
            },
            Cell::Number(v) => Err(DataError::Invalid {
                at: at.to_string(),
                message: format!("in_reference of {lab}: {v} is not 0 or 1"),
            }),
        }
    }

    /// Reads a unit text; `Ok(None)` when empty.
    fn unit(&mut self, text: &str, at: &str) -> Result<Option<Unit>, DataError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        match Unit::normalise(text) {
            Ok((u, _)) => Ok(Some(u)),
            Err(e) => Err(DataError::Invalid {
                at: at.to_string(),
                message: e.to_string(),
            }),
        }
    }

    fn build(
        mut self,
        id: String,
        measurand: Option<String>,
        unit_text: Option<String>,
        rows: Vec<RawRow>,
        dependence: Option<Dependence>,
    ) -> Result<ComparisonData, DataError> {
        let mut unit = None;
        if let Some(t) = unit_text.as_deref().filter(|t| !t.trim().is_empty()) {
            match Unit::normalise(t) {
                Ok((u, _)) => unit = Some(u),
                Err(e) => self.warnings.push(Warning {
                    at: "unit".into(),
                    message: format!("{e}; kept as text, units of rows not checked against it"),
                }),
            }
        }
        // Units of rows must agree with the data set's unit, or with the first row's.
        let mut reference: Option<(Unit, String)> =
            unit.clone().map(|u| (u, "the data set".to_string()));
        let mut participants: Vec<Participant> = Vec::with_capacity(rows.len());
        for row in &rows {
            let lab = row.lab.trim().to_string();
            let [x_at, u_at, k_at, big_u_at, dof_at, ref_at, unit_at] = &row.field_at;
            if lab.is_empty() {
                return Err(DataError::Invalid {
                    at: row.at.clone(),
                    message: "empty lab name".into(),
                });
            }
            if participants.iter().any(|p| *p.lab == *lab) {
                return Err(DataError::DuplicateLab {
                    at: row.at.clone(),
                    lab,
                });
            }
            let Some(x) = self.number(&row.x, x_at, &lab, "x", false)? else {
                return Err(DataError::Invalid {
                    at: x_at.clone(),
                    message: format!("no value x for {lab}"),
                });
            };
            let k = self.number(&row.k, k_at, &lab, "k", true)?;
            let expanded_u = self.number(&row.expanded, big_u_at, &lab, "U", true)?;
            let u = match (self.number(&row.u, u_at, &lab, "u", true)?, expanded_u, k) {
                (Some(u), big, Some(k)) => {
                    if let Some(big) = big {
                        if (big - k * u).abs() > 0.01 * big {
                            self.warnings.push(Warning {
                                at: row.at.clone(),
                                message: format!(
                                    "{lab}: U = {big} differs from k·u = {} by more than 1 %",
                                    k * u
                                ),
                            });
                        }
                    }
                    u
                }
                (Some(u), _, None) => u,
                (None, Some(big), Some(k)) => {
                    self.warnings.push(Warning {
                        at: row.at.clone(),
                        message: format!("{lab}: no u; taken as U/k = {}", big / k),
                    });
                    big / k
                }
                (None, _, _) => {
                    return Err(DataError::Invalid {
                        at: u_at.clone(),
                        message: format!("no standard uncertainty u (nor U and k) for {lab}"),
                    })
                }
            };
            let dof = self.number(&row.dof, dof_at, &lab, "dof", true)?;
            let in_reference = self.boolean(&row.in_reference, ref_at, &lab)?;
            let row_unit_text = match &row.unit {
                Cell::Text(t) => t.clone(),
                Cell::Number(v) => v.to_string(),
                Cell::Empty | Cell::Bool(_) => String::new(),
            };
            if let Some(ru) = self.unit(&row_unit_text, unit_at)? {
                match &reference {
                    Some((expected, _)) if !ru.same_as(expected) => {
                        return Err(DataError::InconsistentUnits {
                            at: unit_at.clone(),
                            expected: expected.to_notation(sevres_si::Notation::Si),
                            found: row_unit_text.trim().to_string(),
                        })
                    }
                    Some(_) => {}
                    None => reference = Some((ru, row.at.clone())),
                }
            }
            participants.push(Participant {
                lab: lab.into(),
                x,
                u,
                k,
                expanded_u,
                dof,
                in_reference,
            });
        }
        if participants.len() < 2 {
            return Err(DataError::TooFewParticipants {
                found: participants.len(),
            });
        }
        if let Some(dep) = &dependence {
            check_dependence(dep, &participants)?;
        }
        let unit = unit.or_else(|| reference.map(|(u, _)| u));
        Ok(ComparisonData {
            id,
            measurand,
            unit_text,
            unit,
            input: ComparisonInput {
                participants,
                dependence,
            },
            warnings: self.warnings,
        })
    }
}

/// Shape, symmetry, range and positive definiteness of a dependence matrix.
fn check_dependence(dep: &Dependence, participants: &[Participant]) -> Result<(), DataError> {
    let (what, rows) = match dep {
        Dependence::Correlation(m) => ("correlation", m),
        Dependence::Covariance(m) => ("covariance", m),
    };
    let n = participants.len();
    let err = |message: String| DataError::Matrix { what, message };
    if rows.len() != n || rows.iter().any(|r| r.len() != n) {
        return Err(err(format!(
            "must be {n}×{n} (one row and column per participant, in order)"
        )));
    }
    let mut r = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            let v = rows[i][j];
            if !v.is_finite() {
                return Err(err(format!("entry ({}, {}) is not finite", i + 1, j + 1)));
            }
            let w = rows[j][i];
            if (v - w).abs() > 1e-12 * v.abs().max(w.abs()) {
                return Err(err(format!(
                    "not symmetric at ({}, {}): {v} ≠ {w}",
                    i + 1,
                    j + 1
                )));
            }
            let ui = participants[i].u;
            let uj = participants[j].u;
            let rho = match dep {
                Dependence::Correlation(_) => v,
                Dependence::Covariance(_) => v / (ui * uj),
            };
            if i == j && (rho - 1.0).abs() > 1e-9 {
                return Err(err(format!(
                    "diagonal entry {} is {v}, expected {}",
                    i + 1,
                    match dep {
                        Dependence::Correlation(_) => 1.0,
                        Dependence::Covariance(_) => ui * ui,
                    }
                )));
            }
            if !(-1.0..=1.0).contains(&rho) && i != j {
                return Err(err(format!(
                    "correlation ({}, {}) = {rho} is outside [-1, 1]",
                    i + 1,
                    j + 1
                )));
            }
            r[i][j] = if i == j { 1.0 } else { rho };
        }
    }
    // Cholesky factorisation R = L Lᵀ; a pivot ≤ 1e-12 means not (numerically) positive definite.
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|m| l[i][m] * l[j][m]).sum();
            if i == j {
                let d = r[i][i] - s;
                if d <= 1e-12 {
                    return Err(DataError::NotPositiveDefinite {
                        what,
                        index: i,
                        lab: participants[i].lab.to_string(),
                    });
                }
                l[i][i] = d.sqrt();
            } else {
                l[i][j] = (r[i][j] - s) / l[j][j];
            }
        }
    }
    Ok(())
}

fn json_cell(v: Option<&Value>) -> Cell {
    match v {
        None | Some(Value::Null) => Cell::Empty,
        Some(Value::Number(n)) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Some(Value::String(s)) => Cell::Text(s.clone()),
        Some(Value::Bool(b)) => Cell::Bool(*b),
        Some(other) => Cell::Text(other.to_string()),
    }
}

fn json_matrix(v: &Value, what: &'static str) -> Result<Vec<Vec<f64>>, DataError> {
    let bad = || DataError::Matrix {
        what,
        message: "expected an array of rows of numbers".into(),
    };
    v.as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|row| {
            row.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(|x| x.as_f64().ok_or_else(bad))
                .collect()
        })
        .collect()
}

/// Imports the JSON data-set format (see the module documentation).
pub fn import_json(text: &str) -> Result<ComparisonData, DataError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(DataError::TooLarge(text.len()));
    }
    let root: Value = serde_json::from_str(text).map_err(|e| DataError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let structure = |message: &str| DataError::Json {
        line: 0,
        column: 0,
        message: message.to_string(),
    };
    let obj = root
        .as_object()
        .ok_or_else(|| structure("the document must be an object with 'participants'"))?;
    let text_field = |name: &str| -> Result<Option<String>, DataError> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(structure(&format!("'{name}' must be a string"))),
        }
    };
    let id = text_field("id")?.unwrap_or_default();
    let measurand = text_field("measurand")?;
    let unit_text = text_field("unit")?;
    let list = obj
        .get("participants")
        .and_then(Value::as_array)
        .ok_or_else(|| structure("'participants' must be an array"))?;
    if list.len() > MAX_ROWS {
        return Err(structure("too many participants"));
    }
    let mut rows = Vec::with_capacity(list.len());
    for (i, p) in list.iter().enumerate() {
        let at = format!("participants[{i}]");
        let p = p.as_object().ok_or_else(|| DataError::Invalid {
            at: at.clone(),
            message: "must be an object".into(),
        })?;
        let lab = match p.get("lab") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                return Err(DataError::Invalid {
                    at,
                    message: "no 'lab' string".into(),
                })
            }
        };
        let f = |name: &str| json_cell(p.get(name));
        let fat = |name: &str| format!("{at}.{name}");
        rows.push(RawRow {
            lab,
            x: f("x"),
            u: f("u"),
            k: f("k"),
            expanded: f("U"),
            dof: f("dof"),
            in_reference: f("in_reference"),
            unit: f("unit"),
            field_at: [
                fat("x"),
                fat("u"),
                fat("k"),
                fat("U"),
                fat("dof"),
                fat("in_reference"),
                fat("unit"),
            ],
            at,
        });
    }
    let mut warnings = Vec::new();
    let dependence = match obj.get("correlations") {
        None | Some(Value::Null) => None,
        Some(Value::String(note)) => {
            warnings.push(Warning {
                at: "correlations".into(),
                message: format!(
                    "text note, not a matrix; participants taken as independent: {note:?}"
                ),
            });
            None
        }
        Some(v @ Value::Array(_)) => Some(Dependence::Correlation(json_matrix(v, "correlation")?)),
        Some(Value::Object(o)) => {
            match (o.get("correlation"), o.get("covariance")) {
                (Some(m), None) => Some(Dependence::Correlation(json_matrix(m, "correlation")?)),
                (None, Some(m)) => Some(Dependence::Covariance(json_matrix(m, "covariance")?)),
                _ => return Err(structure(
                    "'correlations' object must have exactly one of 'correlation' or 'covariance'",
                )),
            }
        }
        Some(_) => {
            return Err(structure(
                "'correlations' must be a matrix, an object or null",
            ))
        }
    };
    Builder {
        decimal_comma: false,
        warnings,
    }
    .build(id, measurand, unit_text, rows, dependence)
}

/// The columns a table may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Lab,
    X,
    U,
    K,
    Expanded,
    Dof,
    InReference,
    Unit,
}

fn column_of(header: &str) -> Option<Column> {
    let h = header.trim();
    // `u` and `U` are different quantities: decide on case first.
    match h {
        "U" | "U(x)" | "U_i" => return Some(Column::Expanded),
        "u" | "u(x)" | "u_i" => return Some(Column::U),
        _ => {}
    }
    let lower = h.to_lowercase().replace(['_', '-'], " ");
    Some(match lower.as_str() {
        "lab" | "laboratory" | "institute" | "nmi" | "participant" | "acronym" => Column::Lab,
        "x" | "value" | "result" | "x i" | "measured value" => Column::X,
        "ux" | "standard uncertainty" | "std uncertainty" | "uncertainty" => Column::U,
        "k" | "coverage factor" => Column::K,
        "expanded uncertainty" => Column::Expanded,
        "dof" | "nu" | "ν" | "df" | "degrees of freedom" | "veff" => Column::Dof,
        "in reference" | "in kcrv" | "include" | "included" | "in ref" => Column::InReference,
        "unit" | "units" => Column::Unit,
        _ => return None,
    })
}

/// Turns rows of cells (with a function naming a cell's place) into a data set.
fn from_table(
    id: &str,
    rows: Vec<(usize, Vec<Cell>)>,
    place: impl Fn(usize, usize) -> String,
    row_place: impl Fn(usize) -> String,
    decimal_comma: bool,
) -> Result<ComparisonData, DataError> {
    let is_empty = |cells: &[Cell]| {
        cells.iter().all(|c| match c {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        })
    };
    let header_text = |c: &Cell| match c {
        Cell::Text(t) => t.clone(),
        Cell::Number(v) => v.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Empty => String::new(),
    };
    let header_index = rows.iter().take(HEADER_SEARCH).position(|(_, cells)| {
        let cols: Vec<_> = cells.iter().map(|c| column_of(&header_text(c))).collect();
        cols.contains(&Some(Column::Lab)) && cols.contains(&Some(Column::X))
    });
    let Some(header_index) = header_index else {
        let any = rows.iter().take(HEADER_SEARCH).any(|(_, cells)| {
            cells
                .iter()
                .any(|c| column_of(&header_text(c)) == Some(Column::Lab))
        });
        return Err(DataError::MissingColumn(if any { "x" } else { "lab" }));
    };
    let (header_row, header) = &rows[header_index];
    let mut warnings = Vec::new();
    let mut columns: Vec<(Column, usize)> = Vec::new();
    for (i, c) in header.iter().enumerate() {
        let name = header_text(c);
        match column_of(&name) {
            Some(col) if columns.iter().any(|(c, _)| *c == col) => warnings.push(Warning {
                at: place(*header_row, i),
                message: format!("second {col:?} column {name:?} ignored"),
            }),
            Some(col) => columns.push((col, i)),
            None if name.trim().is_empty() => {}
            None => warnings.push(Warning {
                at: place(*header_row, i),
                message: format!("column {name:?} ignored"),
            }),
        }
    }
    let index = |col: Column| columns.iter().find(|(c, _)| *c == col).map(|(_, i)| *i);
    let has_u = index(Column::U).is_some();
    if !has_u && (index(Column::Expanded).is_none() || index(Column::K).is_none()) {
        return Err(DataError::MissingColumn("u"));
    }
    let mut raw = Vec::new();
    for (row, cells) in rows.iter().skip(header_index + 1) {
        if is_empty(cells) {
            if raw.is_empty() {
                continue;
            }
            break;
        }
        if raw.len() >= MAX_ROWS {
            return Err(DataError::Invalid {
                at: row_place(*row),
                message: format!("more than {MAX_ROWS} rows"),
            });
        }
        let get = |col: Column| {
            index(col)
                .and_then(|i| cells.get(i).cloned())
                .unwrap_or(Cell::Empty)
        };
        let at_of = |col: Column| index(col).map_or_else(|| row_place(*row), |i| place(*row, i));
        raw.push(RawRow {
            at: row_place(*row),
            lab: header_text(&get(Column::Lab)),
            x: get(Column::X),
            u: get(Column::U),
            k: get(Column::K),
            expanded: get(Column::Expanded),
            dof: get(Column::Dof),
            in_reference: get(Column::InReference),
            unit: get(Column::Unit),
            field_at: [
                at_of(Column::X),
                at_of(Column::U),
                at_of(Column::K),
                at_of(Column::Expanded),
                at_of(Column::Dof),
                at_of(Column::InReference),
                at_of(Column::Unit),
            ],
        });
    }
    Builder {
        decimal_comma,
        warnings,
    }
    .build(id.to_string(), None, None, raw, None)
}

/// Imports a CSV table of results (one row per participant; see the module documentation).
/// `id` labels the data set (e.g. the file name or comparison identifier).
pub fn import_csv(id: &str, text: &str) -> Result<ComparisonData, DataError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(DataError::TooLarge(text.len()));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The delimiter is the one under which a header row is found; candidates are tried from
    // the most to the least frequent in the first lines.
    let head: String = text.lines().take(HEADER_SEARCH).collect();
    let mut candidates = [b',', b';', b'\t'];
    candidates.sort_by_key(|d| std::cmp::Reverse(head.bytes().filter(|b| b == d).count()));
    let mut first_error = None;
    for delimiter in candidates {
        match csv_with(id, text, delimiter) {
            Err(e @ DataError::MissingColumn(_)) => {
                first_error.get_or_insert(e);
            }
            other => return other,
        }
    }
    Err(first_error.unwrap_or(DataError::MissingColumn("lab")))
}

fn csv_with(id: &str, text: &str, delimiter: u8) -> Result<ComparisonData, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let lines = CsvLines::new(text);
    let mut rows: Vec<(usize, Vec<Cell>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| DataError::Csv {
            line: lines.locate(e.position()).0 as u64,
            message: e.to_string(),
        })?;
        if rows.len() > MAX_ROWS + HEADER_SEARCH {
            break;
        }
        let (line, after_empty) = lines.locate(record.position());
        if after_empty && !rows.is_empty() {
            // Empty lines end the table: put one back.
            rows.push((line - 1, Vec::new()));
        }
        let cells = record
            .iter()
            .map(|f| {
                if f.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(f.to_string())
                }
            })
            .collect();
        rows.push((line, cells));
    }
    from_table(
        id,
        rows,
        |line, col| format!("line {line}, field {}", col + 1),
        |line| format!("line {line}"),
        delimiter != b',',
    )
}

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
fn column_name(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Imports an Excel `.xlsx` workbook: the first worksheet with a header row (see the module
/// documentation). `id` labels the data set.
pub fn import_xlsx(id: &str, bytes: &[u8]) -> Result<ComparisonData, DataError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(DataError::TooLarge(bytes.len()));
    }
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| DataError::Workbook(e.to_string()))?;
    let mut last_error = DataError::MissingColumn("lab");
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| DataError::Workbook(format!("sheet {name:?}: {e}")))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (r, cells) in range.rows().enumerate().take(MAX_ROWS + HEADER_SEARCH) {
            let cells = cells
                .iter()
                .map(|c| match c {
                    Data::Empty => Cell::Empty,
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Bool(b) => Cell::Bool(*b),
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                        Cell::Text(s.clone())
                    }
                    Data::DateTime(d) => Cell::Text(d.to_string()),
                    Data::Error(e) => Cell::Text(format!("#{e:?}")),
                })
                .collect();
            rows.push((row0 as usize + r, cells));
        }
        let col0 = col0 as usize;
        let sheet = name.clone();
        let sheet2 = name.clone();
        match from_table(
            id,
            rows,
            move |row, col| format!("{sheet}!{}{}", column_name(col0 + col), row + 1),
            move |row| format!("{sheet2}!row {}", row + 1),
            true,
        ) {
            Ok(data) => return Ok(data),
            Err(e @ DataError::MissingColumn(_)) => last_error = e,
            Err(e) => return Err(e),
        }
    }
    Err(last_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
    }

    #[test]
    fn decimal_comma_only_when_unambiguous() {
        assert_eq!(parse_number("2,99", true), Some(2.99));
        assert_eq!(parse_number("2,99", false), None);
        assert_eq!(parse_number("1,000.5", true), None);
    }
}
