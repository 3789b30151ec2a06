//! Storage for Sevres: one [`Store`] interface that every service uses, implemented on SQLite
//! (embedded, the default).
//!
//! The trait is the boundary: services never see SQL or row types, only the domain values defined
//! here. A PostgreSQL implementation can be added beside [`SqliteStore`] without touching the
//! services; migrations live per database in `migrations/<database>/`.
//!
//! Durability: SQLite runs in WAL mode with `synchronous=FULL`, so a write that returned `Ok` has
//! reached the disk and survives a crash; every multi-statement write runs in one transaction.

mod sqlite;

pub use sqlite::SqliteStore;

use async_trait::async_trait;

/// A release of the SI reference data, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiRelease {
    /// Release version, e.g. `2019-9.2022.1`.
    pub version: String,
    /// SHA-256 (hex) of `dump`.
    pub digest: String,
    /// When this release was first loaded into this database (RFC 3339, UTC).
    pub loaded_at: String,
    /// The canonical serialization of the release.
    pub dump: String,
}

/// A failure of the storage layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be opened, created or migrated.
    #[error("cannot open the database at {path}: {source}")]
    Open {
        /// Where the database was looked for.
        path: String,
        /// What the driver said.
        #[source]
        source: sqlx::Error,
    },
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A write would contradict what is stored (e.g. the same release version with another digest).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// The storage interface of every Sevres service.
///
/// Implementations must be safe to share between request handlers and must make each method
/// atomic: either all of its effect is durable when it returns `Ok`, or none is.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Stores a release of the SI reference data. Storing the same version with the same digest
    /// again is a no-op; the same version with another digest is a [`StoreError::Conflict`].
    async fn put_si_release(
        &self,
        version: &str,
        digest: &str,
        dump: &str,
    ) -> Result<(), StoreError>;

    /// One stored release, by version.
    async fn si_release(&self, version: &str) -> Result<Option<SiRelease>, StoreError>;

    /// Every stored release (without dumps: `dump` is empty), newest first.
    async fn si_releases(&self) -> Result<Vec<SiRelease>, StoreError>;
}
