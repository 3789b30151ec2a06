//! The SQLite implementation of [`Store`]: one database file `sevres.db` in the data folder.
//!
//! Each write method opens one transaction, does its work and its audit entries in it
//! ([`kcdb`], [`time`]), and commits: nothing of a failed write remains.

mod cmc;
mod kcdb;
mod time;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use sevres_kcdb::{
    Comparison, ComparisonId, Institute, InstituteCode, PublishedReference, ResultEntry, Status,
};

use sevres_cmc::Cmc;

use crate::{
    Account, AccountRole, Actor, AuditEntry, ClockInMonth, CmcImport, CmcSet, CmcSource,
    ComparisonFilter, LabInMonth, NewAnalysis, SiRelease, Store, StoreError, StoredAnalysis,
    StoredCmc, StoredTimeMonth, TimeLab, TimeMonth, YearMonth,
};

/// File name of the database inside the data folder.
const DATABASE_FILE: &str = "sevres.db";

/// A [`Store`] on an embedded SQLite database.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database in folder `dir` and brings its schema up to date.
    pub async fn open(dir: &Path) -> Result<Self, StoreError> {
        let path = dir.join(DATABASE_FILE);
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            source: sqlx::Error::Io(e),
        })?;
        Self::open_file(&path).await
    }

    /// Opens (creating if needed) the database file at `path` — the `sevres.db` of a data
    /// folder, as tools given a database rather than a folder do — and brings its schema up to
    /// date.
    pub async fn open_file(path: &Path) -> Result<Self, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        Self::connect(options).await.map_err(|e| match e {
            StoreError::Database(source) => open_error(source),
            other => other,
        })
    }

    /// Opens a private in-memory database (for tests and one-shot commands).
    pub async fn in_memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        Self::connect(options).await
    }

    async fn connect(options: SqliteConnectOptions) -> Result<Self, StoreError> {
        // An in-memory database exists per connection, so it must be limited to one.
        let in_memory = options.get_filename() == Path::new(":memory:");
        let pool = SqlitePoolOptions::new()
            .max_connections(if in_memory { 1 } else { 8 })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn put_si_release(
        &self,
        version: &str,
        digest: &str,
        dump: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let existing: Option<String> =
            sqlx::query_scalar("SELECT digest FROM si_releases WHERE version = ?")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?;
        match existing {
            Some(stored) if stored == digest => {}
            Some(stored) => {
                return Err(StoreError::Conflict(format!(
                    "SI release {version} is stored with digest {stored}, not {digest}"
                )))
            }
            None => {
                sqlx::query("INSERT INTO si_releases (version, digest, dump) VALUES (?, ?, ?)")
                    .bind(version)
                    .bind(digest)
                    .bind(dump)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn si_release(&self, version: &str) -> Result<Option<SiRelease>, StoreError> {
        let row = sqlx::query(
            "SELECT version, digest, loaded_at, dump FROM si_releases WHERE version = ?",
        )
        .bind(version)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| SiRelease {
            version: r.get("version"),
            digest: r.get("digest"),
            loaded_at: r.get("loaded_at"),
            dump: r.get("dump"),
        }))
    }

    async fn si_releases(&self) -> Result<Vec<SiRelease>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, digest, loaded_at FROM si_releases ORDER BY loaded_at DESC, version DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| SiRelease {
                version: r.get("version"),
                digest: r.get("digest"),
                loaded_at: r.get("loaded_at"),
                dump: String::new(),
            })
            .collect())
    }

    async fn put_institutes(
        &self,
        actor: &Actor,
        institutes: &[Institute],
    ) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        let changed = kcdb::put_institutes(&mut tx, actor, institutes).await?;
        tx.commit().await?;
        Ok(changed)
    }

    async fn institutes(&self) -> Result<Vec<Institute>, StoreError> {
        kcdb::institutes(&mut *self.pool.acquire().await?).await
    }

    async fn create_comparison(
        &self,
        actor: &Actor,
        comparison: &Comparison,
        published: &[PublishedReference],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        kcdb::create_comparison(&mut tx, actor, comparison, published).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn comparison(&self, id: &ComparisonId) -> Result<Option<Comparison>, StoreError> {
        // One read transaction: the comparison, its measurands and participants agree.
        let mut tx = self.pool.begin().await?;
        let c = kcdb::comparison(&mut tx, id.as_str()).await?;
        tx.commit().await?;
        Ok(c)
    }

    async fn comparisons(&self, filter: &ComparisonFilter) -> Result<Vec<Comparison>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let list = kcdb::comparisons(&mut tx, filter).await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn add_participants(
        &self,
        actor: &Actor,
        id: &ComparisonId,
        expected: Status,
        institutes: &[InstituteCode],
    ) -> Result<Comparison, StoreError> {
        let mut tx = self.pool.begin().await?;
        let c = kcdb::add_participants(&mut tx, actor, id, expected, institutes).await?;
        tx.commit().await?;
        Ok(c)
    }

    async fn set_status(
        &self,
        actor: &Actor,
        id: &ComparisonId,
        from: Status,
        to: Status,
        published: &[PublishedReference],
    ) -> Result<Comparison, StoreError> {
        let mut tx = self.pool.begin().await?;
        let c = kcdb::set_status(&mut tx, actor, id, from, to, published).await?;
        tx.commit().await?;
        Ok(c)
    }

    async fn put_results(
        &self,
        actor: &Actor,
        id: &ComparisonId,
        expected: Status,
        results: &[ResultEntry],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        kcdb::put_results(&mut tx, actor, id, expected, results).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn results(&self, id: &ComparisonId) -> Result<Vec<ResultEntry>, StoreError> {
        kcdb::results(&mut *self.pool.acquire().await?, id).await
    }

    async fn published(&self, id: &ComparisonId) -> Result<Vec<PublishedReference>, StoreError> {
        kcdb::published(&mut *self.pool.acquire().await?, id).await
    }

    async fn put_analysis(
        &self,
        actor: &Actor,
        analysis: &NewAnalysis,
    ) -> Result<StoredAnalysis, StoreError> {
        let mut tx = self.pool.begin().await?;
        let stored = kcdb::put_analysis(&mut tx, actor, analysis).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn analyses(&self, id: &ComparisonId) -> Result<Vec<StoredAnalysis>, StoreError> {
        kcdb::analyses(&mut *self.pool.acquire().await?, id).await
    }

    async fn analysis(
        &self,
        id: &ComparisonId,
        analysis: i64,
    ) -> Result<Option<StoredAnalysis>, StoreError> {
        kcdb::analysis(&mut *self.pool.acquire().await?, id, analysis).await
    }

    async fn create_account(
        &self,
        actor: &Actor,
        name: &str,
        role: &AccountRole,
        token_sha256: &str,
    ) -> Result<Account, StoreError> {
        let mut tx = self.pool.begin().await?;
        let account = kcdb::create_account(&mut tx, actor, name, role, token_sha256).await?;
        tx.commit().await?;
        Ok(account)
    }

    async fn account_by_token(&self, token_sha256: &str) -> Result<Option<Account>, StoreError> {
        kcdb::account_by_token(&mut *self.pool.acquire().await?, token_sha256).await
    }

    async fn audit_log(&self, entity_prefix: Option<&str>) -> Result<Vec<AuditEntry>, StoreError> {
        kcdb::audit_log(&mut *self.pool.acquire().await?, entity_prefix).await
    }

    async fn put_time_labs(&self, actor: &Actor, labs: &[TimeLab]) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        let changed = time::put_time_labs(&mut tx, actor, labs).await?;
        tx.commit().await?;
        Ok(changed)
    }

    async fn time_labs(&self) -> Result<Vec<TimeLab>, StoreError> {
        time::time_labs(&mut *self.pool.acquire().await?).await
    }

    async fn put_time_month(&self, actor: &Actor, month: &TimeMonth) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        time::put_time_month(&mut tx, actor, month).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn time_months(&self) -> Result<Vec<StoredTimeMonth>, StoreError> {
        time::time_months(&mut *self.pool.acquire().await?).await
    }

    async fn time_month(&self, period: YearMonth) -> Result<Option<StoredTimeMonth>, StoreError> {
        // One read transaction: the month, its lines and its clocks agree.
        let mut tx = self.pool.begin().await?;
        let m = time::time_month(&mut tx, period).await?;
        tx.commit().await?;
        Ok(m)
    }

    async fn time_lab_months(&self, lab: &str) -> Result<Vec<LabInMonth>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let lines = time::time_lab_months(&mut tx, lab).await?;
        tx.commit().await?;
        Ok(lines)
    }

    async fn time_clocks(
        &self,
        lab: Option<&str>,
        period: Option<YearMonth>,
    ) -> Result<Vec<ClockInMonth>, StoreError> {
        time::clocks(&mut *self.pool.acquire().await?, lab, period).await
    }

    async fn put_cmcs(
        &self,
        actor: &Actor,
        source: &CmcSource,
        cmcs: &[Cmc],
    ) -> Result<CmcImport, StoreError> {
        let mut tx = self.pool.begin().await?;
        let import = cmc::put_cmcs(&mut tx, actor, source, cmcs).await?;
        tx.commit().await?;
        Ok(import)
    }

    async fn cmc_generation(&self) -> Result<i64, StoreError> {
        cmc::generation(&mut *self.pool.acquire().await?).await
    }

    async fn cmcs(&self) -> Result<CmcSet, StoreError> {
        // One read transaction: the generation and the rows agree.
        let mut tx = self.pool.begin().await?;
        let set = cmc::cmcs(&mut tx).await?;
        tx.commit().await?;
        Ok(set)
    }

    async fn cmc(&self, code: &str) -> Result<Option<StoredCmc>, StoreError> {
        cmc::cmc(&mut *self.pool.acquire().await?, code).await
    }

    async fn cmc_imports(&self) -> Result<Vec<CmcImport>, StoreError> {
        cmc::imports(&mut *self.pool.acquire().await?).await
    }
}
