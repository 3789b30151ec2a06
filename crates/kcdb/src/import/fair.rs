//! Importer of the BIPM "FAIR" key-comparison XML (namespace `KC_Schema`, values in PTB D-SI),
//! as published for the BIPM.RI(II)-K1 (SIR) comparisons in `TheBIPM/CCRI-II-KC`.
//!
//! Structure read (local element names; namespaces are not checked because the published files
//! do not validate against their own XSD, `KC_model_RI_II.xsd`):
//!
//! ```text
//! comparison
//!   generalInformation/{comparisonCode, serviceCategoryID?, siDigitalFrameworkRadionuclide?,
//!                       pilot/{acronym, ror?}}
//!   comparisonData/release*/{doi, year, kcrv: quantity,
//!                            degreesOfEquivalence*/{linkedComparison?, degreeOfEquivalence*/{
//!                                laboratory/{acronym?, pastAcronyms?, ror?}, result: quantity}}}
//!   comparisonMetadata/submission*/{laboratory, year, inKCRV, doeValid,
//!       laboratoryMeasurements/measurement*/{referenceDate, solutionID, methodID, description,
//!                                            activity/measurementResult: quantity},
//!       bipmMeasurements/bipmMeasurement*/{solutions/solutionID*, methods/method*,
//!           referenceSource, fromLinkedComparison?, equivalentActivity/sirResult: quantity}}
//! quantity = dsi:value, dsi:unit, and either dsi:expandedUnc/{uncertainty, coverageFactor,
//!            coverageProbability} (D-SI 1.x) or dsi:measurementUncertaintyUnivariate/
//!            {standardMU/valueStandardMU | expandedMU/{valueExpandedMU, coverageFactor,
//!            coverageProbability}} (D-SI 2.x)
//! ```
//!
//! Both uncertainty forms occur (the Co-60 file uses the first, Cs-137 and Ga-67 the second).
//! Units are read with [`Unit::normalise`] (`" kBq "` → `\kilo\becquerel`, reported as a
//! warning); an empty KCRV unit takes the unit of the previous release (or of the SIR results),
//! an empty DoE unit that of the previous DoE, with a warning.
//!
//! The KCRV, the DoEs and the identifiers are required (a malformed one is an error naming the
//! element); a laboratory measurement or SIR result that cannot be read is skipped with a
//! warning, so that one odd historical record does not hide a whole comparison.
//!
//! Security: the XML is parsed by `roxmltree`, which never loads external resources (it has no
//! I/O; external entities are not resolved). Its default options, used here, refuse any
//! non-empty DOCTYPE, so entity declarations — internal (billion laughs) or external — are
//! refused with [`FairError::Doctype`] before any expansion.

use roxmltree::{Document, Node, ParsingOptions};

use super::{Warning, MAX_INPUT_BYTES};
use crate::id::{ComparisonId, Doi, InstituteCode, Ror};
use crate::model::{Comparison, Date, Measurand, Status};
use crate::unit::Unit;

/// Maximum number of XML nodes (elements, text, attributes) accepted.
const NODES_LIMIT: u32 = 10_000_000;

/// Why a FAIR file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FairError {
    /// Larger than [`MAX_INPUT_BYTES`].
    #[error("input of {0} bytes exceeds the limit")]
    TooLarge(usize),
    /// A DOCTYPE (and so possible entity declarations) is present.
    #[error(
        "line {line}, column {column}: DOCTYPE declarations are refused (no DTD, no entities)"
    )]
    Doctype {
        /// Line (1-based).
        line: u32,
        /// Column (1-based).
        column: u32,
    },
    /// Not well-formed XML.
    #[error("line {line}, column {column}: malformed XML: {message}")]
    Xml {
        /// Line (1-based).
        line: u32,
        /// Column (1-based).
        column: u32,
        /// The parser's message.
        message: String,
    },
    /// A required element is missing.
    #[error("line {line}, column {column}: {path} has no {element}")]
    Missing {
        /// Line of the parent element.
        line: u32,
        /// Column of the parent element.
        column: u32,
        /// Path of the parent element.
        path: String,
        /// The missing element's local name.
        element: &'static str,
    },
    /// An element whose content is invalid.
    #[error("line {line}, column {column}: {path}: {message}")]
    Invalid {
        /// Line (1-based).
        line: u32,
        /// Column (1-based).
        column: u32,
        /// Element path.
        path: String,
        /// The reason.
        message: String,
    },
}

/// An uncertainty as stated in the file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Uncertainty {
    /// A standard uncertainty.
    Standard(f64),
    /// An expanded uncertainty with its coverage factor (and probability, if stated).
    Expanded {
        /// `U`.
        expanded: f64,
        /// `k`.
        coverage_factor: f64,
        /// Coverage probability (0.95).
        coverage_probability: Option<f64>,
    },
}

impl Uncertainty {
    /// The standard uncertainty (`U / k` for an expanded one).
    pub fn standard(&self) -> f64 {
        match *self {
            Uncertainty::Standard(u) => u,
            Uncertainty::Expanded {
                expanded,
                coverage_factor,
                ..
            } => expanded / coverage_factor,
        }
    }

    /// The coverage factor (1 for a standard uncertainty).
    pub fn coverage_factor(&self) -> f64 {
        match *self {
            Uncertainty::Standard(_) => 1.0,
            Uncertainty::Expanded {
                coverage_factor, ..
            } => coverage_factor,
        }
    }

    /// The uncertainty as stated (`U`, or `u` for a standard uncertainty).
    pub fn stated(&self) -> f64 {
        match *self {
            Uncertainty::Standard(u) => u,
            Uncertainty::Expanded { expanded, .. } => expanded,
        }
    }
}

/// A D-SI real quantity: value, unit and (optional) uncertainty.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The value.
    pub value: f64,
    /// The unit (normalised to D-SI).
    pub unit: Unit,
    /// The uncertainty, if stated.
    pub uncertainty: Option<Uncertainty>,
}

/// A laboratory as referenced in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabRef {
    /// The acronym as written (may be empty: some DoEs name the laboratory by ROR only).
    pub acronym: String,
    /// The acronym as an institute code, when it is a valid one.
    pub code: Option<InstituteCode>,
    /// Former acronyms (`LMRI, LPRI, BNM-LNHB`).
    pub past_acronyms: Vec<String>,
    /// ROR identifier, if given and valid.
    pub ror: Option<Ror>,
}

impl LabRef {
    /// A label for tables and charts: the acronym, else the ROR identifier, else `?`.
    pub fn label(&self) -> String {
        if !self.acronym.is_empty() {
            self.acronym.clone()
        } else if let Some(r) = &self.ror {
            r.id().to_string()
        } else {
            "?".to_string()
        }
    }
}

/// One degree of equivalence `D_i` with its expanded uncertainty.
#[derive(Debug, Clone, PartialEq)]
pub struct Doe {
    /// The laboratory.
    pub lab: LabRef,
    /// `D_i` with unit and (expanded) uncertainty `U_i`.
    pub result: Quantity,
}

/// DoEs obtained through a linked (RMO or earlier CCRI) comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedDoes {
    /// The linked comparison's code as written (`COOMET.RI(II)-K2.Cs-137(2007)`).
    pub code: String,
    /// The code as an identifier, when valid.
    pub id: Option<ComparisonId>,
    /// Consultative committee element, if given (`CCRI(II)`).
    pub committee: Option<String>,
    /// RMO element, if given (`COOMET.RI`).
    pub rmo: Option<String>,
    /// Year.
    pub year: Option<i32>,
    /// DOI of its report.
    pub doi: Option<Doi>,
    /// The DoEs.
    pub does: Vec<Doe>,
}

/// One publication of the KCRV and DoEs (a KCDB update with its report).
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    /// DOI of the report, if any (the latest release may have none yet).
    pub doi: Option<Doi>,
    /// Year.
    pub year: Option<i32>,
    /// Key comparison reference value.
    pub kcrv: Quantity,
    /// DoEs of the participants of this comparison.
    pub does: Vec<Doe>,
    /// DoEs of participants linked through other comparisons.
    pub linked: Vec<LinkedDoes>,
}

/// A laboratory's own measurement of its solution.
#[derive(Debug, Clone, PartialEq)]
pub struct LabMeasurement {
    /// Reference date.
    pub reference_date: Option<Date>,
    /// Solution (ampoule) identifier.
    pub solution_id: String,
    /// Method codes (`4P-PC-BP-NA-GR-CO`, see `Acronyms.csv`); several when joined by `&`.
    pub methods: Vec<String>,
    /// Free-text description.
    pub description: String,
    /// The activity measured.
    pub activity: Quantity,
}

/// An equivalent activity measured in the SIR at the BIPM.
#[derive(Debug, Clone, PartialEq)]
pub struct SirResult {
    /// Solutions measured.
    pub solution_ids: Vec<String>,
    /// Method codes.
    pub methods: Vec<String>,
    /// Reference source number, as written.
    pub reference_source: Option<String>,
    /// The comparison the result was linked from, if any.
    pub from_linked_comparison: Option<String>,
    /// The equivalent activity `A_e`.
    pub equivalent_activity: Quantity,
}

/// One laboratory's submission (ampoules sent to the SIR in one year).
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The laboratory.
    pub lab: LabRef,
    /// Year.
    pub year: Option<i32>,
    /// Whether the submission contributes to the KCRV.
    pub in_kcrv: bool,
    /// Whether the submission gives a valid DoE.
    pub doe_valid: bool,
    /// The laboratory's measurements.
    pub measurements: Vec<LabMeasurement>,
    /// The SIR results.
    pub sir_results: Vec<SirResult>,
}

impl Submission {
    /// The earliest reference date of the laboratory's measurements.
    pub fn date(&self) -> Option<Date> {
        self.measurements
            .iter()
            .filter_map(|m| m.reference_date)
            .min()
    }

    /// The distinct method codes of the laboratory's measurements.
    pub fn methods(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in self.measurements.iter().flat_map(|m| &m.methods) {
            if !out.contains(m) {
                out.push(m.clone());
            }
        }
        out
    }
}

/// Everything read from a FAIR file.
#[derive(Debug, Clone, PartialEq)]
pub struct FairComparison {
    /// The comparison (status [`Status::Published`]; one measurand, the activity of the
    /// radionuclide in the unit of the latest KCRV; participants = the submitting laboratories;
    /// report DOI = that of the latest release having one).
    pub comparison: Comparison,
    /// Service category URL (`https://si-digital-framework.org/kcdb-sc/RI/RAD-1.3.1`), if given.
    pub service_category: Option<String>,
    /// The radionuclide (`Co-60`), from `siDigitalFrameworkRadionuclide` or the identifier.
    pub radionuclide: Option<String>,
    /// KCRV releases, in file order.
    pub releases: Vec<Release>,
    /// Submissions, in file order.
    pub submissions: Vec<Submission>,
    /// What was normalised or skipped.
    pub warnings: Vec<Warning>,
}

impl FairComparison {
    /// The latest release: the one with the greatest year, the last in the file among equals.
    pub fn latest_release(&self) -> Option<&Release> {
        latest(&self.releases)
    }
}

fn latest(releases: &[Release]) -> Option<&Release> {
    releases
        .iter()
        .enumerate()
        .max_by_key(|(i, r)| (r.year, *i))
        .map(|(_, r)| r)
}

struct Ctx<'a, 'input> {
    doc: &'a Document<'input>,
    warnings: Vec<Warning>,
}

fn local<'a, 'i>(node: Node<'a, 'i>) -> &'a str {
    node.tag_name().name()
}

fn children<'a, 'i: 'a>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && local(*c) == name)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && local(*c) == name)
}

/// The element's text content (all descendant text), trimmed.
fn text(node: Node<'_, '_>) -> String {
    let mut s = String::new();
    for d in node.descendants().filter(|d| d.is_text()) {
        s.push_str(d.text().unwrap_or_default());
    }
    s.trim().to_string()
}

fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name).map(text).filter(|s| !s.is_empty())
}

/// `comparison/comparisonData/release[4]/kcrv`.
fn path(node: Node<'_, '_>) -> String {
    let mut parts = Vec::new();
    for n in node.ancestors().filter(Node::is_element) {
        let name = local(n);
        let same: Vec<_> = n
            .parent()
            .map(|p| children(p, name).collect())
            .unwrap_or_default();
        if same.len() > 1 {
            let i = same.iter().position(|s| *s == n).unwrap_or(0) + 1;
            parts.push(format!("{name}[{i}]"));
        } else {
            parts.push(name.to_string());
        }
    }
    parts.reverse();
    parts.join("/")
}

impl Ctx<'_, '_> {
    fn pos(&self, node: Node<'_, '_>) -> (u32, u32) {
        let p = self.doc.text_pos_at(node.range().start);
        (p.row, p.col)
    }

    fn at(&self, node: Node<'_, '_>) -> String {
        let (line, column) = self.pos(node);
        format!("line {line}, column {column} ({})", path(node))
    }

    fn warn(&mut self, node: Node<'_, '_>, message: String) {
        let at = self.at(node);
        self.warnings.push(Warning { at, message });
    }

    fn invalid(&self, node: Node<'_, '_>, message: String) -> FairError {
        let (line, column) = self.pos(node);
        FairError::Invalid {
            line,
            column,
            path: path(node),
            message,
        }
    }

    fn require<'a, 'i>(
        &self,
        node: Node<'a, 'i>,
        element: &'static str,
    ) -> Result<Node<'a, 'i>, FairError> {
        child(node, element).ok_or_else(|| {
            let (line, column) = self.pos(node);
            FairError::Missing {
                line,
                column,
                path: path(node),
                element,
            }
        })
    }

    fn number(&self, node: Node<'_, '_>) -> Result<f64, FairError> {
        let t = text(node);
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.invalid(node, format!("{t:?} is not a finite number"))),
        }
    }

    fn positive(&self, node: Node<'_, '_>) -> Result<f64, FairError> {
        let v = self.number(node)?;
        if v > 0.0 {
            Ok(v)
        } else {
            Err(self.invalid(node, format!("{v} must be positive")))
        }
    }

    fn year(&mut self, node: Node<'_, '_>) -> Option<i32> {
        let y = child(node, "year")?;
        let t = text(y);
        match t.parse::<i32>() {
            Ok(v) if (1000..=9999).contains(&v) => Some(v),
            _ if t.is_empty() => None,
            _ => {
                self.warn(y, format!("year {t:?} ignored"));
                None
            }
        }
    }

    fn boolean(&mut self, node: Node<'_, '_>, name: &'static str) -> bool {
        let Some(n) = child(node, name) else {
            self.warn(node, format!("no {name}; taken as false"));
            return false;
        };
        match text(n).to_ascii_lowercase().as_str() {
            "true" | "1" => true,
            "false" | "0" => false,
            other => {
                let other = other.to_string();
                self.warn(n, format!("{other:?} is not a boolean; taken as false"));
                false
            }
        }
    }

    fn doi(&mut self, node: Node<'_, '_>) -> Option<Doi> {
        let n = child(node, "doi")?;
        let t = text(n);
        if t.is_empty() {
            return None;
        }
        match Doi::parse(&t) {
            Ok(d) => Some(d),
            Err(e) => {
                self.warn(n, format!("{e}; ignored"));
                None
            }
        }
    }

    /// Reads value, unit and uncertainty below `node`. `fallback` is used for an empty unit.
    fn quantity(
        &mut self,
        node: Node<'_, '_>,
        fallback: Option<&Unit>,
    ) -> Result<Quantity, FairError> {
        let value = self.number(self.require(node, "value")?)?;
        let unit_node = self.require(node, "unit")?;
        let raw: String = unit_node
            .descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect();
        let unit = if raw.trim().is_empty() {
            let Some(f) = fallback else {
                return Err(self.invalid(unit_node, "empty unit".into()));
            };
            self.warn(unit_node, format!("empty unit; taken as {}", f.text()));
            f.clone()
        } else {
            match Unit::normalise(&raw) {
                Ok((u, change)) => {
                    if let Some(c) = change {
                        self.warn(unit_node, c.to_string());
                    }
                    u
                }
                Err(e) => return Err(self.invalid(unit_node, e.to_string())),
            }
        };
        let uncertainty = self.uncertainty(node)?;
        Ok(Quantity {
            value,
            unit,
            uncertainty,
        })
    }

    fn uncertainty(&mut self, node: Node<'_, '_>) -> Result<Option<Uncertainty>, FairError> {
        // D-SI 1.x: expandedUnc/{uncertainty, coverageFactor, coverageProbability}.
        if let Some(e) = child(node, "expandedUnc") {
            return self.expanded(e, "uncertainty").map(Some);
        }
        // D-SI 2.x: measurementUncertaintyUnivariate/{standardMU | expandedMU}.
        if let Some(mu) = child(node, "measurementUncertaintyUnivariate") {
            if let Some(s) = child(mu, "standardMU") {
                let v = self.positive(self.require(s, "valueStandardMU")?)?;
                return Ok(Some(Uncertainty::Standard(v)));
            }
            if let Some(e) = child(mu, "expandedMU") {
                return self.expanded(e, "valueExpandedMU").map(Some);
            }
            return Err(self.invalid(mu, "neither standardMU nor expandedMU".into()));
        }
        Ok(None)
    }

    fn expanded(&mut self, e: Node<'_, '_>, value: &'static str) -> Result<Uncertainty, FairError> {
        let expanded = self.positive(self.require(e, value)?)?;
        let coverage_factor = self.positive(self.require(e, "coverageFactor")?)?;
        let coverage_probability = match child(e, "coverageProbability") {
            Some(p) => {
                let v = self.number(p)?;
                if !(v > 0.0 && v <= 1.0) {
                    return Err(self.invalid(p, format!("{v} is not a probability")));
                }
                Some(v)
            }
            None => None,
        };
        Ok(Uncertainty::Expanded {
            expanded,
            coverage_factor,
            coverage_probability,
        })
    }

    fn lab(&mut self, node: Node<'_, '_>) -> LabRef {
        let acronym = child_text(node, "acronym").unwrap_or_default();
        let code = if acronym.is_empty() {
            None
        } else {
            match InstituteCode::parse(&acronym) {
                Ok(c) => Some(c),
                Err(e) => {
                    self.warn(node, format!("acronym {acronym:?}: {e}"));
                    None
                }
            }
        };
        let past_acronyms = child_text(node, "pastAcronyms")
            .map(|t| {
                t.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let ror = match child(node, "ror") {
            Some(r) if !text(r).is_empty() => match Ror::parse(&text(r)) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.warn(r, format!("{e}; ignored"));
                    None
                }
            },
            _ => None,
        };
        if acronym.is_empty() && ror.is_none() {
            self.warn(node, "laboratory with neither acronym nor ROR".into());
        }
        LabRef {
            acronym,
            code,
            past_acronyms,
            ror,
        }
    }

    fn does(
        &mut self,
        block: Node<'_, '_>,
        last_unit: &mut Option<Unit>,
    ) -> Result<Vec<Doe>, FairError> {
        let mut out = Vec::new();
        for d in children(block, "degreeOfEquivalence") {
            let lab = self.lab(self.require(d, "laboratory")?);
            let result = self.quantity(self.require(d, "result")?, last_unit.as_ref())?;
            *last_unit = Some(result.unit.clone());
            out.push(Doe { lab, result });
        }
        Ok(out)
    }

    fn release(
        &mut self,
        r: Node<'_, '_>,
        kcrv_fallback: Option<&Unit>,
        doe_unit: &mut Option<Unit>,
    ) -> Result<Release, FairError> {
        let doi = self.doi(r);
        let year = self.year(r);
        let kcrv = self.quantity(self.require(r, "kcrv")?, kcrv_fallback)?;
        if kcrv.uncertainty.is_none() {
            self.warn(r, "KCRV without uncertainty".into());
        }
        let mut does = Vec::new();
        let mut linked = Vec::new();
        for block in children(r, "degreesOfEquivalence") {
            let entries = self.does(block, doe_unit)?;
            match child(block, "linkedComparison") {
                None => does.extend(entries),
                Some(l) => {
                    let code = child_text(l, "comparisonCode").unwrap_or_default();
                    let id = match ComparisonId::parse(&code) {
                        Ok(id) => Some(id),
                        Err(e) => {
                            self.warn(l, format!("linked comparison {code:?}: {e}"));
                            None
                        }
                    };
                    linked.push(LinkedDoes {
                        id,
                        code,
                        committee: child_text(l, "consultativeCommittee"),
                        rmo: child_text(l, "rmo"),
                        year: self.year(l),
                        doi: self.doi(l),
                        does: entries,
                    });
                }
            }
        }
        Ok(Release {
            doi,
            year,
            kcrv,
            does,
            linked,
        })
    }

    fn methods(text: &str) -> Vec<String> {
        text.split('&')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }

    fn submission(
        &mut self,
        s: Node<'_, '_>,
        sir_unit: &mut Option<Unit>,
    ) -> Result<Submission, FairError> {
        let lab = self.lab(self.require(s, "laboratory")?);
        let year = self.year(s);
        let in_kcrv = self.boolean(s, "inKCRV");
        let doe_valid = self.boolean(s, "doeValid");
        let mut measurements = Vec::new();
        for m in children(s, "laboratoryMeasurements").flat_map(|l| children(l, "measurement")) {
            let reference_date = match child_text(m, "referenceDate") {
                None => None,
                Some(t) => match Date::parse(&t) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        self.warn(m, format!("{e}; ignored"));
                        None
                    }
                },
            };
            let activity = match child(m, "activity").and_then(|a| child(a, "measurementResult")) {
                Some(q) => match self.quantity(q, None) {
                    Ok(q) => q,
                    Err(e) => {
                        self.warn(m, format!("measurement skipped: {e}"));
                        continue;
                    }
                },
                None => {
                    self.warn(
                        m,
                        "measurement without activity/measurementResult skipped".into(),
                    );
                    continue;
                }
            };
            measurements.push(LabMeasurement {
                reference_date,
                solution_id: child_text(m, "solutionID").unwrap_or_default(),
                methods: Self::methods(&child_text(m, "methodID").unwrap_or_default()),
                description: child_text(m, "description").unwrap_or_default(),
                activity,
            });
        }
        let mut sir_results = Vec::new();
        for b in children(s, "bipmMeasurements").flat_map(|l| children(l, "bipmMeasurement")) {
            let q = match child(b, "equivalentActivity").and_then(|a| child(a, "sirResult")) {
                Some(q) => match self.quantity(q, sir_unit.as_ref()) {
                    Ok(q) => q,
                    Err(e) => {
                        self.warn(b, format!("SIR result skipped: {e}"));
                        continue;
                    }
                },
                None => {
                    self.warn(
                        b,
                        "bipmMeasurement without equivalentActivity/sirResult skipped".into(),
                    );
                    continue;
                }
            };
            sir_unit.get_or_insert_with(|| q.unit.clone());
            sir_results.push(SirResult {
                solution_ids: children(b, "solutions")
                    .flat_map(|x| children(x, "solutionID"))
                    .map(text)
                    .filter(|t| !t.is_empty())
                    .collect(),
                methods: children(b, "methods")
                    .flat_map(|x| children(x, "method"))
                    .flat_map(|m| Self::methods(&text(m)))
                    .collect(),
                reference_source: child_text(b, "referenceSource"),
                from_linked_comparison: child_text(b, "fromLinkedComparison"),
                equivalent_activity: q,
            });
        }
        Ok(Submission {
            lab,
            year,
            in_kcrv,
            doe_valid,
            measurements,
            sir_results,
        })
    }
}

/// Imports a FAIR key-comparison XML document.
pub fn import_fair(xml: &str) -> Result<FairComparison, FairError> {
    if xml.len() > MAX_INPUT_BYTES {
        return Err(FairError::TooLarge(xml.len()));
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: NODES_LIMIT,
    };
    let doc = Document::parse_with_options(xml, options).map_err(|e| {
        let p = e.pos();
        match e {
            roxmltree::Error::DtdDetected => FairError::Doctype {
                line: p.row,
                column: p.col,
            },
            other => FairError::Xml {
                line: p.row,
                column: p.col,
                message: other.to_string(),
            },
        }
    })?;
    let mut cx = Ctx {
        doc: &doc,
        warnings: Vec::new(),
    };
    let root = doc.root_element();
    if local(root) != "comparison" {
        return Err(cx.invalid(
            root,
            format!("root element is '{}', expected 'comparison'", local(root)),
        ));
    }
    let general = cx.require(root, "generalInformation")?;
    let code_node = cx.require(general, "comparisonCode")?;
    let id =
        ComparisonId::parse(&text(code_node)).map_err(|e| cx.invalid(code_node, e.to_string()))?;
    let pilot_node = cx.require(general, "pilot")?;
    let pilot_acronym = cx.require(pilot_node, "acronym")?;
    let pilot = InstituteCode::parse(&text(pilot_acronym))
        .map_err(|e| cx.invalid(pilot_acronym, e.to_string()))?;
    let service_category = child_text(general, "serviceCategoryID");
    let radionuclide = child_text(general, "siDigitalFrameworkRadionuclide")
        .and_then(|u| u.rsplit('/').next().map(String::from))
        .filter(|s| !s.is_empty())
        .or_else(|| id.suffix().map(String::from));

    // Submissions first: their SIR unit is the last resort for an empty KCRV unit.
    let mut sir_unit = None;
    let mut submissions = Vec::new();
    if let Some(meta) = child(root, "comparisonMetadata") {
        for s in children(meta, "submission") {
            submissions.push(cx.submission(s, &mut sir_unit)?);
        }
    }
    let data = cx.require(root, "comparisonData")?;
    let mut releases: Vec<Release> = Vec::new();
    let mut doe_unit = None;
    for r in children(data, "release") {
        let fallback = releases
            .last()
            .map(|r| r.kcrv.unit.clone())
            .or_else(|| sir_unit.clone());
        releases.push(cx.release(r, fallback.as_ref(), &mut doe_unit)?);
    }
    if releases.is_empty() {
        cx.require(data, "release")?;
    }

    let mut comparison = Comparison::new(
        id.clone(),
        match &radionuclide {
            Some(n) => format!("Activity measurements of the radionuclide {n} (SIR)"),
            None => id.to_string(),
        },
        pilot,
    );
    comparison.status = Status::Published;
    if let Some(latest) = latest(&releases) {
        let nuclide = radionuclide.clone().unwrap_or_else(|| id.to_string());
        let quantity = format!("activity of {nuclide} (SIR equivalent activity)");
        if let Ok(m) = Measurand::new(nuclide, quantity, latest.kcrv.unit.clone(), None) {
            comparison.measurands.push(m);
        }
    }
    comparison.report_doi = releases
        .iter()
        .enumerate()
        .filter(|(_, r)| r.doi.is_some())
        .max_by_key(|(i, r)| (r.year, *i))
        .and_then(|(_, r)| r.doi.clone());
    for s in &submissions {
        if let Some(c) = &s.lab.code {
            if !comparison.participants.contains(c) {
                comparison.participants.push(c.clone());
            }
        }
    }
    Ok(FairComparison {
        comparison,
        service_category,
        radionuclide,
        releases,
        submissions,
        warnings: cx.warnings,
    })
}
