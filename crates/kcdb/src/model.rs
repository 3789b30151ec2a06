//! The KCDB domain: comparisons, their lifecycle, measurands, institutes and results.
//!
//! The lifecycle is that of CIPM MRA-G-11 ("Measurement comparisons in the CIPM MRA", §5–§7):
//! a comparison is registered in the KCDB, measurements are made, the pilot circulates a
//! confidential Draft A to the participants, the Draft B agreed by the participants goes to the
//! consultative committee (or RMO technical committee and JCRB for RMO comparisons) for approval,
//! and the approved final report is published (KCDB, Metrologia Technical Supplement).
//!
//! Every type here is built from already validated parts (identifiers, units) and checks its own
//! numbers, so a value that exists is consistent.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::id::{
    ComparisonId, ComparisonKind, ConsultativeCommittee, Doi, InstituteCode, MetrologyArea, Rmo,
    Ror, Scope,
};
use crate::unit::Unit;

/// The stage of a comparison (CIPM MRA-G-11 §5–§7), in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Registered in the KCDB, protocol agreed; no results yet.
    Registered,
    /// Measurements in progress; participants submit their results to the pilot.
    Measurements,
    /// Draft A: the pilot's first report, confidential to the participants (MRA-G-11 §6.2).
    DraftA,
    /// Draft B: agreed by the participants, submitted for approval (MRA-G-11 §6.3).
    DraftB,
    /// Approved by the consultative committee (for RMO comparisons: by the RMO TC and the JCRB).
    Approved,
    /// Published in the KCDB: results and degrees of equivalence are public.
    Published,
}

impl Status {
    /// All stages, in order.
    pub const ALL: [Status; 6] = [
        Status::Registered,
        Status::Measurements,
        Status::DraftA,
        Status::DraftB,
        Status::Approved,
        Status::Published,
    ];

    /// The name used in URLs and JSON (`draft-a`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Measurements => "measurements",
            Status::DraftA => "draft-a",
            Status::DraftB => "draft-b",
            Status::Approved => "approved",
            Status::Published => "published",
        }
    }

    /// The next stage; `None` once published.
    pub fn next(self) -> Option<Status> {
        let i = Self::ALL.iter().position(|s| *s == self)?;
        Self::ALL.get(i + 1).copied()
    }

    /// The lifecycle rule: a comparison moves forward exactly one stage at a time
    /// (MRA-G-11 orders the stages; none may be skipped). Going back or jumping is not a lifecycle
    /// move: only an administrator may set an arbitrary stage, to correct a mistake — see
    /// [`crate::access::can_change_status`].
    pub fn can_move_to(self, next: Status) -> bool {
        self.next() == Some(next)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown status name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown status '{0}' (expected registered, measurements, draft-a, draft-b, approved or published)")]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Status, UnknownStatus> {
        Status::ALL
            .into_iter()
            .find(|st| st.name() == s)
            .ok_or_else(|| UnknownStatus(s.chars().take(40).collect()))
    }
}

/// Why a value could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// A number that is NaN or infinite.
    #[error("{field} is not a finite number ({value})")]
    NonFinite {
        /// The field (`value`, `u`, …).
        field: &'static str,
        /// The value.
        value: f64,
    },
    /// A number that must be strictly positive.
    #[error("{field} must be positive, got {value}")]
    NonPositive {
        /// The field.
        field: &'static str,
        /// The value.
        value: f64,
    },
    /// A malformed date.
    #[error("'{0}' is not a date YYYY-MM-DD")]
    Date(String),
    /// An empty required text.
    #[error("{0} must not be empty")]
    Empty(&'static str),
}

pub(crate) fn finite(field: &'static str, value: f64) -> Result<f64, ValueError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(ValueError::NonFinite { field, value })
    }
}

pub(crate) fn positive(field: &'static str, value: f64) -> Result<f64, ValueError> {
    finite(field, value)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err(ValueError::NonPositive { field, value })
    }
}

/// A calendar date (proleptic Gregorian), read from ISO 8601 `YYYY-MM-DD` (a time part after
/// `T` is ignored, as in the FAIR files' `1977-08-16T17:00:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A date from its parts, if it exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Parses `YYYY-MM-DD`, optionally followed by `T…`.
    pub fn parse(text: &str) -> Result<Date, ValueError> {
        let t = text.trim();
        let date = t.split('T').next().unwrap_or_default();
        let err = || ValueError::Date(text.chars().take(40).collect());
        let mut parts = date.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let num = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        let (Some(y), Some(m), Some(d)) = (num(y), num(m), num(d)) else {
            return Err(err());
        };
        Date::new(y as i32, m as u8, d as u8).ok_or_else(err)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month (1–12).
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Date, ValueError> {
        Date::parse(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

/// A measurand of a comparison: what is measured, in which unit, around which nominal value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurand {
    /// Identifier within the comparison (`Co-60`, `1`, `PCB 105`).
    pub id: String,
    /// The quantity in words (`activity of Co-60 (SIR equivalent activity)`).
    pub quantity: String,
    /// The unit of results (validated through `sevres-si`).
    pub unit: Unit,
    /// Nominal value, in `unit`, if the protocol states one.
    pub nominal: Option<f64>,
}

impl Measurand {
    /// A measurand; the nominal value must be finite.
    pub fn new(
        id: impl Into<String>,
        quantity: impl Into<String>,
        unit: Unit,
        nominal: Option<f64>,
    ) -> Result<Measurand, ValueError> {
        let id = id.into();
        if id.trim().is_empty() {
            return Err(ValueError::Empty("measurand id"));
        }
        if let Some(v) = nominal {
            finite("nominal value", v)?;
        }
        Ok(Measurand {
            id,
            quantity: quantity.into(),
            unit,
            nominal,
        })
    }
}

/// A metrology institute (NMI or designated institute) as listed in the KCDB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institute {
    /// Acronym.
    pub code: InstituteCode,
    /// Full name.
    pub name: String,
    /// Country or economy (`Chinese Taipei`), if any (international organisations have none).
    pub country: Option<String>,
    /// Regional metrology organisation, if any.
    pub rmo: Option<Rmo>,
    /// ROR identifier.
    pub ror: Option<Ror>,
    /// Former acronyms (`AAEC` for ANSTO).
    pub former_codes: Vec<String>,
    /// Postal address, if known.
    pub address: Option<String>,
}

/// A comparison registered in the KCDB.
///
/// `kind` and `scope` are not fields: they are read from the identifier
/// ([`Comparison::kind`], [`Comparison::scope`]) so they can never disagree with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Identifier.
    pub id: ComparisonId,
    /// Title (`Activity measurements of the radionuclide Co-60`).
    pub title: String,
    /// Consultative committee under which it falls (from the identifier by default).
    pub committee: Option<ConsultativeCommittee>,
    /// Metrology area (from the identifier by default).
    pub area: Option<MetrologyArea>,
    /// Pilot institute.
    pub pilot: InstituteCode,
    /// Lifecycle stage.
    pub status: Status,
    /// Measurands.
    pub measurands: Vec<Measurand>,
    /// Participating institutes (the pilot included when it measures).
    pub participants: Vec<InstituteCode>,
    /// For an RMO (or subsequent bilateral) comparison, the CIPM comparison it is linked to.
    pub parent: Option<ComparisonId>,
    /// DOI of the final report.
    pub report_doi: Option<Doi>,
}

impl Comparison {
    /// A newly registered comparison: committee and area from the identifier, no measurands, no
    /// participants, status [`Status::Registered`].
    pub fn new(id: ComparisonId, title: impl Into<String>, pilot: InstituteCode) -> Comparison {
        Comparison {
            committee: id.committee(),
            area: id.metrology_area(),
            id,
            title: title.into(),
            pilot,
            status: Status::Registered,
            measurands: Vec::new(),
            participants: Vec::new(),
            parent: None,
            report_doi: None,
        }
    }

    /// Key or supplementary (from the identifier).
    pub fn kind(&self) -> ComparisonKind {
        self.id.kind()
    }

    /// CIPM or RMO (from the identifier).
    pub fn scope(&self) -> Scope {
        self.id.scope()
    }

    /// Whether `institute` participates (or pilots).
    pub fn involves(&self, institute: &InstituteCode) -> bool {
        self.pilot == *institute || self.participants.contains(institute)
    }
}

/// One institute's result for one measurand of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultEntry {
    /// The comparison.
    pub comparison: ComparisonId,
    /// The measurand's id within the comparison.
    pub measurand: String,
    /// The institute.
    pub institute: InstituteCode,
    /// Measured value, in the measurand's unit.
    pub value: f64,
    /// Standard uncertainty (> 0).
    pub standard_uncertainty: f64,
    /// Coverage factor stated by the institute (> 0).
    pub coverage_factor: Option<f64>,
    /// Expanded uncertainty stated by the institute (> 0).
    pub expanded_uncertainty: Option<f64>,
    /// Effective degrees of freedom (> 0).
    pub dof: Option<f64>,
    /// Whether the result contributes to the reference value.
    pub in_reference: bool,
    /// Account (or person) that submitted it.
    pub submitted_by: String,
    /// Date of submission.
    pub date: Date,
}

impl ResultEntry {
    /// Checks the numbers: finite value, positive uncertainty, coverage factor, expanded
    /// uncertainty and degrees of freedom.
    pub fn validate(&self) -> Result<(), ValueError> {
        finite("value", self.value)?;
        positive("standard uncertainty", self.standard_uncertainty)?;
        if let Some(k) = self.coverage_factor {
            positive("coverage factor", k)?;
        }
        if let Some(u) = self.expanded_uncertainty {
            positive("expanded uncertainty", u)?;
        }
        if let Some(n) = self.dof {
            positive("degrees of freedom", n)?;
        }
        if self.measurand.trim().is_empty() {
            return Err(ValueError::Empty("measurand"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_moves_one_step_forward() {
        for (i, from) in Status::ALL.into_iter().enumerate() {
            for (j, to) in Status::ALL.into_iter().enumerate() {
                assert_eq!(from.can_move_to(to), j == i + 1, "{from} -> {to}");
            }
            assert_eq!(from.name().parse::<Status>(), Ok(from));
        }
        assert_eq!(Status::Published.next(), None);
        assert!("draft".parse::<Status>().is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse("1977-08-16T17:00:00Z").unwrap().to_string(),
            "1977-08-16"
        );
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2024-2-9").is_err());
        assert!(Date::parse("+024-02-09").is_err());
        assert!(Date::parse("").is_err());
    }

    #[test]
    fn comparison_defaults_from_id() {
        let id = ComparisonId::parse("EURAMET.EM-S42").unwrap();
        let c = Comparison::new(id, "t", InstituteCode::parse("PTB").unwrap());
        assert_eq!(c.committee, Some(ConsultativeCommittee::Ccem));
        assert_eq!(c.scope(), Scope::Rmo(Rmo::Euramet));
        assert_eq!(c.kind(), ComparisonKind::Supplementary);
        assert_eq!(c.status, Status::Registered);
    }
}
