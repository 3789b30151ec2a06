//! Importers: text or bytes in, domain values out (no I/O; the caller reads the file).
//!
//! * [`fair`]: the BIPM "FAIR" key-comparison XML (`BIPM.RI(II)-K1` files of the
//!   `TheBIPM/CCRI-II-KC` repository): comparison, KCRV releases, degrees of equivalence,
//!   submissions.
//! * [`nmid`]: the BIPM institute table `NMId.csv` (acronym, name, country, RMO, ROR).
//! * [`data`]: comparison data sets for analysis — the JSON format of the test data, CSV, and
//!   Excel workbooks — into one [`data::ComparisonData`].
//!
//! Every importer reports what it repaired or ignored as [`Warning`]s (with the place in the
//! input), and fails with a typed error naming the place (line and column, XML element path,
//! CSV line, spreadsheet cell) when the input cannot be used.

use std::fmt;

pub mod data;
pub mod fair;
pub mod nmid;

/// Something an importer repaired, normalised or ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where: `line 64, column 5 (comparison/comparisonData/release[4]/kcrv/unit)`,
    /// `line 12`, `Sheet1!B3`.
    pub at: String,
    /// What.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// Input size limit of the importers (64 MiB): larger inputs are refused before parsing.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Line numbers of CSV records. The `csv` reader skips empty lines and reports a record's
/// position before them (and its own line count then lags), so lines are counted here from byte
/// offsets.
pub(crate) struct CsvLines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> CsvLines<'a> {
    pub(crate) fn new(text: &'a str) -> CsvLines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        CsvLines { text, starts }
    }

    /// The 1-based line of the record reported at `position`, and whether empty lines were
    /// skipped before it.
    pub(crate) fn locate(&self, position: Option<&csv::Position>) -> (usize, bool) {
        let start = position.map_or(0, |p| p.byte()) as usize;
        let skipped = self.text.get(start..).map_or(0, |t| {
            t.bytes().take_while(|b| matches!(b, b'\n' | b'\r')).count()
        });
        let line = self.starts.partition_point(|&s| s <= start + skipped);
        // The position may fall inside the previous record's CRLF terminator.
        let mut region = self.text.get(start..start + skipped).unwrap_or_default();
        if start > 0 && self.text.as_bytes().get(start - 1) == Some(&b'\r') {
            region = region.strip_prefix('\n').unwrap_or(region);
        }
        (line, region.contains(['\n', '\r']))
    }
}
