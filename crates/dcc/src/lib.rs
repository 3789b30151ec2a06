//! Digital Calibration Certificates (PTB's DCC XML 3.x): checking and rendering.
//!
//! A DCC is an XML document (namespace `https://ptb.de/dcc`, quantities in PTB's D-SI format,
//! `https://ptb.de/si`) that a calibration laboratory issues instead of a paper certificate. This
//! crate answers "is this certificate correct, and is it backed by the laboratory's published
//! capabilities?", and shows it to a person:
//!
//! 1. **Input guard** ([`parse`]): before any parsing, input larger than [`Limits::max_size`]
//!    is refused; any DOCTYPE is refused (DCCs have none, so billion-laughs and external-entity
//!    files are rejected with [`InputError::Doctype`]); element depth is bounded; the root must be
//!    `dcc:digitalCalibrationCertificate` with a supported `schemaVersion` (3.0.0, 3.1.0–3.1.2,
//!    3.2.0, 3.3.0; 2.x and unreleased versions are [`InputError::UnsupportedVersion`]).
//! 2. **XSD validation** against PTB's official schemas, embedded in the binary and chosen by
//!    `schemaVersion`, through libxml2 (the engine of `xmllint` and `lxml`); no network, no file
//!    access. The choice of validator is explained in the `xsd` module (source) and `docs/dcc.md`.
//! 3. **Semantic checks** in the spirit of PTB's Schematron rules (`dcc.sch`): references resolve,
//!    languages declared, ISO codes, dates in order, list lengths and spacing, relative
//!    uncertainties consistent, uncertainties well formed, every D-SI unit valid (through
//!    `sevres-si`). Each finding has a stable code (`docs/dcc.md` lists them).
//! 4. **Traceability** ([`traceability`]): each calibrated quantity against the issuing
//!    laboratory's CMCs (`sevres-cmc`): in range, and claimed uncertainty not below the CMC's.
//! 5. **Rendering** ([`render_html`]): an HTML page in a language the DCC declares.
//!
//! The [`Report`] lists every finding, not only the first. Signatures are verified elsewhere
//! (`sevres-xmldsig`); the caller records the outcome with [`Report::set_signature`], and
//! [`Report::valid`] accounts for it.
//!
//! Pure library: bytes in, values out; no I/O beyond [`read_limited`], which reads from a
//! caller-supplied reader. Nothing panics on any input ([`fuzz_check`] is the fuzzing entry).
//!
//! ```no_run
//! let xml = std::fs::read("certificate.xml").unwrap();
//! let report = sevres_dcc::check_report(&xml, &sevres_dcc::Options::default());
//! println!("{}", report.to_json("certificate.xml"));
//! ```

mod iso_codes;
mod lines;
mod render;
mod report;
mod semantic;
mod signature;
pub mod traceability;
mod xsd;

use std::io::Read;

pub use render::render_html;
pub use report::{Finding, Report, SignatureStatus, SIG_NOT_VERIFIED};
pub use sevres_xmldsig::{Timestamp, TrustAnchors};
pub use traceability::{CmcCheck, LabMatch, Trace, TraceStatus};

/// Namespace of the DCC schema.
pub const NS_DCC: &str = "https://ptb.de/dcc";
/// Namespace of the D-SI schema.
pub const NS_SI: &str = "https://ptb.de/si";
/// Namespace of W3C XML Signature.
pub const NS_DS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Default for [`Limits::max_size`]: 64 MiB (the largest public DCCs are a few MiB).
pub const DEFAULT_MAX_SIZE: usize = 64 << 20;
/// Default for [`Limits::max_depth`]: 128 (DCCs nest about 20 deep; libxml2's own limit is 256).
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// Bounds applied to input before and during parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_size: usize,
    /// Deepest element nesting accepted (the root is depth 1).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_size: DEFAULT_MAX_SIZE,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// What [`check`] does.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Input bounds.
    pub limits: Limits,
    /// Run the XSD validation (default true).
    pub xsd: bool,
    /// Run the semantic (Schematron-style) checks (default true).
    pub semantic: bool,
    /// CMCs for the traceability check; `None` skips it.
    pub cmcs: Option<&'a sevres_cmc::Registry>,
    /// Verify the XML signature of a signed DCC (default true); without it a signed DCC stays
    /// `untrusted` with a `SIG-NOT-VERIFIED` warning.
    pub signature: bool,
    /// Certificates a signer must chain to; `None` trusts none, so a signature that verifies
    /// is reported `untrusted`.
    pub trust: Option<&'a TrustAnchors>,
    /// The time at which certificates must be valid; `None` uses the signing time the
    /// signature declares (XAdES `SigningTime`). The library never reads the clock.
    pub validation_time: Option<Timestamp>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            limits: Limits::default(),
            xsd: true,
            semantic: true,
            cmcs: None,
            signature: true,
            trust: None,
            validation_time: None,
        }
    }
}

/// A DCC schema version this crate validates against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemaVersion {
    /// 3.0.0 (with D-SI 2.0.0).
    V3_0_0,
    /// 3.1.0 (with D-SI 2.1.0).
    V3_1_0,
    /// 3.1.1 (with D-SI 2.1.0).
    V3_1_1,
    /// 3.1.2 (with D-SI 2.1.0).
    V3_1_2,
    /// 3.2.0 (with D-SI 2.1.0 and XML-DSig).
    V3_2_0,
    /// 3.3.0 (with D-SI 2.2.0 and XML-DSig).
    V3_3_0,
}

impl SchemaVersion {
    /// All supported versions, oldest first.
    pub const ALL: [SchemaVersion; 6] = [
        SchemaVersion::V3_0_0,
        SchemaVersion::V3_1_0,
        SchemaVersion::V3_1_1,
        SchemaVersion::V3_1_2,
        SchemaVersion::V3_2_0,
        SchemaVersion::V3_3_0,
    ];

    /// The `schemaVersion` text (`3.1.2`).
    pub fn as_str(self) -> &'static str {
        match self {
            SchemaVersion::V3_0_0 => "3.0.0",
            SchemaVersion::V3_1_0 => "3.1.0",
            SchemaVersion::V3_1_1 => "3.1.1",
            SchemaVersion::V3_1_2 => "3.1.2",
            SchemaVersion::V3_2_0 => "3.2.0",
            SchemaVersion::V3_3_0 => "3.3.0",
        }
    }

    /// The version of a `schemaVersion` text, if supported.
    pub fn from_text(text: &str) -> Option<SchemaVersion> {
        SchemaVersion::ALL
            .into_iter()
            .find(|v| v.as_str() == text.trim())
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Whether the schema allows `ds:Signature` (DCC 3.2 and later).
    pub fn allows_signature(self) -> bool {
        self >= SchemaVersion::V3_2_0
    }
}

impl std::fmt::Display for SchemaVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an input was refused before validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Larger than [`Limits::max_size`].
    #[error("input of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Size seen (for a reader: at least this).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A document type declaration: DCCs have none; refusing it rules out entity expansion
    /// (billion laughs) and external entities.
    #[error("line {line}: DOCTYPE declarations are not allowed in a DCC (entity expansion and external entities are refused)")]
    Doctype {
        /// Line of the declaration.
        line: u32,
    },
    /// Element nesting deeper than [`Limits::max_depth`].
    #[error("line {line}: element nesting deeper than {limit}")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Line of the first element past the limit.
        line: u32,
    },
    /// Not UTF-8 (DCCs are UTF-8).
    #[error("{0}")]
    Encoding(String),
    /// Not well-formed XML.
    #[error("line {line}, column {column}: not well-formed XML: {message}")]
    Malformed {
        /// Line.
        line: u32,
        /// Column.
        column: u32,
        /// The parser's reason.
        message: String,
    },
    /// The root is not `dcc:digitalCalibrationCertificate`.
    #[error("the root element is {0}, not {{https://ptb.de/dcc}}digitalCalibrationCertificate")]
    NotDcc(String),
    /// The root has no `schemaVersion`.
    #[error("the root element has no schemaVersion attribute")]
    MissingVersion,
    /// A `schemaVersion` this crate has no schema for (2.x, unreleased 3.x).
    #[error("unsupported version: schemaVersion {0} (supported: 3.0.0, 3.1.0, 3.1.1, 3.1.2, 3.2.0, 3.3.0)")]
    UnsupportedVersion(String),
    /// Reading from the supplied reader failed.
    #[error("read error: {0}")]
    Read(String),
}

impl InputError {
    /// The stable finding code of this refusal (`INPUT-TOO-LARGE`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            InputError::TooLarge { .. } => "INPUT-TOO-LARGE",
            InputError::Doctype { .. } => "INPUT-DOCTYPE",
            InputError::TooDeep { .. } => "INPUT-TOO-DEEP",
            InputError::Encoding(_) => "INPUT-ENCODING",
            InputError::Malformed { .. } => "INPUT-MALFORMED",
            InputError::NotDcc(_) => "INPUT-NOT-DCC",
            InputError::MissingVersion => "INPUT-NO-VERSION",
            InputError::UnsupportedVersion(_) => "INPUT-UNSUPPORTED-VERSION",
            InputError::Read(_) => "INPUT-READ",
        }
    }

    /// The line the refusal refers to, when there is one.
    pub fn line(&self) -> Option<u32> {
        match self {
            InputError::Doctype { line }
            | InputError::TooDeep { line, .. }
            | InputError::Malformed { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// Reads at most `limit` bytes from `reader`: refuses a longer input after reading `limit + 1`
/// bytes, so a 1 GB stream costs at most `limit` bytes of memory.
pub fn read_limited<R: Read>(reader: R, limit: usize) -> Result<Vec<u8>, InputError> {
    let mut buf = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader
        .take(cap)
        .read_to_end(&mut buf)
        .map_err(|e| InputError::Read(e.to_string()))?;
    if buf.len() > limit {
        return Err(InputError::TooLarge {
            size: buf.len(),
            limit,
        });
    }
    Ok(buf)
}

/// A DCC that passed the input guard: the parsed tree (roxmltree, with positions) and its version.
#[derive(Debug)]
pub struct Dcc<'a> {
    doc: roxmltree::Document<'a>,
    version: SchemaVersion,
    bytes: &'a [u8],
    lines: lines::LineIndex,
}

impl<'a> Dcc<'a> {
    /// The schema version named by the root.
    pub fn version(&self) -> SchemaVersion {
        self.version
    }

    /// The parsed document.
    pub fn document(&self) -> &roxmltree::Document<'a> {
        &self.doc
    }

    /// The 1-based line of a node.
    pub fn line(&self, node: roxmltree::Node<'_, '_>) -> u32 {
        self.lines.line(node.range().start)
    }

    /// The languages declared in `dcc:coreData/dcc:usedLangCodeISO639_1`, in document order.
    pub fn languages(&self) -> Vec<String> {
        self.core_codes("usedLangCodeISO639_1")
    }

    /// The language to render in: `asked` if the DCC declares it, by default its first
    /// declared language (empty when it declares none); `Err` with the declared languages
    /// when `asked` is not among them.
    pub fn rendering_language(&self, asked: Option<&str>) -> Result<String, Vec<String>> {
        let declared = self.languages();
        match asked {
            Some(l) if declared.iter().any(|d| d == l) => Ok(l.to_string()),
            Some(_) => Err(declared),
            None => Ok(declared.into_iter().next().unwrap_or_default()),
        }
    }

    /// The languages of `dcc:coreData/dcc:mandatoryLangCodeISO639_1`.
    pub fn mandatory_languages(&self) -> Vec<String> {
        self.core_codes("mandatoryLangCodeISO639_1")
    }

    fn core_codes(&self, name: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if let Some(core) = self
            .doc
            .root_element()
            .children()
            .find(|n| is_dcc(*n, "administrativeData"))
            .and_then(|a| a.children().find(|n| is_dcc(*n, "coreData")))
        {
            for n in core.children().filter(|n| is_dcc(*n, name)) {
                let t = n.text().unwrap_or("").trim().to_string();
                if !t.is_empty() && !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// Whether the root carries a `ds:Signature` child.
    pub fn is_signed(&self) -> bool {
        self.doc
            .root_element()
            .children()
            .any(|n| n.is_element() && n.tag_name().namespace() == Some(NS_DS))
    }
}

pub(crate) fn is_dcc(n: roxmltree::Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(NS_DCC)
}

pub(crate) fn is_si(n: roxmltree::Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(NS_SI)
}

/// Line (1-based) of the first `<!DOCTYPE` outside comments, processing instructions and CDATA
/// sections, scanning only the prolog (a DOCTYPE can only occur before the root element).
fn find_doctype(bytes: &[u8]) -> Option<u32> {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        let skip_to = |end: &[u8]| -> Option<usize> {
            rest.windows(end.len())
                .position(|w| w == end)
                .map(|p| i + p + end.len())
        };
        if rest.starts_with(b"<!--") {
            i = skip_to(b"-->")?;
        } else if rest.starts_with(b"<?") {
            i = skip_to(b"?>")?;
        } else if rest.starts_with(b"<!DOCTYPE") || rest.starts_with(b"<!doctype") {
            let line = bytes[..i].iter().filter(|b| **b == b'\n').count() + 1;
            return Some(u32::try_from(line).unwrap_or(u32::MAX));
        } else {
            // The root element starts: no DOCTYPE can follow.
            return None;
        }
    }
    None
}

/// The encoding named in the XML declaration, if any.
fn declared_encoding(text: &str) -> Option<&str> {
    let decl = text.strip_prefix("<?xml")?;
    let end = decl.find("?>")?;
    let decl = &decl[..end];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let body = &rest[1..];
    Some(&body[..body.find(quote)?])
}

/// Applies the input guard and parses: see the crate documentation, step 1.
pub fn parse<'a>(xml: &'a [u8], limits: &Limits) -> Result<Dcc<'a>, InputError> {
    let text = guard(xml, limits)?;
    parse_guarded(xml, text, limits)
}

/// The cheap part of the input guard (size, encoding, no DOCTYPE), which is all libxml2 needs
/// before it may read the bytes; returns them as text.
fn guard<'a>(xml: &'a [u8], limits: &Limits) -> Result<&'a str, InputError> {
    if xml.len() > limits.max_size {
        return Err(InputError::TooLarge {
            size: xml.len(),
            limit: limits.max_size,
        });
    }
    if xml.starts_with(&[0xFE, 0xFF]) || xml.starts_with(&[0xFF, 0xFE]) || xml.starts_with(&[0, 0])
    {
        return Err(InputError::Encoding(
            "UTF-16/UTF-32 input: DCCs are read as UTF-8".into(),
        ));
    }
    if let Some(line) = find_doctype(xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml)) {
        return Err(InputError::Doctype { line });
    }
    let text = std::str::from_utf8(xml).map_err(|e| {
        InputError::Encoding(format!(
            "not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let body = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if let Some(enc) = declared_encoding(body) {
        if !enc.eq_ignore_ascii_case("utf-8") && !enc.eq_ignore_ascii_case("utf8") {
            return Err(InputError::Encoding(format!(
                "declared encoding {enc}: DCCs are read as UTF-8"
            )));
        }
    }
    Ok(text)
}

/// The `schemaVersion` of the first such attribute in the text, read without parsing: lets the
/// schema validation start before the parse that finds the root's own attribute (a mismatch,
/// e.g. from a comment naming another version, only costs a second validation).
fn presumed_version(text: &str) -> Option<SchemaVersion> {
    let at = text.find("schemaVersion")?;
    let rest = text[at + "schemaVersion".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &rest[1..];
    SchemaVersion::from_text(&value[..value.find(quote)?])
}

/// Parses text that passed [`guard`]: well-formedness, depth, root element and version.
fn parse_guarded<'a>(xml: &'a [u8], text: &'a str, limits: &Limits) -> Result<Dcc<'a>, InputError> {
    let lines = lines::LineIndex::new(xml);
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: u32::MAX,
    };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| match e {
        roxmltree::Error::DtdDetected => InputError::Doctype { line: 1 },
        other => {
            let pos = other.pos();
            InputError::Malformed {
                line: pos.row,
                column: pos.col,
                message: other.to_string(),
            }
        }
    })?;
    // Depth bound: one pass in document order, a node's depth from its parent's.
    let mut depths: Vec<u32> = Vec::new();
    for n in doc.descendants() {
        let id = n.id().get_usize();
        let parent = n
            .parent()
            .map_or(0, |p| depths.get(p.id().get_usize()).copied().unwrap_or(0));
        let d = parent + u32::from(n.is_element());
        if depths.len() <= id {
            depths.resize(id + 1, 0);
        }
        depths[id] = d;
        if d as usize > limits.max_depth {
            return Err(InputError::TooDeep {
                limit: limits.max_depth,
                line: lines.line(n.range().start),
            });
        }
    }
    let root = doc.root_element();
    if root.tag_name().name() != "digitalCalibrationCertificate"
        || root.tag_name().namespace() != Some(NS_DCC)
    {
        let name = match root.tag_name().namespace() {
            Some(ns) => format!("{{{ns}}}{}", root.tag_name().name()),
            None => root.tag_name().name().to_string(),
        };
        return Err(InputError::NotDcc(name));
    }
    let version_text = root
        .attribute("schemaVersion")
        .ok_or(InputError::MissingVersion)?;
    let version = SchemaVersion::from_text(version_text)
        .ok_or_else(|| InputError::UnsupportedVersion(version_text.chars().take(40).collect()))?;
    Ok(Dcc {
        doc,
        version,
        bytes: xml,
        lines,
    })
}

/// Checks a parsed DCC: XSD, semantic rules and (with [`Options::cmcs`]) traceability.
pub fn check_dcc(dcc: &Dcc<'_>, opts: &Options<'_>) -> Report {
    let mut report = check_except_schema(dcc, opts);
    if opts.xsd {
        add_schema_findings(&mut report, xsd::validate(dcc.bytes, dcc.version));
    }
    report
}

/// Puts the schema validation's findings first in the report, as they come first in reading.
fn add_schema_findings(report: &mut Report, schema: Result<Vec<xsd::XsdIssue>, String>) {
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    match schema {
        Ok(issues) => {
            for i in issues {
                let f = Finding {
                    code: format!("XSD{}", i.code),
                    message: i.message,
                    line: (i.line > 0).then_some(i.line),
                };
                if i.warning {
                    warnings.push(f);
                } else {
                    errors.push(f);
                }
            }
        }
        Err(e) => errors.push(Finding {
            code: "XSD-INTERNAL".into(),
            message: e,
            line: None,
        }),
    }
    report.errors.splice(0..0, errors);
    report.warnings.splice(0..0, warnings);
}

/// Everything [`check_dcc`] does but the schema validation: semantic rules, traceability and
/// the signature.
fn check_except_schema(dcc: &Dcc<'_>, opts: &Options<'_>) -> Report {
    let mut report = Report::new(Some(dcc.version.as_str().to_string()));
    if opts.semantic {
        semantic::check(dcc, &mut report);
    }
    if let Some(registry) = opts.cmcs {
        report.traceability = traceability::trace(dcc, registry);
    }
    report.mark_signed(dcc.is_signed());
    if opts.signature && dcc.is_signed() {
        signature::verify(dcc, opts, &mut report);
    }
    report
}

/// Guards, parses and checks `xml`; input refused by the guard gives `Err`.
///
/// The schema validation (libxml2, streaming over the bytes) and the parse for the semantic
/// checks (roxmltree) read the same bytes independently and take about the same time, so they
/// run on two threads: libxml2 starts once the cheap part of the guard has passed (size,
/// encoding, no DOCTYPE), with the version read from the text, while the full guard, the parse
/// and the semantic checks proceed.
pub fn check(xml: &[u8], opts: &Options<'_>) -> Result<Report, InputError> {
    let text = guard(xml, &opts.limits)?;
    let presumed = if opts.xsd {
        presumed_version(text)
    } else {
        None
    };
    let Some(presumed) = presumed else {
        let dcc = parse_guarded(xml, text, &opts.limits)?;
        return Ok(check_dcc(&dcc, opts));
    };
    std::thread::scope(|scope| {
        let schema = scope.spawn(move || xsd::validate(xml, presumed));
        let checked = parse_guarded(xml, text, &opts.limits)
            .map(|dcc| (dcc.version, check_except_schema(&dcc, opts)));
        let schema = schema
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let (version, mut report) = checked?;
        let schema = if version == presumed {
            schema
        } else {
            xsd::validate(xml, version)
        };
        add_schema_findings(&mut report, schema);
        Ok(report)
    })
}

/// Like [`check`], with a refusal folded into an invalid [`Report`] (one error whose code is
/// [`InputError::code`]): one report per file, whatever the file, for the command line and API.
pub fn check_report(xml: &[u8], opts: &Options<'_>) -> Report {
    check(xml, opts).unwrap_or_else(|e| Report::from_input_error(&e))
}

/// Compiles the schema of every supported version now (otherwise each is compiled on first
/// use, ≈2–6 ms); `Err` names a version whose embedded schema does not compile.
pub fn warm_up() -> Result<(), String> {
    SchemaVersion::ALL
        .into_iter()
        .try_for_each(xsd::ensure_compiled)
}

/// Entry point for a fuzz target: runs every stage on arbitrary bytes (guard, XSD, semantic
/// checks, HTML rendering in each declared language, JSON report). Never panics; the result is
/// discarded.
pub fn fuzz_check(data: &[u8]) {
    let limits = Limits {
        max_size: 1 << 20,
        max_depth: DEFAULT_MAX_DEPTH,
    };
    let opts = Options {
        limits,
        ..Options::default()
    };
    match parse(data, &limits) {
        Ok(dcc) => {
            let report = check_dcc(&dcc, &opts);
            let _ = report.to_json("fuzz");
            for lang in dcc.languages().iter().take(4) {
                let _ = render_html(&dcc, lang);
            }
            let _ = render_html(&dcc, "");
        }
        Err(e) => {
            let _ = Report::from_input_error(&e).to_json("fuzz");
        }
    }
}
