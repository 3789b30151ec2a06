//! The data model of a CMC as the KCDB 2.0 publishes it.
//!
//! The fields are those of a record of the KCDB 2.0 API (`POST /api/kcdb/cmc/searchData/...`,
//! one element of `data`), grouped by meaning: the identifier ([`KcdbCode`]), the classification
//! (domain, metrology area, branch, service, sub-service, individual service), the quantity,
//! instrument and method, the measurand level or range ([`Range`]), the parameters (measurement
//! conditions), the expanded uncertainty ([`Uncertainty`]: limits, mode, coverage factor, level of
//! confidence, equation or table), the institute, country and RMO, the dates and status, and the
//! supporting comparisons. A [`Cmc`] is plain data: what it can answer (units in SI, the
//! uncertainty as an evaluable function) is derived by [`crate::capability`].
//!
//! API fields that this model does not name (the Ionizing Radiation nuclide, medium and source,
//! the Chemistry and Biology analyte and matrix, and whatever the API adds later) are kept
//! verbatim in [`Cmc::extra`], so that an import followed by an export loses nothing.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The three KCDB domains (`GET /api/kcdb/referenceData/domain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Domain {
    /// `CHEM-BIO`: Chemistry and Biology.
    ChemBio,
    /// `PHYSICS`: General physics.
    Physics,
    /// `RADIATION`: Ionizing radiation.
    Radiation,
}

impl Domain {
    /// All domains.
    pub const ALL: [Domain; 3] = [Domain::ChemBio, Domain::Physics, Domain::Radiation];

    /// The KCDB code (`PHYSICS`).
    pub fn code(self) -> &'static str {
        match self {
            Domain::ChemBio => "CHEM-BIO",
            Domain::Physics => "PHYSICS",
            Domain::Radiation => "RADIATION",
        }
    }

    /// The KCDB name (`General physics`).
    pub fn name(self) -> &'static str {
        match self {
            Domain::ChemBio => "Chemistry and Biology",
            Domain::Physics => "General physics",
            Domain::Radiation => "Ionizing radiation",
        }
    }

    /// The domain of a metrology area label (`EM` → physics, `QM` → chemistry and biology,
    /// `RI` → ionizing radiation).
    pub fn of_area(area: &str) -> Option<Domain> {
        METROLOGY_AREAS
            .iter()
            .find(|(label, _, _)| label.eq_ignore_ascii_case(area))
            .map(|(_, _, d)| *d)
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Domain {
    type Err = String;
    fn from_str(s: &str) -> Result<Domain, String> {
        Domain::ALL
            .into_iter()
            .find(|d| d.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown domain '{s}' (expected CHEM-BIO, PHYSICS or RADIATION)")
            })
    }
}

/// The metrology areas of the CIPM MRA (label, name, domain), as the KCDB labels them
/// (`GET /api/kcdb/referenceData/metrologyArea`): seven in general physics, one each in
/// chemistry and biology and in ionizing radiation.
pub const METROLOGY_AREAS: [(&str, &str, Domain); 9] = [
    ("AUV", "Acoustics, Ultrasound, Vibration", Domain::Physics),
    ("EM", "Electricity and Magnetism", Domain::Physics),
    ("L", "Length", Domain::Physics),
    ("M", "Mass and related quantities", Domain::Physics),
    ("PR", "Photometry and Radiometry", Domain::Physics),
    ("T", "Thermometry", Domain::Physics),
    ("TF", "Time and Frequency", Domain::Physics),
    ("QM", "Chemistry and Biology", Domain::ChemBio),
    ("RI", "Ionizing Radiation", Domain::Radiation),
];

/// The regional metrology organisations that publish CMCs in the KCDB.
pub const RMOS: [&str; 6] = ["AFRIMETS", "APMP", "COOMET", "EURAMET", "GULFMET", "SIM"];

/// A malformed KCDB code: what is wrong and at which character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("KCDB code '{code}' at {position}: {reason}")]
pub struct KcdbCodeError {
    /// The code as given (truncated to 60 characters).
    pub code: String,
    /// Character index (0-based) of the problem.
    pub position: usize,
    /// The reason.
    pub reason: String,
}

/// A KCDB CMC identifier, `<RMO>-<area>-<country>-<id>-<version>`, e.g.
/// `EURAMET-PR-DE-00000C10-2` (PTB, photometry and radiometry, version 2).
///
/// The RMO is one of [`RMOS`], the area one of [`METROLOGY_AREAS`], the country an ISO 3166-1
/// alpha-2 code, the identifier eight upper-case letters or digits, the version a positive
/// integer (the format described with the shared test data, observed on every code of the KCDB
/// 2.0 API).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KcdbCode {
    text: String,
}

impl KcdbCode {
    /// Parses and validates a code.
    pub fn parse(text: &str) -> Result<KcdbCode, KcdbCodeError> {
        let err = |position: usize, reason: String| KcdbCodeError {
            code: text.chars().take(60).collect(),
            position,
            reason,
        };
        let parts: Vec<&str> = text.split('-').collect();
        if parts.len() != 5 {
            return Err(err(
                0,
                format!(
                    "expected 5 parts separated by '-' (RMO-area-country-id-version), found {}",
                    parts.len()
                ),
            ));
        }
        let mut starts = [0usize; 5];
        let mut at = 0;
        for (s, p) in starts.iter_mut().zip(&parts) {
            *s = at;
            at += p.chars().count() + 1;
        }
        let (rmo, area, country, id, version) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
        if !RMOS.contains(&rmo) {
            return Err(err(
                starts[0],
                format!("unknown RMO '{rmo}' (expected one of {})", RMOS.join(", ")),
            ));
        }
        if !METROLOGY_AREAS.iter().any(|(l, _, _)| *l == area) {
            return Err(err(starts[1], format!("unknown metrology area '{area}'")));
        }
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(err(
                starts[2],
                format!("country '{country}' is not an ISO 3166-1 alpha-2 code"),
            ));
        }
        if id.len() != 8
            || !id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(err(
                starts[3],
                format!("identifier '{id}' is not 8 upper-case letters or digits"),
            ));
        }
        match version.parse::<u32>() {
            Ok(v) if v > 0 && !version.starts_with('0') && !version.starts_with('+') => {}
            _ => {
                return Err(err(
                    starts[4],
                    format!("version '{version}' is not a positive integer"),
                ))
            }
        }
        Ok(KcdbCode {
            text: text.to_string(),
        })
    }

    /// A code built from parts known to be valid (the generator's tables).
    pub(crate) fn from_valid(text: String) -> KcdbCode {
        debug_assert!(KcdbCode::parse(&text).is_ok(), "{text}");
        KcdbCode { text }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn part(&self, i: usize) -> &str {
        self.text.split('-').nth(i).unwrap_or_default()
    }

    /// The RMO (`EURAMET`).
    pub fn rmo(&self) -> &str {
        self.part(0)
    }

    /// The metrology area label (`PR`).
    pub fn area(&self) -> &str {
        self.part(1)
    }

    /// The ISO country code (`DE`).
    pub fn country(&self) -> &str {
        self.part(2)
    }

    /// The eight-character identifier (`00000C10`).
    pub fn id(&self) -> &str {
        self.part(3)
    }

    /// The version (`2`).
    pub fn version(&self) -> u32 {
        self.part(4).parse().unwrap_or_default()
    }
}

impl fmt::Display for KcdbCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A date that is not `YYYY-MM-DD` or not in the calendar (the message names the text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DateError(pub String);

/// A calendar date (`YYYY-MM-DD`, proleptic Gregorian), as the KCDB writes approval,
/// publication and status dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31 (valid for the month).
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` (a time part after `T`, as some API versions add, is ignored).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        Date::parse_str(text).map_err(DateError)
    }

    fn parse_str(text: &str) -> Result<Date, String> {
        let t = text.trim();
        let t = t.split_once('T').map_or(t, |(d, _)| d);
        let mut it = t.splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (it.next(), it.next(), it.next()) else {
            return Err(format!("date '{text}' is not YYYY-MM-DD"));
        };
        let bad = || format!("date '{text}' is not YYYY-MM-DD");
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        let day: u8 = d.parse().map_err(|_| bad())?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(format!("date '{text}': month {month} out of range")),
        };
        if day == 0 || day > days {
            return Err(format!("date '{text}': day {day} out of range"));
        }
        Ok(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Where a CMC sits in the KCDB classification of services.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classification {
    /// Branch (`DC voltage, current and resistance`; KCDB `branchValue`).
    pub branch: String,
    /// Service (`serviceValue`).
    pub service: String,
    /// Sub-service (`subServiceValue`).
    pub sub_service: String,
    /// Individual service (`individualServiceValue`).
    pub individual_service: String,
}

/// A measurand level or range, or the limits of an expanded uncertainty, as the KCDB gives them
/// (`{"lowerLimit": 0.001, "upperLimit": 10, "unit": "V"}`). The unit is the text as published;
/// [`crate::unit::KcdbUnit`] reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Range {
    /// Lower limit (for an uncertainty: the value at the lower end of the measurand range).
    pub min: Option<f64>,
    /// Upper limit (for an uncertainty: the value at the upper end of the measurand range).
    pub max: Option<f64>,
    /// Unit text.
    pub unit: String,
}

/// A measurement condition or independent variable (`Frequency`: `9 kHz to 116.5 GHz`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parameter {
    /// Name.
    pub name: String,
    /// Value or range, as text.
    pub value: String,
}

/// Whether an expanded uncertainty is absolute (in the measurand's unit) or relative to the
/// measured value (KCDB `uncertaintyMode`: `Absolute`, `Relative`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UncertaintyMode {
    /// In the unit of the measurand.
    Absolute,
    /// Relative to the measured value.
    Relative,
}

impl UncertaintyMode {
    /// The KCDB word.
    pub fn as_str(self) -> &'static str {
        match self {
            UncertaintyMode::Absolute => "Absolute",
            UncertaintyMode::Relative => "Relative",
        }
    }
}

/// An uncertainty equation as published: the text (`Q[0.3 µV/V, 0.2 µV]`) and its comment
/// (which may say in which unit the variable is, `f in kHz`). [`crate::equation`] parses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EquationText {
    /// The equation.
    pub equation: String,
    /// The comment.
    pub comment: String,
}

/// An uncertainty table (matrix) as published: a name, its size and the contents as the JSON
/// text the KCDB gives (`{"row_1":{"col_1":"Connector", ...}}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UncertaintyTable {
    /// Name.
    pub name: String,
    /// Number of rows.
    pub rows: u32,
    /// Number of columns.
    pub cols: u32,
    /// Comment.
    pub comment: String,
    /// Contents (JSON text as published; `<masked>` when the API hides it).
    pub contents: String,
}

/// The expanded uncertainty of a CMC (CIPM MRA-D-04 §2.1: stated as an expanded uncertainty
/// with its coverage factor and level of confidence, absolute or relative, as a range of values
/// over the measurand range, an equation or a matrix).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Uncertainty {
    /// Lower and upper limits with their unit (KCDB `cmcUncertainty`).
    pub limits: Option<Range>,
    /// Absolute or relative.
    pub mode: Option<UncertaintyMode>,
    /// Coverage factor k.
    pub coverage_factor: Option<f64>,
    /// Level of confidence, in percent (95).
    pub confidence_level: Option<f64>,
    /// The uncertainty as an equation of the measured value.
    pub equation: Option<EquationText>,
    /// The uncertainty as a table.
    pub table: Option<UncertaintyTable>,
}

/// The institute that declares the CMC.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Institute {
    /// KCDB institute code (`PTB`, `NMIJ AIST`).
    pub code: String,
    /// Name.
    pub name: String,
}

/// One Calibration and Measurement Capability.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmc {
    /// The KCDB document id (API `id`), when known.
    pub id: Option<u64>,
    /// The KCDB code.
    pub kcdb_code: KcdbCode,
    /// Domain.
    pub domain: Option<Domain>,
    /// Metrology area label (`EM`).
    pub metrology_area: String,
    /// Branch, service, sub-service, individual service.
    pub classification: Classification,
    /// Quantity (`DC voltage`; KCDB `quantityValue`).
    pub quantity: String,
    /// Instrument or artefact.
    pub instrument: String,
    /// Instrument type or method.
    pub instrument_method: String,
    /// Measurand level or range (KCDB `cmc`).
    pub measurand: Option<Range>,
    /// Parameters (measurement conditions, independent variables).
    pub parameters: Vec<Parameter>,
    /// Expanded uncertainty.
    pub uncertainty: Uncertainty,
    /// Institute.
    pub institute: Institute,
    /// Country name (`countryValue`; the ISO code is in the KCDB code).
    pub country: String,
    /// RMO acronym.
    pub rmo: String,
    /// Status (`Published`).
    pub status: String,
    /// Date of the last status change.
    pub status_date: Option<Date>,
    /// Approval date.
    pub approval_date: Option<Date>,
    /// Publication date.
    pub publication_date: Option<Date>,
    /// Identifiers of the comparisons that support the CMC.
    pub comparisons: Vec<String>,
    /// Comments.
    pub comments: String,
    /// The institute's own service identifier.
    pub nmi_service_code: String,
    /// Link to the institute's service page.
    pub nmi_service_link: String,
    /// Source of traceability.
    pub traceability_source: String,
    /// International standard followed.
    pub international_standard: String,
    /// KCDB group identifier.
    pub group_identifier: String,
    /// Other API fields, kept verbatim (key = API field name).
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Cmc {
    /// A CMC with only its code set (the other fields empty), and the RMO, area and domain
    /// taken from the code.
    pub fn new(kcdb_code: KcdbCode) -> Cmc {
        Cmc {
            id: None,
            domain: Domain::of_area(kcdb_code.area()),
            metrology_area: kcdb_code.area().to_string(),
            rmo: kcdb_code.rmo().to_string(),
            kcdb_code,
            classification: Classification::default(),
            quantity: String::new(),
            instrument: String::new(),
            instrument_method: String::new(),
            measurand: None,
            parameters: Vec::new(),
            uncertainty: Uncertainty::default(),
            institute: Institute::default(),
            country: String::new(),
            status: String::new(),
            status_date: None,
            approval_date: None,
            publication_date: None,
            comparisons: Vec::new(),
            comments: String::new(),
            nmi_service_code: String::new(),
            nmi_service_link: String::new(),
            traceability_source: String::new(),
            international_standard: String::new(),
            group_identifier: String::new(),
            extra: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_parts_and_errors() {
        let c = KcdbCode::parse("EURAMET-PR-DE-00000C10-2").unwrap();
        assert_eq!(
            (c.rmo(), c.area(), c.country(), c.id(), c.version()),
            ("EURAMET", "PR", "DE", "00000C10", 2)
        );
        let e = KcdbCode::parse("EURAMET-XX-DE-00000C10-2").unwrap_err();
        assert_eq!(e.position, 8);
        let e = KcdbCode::parse("EURAMET-PR-DE-00000C1-2").unwrap_err();
        assert_eq!(e.position, 14);
        assert!(KcdbCode::parse("EURAMET-PR-DE-00000C10-0").is_err());
        assert!(KcdbCode::parse("EURAMET-PR-de-00000C10-1").is_err());
        assert!(KcdbCode::parse("").is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2012-11-29").unwrap().to_string(), "2012-11-29");
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2024-13-01").is_err());
        assert!(Date::parse("29/11/2012").is_err());
    }
}
