//! Importers: KCDB 2.0 API JSON (a page of results, a list or one record) and CSV.
//!
//! The JSON record is the element of `data` in the answer of `POST /api/kcdb/cmc/searchData/...`
//! and `.../quickSearch`: `kcdbCode`, `domainCode`, `metrologyAreaLabel`, `rmo`, `countryValue`,
//! `nmiCode`, `nmiName`, `branchValue`, `serviceValue`, `subServiceValue`,
//! `individualServiceValue`, `quantityValue`, `instrument`, `instrumentMethod`, `cmc` and
//! `cmcUncertainty` (`{lowerLimit, upperLimit, unit}`), `confidenceLevel`, `coverageFactor`,
//! `uncertaintyMode`, `uncertaintyEquation` (`{equation, equationComment}`),
//! `uncertaintyTable` (`{tableName, tableRows, tableCols, tableComment, tableContents}`),
//! `parameters` (`[{parameterName, parameterValue}]`), `status`, `statusDate`, `approvalDate`,
//! `publicationDate`, `comments`, ... (field names as the API spells them). A nested
//! `classifications` object (`branch`, `service`, `subService`, `individualService`) and a
//! `comparisons` list (strings or objects with an `identifier`) are read too. Fields not
//! modelled go to [`Cmc::extra`] unchanged.
//!
//! CSV has one row per CMC with a header; columns are matched by name ignoring case and
//! punctuation, so `kcdbCode`, `kcdb_code` and `KCDB code` are the same column. The columns of
//! [`crate::export::to_csv`] are read back exactly; `instrument_or_quantity` (the column of the
//! shared test file) is read as the instrument.
//!
//! A record without a valid KCDB code is rejected ([`Rejected`], naming the record, the CSV
//! line and the reason); a field that cannot be read (a date, a number, the mode) is dropped
//! with a [`Warning`]; the others are kept. Malformed JSON or CSV is an [`ImportError`] with
//! its line and column. Units and equations are not judged here: [`Cmc::capability`] does.

use serde_json::{Map, Value};

use crate::model::{
    Classification, Cmc, Date, Domain, EquationText, Institute, KcdbCode, Parameter, Range,
    UncertaintyMode, UncertaintyTable,
};

/// Why a whole input could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// Malformed JSON.
    #[error("JSON at line {line}, column {column}: {message}")]
    Json {
        /// Line (1-based).
        line: usize,
        /// Column (1-based).
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// JSON that is not a page, a list or a record.
    #[error("expected a KCDB result page (an object with 'data'), a list of records or a record; found {0}")]
    Shape(&'static str),
    /// Malformed CSV.
    #[error("CSV at line {line}: {message}")]
    Csv {
        /// Line (1-based).
        line: u64,
        /// The reader's message.
        message: String,
    },
    /// The CSV has no KCDB code column.
    #[error("CSV has no KCDB code column (kcdbCode)")]
    NoCodeColumn,
}

/// A field dropped from a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Index of the record (0-based) in the input.
    pub record: usize,
    /// Its KCDB code.
    pub kcdb_code: String,
    /// The field (API name).
    pub field: String,
    /// What was wrong.
    pub message: String,
}

/// A record that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Index of the record (0-based) in the input.
    pub record: usize,
    /// For CSV, the line (1-based).
    pub line: Option<u64>,
    /// The field at fault.
    pub field: String,
    /// Why.
    pub reason: String,
}

/// The result of an import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Import {
    /// The CMCs read.
    pub cmcs: Vec<Cmc>,
    /// Fields dropped.
    pub warnings: Vec<Warning>,
    /// Records not imported.
    pub rejected: Vec<Rejected>,
    /// For a result page, `totalElements` (the number of CMCs of the whole search).
    pub total_elements: Option<u64>,
}

/// Reads KCDB 2.0 API JSON: a result page (`{"data": [...], "totalElements": ...}`), a list of
/// records, or one record.
pub fn import_json(text: &str) -> Result<Import, ImportError> {
    let value: Value = serde_json::from_str(text).map_err(|e| ImportError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let mut import = Import::default();
    let records: Vec<Value> = match value {
        Value::Array(a) => a,
        Value::Object(mut o) => {
            if let Some(data) = o.remove("data") {
                import.total_elements = o.get("totalElements").and_then(Value::as_u64);
                match data {
                    Value::Array(a) => a,
                    Value::Null => Vec::new(),
                    other => return Err(ImportError::Shape(kind(&other))),
                }
            } else if o.contains_key("kcdbCode") {
                vec![Value::Object(o)]
            } else {
                return Err(ImportError::Shape("an object without 'data' or 'kcdbCode'"));
            }
        }
        other => return Err(ImportError::Shape(kind(&other))),
    };
    for (i, r) in records.into_iter().enumerate() {
        read_record(i, None, r, &mut import);
    }
    Ok(import)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Reads one record into `import`.
fn read_record(index: usize, line: Option<u64>, record: Value, import: &mut Import) {
    let Value::Object(mut o) = record else {
        import.rejected.push(Rejected {
            record: index,
            line,
            field: String::new(),
            reason: format!("a record must be an object, found {}", kind(&record)),
        });
        return;
    };
    let code_text = take_string(&mut o, "kcdbCode");
    let code = match KcdbCode::parse(code_text.trim()) {
        Ok(c) => c,
        Err(e) => {
            import.rejected.push(Rejected {
                record: index,
                line,
                field: "kcdbCode".into(),
                reason: if code_text.is_empty() {
                    "missing".into()
                } else {
                    e.to_string()
                },
            });
            return;
        }
    };
    let mut r = Reader {
        index,
        code: code.as_str().to_string(),
        warnings: Vec::new(),
    };
    let mut c = Cmc::new(code);
    c.id = match o.remove("id") {
        None | Some(Value::Null) => None,
        Some(v) => match &v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .or_else(|| {
            r.warn("id", format!("not a document id: {v}"));
            None
        }),
    };
    let domain = take_string(&mut o, "domainCode");
    if !domain.is_empty() {
        match domain.parse::<Domain>() {
            Ok(d) => c.domain = Some(d),
            Err(e) => r.warn("domainCode", e),
        }
    }
    let area = take_string(&mut o, "metrologyAreaLabel");
    if !area.is_empty() {
        c.metrology_area = area;
    }
    let rmo = take_string(&mut o, "rmo");
    if !rmo.is_empty() {
        c.rmo = rmo;
    }
    c.country = take_string(&mut o, "countryValue");
    c.institute = Institute {
        code: take_string(&mut o, "nmiCode"),
        name: take_string(&mut o, "nmiName"),
    };
    c.classification = Classification {
        branch: take_string(&mut o, "branchValue"),
        service: take_string(&mut o, "serviceValue"),
        sub_service: take_string(&mut o, "subServiceValue"),
        individual_service: take_string(&mut o, "individualServiceValue"),
    };
    if let Some(Value::Object(mut cl)) = o.remove("classifications") {
        let mut get = |keys: [&str; 2], slot: &mut String| {
            if slot.is_empty() {
                for k in keys {
                    let v = match cl.remove(k) {
                        Some(Value::Object(mut inner)) => take_string(&mut inner, "value"),
                        Some(v) => string_of(v),
                        None => String::new(),
                    };
                    if !v.is_empty() {
                        *slot = v;
                        break;
                    }
                }
            }
        };
        get(["branch", "branchValue"], &mut c.classification.branch);
        get(["service", "serviceValue"], &mut c.classification.service);
        get(
            ["subService", "subServiceValue"],
            &mut c.classification.sub_service,
        );
        get(
            ["individualService", "individualServiceValue"],
            &mut c.classification.individual_service,
        );
    }
    c.quantity = take_string(&mut o, "quantityValue");
    c.instrument = take_string(&mut o, "instrument");
    if c.instrument.is_empty() {
        c.instrument = take_string(&mut o, "instrumentOrQuantity");
    }
    c.instrument_method = take_string(&mut o, "instrumentMethod");
    c.measurand = r.range(&mut o, "cmc");
    c.uncertainty.limits = r.range(&mut o, "cmcUncertainty");
    c.uncertainty.confidence_level = r.number(&mut o, "confidenceLevel");
    c.uncertainty.coverage_factor = r.number(&mut o, "coverageFactor");
    let mode = take_string(&mut o, "uncertaintyMode");
    c.uncertainty.mode = match mode.trim().to_ascii_lowercase().as_str() {
        "" => None,
        "absolute" => Some(UncertaintyMode::Absolute),
        "relative" => Some(UncertaintyMode::Relative),
        _ => {
            r.warn(
                "uncertaintyMode",
                format!("'{mode}' is neither Absolute nor Relative"),
            );
            None
        }
    };
    c.uncertainty.equation = match o.remove("uncertaintyEquation") {
        Some(Value::Object(mut e)) => Some(EquationText {
            equation: take_string(&mut e, "equation"),
            comment: take_string(&mut e, "equationComment"),
        }),
        Some(Value::String(s)) => Some(EquationText {
            equation: s,
            comment: String::new(),
        }),
        _ => None,
    }
    .filter(|e| !e.equation.trim().is_empty() || !e.comment.trim().is_empty());
    c.uncertainty.table = match o.remove("uncertaintyTable") {
        Some(Value::Object(mut t)) => {
            let table = UncertaintyTable {
                name: take_string(&mut t, "tableName"),
                rows: r.number(&mut t, "tableRows").map_or(0, |v| v as u32),
                cols: r.number(&mut t, "tableCols").map_or(0, |v| v as u32),
                comment: take_string(&mut t, "tableComment"),
                contents: take_string(&mut t, "tableContents"),
            };
            (table.rows > 0 || table.cols > 0 || !table.name.is_empty()).then_some(table)
        }
        _ => None,
    };
    c.parameters = match o.remove("parameters") {
        Some(Value::Array(ps)) => ps
            .into_iter()
            .filter_map(|p| match p {
                Value::Object(mut p) => Some(Parameter {
                    name: take_string(&mut p, "parameterName"),
                    value: take_string(&mut p, "parameterValue"),
                }),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    c.status = take_string(&mut o, "status");
    c.status_date = r.date(&mut o, "statusDate");
    c.approval_date = r.date(&mut o, "approvalDate");
    c.publication_date = r.date(&mut o, "publicationDate");
    c.comparisons = match o.remove("comparisons") {
        Some(Value::Array(a)) => a.into_iter().filter_map(comparison_id).collect(),
        Some(Value::String(s)) => s
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    };
    c.comments = take_string(&mut o, "comments");
    c.nmi_service_code = take_string(&mut o, "nmiServiceCode");
    c.nmi_service_link = take_string(&mut o, "nmiServiceLink");
    c.traceability_source = take_string(&mut o, "traceabilitySource");
    c.international_standard = take_string(&mut o, "internationalStandard");
    c.group_identifier = take_string(&mut o, "groupIdentifier");
    c.extra = o.into_iter().filter(|(_, v)| !v.is_null()).collect();
    import.warnings.append(&mut r.warnings);
    import.cmcs.push(c);
}

fn comparison_id(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(mut o) => {
            for k in [
                "identifier",
                "comparisonIdentifier",
                "code",
                "kcdbCode",
                "name",
                "value",
            ] {
                let s = take_string(&mut o, k);
                if !s.is_empty() {
                    return Some(s);
                }
            }
            None
        }
        _ => None,
    }
    .filter(|s| !s.trim().is_empty())
}

/// A JSON value as text: strings as they are, numbers and booleans printed, null empty.
fn string_of(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn take_string(o: &mut Map<String, Value>, key: &str) -> String {
    o.remove(key).map(string_of).unwrap_or_default()
}

/// Reads the fields of one record, collecting warnings.
struct Reader {
    index: usize,
    code: String,
    warnings: Vec<Warning>,
}

impl Reader {
    fn warn(&mut self, field: &str, message: String) {
        self.warnings.push(Warning {
            record: self.index,
            kcdb_code: self.code.clone(),
            field: field.to_string(),
            message,
        });
    }

    /// A number given as a JSON number or as text (`"95"`, `"95 %"`).
    fn number(&mut self, o: &mut Map<String, Value>, key: &str) -> Option<f64> {
        self.number_named(o, key, key)
    }

    /// [`Reader::number`], naming the field `name` in warnings.
    fn number_named(&mut self, o: &mut Map<String, Value>, key: &str, name: &str) -> Option<f64> {
        match o.remove(key)? {
            Value::Null => None,
            Value::Number(n) => n.as_f64(),
            Value::String(s) => {
                let t = s.trim().trim_end_matches('%').trim();
                if t.is_empty() {
                    return None;
                }
                match t.parse::<f64>() {
                    Ok(v) if v.is_finite() => Some(v),
                    _ => {
                        self.warn(name, format!("'{s}' is not a number"));
                        None
                    }
                }
            }
            other => {
                self.warn(name, format!("expected a number, found {}", kind(&other)));
                None
            }
        }
    }

    fn date(&mut self, o: &mut Map<String, Value>, key: &str) -> Option<Date> {
        let s = take_string(o, key);
        if s.trim().is_empty() {
            return None;
        }
        match Date::parse(&s) {
            Ok(d) => Some(d),
            Err(e) => {
                self.warn(key, e.0);
                None
            }
        }
    }

    fn range(&mut self, o: &mut Map<String, Value>, key: &str) -> Option<Range> {
        let Value::Object(mut r) = o.remove(key)? else {
            return None;
        };
        let min = self.number_named(&mut r, "lowerLimit", &format!("{key}.lowerLimit"));
        let max = self.number_named(&mut r, "upperLimit", &format!("{key}.upperLimit"));
        let unit = take_string(&mut r, "unit");
        (min.is_some() || max.is_some() || !unit.trim().is_empty()).then_some(Range {
            min,
            max,
            unit,
        })
    }
}

/// The CSV column names, with the API field they fill (see [`crate::export::CSV_COLUMNS`]).
fn normalise(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Reads CSV (see the module documentation).
pub fn import_csv(text: &str) -> Result<Import, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_error(&e))?
        .iter()
        .map(normalise)
        .collect::<Vec<_>>();
    if !headers.iter().any(|h| h == "kcdbcode") {
        return Err(ImportError::NoCodeColumn);
    }
    let mut import = Import::default();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| csv_error(&e))?;
        let line = row.position().map(|p| p.line());
        let mut o = Map::new();
        let mut cmc_range = Map::new();
        let mut unc_range = Map::new();
        let mut equation = Map::new();
        for (h, cell) in headers.iter().zip(row.iter()) {
            if cell.trim().is_empty() {
                continue;
            }
            let cell = undefuse(cell);
            let s = Value::String(cell.to_string());
            match h.as_str() {
                "cmclowerlimit" => {
                    cmc_range.insert("lowerLimit".into(), s);
                }
                "cmcupperlimit" => {
                    cmc_range.insert("upperLimit".into(), s);
                }
                "cmcunit" => {
                    cmc_range.insert("unit".into(), s);
                }
                "uncertaintylowerlimit" => {
                    unc_range.insert("lowerLimit".into(), s);
                }
                "uncertaintyupperlimit" => {
                    unc_range.insert("upperLimit".into(), s);
                }
                "uncertaintyunit" => {
                    unc_range.insert("unit".into(), s);
                }
                "uncertaintyequation" => {
                    equation.insert("equation".into(), s);
                }
                "uncertaintyequationcomment" => {
                    equation.insert("equationComment".into(), s);
                }
                "parameters" | "uncertaintytable" | "extra" => {
                    match serde_json::from_str::<Value>(cell) {
                        Ok(Value::Object(extra)) if h == "extra" => {
                            for (k, v) in extra {
                                o.entry(k).or_insert(v);
                            }
                        }
                        Ok(v) => {
                            o.insert(csv_key(h).into(), v);
                        }
                        Err(e) => import.warnings.push(Warning {
                            record: i,
                            kcdb_code: String::new(),
                            field: h.clone(),
                            message: format!("not JSON: {e}"),
                        }),
                    }
                }
                "comparisons" => {
                    o.insert("comparisons".into(), s);
                }
                other => {
                    o.insert(csv_key(other).into(), s);
                }
            }
        }
        for (key, m) in [
            ("cmc", cmc_range),
            ("cmcUncertainty", unc_range),
            ("uncertaintyEquation", equation),
        ] {
            if !m.is_empty() {
                o.insert(key.into(), Value::Object(m));
            }
        }
        read_record(i, line, Value::Object(o), &mut import);
    }
    Ok(import)
}

/// Removes the `'` that [`crate::export::to_csv`] puts before a text starting with `=`, `+`,
/// `-` or `@`.
fn undefuse(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// The API field of a normalised CSV column name; unknown names are kept (they go to `extra`).
fn csv_key(normalised: &str) -> &str {
    const KEYS: &[&str] = &[
        "kcdbCode",
        "id",
        "domainCode",
        "metrologyAreaLabel",
        "rmo",
        "countryValue",
        "nmiCode",
        "nmiName",
        "branchValue",
        "serviceValue",
        "subServiceValue",
        "individualServiceValue",
        "quantityValue",
        "instrument",
        "instrumentMethod",
        "parameters",
        "uncertaintyMode",
        "coverageFactor",
        "confidenceLevel",
        "uncertaintyTable",
        "status",
        "statusDate",
        "approvalDate",
        "publicationDate",
        "comments",
        "nmiServiceCode",
        "nmiServiceLink",
        "traceabilitySource",
        "internationalStandard",
        "groupIdentifier",
        "instrumentOrQuantity",
    ];
    KEYS.iter()
        .find(|k| normalise(k) == normalised)
        .copied()
        .unwrap_or(normalised)
}

fn csv_error(e: &csv::Error) -> ImportError {
    ImportError::Csv {
        line: e.position().map_or(0, |p| p.line()),
        message: e.to_string(),
    }
}
