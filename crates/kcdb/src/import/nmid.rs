//! Importer of the BIPM institute table `NMId.csv` (from `TheBIPM/CCRI-II-KC`):
//! semicolon-separated, double-quoted fields with `""` escapes, LaTeX accents in names and
//! addresses, header
//! `Accronym;Full name;Address;Country;RMO;old accronym;Validity date;ROR`.
//!
//! Columns are found by header name (case-insensitive; `Acronym` or the file's `Accronym`), so
//! reordered or extra columns are fine. Empty or `-` cells mean "none". A row whose acronym is not
//! a valid [`InstituteCode`], an unknown RMO or an invalid ROR is reported as a warning (the row
//! is skipped, or the field left empty).

use super::{CsvLines, Warning, MAX_INPUT_BYTES};
use crate::id::{InstituteCode, Rmo, Ror};
use crate::latex;
use crate::model::Institute;

/// Why the table could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NmidError {
    /// Larger than [`MAX_INPUT_BYTES`].
    #[error("input of {0} bytes exceeds the limit")]
    TooLarge(usize),
    /// A CSV syntax error.
    #[error("line {line}: {message}")]
    Csv {
        /// Line (1-based).
        line: u64,
        /// The reason.
        message: String,
    },
    /// A required column is missing from the header.
    #[error("line 1: no '{0}' column in the header")]
    MissingColumn(&'static str),
}

/// The institutes of the table, with warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstituteTable {
    /// Institutes, in file order.
    pub institutes: Vec<Institute>,
    /// What was skipped or ignored.
    pub warnings: Vec<Warning>,
}

impl InstituteTable {
    /// The institute with this code, or whose former codes include it.
    pub fn find(&self, code: &str) -> Option<&Institute> {
        self.institutes
            .iter()
            .find(|i| i.code.as_str() == code)
            .or_else(|| {
                self.institutes
                    .iter()
                    .find(|i| i.former_codes.iter().any(|c| c == code))
            })
    }
}

fn none_if_dash(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && t != "-").then(|| latex::decode(t))
}

/// Reads `NMId.csv`.
pub fn import_nmid(text: &str) -> Result<InstituteTable, NmidError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(NmidError::TooLarge(text.len()));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let lines = CsvLines::new(text);
    let csv_error = |e: csv::Error| NmidError::Csv {
        line: lines.locate(e.position()).0 as u64,
        message: e.to_string(),
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let acronym = col(&["accronym", "acronym"]).ok_or(NmidError::MissingColumn("Acronym"))?;
    let name = col(&["full name", "name"]).ok_or(NmidError::MissingColumn("Full name"))?;
    let address = col(&["address"]);
    let country = col(&["country"]);
    let rmo = col(&["rmo"]);
    let old = col(&["old accronym", "old acronym", "former acronyms"]);
    let ror = col(&["ror"]);

    let mut institutes = Vec::new();
    let mut warnings = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let (line, _) = lines.locate(record.position());
        let at = format!("line {line}");
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or_default();
        let code_text = field(Some(acronym)).trim();
        if code_text.is_empty() && record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let code = match InstituteCode::parse(code_text) {
            Ok(c) => c,
            Err(e) => {
                warnings.push(Warning {
                    at,
                    message: format!("acronym {code_text:?}: {e}; row skipped"),
                });
                continue;
            }
        };
        let rmo_value = match none_if_dash(field(rmo)) {
            None => None,
            Some(t) => {
                let r = Rmo::from_acronym(&t);
                if r.is_none() {
                    warnings.push(Warning {
                        at: at.clone(),
                        message: format!("unknown RMO {t:?} for {code}; left empty"),
                    });
                }
                r
            }
        };
        let ror_value = match none_if_dash(field(ror)) {
            None => None,
            Some(t) => match Ror::parse(&t) {
                Ok(r) => Some(r),
                Err(e) => {
                    warnings.push(Warning {
                        at: at.clone(),
                        message: format!("{e} for {code}; left empty"),
                    });
                    None
                }
            },
        };
        let former_codes = none_if_dash(field(old))
            .map(|t| {
                t.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty() && *s != "-")
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        institutes.push(Institute {
            code,
            name: latex::decode(field(Some(name)).trim()),
            country: none_if_dash(field(country)),
            rmo: rmo_value,
            ror: ror_value,
            former_codes,
            address: none_if_dash(field(address)),
        });
    }
    Ok(InstituteTable {
        institutes,
        warnings,
    })
}
