//! The built-in CMCs: a **synthetic** registry, so that the CMC search page and API have
//! something to answer from the first start.
//!
//! What: [`COUNT`] CMCs from the seeded generator of `sevres-cmc` ([`sevres_cmc::generate`]),
//! drawn from templates of real KCDB services in the nine metrology areas, with real institute
//! codes, names, countries and RMOs, the units and uncertainty forms the KCDB uses, and KCDB
//! codes in the published format. They are imported as one import marked `synthetic`, and every
//! API answer and page that shows them says so.
//!
//! Why synthetic: the KCDB has no bulk export under a licence that allows redistribution; the
//! only real CMC data in the shared test data are 123 identifiers without ranges or
//! uncertainties (`testdata/kcdb/api/physics_fibre_optic_cmc_codes.csv`), which cannot answer a
//! question. A fixed seed makes every database hold the same CMCs. Real CMCs replace or join
//! them by import (`POST /api/v1/cmc/import`, `sevres cmc import`).
//!
//! When: only on a database that has never held a CMC (CMC generation 0); a database with any
//! import, synthetic or real, is left alone. Two servers starting together on an empty database
//! may both import the set; the second import replaces the CMCs with equal ones.
//!
//! Cost: the whole first start takes about 0.6 s in a release build, and the first CMC request
//! as long again to build the index (`docs/cmc.md`, measured figures).

use sevres_store::{Actor, CmcSource, Store};

use crate::ReferenceDataError;

/// The generator's seed: fixed, so that every database gets the same CMCs.
pub(crate) const SEED: u64 = 20_250_520;
/// How many CMCs (the KCDB publishes about 25 000).
pub(crate) const COUNT: usize = 20_000;

/// Loads the synthetic CMCs into a database that has none (idempotent).
pub(crate) async fn load(store: &dyn Store) -> Result<(), ReferenceDataError> {
    if store.cmc_generation().await? != 0 {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let cmcs = sevres_cmc::generate::generate(SEED, COUNT);
    let source = CmcSource {
        description: format!("synthetic: sevres_cmc::generate, seed {SEED}, {COUNT} CMCs"),
        synthetic: true,
    };
    let import = store
        .put_cmcs(&Actor::System("reference data".into()), &source, &cmcs)
        .await?;
    tracing::info!(
        cmcs = import.count,
        ms = started.elapsed().as_millis() as u64,
        "loaded the synthetic CMC registry"
    );
    Ok(())
}
