//! XSD validation of a DCC against the official PTB schemas, through libxml2.
//!
//! # Why libxml2 (and why this module allows `unsafe`)
//!
//! The verdict must agree with `xmllint` on any DCC 3.0–3.3 file. Three validators were tried on
//! every example of the shared test data and on all six schema versions (see `docs/dcc.md`):
//!
//! * `xmlschema` 0.0.11 and 0.0.14 (pure Rust) refuse to compile any DCC schema ("xs:annotation
//!   must be the first child of xs:schema", although XSD 1.0 §3.15.2 allows annotations among
//!   the top-level components) and do not implement substitution groups, which D-SI 2.2.0 uses.
//! * `xsd-schema` 0.1.0 (pure Rust) compiles all six versions and gives the right verdict on every
//!   example, but validates at ≈10 MB/s, 6–10× slower than lxml on the same files, and reports
//!   element paths rather than lines.
//! * libxml2 — the engine of `xmllint` and `lxml` themselves, so the verdict agrees with the
//!   reference by construction — validates at 50–100 MB/s and reports lines.
//!
//! libxml2 comes from `xml2-sys` with its `static` feature: libxml2 2.10.3 vendored and compiled
//! by `cc` with pre-generated bindings, so a fresh machine needs only cargo and a C compiler (no
//! `-dev` package, no libclang); zlib, which libxml2's HTTP/gzip code references, is compiled
//! from source by `libz-sys` (`static`).
//!
//! FFI needs `unsafe`; it is confined to this module, whose only interface is the safe
//! [`validate`] function (the crate denies `unsafe_code` everywhere else).
//!
//! # Hardening
//!
//! * The caller has already refused oversize input, any DOCTYPE (so no entity can be declared,
//!   expanded or fetched) and excessive depth, and has checked well-formedness with roxmltree.
//! * Documents are parsed with `XML_PARSE_NONET` and without `XML_PARSE_NOENT`,
//!   `XML_PARSE_DTDLOAD` or `XML_PARSE_HUGE` (libxml2's own depth and text-size limits stay on).
//! * The process-wide external entity loader is replaced, once, by [`load_embedded`], which only
//!   serves the embedded schemas by their exact import URL and refuses everything else: neither
//!   schema imports nor instance documents can reach the network or the file system.
//! * Parser diagnostics are switched off (`XML_PARSE_NOERROR`, `XML_PARSE_NOWARNING`); schema
//!   diagnostics go to a per-call structured-error callback, never to stderr.
//!
//! # Threads
//!
//! libxml2 is built with thread support (`LIBXML_THREAD_ENABLED`). `xmlInitParser` and the
//! entity loader are set up once under a [`Once`]. Each schema version is compiled once, on first
//! use, into an `xmlSchema` that is never freed and never mutated afterwards; libxml2 documents
//! that a compiled schema may be shared by threads as long as each validation has its own
//! `xmlSchemaValidCtxt`, which [`validate`] creates and frees per call.

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr;
use std::sync::{Once, OnceLock};

use xml2_sys as x;

use crate::SchemaVersion;

// Link the statically built zlib that libxml2's object code refers to.
use libz_sys as _;

/// One schema diagnostic from libxml2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XsdIssue {
    /// libxml2's error number (`xmlParserErrors`, stable across releases).
    pub(crate) code: i32,
    /// Whether libxml2 reported it as a warning (otherwise an error).
    pub(crate) warning: bool,
    /// The message, without its trailing newline.
    pub(crate) message: String,
    /// 1-based line, 0 when unknown.
    pub(crate) line: u32,
}

/// Most diagnostics kept from one validation (memory bound on hostile input).
const MAX_ISSUES: usize = 1000;

/// The embedded schema documents with the URL under which each is imported.
const EMBEDDED: &[(&str, &[u8])] = &[
    ("https://ptb.de/si/v2.0.0/SI_Format.xsd", DSI_2_0_0),
    ("https://ptb.de/si/v2.1.0/SI_Format.xsd", DSI_2_1_0),
    // DCC 3.3.0 imports D-SI 2.2.0 by the relative path `si/SI_Format.xsd`, resolved against
    // the URL we give its main document.
    ("https://ptb.de/dcc/v3.3.0/si/SI_Format.xsd", DSI_2_2_0),
    ("https://ptb.de/si/v2.2.0/SI_Format.xsd", DSI_2_2_0),
    ("https://www.ptb.de/si/v2.2.0/SI_Format.xsd", DSI_2_2_0),
    (
        "https://www.ptb.de/si/v2.2.0/qudt/quantitykind.xsd",
        QUDT_STUB,
    ),
    ("https://ptb.de/si/v2.2.0/qudt/quantitykind.xsd", QUDT_STUB),
    (
        "https://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd",
        XMLDSIG,
    ),
    (
        "https://ptb.de/dcc/v3.3.0/d-sig/xmldsig-core-schema.xsd",
        XMLDSIG,
    ),
];

const DSI_2_0_0: &[u8] = include_bytes!("../schemas/d-si/v2.0.0/SI_Format.xsd");
const DSI_2_1_0: &[u8] = include_bytes!("../schemas/d-si/v2.1.0/SI_Format.xsd");
const DSI_2_2_0: &[u8] = include_bytes!("../schemas/d-si/v2.2.0/SI_Format.xsd");
const QUDT_STUB: &[u8] = include_bytes!("../schemas/d-si/v2.2.0/qudt/quantitykind.xsd");
const XMLDSIG: &[u8] = include_bytes!("../schemas/xmldsig/xmldsig-core-schema.xsd");

/// The main schema document of a version and the URL it is known by (`https://ptb.de/dcc/vX/dcc.xsd`).
fn main_schema(v: SchemaVersion) -> (&'static CStr, &'static [u8]) {
    match v {
        SchemaVersion::V3_0_0 => (
            c"https://ptb.de/dcc/v3.0.0/dcc.xsd",
            include_bytes!("../schemas/dcc/v3.0.0/dcc.xsd"),
        ),
        SchemaVersion::V3_1_0 => (
            c"https://ptb.de/dcc/v3.1.0/dcc.xsd",
            include_bytes!("../schemas/dcc/v3.1.0/dcc.xsd"),
        ),
        SchemaVersion::V3_1_1 => (
            c"https://ptb.de/dcc/v3.1.1/dcc.xsd",
            include_bytes!("../schemas/dcc/v3.1.1/dcc.xsd"),
        ),
        SchemaVersion::V3_1_2 => (
            c"https://ptb.de/dcc/v3.1.2/dcc.xsd",
            include_bytes!("../schemas/dcc/v3.1.2/dcc.xsd"),
        ),
        SchemaVersion::V3_2_0 => (
            c"https://ptb.de/dcc/v3.2.0/dcc.xsd",
            include_bytes!("../schemas/dcc/v3.2.0/dcc.xsd"),
        ),
        SchemaVersion::V3_3_0 => (
            c"https://ptb.de/dcc/v3.3.0/dcc.xsd",
            include_bytes!("../schemas/dcc/v3.3.0/dcc.xsd"),
        ),
    }
}

/// A compiled schema, shared read-only by all threads (see the module documentation).
struct Compiled(x::xmlSchemaPtr);

// SAFETY: the pointer is created once, never freed, and libxml2 does not mutate a compiled
// schema during validation; each validation uses its own validation context.
unsafe impl Send for Compiled {}
// SAFETY: as above.
unsafe impl Sync for Compiled {}

static INIT: Once = Once::new();
static COMPILED: [OnceLock<Result<Compiled, String>>; SchemaVersion::ALL.len()] =
    [const { OnceLock::new() }; SchemaVersion::ALL.len()];

fn init() {
    INIT.call_once(|| {
        // SAFETY: plain library initialisation, done once before any other libxml2 call of
        // this crate.
        unsafe {
            x::xmlInitParser();
            x::xmlSetExternalEntityLoader(Some(load_embedded));
        }
    });
}

/// libxml2's external entity loader, replaced: serves the embedded schemas by exact URL and
/// refuses everything else (no network, no file system).
unsafe extern "C" fn load_embedded(
    url: *const c_char,
    _id: *const c_char,
    ctxt: x::xmlParserCtxtPtr,
) -> x::xmlParserInputPtr {
    if url.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: libxml2 passes a NUL-terminated URL.
    let wanted = unsafe { CStr::from_ptr(url) }.to_bytes();
    let Some((_, data)) = EMBEDDED.iter().find(|(u, _)| u.as_bytes() == wanted) else {
        return ptr::null_mut();
    };
    let Ok(len) = c_int::try_from(data.len()) else {
        return ptr::null_mut();
    };
    // SAFETY: libxml2 copies `len` bytes of `data` into a memory buffer (the static variant
    // of 2.10 reads up to a NUL terminator, which `include_bytes!` data lacks); the input stream
    // takes ownership of the buffer; `filename` is freed by libxml2 with the stream, so it is
    // allocated by libxml2 (`xmlCharStrdup`).
    unsafe {
        let buf = x::xmlParserInputBufferCreateMem(
            data.as_ptr().cast(),
            len,
            x::xmlCharEncoding_XML_CHAR_ENCODING_NONE,
        );
        if buf.is_null() {
            return ptr::null_mut();
        }
        let input = x::xmlNewIOInputStream(ctxt, buf, x::xmlCharEncoding_XML_CHAR_ENCODING_NONE);
        if input.is_null() {
            x::xmlFreeParserInputBuffer(buf);
            return ptr::null_mut();
        }
        (*input).filename = x::xmlCharStrdup(url).cast();
        input
    }
}

/// Structured-error callback: appends to the `Vec<XsdIssue>` behind `user`.
unsafe extern "C" fn collect(user: *mut c_void, error: x::xmlErrorPtr) {
    if user.is_null() || error.is_null() {
        return;
    }
    // SAFETY: `user` is the `&mut Vec<XsdIssue>` registered by this module for the duration of
    // the call that reports; `error` is valid for the duration of the callback.
    let (issues, e) = unsafe { (&mut *(user.cast::<Vec<XsdIssue>>()), &*error) };
    if issues.len() >= MAX_ISSUES {
        return;
    }
    let message = if e.message.is_null() {
        String::from("schema error")
    } else {
        // SAFETY: libxml2 messages are NUL-terminated.
        unsafe { CStr::from_ptr(e.message) }
            .to_string_lossy()
            .trim_end()
            .to_string()
    };
    issues.push(XsdIssue {
        code: e.code,
        warning: e.level == x::xmlErrorLevel_XML_ERR_WARNING,
        message,
        line: u32::try_from(e.line).unwrap_or(0),
    });
}

const PARSE_OPTIONS: c_int = (x::xmlParserOption_XML_PARSE_NONET
    | x::xmlParserOption_XML_PARSE_NOERROR
    | x::xmlParserOption_XML_PARSE_NOWARNING
    | x::xmlParserOption_XML_PARSE_BIG_LINES) as c_int;

/// Parses `data` as a libxml2 document with the hardened options; null on failure.
///
/// # Safety
/// The returned document must be freed with `xmlFreeDoc`.
unsafe fn read_doc(data: &[u8], url: &CStr) -> x::xmlDocPtr {
    let Ok(len) = c_int::try_from(data.len()) else {
        return ptr::null_mut();
    };
    // SAFETY: a fresh parser context reads `len` bytes of `data`, which outlives the call;
    // the context is freed here, the document is returned to the caller.
    unsafe {
        let ctxt = x::xmlNewParserCtxt();
        if ctxt.is_null() {
            return ptr::null_mut();
        }
        let doc = x::xmlCtxtReadMemory(
            ctxt,
            data.as_ptr().cast(),
            len,
            url.as_ptr(),
            ptr::null(),
            PARSE_OPTIONS,
        );
        x::xmlFreeParserCtxt(ctxt);
        doc
    }
}

fn compile(v: SchemaVersion) -> Result<Compiled, String> {
    init();
    let (url, data) = main_schema(v);
    let mut issues: Vec<XsdIssue> = Vec::new();
    // SAFETY: standard libxml2 schema compilation; the parser context and document are freed
    // here, the compiled schema is kept for the life of the process. `issues` outlives the
    // parser context that reports into it.
    let schema = unsafe {
        let doc = read_doc(data, url);
        if doc.is_null() {
            return Err(format!("embedded schema {} does not parse", v.as_str()));
        }
        let pctxt = x::xmlSchemaNewDocParserCtxt(doc);
        if pctxt.is_null() {
            x::xmlFreeDoc(doc);
            return Err("libxml2 could not create a schema parser".into());
        }
        x::xmlSchemaSetParserStructuredErrors(
            pctxt,
            Some(collect),
            (&mut issues as *mut Vec<XsdIssue>).cast(),
        );
        let schema = x::xmlSchemaParse(pctxt);
        x::xmlSchemaFreeParserCtxt(pctxt);
        x::xmlFreeDoc(doc);
        schema
    };
    // A warning here would mean an import was skipped (for instance an unmapped URL), which
    // would silently weaken validation: treat it as fatal.
    if schema.is_null() || !issues.is_empty() {
        let detail = issues
            .iter()
            .map(|i| i.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(format!(
            "embedded schema {} does not compile: {detail}",
            v.as_str()
        ));
    }
    Ok(Compiled(schema))
}

/// Compiles (once) the schema of `v`; `Err` only if the embedded schemas are broken.
pub(crate) fn ensure_compiled(v: SchemaVersion) -> Result<(), String> {
    match compiled(v) {
        Ok(_) => Ok(()),
        Err(e) => Err(e.clone()),
    }
}

fn compiled(v: SchemaVersion) -> &'static Result<Compiled, String> {
    COMPILED[v.index()].get_or_init(|| compile(v))
}

/// Validates a document (already checked by the caller: size, no DOCTYPE, depth, well-formed)
/// against the schema of `v`. Returns libxml2's diagnostics, empty when valid; `Err` when the
/// schema itself is unusable or libxml2 failed internally.
pub(crate) fn validate(xml: &[u8], v: SchemaVersion) -> Result<Vec<XsdIssue>, String> {
    let schema = match compiled(v) {
        Ok(s) => s.0,
        Err(e) => return Err(e.clone()),
    };
    let mut issues: Vec<XsdIssue> = Vec::new();
    let Ok(len) = c_int::try_from(xml.len()) else {
        return Err("document too large for libxml2".into());
    };
    // Validation while parsing (libxml2's SAX plug, `xmlSchemaValidateStream`): no libxml2 tree
    // is built, which is markedly faster than parse-then-validate. The parser it creates uses
    // libxml2's defaults: no entity substitution, no DTD loading; our entity loader refuses any
    // external resource and the caller has already refused any DOCTYPE.
    // SAFETY: the schema is valid for the life of the process; the input buffer (a copy of
    // `xml`) is owned and freed by `xmlSchemaValidateStream`; the validation context is created
    // and freed here; `issues` outlives the context that reports into it.
    let rc = unsafe {
        let vctxt = x::xmlSchemaNewValidCtxt(schema);
        if vctxt.is_null() {
            return Err("libxml2 could not create a validation context".into());
        }
        x::xmlSchemaSetValidStructuredErrors(
            vctxt,
            Some(collect),
            (&mut issues as *mut Vec<XsdIssue>).cast(),
        );
        let buf = x::xmlParserInputBufferCreateMem(
            xml.as_ptr().cast(),
            len,
            x::xmlCharEncoding_XML_CHAR_ENCODING_NONE,
        );
        if buf.is_null() {
            x::xmlSchemaFreeValidCtxt(vctxt);
            return Err("libxml2 could not create an input buffer".into());
        }
        let rc = x::xmlSchemaValidateStream(
            vctxt,
            buf,
            x::xmlCharEncoding_XML_CHAR_ENCODING_NONE,
            ptr::null_mut(),
            ptr::null_mut(),
        );
        x::xmlSchemaFreeValidCtxt(vctxt);
        rc
    };
    if rc < 0 {
        return Err(format!("libxml2 internal validation error {rc}"));
    }
    if rc > 0 && issues.iter().all(|i| i.warning) {
        // Invalid without a reported error (should not happen): keep the verdict.
        issues.push(XsdIssue {
            code: rc,
            warning: false,
            message: "the document is not valid against the schema".into(),
            line: 0,
        });
    }
    Ok(issues)
}
