//! Storage for Sevres: one [`Store`] interface that every service uses, implemented on SQLite
//! (embedded, the default).
//!
//! The trait is the boundary: services never see SQL or row types, only the domain values of the
//! pure libraries (`sevres-kcdb`, `sevres-comparison`) and the records defined here. A PostgreSQL
//! implementation can be added beside [`SqliteStore`] without touching the services: the trait
//! uses no database-specific type, and migrations live per database in `migrations/<database>/`.
//!
//! Durability: SQLite runs in WAL mode with `synchronous=FULL`, so a write that returned `Ok` has
//! reached the disk and survives a crash; every write runs in one transaction.
//!
//! Accountability (KCDB): every write of comparison data (comparisons, participants, results,
//! analyses, publications, institutes, accounts) appends an [`AuditEntry`] — who, when, what,
//! the state before and after as JSON — in the same transaction as the write itself, so the log
//! can neither miss a committed write nor record one that was rolled back. The log is
//! append-only: the database refuses to update or delete its rows.
//!
//! Time (Circular T): the laboratories and the computed months ([`TimeMonth`]: section 1, the
//! EAL and TAI frequency figures, the text, and every clock's characteristics) are written the
//! same way — one transaction per write, with its audit entry — and a month once stored is
//! never changed, as a published Circular T is not.
//!
//! CMCs (KCDB 2.0 Calibration and Measurement Capabilities, [`cmc`]): stored whole by KCDB
//! code, written by imports (one transaction and one audit entry each, however many CMCs), and
//! read back all at once into the search index of `sevres-cmc` ([`load_cmc_index`]); a
//! generation number, increased by every import, tells a cached index that it is stale.

pub mod cmc;
mod sqlite;
mod time;

pub use cmc::{load_cmc_index, CmcImport, CmcIndex, CmcSet, CmcSource, StoredCmc};

pub use sqlite::SqliteStore;
pub use time::{
    clock_status_from_name, clock_status_name, ClockInMonth, ClockMonth, ClockStatus, Estimate,
    LabInMonth, LabMonth, Phase, StoredTimeMonth, TimeFrequency, TimeLab, TimeMonth, YearMonth,
};

use async_trait::async_trait;
use sevres_cmc::Cmc;
use sevres_comparison::{Analysis, ComparisonInput, Options};
use sevres_kcdb::access::Viewer;
use sevres_kcdb::{
    Comparison, ComparisonId, ComparisonKind, ConsultativeCommittee, Institute, InstituteCode,
    PublishedReference, ResultEntry, Status, Unit,
};

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
    /// A write would contradict what is stored (e.g. the same release version with another
    /// digest, a comparison registered twice, or a status that changed since it was read).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A write names something that is not stored (a comparison, a measurand, an analysis).
    #[error("not found: {0}")]
    NotFound(String),
    /// A value that cannot be stored as given (e.g. a non-finite number in an analysis, a result
    /// of an institute that does not take part).
    #[error("invalid: {0}")]
    Invalid(String),
    /// A stored row that no longer reads as a valid value (the database was edited by hand).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Who writes: recorded in the audit log with every write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The server itself or an operator's command (`reference data`, `command line`).
    System(String),
    /// An account, authenticated by its token.
    Account {
        /// The account's id.
        id: i64,
        /// Its name.
        name: String,
    },
}

impl Actor {
    /// How the actor is written in the audit log and in `submitted_by`: `system: reference data`,
    /// `account 3 (KCDB office)`.
    pub fn label(&self) -> String {
        match self {
            Actor::System(what) => format!("system: {what}"),
            Actor::Account { id, name } => format!("account {id} ({name})"),
        }
    }

    fn account_id(&self) -> Option<i64> {
        match self {
            Actor::System(_) => None,
            Actor::Account { id, .. } => Some(*id),
        }
    }
}

/// What an account may do (the roles of `sevres_kcdb::access`; the public needs no account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountRole {
    /// The KCDB office: registers comparisons, approves and publishes.
    Administrator,
    /// The pilot of one comparison; an account of the pilot institute.
    Pilot {
        /// The comparison it pilots.
        comparison: ComparisonId,
        /// The pilot institute.
        institute: InstituteCode,
    },
    /// An institute taking part in comparisons.
    Participant {
        /// The institute.
        institute: InstituteCode,
    },
}

impl AccountRole {
    /// `administrator`, `pilot` or `participant`.
    pub fn name(&self) -> &'static str {
        match self {
            AccountRole::Administrator => "administrator",
            AccountRole::Pilot { .. } => "pilot",
            AccountRole::Participant { .. } => "participant",
        }
    }

    /// The account's institute, if any.
    pub fn institute(&self) -> Option<&InstituteCode> {
        match self {
            AccountRole::Administrator => None,
            AccountRole::Pilot { institute, .. } | AccountRole::Participant { institute } => {
                Some(institute)
            }
        }
    }

    /// The comparison a pilot account pilots.
    pub fn comparison(&self) -> Option<&ComparisonId> {
        match self {
            AccountRole::Pilot { comparison, .. } => Some(comparison),
            AccountRole::Administrator | AccountRole::Participant { .. } => None,
        }
    }

    /// The viewer of the access policy this role acts as.
    pub fn viewer(&self) -> Viewer {
        match self {
            AccountRole::Administrator => Viewer::Administrator,
            AccountRole::Pilot {
                comparison,
                institute,
            } => Viewer::Pilot {
                comparison: comparison.clone(),
                institute: institute.clone(),
            },
            AccountRole::Participant { institute } => Viewer::Participant(institute.clone()),
        }
    }
}

/// A stored account (its token is stored only as a SHA-256 digest, never returned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Id.
    pub id: i64,
    /// Name (a person or a service).
    pub name: String,
    /// Role.
    pub role: AccountRole,
    /// When it was created (RFC 3339, UTC).
    pub created_at: String,
}

impl Account {
    /// The account as the actor of a write.
    pub fn actor(&self) -> Actor {
        Actor::Account {
            id: self.id,
            name: self.name.clone(),
        }
    }
}

/// Which comparisons to list. Every criterion given must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonFilter {
    /// Case-insensitive (ASCII) substring of the identifier or the title.
    pub text: Option<String>,
    /// Consultative committee.
    pub committee: Option<ConsultativeCommittee>,
    /// Lifecycle status.
    pub status: Option<Status>,
    /// Key or supplementary.
    pub kind: Option<ComparisonKind>,
    /// At most this many, ordered by identifier.
    pub limit: u32,
    /// Skip this many first.
    pub offset: u32,
}

impl Default for ComparisonFilter {
    fn default() -> Self {
        ComparisonFilter {
            text: None,
            committee: None,
            status: None,
            kind: None,
            limit: 100,
            offset: 0,
        }
    }
}

/// An analysis to store: everything needed to recompute it, and what it gave.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAnalysis {
    /// The comparison.
    pub comparison: ComparisonId,
    /// The measurand analysed.
    pub measurand: String,
    /// The unit of the input values (the measurand's).
    pub unit: Unit,
    /// The input exactly as analysed (participants in order, dependence).
    pub input: ComparisonInput,
    /// The options (significance, coverage, Monte Carlo draws and seed, …).
    pub options: Options,
    /// The result (its `method` is the method used).
    pub result: Analysis,
    /// The version of the software that computed it (`sevres-server` package version).
    pub software_version: String,
}

/// A stored analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnalysis {
    /// Id (unique in the database).
    pub id: i64,
    /// What was analysed and how.
    pub analysis: NewAnalysis,
    /// Who ran it ([`Actor::label`]).
    pub created_by: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Sequence number (increasing).
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who ([`Actor::label`]).
    pub actor: String,
    /// The account, when an account wrote.
    pub account: Option<i64>,
    /// What was done (`comparison.create`, `result.put`, `comparison.status`, …).
    pub action: String,
    /// What it was done to (`comparison/CCM.M-K8.2021`, `result/CCM.M-K8.2021/1 kg/PTB`).
    pub entity: String,
    /// The state before (absent for a creation).
    pub before: Option<serde_json::Value>,
    /// The state after.
    pub after: Option<serde_json::Value>,
}

/// The storage interface of every Sevres service.
///
/// Implementations must be safe to share between request handlers and must make each method
/// atomic: either all of its effect (the audit entries included) is durable when it returns
/// `Ok`, or none is. Writes that depend on a comparison's status take the status the caller's
/// authorisation was decided on, and fail with [`StoreError::Conflict`] if it changed meanwhile.
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

    /// Adds or updates institutes (by code). An institute stored with the same fields is left
    /// alone (and not audited); returns how many were added or changed.
    async fn put_institutes(
        &self,
        actor: &Actor,
        institutes: &[Institute],
    ) -> Result<usize, StoreError>;

    /// Every institute, by code.
    async fn institutes(&self) -> Result<Vec<Institute>, StoreError>;

    /// Registers a comparison with its measurands and participants, and the figures already
    /// published for it (for comparisons imported as published). A comparison with the same
    /// identifier is a [`StoreError::Conflict`].
    async fn create_comparison(
        &self,
        actor: &Actor,
        comparison: &Comparison,
        published: &[PublishedReference],
    ) -> Result<(), StoreError>;

    /// One comparison.
    async fn comparison(&self, id: &ComparisonId) -> Result<Option<Comparison>, StoreError>;

    /// The comparisons matching `filter`, by identifier.
    async fn comparisons(&self, filter: &ComparisonFilter) -> Result<Vec<Comparison>, StoreError>;

    /// Adds participants (those already taking part are ignored) while the comparison is in
    /// status `expected`; returns the comparison as updated.
    async fn add_participants(
        &self,
        actor: &Actor,
        id: &ComparisonId,
        expected: Status,
        institutes: &[InstituteCode],
    ) -> Result<Comparison, StoreError>;

    /// Moves the comparison from status `from` to `to`, storing `published` (which replaces
    /// what was published for the same measurands); returns the comparison as updated.
    async fn set_status(
        &self,
        actor: &Actor,
        id: &ComparisonId,
        from: Status,
        to: Status,
        published: &[PublishedReference],
    ) -> Result<Comparison, StoreError>;

    /// Stores results (replacing an institute's earlier result for the same measurand) while
    /// the comparison is in status `expected`. Every result must name a measurand and a
    /// participant of the comparison ([`StoreError::Invalid`] otherwise) and pass
    /// [`ResultEntry::validate`].
    async fn put_results(
        &self,
        actor: &Actor,
        id: &ComparisonId,
        expected: Status,
        results: &[ResultEntry],
    ) -> Result<(), StoreError>;

    /// Every result of a comparison, by measurand then participant order.
    async fn results(&self, id: &ComparisonId) -> Result<Vec<ResultEntry>, StoreError>;

    /// What is published for a comparison, one entry per measurand.
    async fn published(&self, id: &ComparisonId) -> Result<Vec<PublishedReference>, StoreError>;

    /// Stores an analysis; returns it with its id. An analysis holding a non-finite number
    /// cannot be stored exactly and is [`StoreError::Invalid`].
    async fn put_analysis(
        &self,
        actor: &Actor,
        analysis: &NewAnalysis,
    ) -> Result<StoredAnalysis, StoreError>;

    /// The analyses of a comparison, oldest first.
    async fn analyses(&self, id: &ComparisonId) -> Result<Vec<StoredAnalysis>, StoreError>;

    /// One analysis of a comparison.
    async fn analysis(
        &self,
        id: &ComparisonId,
        analysis: i64,
    ) -> Result<Option<StoredAnalysis>, StoreError>;

    /// Creates an account whose token has SHA-256 digest `token_sha256` (hex).
    async fn create_account(
        &self,
        actor: &Actor,
        name: &str,
        role: &AccountRole,
        token_sha256: &str,
    ) -> Result<Account, StoreError>;

    /// The account whose token has SHA-256 digest `token_sha256` (hex).
    async fn account_by_token(&self, token_sha256: &str) -> Result<Option<Account>, StoreError>;

    /// The audit log, oldest first; only entries whose entity starts with `entity_prefix` when
    /// given.
    async fn audit_log(&self, entity_prefix: Option<&str>) -> Result<Vec<AuditEntry>, StoreError>;

    /// Adds or updates laboratories of the time scale (by code). A laboratory stored with the
    /// same fields is left alone (and not audited); returns how many were added or changed.
    async fn put_time_labs(&self, actor: &Actor, labs: &[TimeLab]) -> Result<usize, StoreError>;

    /// Every laboratory of the time scale, by code.
    async fn time_labs(&self) -> Result<Vec<TimeLab>, StoreError>;

    /// Stores a computed month. A month already stored is a [`StoreError::Conflict`] (a
    /// Circular T is never changed); one that fails [`TimeMonth::validate`] or names a laboratory
    /// that is not stored is [`StoreError::Invalid`].
    async fn put_time_month(&self, actor: &Actor, month: &TimeMonth) -> Result<(), StoreError>;

    /// Every stored month, oldest first, without its laboratories, clocks and text (left empty).
    async fn time_months(&self) -> Result<Vec<StoredTimeMonth>, StoreError>;

    /// One stored month with everything.
    async fn time_month(&self, period: YearMonth) -> Result<Option<StoredTimeMonth>, StoreError>;

    /// A laboratory's section-1 lines, oldest month first.
    async fn time_lab_months(&self, lab: &str) -> Result<Vec<LabInMonth>, StoreError>;

    /// Clock characteristics by month, laboratory and clock: only those of laboratory `lab` and
    /// of month `period` when given.
    async fn time_clocks(
        &self,
        lab: Option<&str>,
        period: Option<YearMonth>,
    ) -> Result<Vec<ClockInMonth>, StoreError>;

    /// Imports CMCs: new KCDB codes are added, a code already stored is replaced by the CMC
    /// given; the CMC generation increases by one and one audit entry (`cmc.import`) records the
    /// import. An empty import, or one that repeats a code, is [`StoreError::Invalid`].
    async fn put_cmcs(
        &self,
        actor: &Actor,
        source: &CmcSource,
        cmcs: &[Cmc],
    ) -> Result<CmcImport, StoreError>;

    /// The CMC generation: 0 on a database without CMCs, increased by every import. Cheap: a
    /// cache derived from the CMCs checks it on every request.
    async fn cmc_generation(&self) -> Result<i64, StoreError>;

    /// Every stored CMC, by KCDB code, with the generation they are (one read transaction).
    async fn cmcs(&self) -> Result<CmcSet, StoreError>;

    /// One CMC, by KCDB code.
    async fn cmc(&self, code: &str) -> Result<Option<StoredCmc>, StoreError>;

    /// Every import, oldest first.
    async fn cmc_imports(&self) -> Result<Vec<CmcImport>, StoreError>;
}
