//! The built-in KCDB data: real published comparisons to browse from the first start.
//!
//! The BIPM.RI(II)-K1 comparisons of `data/kcdb/` (BIPM FAIR XML, MIT licence, see
//! `data/kcdb/README.md`) are compiled in and loaded into the store as published comparisons
//! with the KCRV and degrees of equivalence of their latest release, and the institutes of
//! `NMId.csv` are added to the directory. Loading is idempotent: a comparison already stored is
//! left as it is (it may since have been edited through the API), and an institute stored with
//! the same fields is not written again.

use sevres_kcdb::{import_fair, import_nmid, FairComparison, PublishedReference};
use sevres_store::{Actor, Store, StoreError};

/// The FAIR files, by name.
const FAIR_FILES: &[(&str, &str)] = &[
    (
        "Co-60_database_FAIR.xml",
        include_str!("../data/kcdb/Co-60_database_FAIR.xml"),
    ),
    (
        "Cs-137_database_FAIR.xml",
        include_str!("../data/kcdb/Cs-137_database_FAIR.xml"),
    ),
    (
        "Ga-67_database_FAIR.xml",
        include_str!("../data/kcdb/Ga-67_database_FAIR.xml"),
    ),
];

/// The institute table.
const NMID: &str = include_str!("../data/kcdb/NMId.csv");

/// Why the built-in reference data could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReferenceDataError {
    /// A built-in file does not read (a defect of this build).
    #[error("built-in file {file}: {message}")]
    File {
        /// The file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The simulated time-scale months could not be computed (a defect of this build).
    #[error("simulated time data: {0}")]
    Simulation(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The published figures of a FAIR comparison: those of its latest release, for its measurand.
fn published(
    file: &'static str,
    fair: &FairComparison,
) -> Result<Vec<PublishedReference>, ReferenceDataError> {
    let (Some(release), Some(measurand)) =
        (fair.latest_release(), fair.comparison.measurands.first())
    else {
        return Ok(Vec::new());
    };
    let index = fair
        .releases
        .iter()
        .position(|r| std::ptr::eq(r, release))
        .map_or(0, |i| i + 1);
    let year = release.year.map(|y| format!(" ({y})")).unwrap_or_default();
    let source = format!("{file}, release {index}{year}");
    let reference =
        PublishedReference::from_release(&measurand.id, source, release).map_err(|e| {
            ReferenceDataError::File {
                file,
                message: e.to_string(),
            }
        })?;
    Ok(vec![reference])
}

/// Loads the built-in comparisons and institutes (idempotent).
pub(crate) async fn load(store: &dyn Store) -> Result<(), ReferenceDataError> {
    let actor = Actor::System("reference data".into());
    let institutes = import_nmid(NMID).map_err(|e| ReferenceDataError::File {
        file: "NMId.csv",
        message: e.to_string(),
    })?;
    store.put_institutes(&actor, &institutes.institutes).await?;
    for &(file, xml) in FAIR_FILES {
        let fair = import_fair(xml).map_err(|e| ReferenceDataError::File {
            file,
            message: e.to_string(),
        })?;
        if store.comparison(&fair.comparison.id).await?.is_some() {
            continue;
        }
        let published = published(file, &fair)?;
        match store
            .create_comparison(&actor, &fair.comparison, &published)
            .await
        {
            // Another server on the same database loaded it meanwhile.
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        tracing::info!(comparison = %fair.comparison.id, file, "loaded a published comparison");
    }
    Ok(())
}
