//! The error type of the library boundary.
//!
//! [`crate::verify`] never returns an error: everything it finds goes into the report. Errors
//! are returned by the helpers that take input the caller controls (trust anchors, the
//! canonicalization entry point).

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The document is not well-formed XML, or declares a DTD.
    #[error("XML error at line {line}, column {column}: {message}")]
    Xml {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The parser's message.
        message: String,
    },
    /// No element carries the identifier.
    #[error("no element has the identifier {0:?}")]
    IdNotFound(String),
    /// Several elements carry the identifier.
    #[error("several elements have the identifier {0:?}")]
    DuplicateId(String),
    /// A certificate could not be read.
    #[error("certificate {index}: {message}")]
    Certificate {
        /// 0-based position of the certificate in the input.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A PEM file is malformed.
    #[error("PEM: {0}")]
    Pem(String),
    /// The input holds no certificate.
    #[error("no certificate found")]
    NoCertificate,
}
