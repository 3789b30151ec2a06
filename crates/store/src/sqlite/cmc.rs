//! The CMC tables on SQLite (schema in `migrations/sqlite/0004_cmc.sql`).
//!
//! An import is one transaction: the generation is increased, the import is recorded, the CMCs
//! are written in batches of multi-row upserts (a million CMCs take seconds, not minutes) and the
//! audit entry is appended. Records are read back through `sevres_cmc::import_json`; a record it
//! refuses is [`StoreError::Corrupt`].

use std::collections::HashSet;

use serde_json::{json, Value};
use sevres_cmc::export::record;
use sevres_cmc::{import_json, Cmc};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::kcdb::audit;
use crate::{Actor, CmcImport, CmcSet, CmcSource, StoreError, StoredCmc};

/// Rows per INSERT statement (7 parameters each, well under SQLite's 32 766).
const BATCH: usize = 1000;
/// Rows per page when reading every CMC (bounds the memory of one fetch).
const PAGE: i64 = 20_000;

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

/// A stored record back as a CMC.
fn decode(code: &str, text: &str) -> Result<Cmc, StoreError> {
    let mut import = import_json(text).map_err(|e| corrupt(format!("CMC {code}: {e}")))?;
    match (import.cmcs.pop(), import.cmcs.is_empty()) {
        (Some(c), true) if c.kcdb_code.as_str() == code => Ok(c),
        _ => Err(corrupt(format!(
            "CMC {code}: the stored record does not read as this CMC"
        ))),
    }
}

fn import_from_row(r: &SqliteRow) -> Result<CmcImport, StoreError> {
    let count = |name: &str| -> Result<u64, StoreError> {
        u64::try_from(r.get::<i64, _>(name)).map_err(|_| corrupt(format!("CMC import {name}")))
    };
    Ok(CmcImport {
        id: r.get("id"),
        source: r.get("source"),
        synthetic: r.get("synthetic"),
        count: count("count")?,
        added: count("added")?,
        replaced: count("replaced")?,
        generation: r.get("generation"),
        imported_by: r.get("imported_by"),
        imported_at: r.get("imported_at"),
    })
}

pub(super) async fn generation(conn: &mut SqliteConnection) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT generation FROM cmc_state WHERE id = 1")
            .fetch_one(conn)
            .await?,
    )
}

async fn count(conn: &mut SqliteConnection) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM cmcs")
        .fetch_one(conn)
        .await?)
}

pub(super) async fn put_cmcs(
    conn: &mut SqliteConnection,
    actor: &Actor,
    source: &CmcSource,
    cmcs: &[Cmc],
) -> Result<CmcImport, StoreError> {
    if cmcs.is_empty() {
        return Err(StoreError::Invalid(
            "an import needs at least one CMC".into(),
        ));
    }
    let mut seen = HashSet::with_capacity(cmcs.len());
    for c in cmcs {
        if !seen.insert(c.kcdb_code.as_str()) {
            return Err(StoreError::Invalid(format!(
                "CMC {} appears twice in the import",
                c.kcdb_code
            )));
        }
    }
    let before = count(conn).await?;
    let generation: i64 = sqlx::query_scalar(
        "UPDATE cmc_state SET generation = generation + 1 WHERE id = 1 RETURNING generation",
    )
    .fetch_one(&mut *conn)
    .await?;
    let n = i64::try_from(cmcs.len()).map_err(|_| StoreError::Invalid("too many CMCs".into()))?;
    let import_id: i64 = sqlx::query_scalar(
        "INSERT INTO cmc_imports (source, synthetic, count, added, replaced, generation, imported_by) \
         VALUES (?, ?, ?, 0, 0, ?, ?) RETURNING id",
    )
    .bind(&source.description)
    .bind(source.synthetic)
    .bind(n)
    .bind(generation)
    .bind(actor.label())
    .fetch_one(&mut *conn)
    .await?;
    for batch in cmcs.chunks(BATCH) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO cmcs (kcdb_code, import_id, synthetic, metrology_area, nmi_code, \
             quantity, record) ",
        );
        q.push_values(batch, |mut b, c| {
            b.push_bind(c.kcdb_code.as_str())
                .push_bind(import_id)
                .push_bind(source.synthetic)
                .push_bind(c.metrology_area.as_str())
                .push_bind(c.institute.code.as_str())
                .push_bind(c.quantity.as_str())
                .push_bind(Value::Object(record(c)).to_string());
        });
        q.push(
            " ON CONFLICT (kcdb_code) DO UPDATE SET import_id = excluded.import_id, \
             synthetic = excluded.synthetic, metrology_area = excluded.metrology_area, \
             nmi_code = excluded.nmi_code, quantity = excluded.quantity, record = excluded.record",
        );
        q.build().execute(&mut *conn).await?;
    }
    let added = count(conn).await? - before;
    let replaced = n - added;
    sqlx::query("UPDATE cmc_imports SET added = ?, replaced = ? WHERE id = ?")
        .bind(added)
        .bind(replaced)
        .bind(import_id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT * FROM cmc_imports WHERE id = ?")
        .bind(import_id)
        .fetch_one(&mut *conn)
        .await?;
    let stored = import_from_row(&row)?;
    let codes = |c: Option<&Cmc>| c.map(|c| c.kcdb_code.as_str().to_string());
    let after = json!({
        "source": stored.source,
        "synthetic": stored.synthetic,
        "count": stored.count,
        "added": stored.added,
        "replaced": stored.replaced,
        "generation": stored.generation,
        "first": codes(cmcs.first()),
        "last": codes(cmcs.last()),
    });
    audit(
        conn,
        actor,
        "cmc.import",
        &format!("cmc/import/{import_id}"),
        None,
        Some(&after),
    )
    .await?;
    Ok(stored)
}

pub(super) async fn cmcs(conn: &mut SqliteConnection) -> Result<CmcSet, StoreError> {
    let mut set = CmcSet {
        generation: generation(conn).await?,
        ..CmcSet::default()
    };
    let total = usize::try_from(count(conn).await?).unwrap_or(0);
    set.cmcs.reserve(total);
    set.synthetic.reserve(total);
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT kcdb_code, synthetic, record FROM cmcs WHERE kcdb_code > ? \
             ORDER BY kcdb_code LIMIT ?",
        )
        .bind(&after)
        .bind(PAGE)
        .fetch_all(&mut *conn)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.get("kcdb_code");
        for r in &rows {
            let code: &str = r.get("kcdb_code");
            set.cmcs.push(decode(code, r.get("record"))?);
            set.synthetic.push(r.get("synthetic"));
        }
    }
    Ok(set)
}

pub(super) async fn cmc(
    conn: &mut SqliteConnection,
    code: &str,
) -> Result<Option<StoredCmc>, StoreError> {
    let row = sqlx::query("SELECT synthetic, import_id, record FROM cmcs WHERE kcdb_code = ?")
        .bind(code.trim())
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        Ok(StoredCmc {
            cmc: decode(code.trim(), r.get("record"))?,
            synthetic: r.get("synthetic"),
            import: r.get("import_id"),
        })
    })
    .transpose()
}

pub(super) async fn imports(conn: &mut SqliteConnection) -> Result<Vec<CmcImport>, StoreError> {
    let rows = sqlx::query("SELECT * FROM cmc_imports ORDER BY id")
        .fetch_all(conn)
        .await?;
    rows.iter().map(import_from_row).collect()
}
