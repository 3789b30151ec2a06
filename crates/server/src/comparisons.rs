//! The comparison service shared by the API and the web pages: which degrees of equivalence a
//! viewer gets, how analyses run, and how library errors become client errors.
//!
//! The confidentiality rules are those of `sevres_kcdb::access`; this module only applies them
//! to what the store holds. Published figures follow the rule of analyses
//! ([`access::can_see_analysis`]): everyone once the comparison is published, before that only
//! its pilot and the administrators.

use sevres_comparison::{analyse, Analysis, AnalysisError, ComparisonInput, Method, Options};
use sevres_kcdb::access::{self, Viewer};
use sevres_kcdb::doe::DoeTable;
use sevres_kcdb::{
    import_csv, import_json, import_xlsx, Comparison, ComparisonData, ComparisonId, DataError,
    Date, Measurand, PublishedReference,
};
use sevres_store::{Store, StoredAnalysis};

use crate::api::ApiError;

/// Most Monte Carlo draws an analysis may ask for (ten times the default): an analysis runs in
/// the request, and this bounds its time.
pub(crate) const MAX_DRAWS: usize = 10_000_000;

/// Reads a comparison identifier from a URL or a form (400 when malformed).
pub(crate) fn parse_id(text: &str) -> Result<ComparisonId, ApiError> {
    ComparisonId::parse(text).map_err(|e| ApiError::BadRequest(format!("comparison {text:?}: {e}")))
}

/// The stored comparison (404 when absent).
pub(crate) async fn load(store: &dyn Store, id: &ComparisonId) -> Result<Comparison, ApiError> {
    store
        .comparison(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no comparison {id}")))
}

/// The measurand named, or the only one when none is named (422 otherwise).
pub(crate) fn measurand<'c>(
    comparison: &'c Comparison,
    name: Option<&str>,
) -> Result<&'c Measurand, ApiError> {
    match name {
        Some(name) => comparison
            .measurands
            .iter()
            .find(|m| m.id == name)
            .ok_or_else(|| {
                ApiError::Unprocessable(format!("{} has no measurand {name:?}", comparison.id))
            }),
        None => match comparison.measurands.as_slice() {
            [only] => Ok(only),
            [] => Err(ApiError::Unprocessable(format!(
                "{} has no measurand",
                comparison.id
            ))),
            _ => Err(ApiError::Unprocessable(format!(
                "{} has several measurands: name one ({})",
                comparison.id,
                comparison
                    .measurands
                    .iter()
                    .map(|m| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        },
    }
}

/// Whether `viewer` may see what is published for `comparison` before publication ends the
/// confidentiality (the rule of analyses).
pub(crate) fn can_see_figures(viewer: &Viewer, comparison: &Comparison) -> bool {
    access::can_see_analysis(viewer, comparison)
}

/// Where a table of degrees of equivalence comes from.
pub(crate) enum DoeSource {
    /// The published figures.
    Published(Box<PublishedReference>),
    /// A stored analysis.
    Analysis(Box<StoredAnalysis>),
}

impl DoeSource {
    /// The table, titled with the comparison and measurand.
    pub(crate) fn table(&self, comparison: &Comparison) -> Result<DoeTable, ApiError> {
        match self {
            DoeSource::Published(p) => p
                .doe_table(format!("{} ({})", comparison.id, p.measurand))
                .map_err(|e| ApiError::Unprocessable(e.to_string())),
            DoeSource::Analysis(s) => Ok(DoeTable::from_analysis(
                format!(
                    "{} ({}), analysis {} ({})",
                    comparison.id, s.analysis.measurand, s.id, s.analysis.result.method
                ),
                Some(&s.analysis.unit),
                &s.analysis.result,
                &s.analysis.options,
            )),
        }
    }

    /// A description for people: `published (Co-60_database_FAIR.xml, release 7)`.
    pub(crate) fn describe(&self) -> String {
        match self {
            DoeSource::Published(p) => format!("published ({})", p.source),
            DoeSource::Analysis(s) => format!(
                "analysis {} ({}, {})",
                s.id, s.analysis.result.method, s.created_at
            ),
        }
    }
}

/// The degrees of equivalence `viewer` gets for a measurand: those of stored analysis `analysis`
/// when given, else the published ones, else those of the latest analysis. 403 while they are
/// confidential to the viewer, 404 when there are none.
pub(crate) async fn doe_source(
    store: &dyn Store,
    comparison: &Comparison,
    viewer: &Viewer,
    measurand: &Measurand,
    analysis: Option<i64>,
) -> Result<DoeSource, ApiError> {
    if !can_see_figures(viewer, comparison) {
        return Err(ApiError::Forbidden(format!(
            "the degrees of equivalence of {} are confidential until it is published",
            comparison.id
        )));
    }
    if let Some(n) = analysis {
        let stored = store
            .analysis(&comparison.id, n)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("{} has no analysis {n}", comparison.id)))?;
        return Ok(DoeSource::Analysis(Box::new(stored)));
    }
    if let Some(p) = store
        .published(&comparison.id)
        .await?
        .into_iter()
        // A release may publish a KCRV without degrees of equivalence (the Co-60 file).
        .find(|p| p.measurand == measurand.id && !p.does.is_empty())
    {
        return Ok(DoeSource::Published(Box::new(p)));
    }
    store
        .analyses(&comparison.id)
        .await?
        .into_iter()
        .rev()
        .find(|a| a.analysis.measurand == measurand.id)
        .map(|a| DoeSource::Analysis(Box::new(a)))
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "{} has no degrees of equivalence for {:?} yet",
                comparison.id, measurand.id
            ))
        })
}

/// The format of an uploaded data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataFormat {
    Json,
    Csv,
    Xlsx,
}

impl DataFormat {
    /// From a name (`json`, `csv`, `xlsx`) or media type.
    pub(crate) fn from_name(name: &str) -> Option<DataFormat> {
        match name.split(';').next().unwrap_or("").trim() {
            "json" | "application/json" => Some(DataFormat::Json),
            "csv" | "text/csv" | "text/plain" => Some(DataFormat::Csv),
            "xlsx" | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
                Some(DataFormat::Xlsx)
            }
            _ => None,
        }
    }

    /// Guessed from the bytes: a ZIP (`PK\x03\x04`) is a workbook, text starting with `{` JSON,
    /// other text CSV.
    pub(crate) fn sniff(bytes: &[u8]) -> DataFormat {
        if bytes.starts_with(b"PK\x03\x04") {
            DataFormat::Xlsx
        } else if bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
            == Some(&b'{')
        {
            DataFormat::Json
        } else {
            DataFormat::Csv
        }
    }
}

/// A data set, imported and analysed.
pub(crate) struct DatasetAnalysis {
    /// What was imported (identifier, measurand, unit, warnings).
    pub(crate) data: ComparisonData,
    /// The input as analysed.
    pub(crate) input: ComparisonInput,
    /// The options as used.
    pub(crate) options: Options,
    /// The result.
    pub(crate) result: Analysis,
    /// Its degrees of equivalence, in the data set's unit.
    pub(crate) table: DoeTable,
}

/// Imports a data set (JSON, CSV or workbook) and analyses it; stores nothing.
pub(crate) async fn analyse_dataset(
    label: &str,
    bytes: &[u8],
    format: DataFormat,
    method: Method,
    options: Options,
) -> Result<DatasetAnalysis, ApiError> {
    let text = || {
        std::str::from_utf8(bytes)
            .map_err(|e| ApiError::BadRequest(format!("the data are not UTF-8 text: {e}")))
    };
    let data = match format {
        DataFormat::Json => import_json(text()?),
        DataFormat::Csv => import_csv(label, text()?),
        DataFormat::Xlsx => import_xlsx(label, bytes),
    }
    .map_err(data_error)?;
    let (input, options, result) = run(data.input.clone(), method, options).await?;
    let table = DoeTable::from_analysis(
        if data.id.is_empty() { label } else { &data.id },
        data.unit.as_ref(),
        &result,
        &options,
    );
    Ok(DatasetAnalysis {
        data,
        input,
        options,
        result,
        table,
    })
}

/// Runs an analysis on a blocking thread (Monte Carlo methods take a while), after checking
/// the options' bounds.
pub(crate) async fn run(
    input: ComparisonInput,
    method: Method,
    options: Options,
) -> Result<(ComparisonInput, Options, Analysis), ApiError> {
    if options.draws > MAX_DRAWS {
        return Err(ApiError::Unprocessable(format!(
            "draws: {} exceeds the limit of {MAX_DRAWS}",
            options.draws
        )));
    }
    tokio::task::spawn_blocking(move || {
        let result = analyse(&input, method, &options);
        (input, options, result)
    })
    .await
    .map_err(|e| ApiError::Unprocessable(format!("the analysis did not complete: {e}")))
    .and_then(|(input, options, result)| {
        result.map(|a| (input, options, a)).map_err(analysis_error)
    })
}

/// An analysis that cannot be carried out is the input's fault (422), and says why and where.
pub(crate) fn analysis_error(e: AnalysisError) -> ApiError {
    ApiError::Unprocessable(e.to_string())
}

/// A data set that does not read: malformed text is 400, valid text with bad values 422.
pub(crate) fn data_error(e: DataError) -> ApiError {
    match e {
        DataError::Json { .. } | DataError::Csv { .. } | DataError::Workbook(_) => {
            ApiError::BadRequest(e.to_string())
        }
        other => ApiError::Unprocessable(other.to_string()),
    }
}

/// A method by name (400 when unknown).
pub(crate) fn method(name: &str) -> Result<Method, ApiError> {
    name.parse::<Method>()
        .map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// Today's date (UTC), for results submitted without one.
pub(crate) fn today() -> Result<Date, ApiError> {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    Date::new(y, m, d).ok_or_else(|| {
        ApiError::Unprocessable("the server clock gives no valid date: send 'date'".into())
    })
}

/// Year, month, day of the proleptic Gregorian calendar from days since 1970-01-01: H. Hinnant,
/// "chrono-Compatible Low-Level Date Algorithms", `civil_from_days`
/// (<https://howardhinnant.github.io/date_algorithms.html#civil_from_days>).
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    ((y + i64::from(m <= 2)) as i32, m as u8, d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert!(today().unwrap().year() >= 2024);
    }
}
