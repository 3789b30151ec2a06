//! Calibration and Measurement Capabilities (CMCs) of the KCDB, as a pure library.
//!
//! A CMC is what a national metrology institute declares it can measure for its customers under
//! the CIPM MRA: a quantity over a range, with an expanded uncertainty, published in the KCDB
//! (Appendix C). This crate holds their domain model and answers questions about them; it does
//! no I/O (strings and values in, values out), so that the server, the command line and the
//! tests call the same functions.
//!
//! * [`model`]: a [`Cmc`] with the fields of a KCDB 2.0 record ([`KcdbCode`], classification,
//!   [`Range`], [`Parameter`], [`Uncertainty`], [`Institute`], dates, comparisons).
//! * [`unit`](mod@unit): KCDB unit texts (`µV/V`, `degree`, `%RH`) read through `sevres-si`, each with its
//!   SI [`unit::Scale`]; [`Quantity`] for values in questions (`0.01 kV`).
//! * [`equation`]: uncertainty equations (`Q[0.3 µV/V, 0.2 µV]`, `(0.4 + 2.5/f) %`) parsed
//!   into typed expressions, checked against the CMC's units and compiled into programs that
//!   evaluate U at a measured value; errors name the position.
//! * [`capability`]: what a CMC answers — its range in SI and its expanded uncertainty at any
//!   value, normalised to k = 2 (≈95 %) by a documented rule.
//! * [`import`] (KCDB 2.0 API JSON, CSV) and [`export`] (JSON, JSON-LD, CSV).
//! * [`search`]: the in-memory [`Registry`] answering full-text, facet and unit-aware questions
//!   ("who can calibrate DC voltage at 10 V with U ≤ 1 µV/V?") exactly.
//! * [`generate`]: a seeded generator of realistic synthetic CMCs and questions.
//!
//! Nothing that reads input panics: malformed input gives a typed error naming what and where.
//!
//! ```
//! use sevres_cmc::{generate, Facet, Quantity, Query, Registry, UncertaintyLimit};
//!
//! let registry = Registry::new(generate::generate(7, 5_000));
//! let question = Query::new()
//!     .facet(Facet::Quantity, "DC voltage")
//!     .at(Quantity::parse("0.01 kV")?)
//!     .max_uncertainty(UncertaintyLimit::new(Quantity::parse("1 µV/V")?));
//! let answer = registry.search(&question)?;
//! for hit in &answer.hits {
//!     let cmc = &registry.cmcs()[hit.index];
//!     assert_eq!(cmc.quantity, "DC voltage");
//!     // Expanded uncertainty at 10 V, in volts, at k = 2: at most 10 µV.
//!     assert!(hit.uncertainty.map_or(false, |u| u.low <= 1e-5 * (1.0 + 1e-12)));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod capability;
pub mod equation;
pub mod export;
pub mod generate;
pub mod import;
pub mod model;
pub mod search;
pub mod unit;

pub use capability::{Capability, CoverageBasis, Issue, UncertaintyAt, UncertaintyModel};
pub use equation::{Equation, EquationError, EquationErrorKind};
pub use export::{to_csv, to_json, to_jsonld};
pub use import::{import_csv, import_json, Import, ImportError, Rejected, Warning};
pub use model::{
    Classification, Cmc, Date, DateError, Domain, EquationText, Institute, KcdbCode, KcdbCodeError,
    Parameter, Range, Uncertainty, UncertaintyMode, UncertaintyTable,
};
pub use search::{
    Facet, Flags, Grade, Hit, Query, QueryError, Registry, SearchResult, UncertaintyLimit,
};
pub use unit::{KcdbUnit, Quantity, QuantityError, UnitError};
