//! The SI in machine-actionable form.
//!
//! `sevres-si` holds the SI reference data (units, prefixes, defining constants and quantity kinds
//! with the persistent identifiers of the BIPM SI Reference Point), one internal representation of
//! a unit expression with an exact scale factor, parsers and printers for the unit notations in use
//! (SI text, PTB D-SI, UCUM, the SI Reference Point compound notation, QUDT identifiers), and exact
//! conversion between commensurable expressions.
//!
//! This crate does no I/O: it takes strings and values and returns values.
//!
//! Why the unit machinery is hand-written: no Rust crate implements the complete UCUM grammar
//! and table with exact (rational, π, radical) factors, special units and arbitrary units, nor
//! the SI Brochure, D-SI and SI Reference Point notations over one model.
//!
//! Entry points: [`parse`], [`print`], [`translate`], [`Conversion`], [`ConversionCache`],
//! [`convert`], [`UnitExpr::canonical`].

pub mod convert;
pub mod dimension;
pub mod dsi;
pub mod expr;
pub mod factor;
pub mod notation;
pub mod qudt;
pub mod reference;
pub mod si_text;
pub mod sirp;
pub mod ucum;

pub use convert::{
    convert, convert_str, Conversion, ConversionCache, ConvertError, Incommensurable,
};
pub use dimension::Dimension;
pub use expr::{
    Atom, Canonical, CanonicalError, Prefix, SpecialFunction, Term, TermUnit, UnitExpr,
};
pub use factor::{Factor, FactorError};
pub use notation::{
    parse, print, translate, Notation, ParseError, PrintError, TranslateError, UnknownNotation,
};
