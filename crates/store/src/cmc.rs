//! Calibration and Measurement Capabilities as stored: the records [`crate::Store`] speaks for
//! CMCs, and [`load_cmc_index`], which reads every stored CMC into a
//! [`sevres_cmc::Registry`] (the in-memory index that answers unit-aware questions).
//!
//! A CMC is stored whole, as its KCDB 2.0 API record, keyed by its KCDB code. CMCs arrive in
//! imports ([`CmcImport`]): one transaction each, with its audit entry, that adds new codes and
//! replaces the stored CMC of a code it repeats. Every import increases the database's CMC
//! *generation*; an index built from generation `g` is current as long as
//! [`crate::Store::cmc_generation`] still answers `g`.

use sevres_cmc::{Cmc, Registry};

use crate::{Store, StoreError};

/// Where the CMCs of an import come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmcSource {
    /// What was imported (`kcdb-physics.json`, `KCDB 2.0 API JSON upload`,
    /// `sevres_cmc::generate, seed 2024, 20000 CMCs`).
    pub description: String,
    /// The CMCs are synthetic (generated), not published by the KCDB.
    pub synthetic: bool,
}

/// One stored import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmcImport {
    /// Id (increasing).
    pub id: i64,
    /// What was imported.
    pub source: String,
    /// Synthetic CMCs.
    pub synthetic: bool,
    /// CMCs in the import.
    pub count: u64,
    /// Of which new codes.
    pub added: u64,
    /// Of which replaced a stored CMC with the same code.
    pub replaced: u64,
    /// The CMC generation this import made.
    pub generation: i64,
    /// Who imported ([`crate::Actor::label`]).
    pub imported_by: String,
    /// When (RFC 3339, UTC).
    pub imported_at: String,
}

/// One stored CMC.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCmc {
    /// The CMC.
    pub cmc: Cmc,
    /// Synthetic (from a synthetic import).
    pub synthetic: bool,
    /// The import that last wrote it ([`CmcImport::id`]).
    pub import: i64,
}

/// Every stored CMC, by KCDB code, as of one generation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CmcSet {
    /// The generation these CMCs are (read in the same transaction).
    pub generation: i64,
    /// The CMCs, by KCDB code.
    pub cmcs: Vec<Cmc>,
    /// Per CMC (same order): synthetic.
    pub synthetic: Vec<bool>,
}

impl CmcSet {
    /// Builds the search index (CPU-bound: about a second per 100 000 CMCs in a debug build,
    /// run it off the async executor when it is large).
    pub fn into_index(self) -> CmcIndex {
        CmcIndex {
            generation: self.generation,
            synthetic: self.synthetic,
            registry: Registry::new(self.cmcs),
        }
    }
}

/// The search index over every stored CMC, and the generation it was built from.
#[derive(Debug)]
pub struct CmcIndex {
    /// The generation of the CMCs indexed.
    pub generation: i64,
    /// The index; `registry.cmcs()` are the stored CMCs by KCDB code.
    pub registry: Registry,
    /// Per CMC of the registry (same order): synthetic.
    pub synthetic: Vec<bool>,
}

impl CmcIndex {
    /// Whether the CMC at registry index `index` is synthetic.
    pub fn is_synthetic(&self, index: usize) -> bool {
        self.synthetic.get(index).copied().unwrap_or(false)
    }
}

/// Reads every stored CMC and indexes them: what the server caches, and what offline tools
/// (the command line, DCC checks) use to ask "who can measure this?" of a database.
pub async fn load_cmc_index(store: &dyn Store) -> Result<CmcIndex, StoreError> {
    Ok(store.cmcs().await?.into_index())
}
