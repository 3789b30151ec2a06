//! The Key Comparison Database (KCDB 3.0, part 1: comparisons) as a pure domain model.
//!
//! What is here, and why it is a library without I/O: the server and the CLI are thin shells
//! that read files and requests and call these functions with `&str`, bytes and values.
//!
//! * [`id`]: validated identifiers — [`ComparisonId`] (`CCM.M-K8.2021`, `BIPM.RI(II)-K1.Co-60`),
//!   [`InstituteCode`], [`Ror`], [`Doi`] — and the vocabularies they imply (consultative
//!   committee, RMO, metrology area, key/supplementary, CIPM/RMO).
//! * [`model`]: [`Comparison`], its lifecycle [`Status`] (CIPM MRA-G-11), [`Measurand`],
//!   [`Institute`], [`ResultEntry`]; [`unit::Unit`] validates units through `sevres-si`.
//! * [`access`]: the confidentiality policy (who sees, submits, analyses, publishes).
//! * [`import`]: the BIPM FAIR key-comparison XML, the BIPM `NMId.csv` institute table, and
//!   comparison data sets (JSON, CSV, Excel) for the analysis engine `sevres-comparison`.
//! * [`export`]: JSON-LD and CSV; [`doe`] and [`chart`]: the degrees-of-equivalence table and
//!   the conventional DoE chart as SVG.
//! * [`published`]: the KCRV and DoE as published, read from a FAIR release or taken from a
//!   stored analysis.
//!
//! Nothing that parses user input panics: malformed input gives a typed error naming the place.
//!
//! ```
//! use sevres_kcdb::{chart, doe::DoeTable, import_csv};
//! use sevres_comparison::{analyse, Method, Options};
//!
//! let data = import_csv("demo", "lab,x,u,unit\nPTB,10.0,0.1,kBq\nNIST,10.2,0.2,kBq\nNPL,9.9,0.1,kBq\n")?;
//! let options = Options::default();
//! let analysis = analyse(&data.input, Method::WeightedMean, &options)?;
//! let table = DoeTable::from_analysis("demo", data.unit.as_ref(), &analysis, &options);
//! let svg = chart::doe_svg(&table)?;
//! assert_eq!(svg.matches("<circle").count(), 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod access;
pub mod chart;
pub mod doe;
pub mod export;
pub mod id;
pub mod import;
mod latex;
pub mod model;
pub mod published;
pub mod unit;

pub use id::{
    Body, ComparisonId, ComparisonKind, ConsultativeCommittee, Doi, IdError, InstituteCode,
    InstituteCodeError, MetrologyArea, PidError, Rmo, Ror, Scope,
};
pub use import::data::{import_csv, import_json, import_xlsx, ComparisonData, DataError};
pub use import::fair::{import_fair, FairComparison, FairError};
pub use import::nmid::{import_nmid, InstituteTable, NmidError};
pub use import::Warning;
pub use model::{Comparison, Date, Institute, Measurand, ResultEntry, Status, ValueError};
pub use published::{PublishedDoe, PublishedReference};
pub use unit::{Unit, UnitError};
