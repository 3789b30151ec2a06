//! The KCDB tables on SQLite: institutes, comparisons, results, analyses, publications,
//! accounts and the audit log (schema in `migrations/sqlite/0002_comparisons.sql`).
//!
//! Every write function takes an open transaction and appends its audit entries to it, so the
//! caller's commit makes the write and its record durable together. Rows are read back through
//! the validating constructors of `sevres-kcdb`; a row they refuse is [`StoreError::Corrupt`].

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use sevres_kcdb::id::Scope;
use sevres_kcdb::{
    Comparison, ComparisonId, ComparisonKind, ConsultativeCommittee, Date, Doi, Institute,
    InstituteCode, Measurand, MetrologyArea, PublishedReference, ResultEntry, Rmo, Ror, Status,
    Unit,
};
use sevres_si::Notation;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::{
    Account, AccountRole, Actor, AuditEntry, ComparisonFilter, NewAnalysis, StoreError,
    StoredAnalysis,
};

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, StoreError> {
    serde_json::to_value(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("{what}: {e}")))
}

/// Appends one audit entry.
pub(super) async fn audit(
    conn: &mut SqliteConnection,
    actor: &Actor,
    action: &str,
    entity: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (actor, account, action, entity, before, after) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(actor.label())
    .bind(actor.account_id())
    .bind(action)
    .bind(entity)
    .bind(before.map(Value::to_string))
    .bind(after.map(Value::to_string))
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn audit_log(
    conn: &mut SqliteConnection,
    entity_prefix: Option<&str>,
) -> Result<Vec<AuditEntry>, StoreError> {
    // substr() rather than LIKE: identifiers contain `_` and `%`-free but `(`-rich text, and a
    // prefix test must not interpret any of it.
    let rows = sqlx::query(
        "SELECT id, at, actor, account, action, entity, before, after FROM audit_log \
         WHERE ?1 IS NULL OR substr(entity, 1, length(?1)) = ?1 ORDER BY id",
    )
    .bind(entity_prefix)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let json = |name: &str| -> Result<Option<Value>, StoreError> {
                r.get::<Option<String>, _>(name)
                    .map(|t| from_json("audit entry", &t))
                    .transpose()
            };
            Ok(AuditEntry {
                id: r.get("id"),
                at: r.get("at"),
                actor: r.get("actor"),
                account: r.get("account"),
                action: r.get("action"),
                entity: r.get("entity"),
                before: json("before")?,
                after: json("after")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Institutes

fn institute_from_row(r: &SqliteRow) -> Result<Institute, StoreError> {
    let code: String = r.get("code");
    let code = InstituteCode::parse(&code).map_err(|e| corrupt(format!("institute: {e}")))?;
    let rmo = r
        .get::<Option<String>, _>("rmo")
        .map(|t| Rmo::from_acronym(&t).ok_or_else(|| corrupt(format!("RMO {t:?} of {code}"))))
        .transpose()?;
    let ror = r
        .get::<Option<String>, _>("ror")
        .map(|t| Ror::parse(&t).map_err(|e| corrupt(format!("ROR of {code}: {e}"))))
        .transpose()?;
    Ok(Institute {
        former_codes: from_json("former codes", r.get("former_codes"))?,
        name: r.get("name"),
        country: r.get("country"),
        address: r.get("address"),
        rmo,
        ror,
        code,
    })
}

pub(super) async fn institutes(conn: &mut SqliteConnection) -> Result<Vec<Institute>, StoreError> {
    let rows = sqlx::query("SELECT * FROM institutes ORDER BY code")
        .fetch_all(conn)
        .await?;
    rows.iter().map(institute_from_row).collect()
}

pub(super) async fn put_institutes(
    conn: &mut SqliteConnection,
    actor: &Actor,
    institutes: &[Institute],
) -> Result<usize, StoreError> {
    let mut changed = 0;
    for institute in institutes {
        let before = sqlx::query("SELECT * FROM institutes WHERE code = ?")
            .bind(institute.code.as_str())
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| institute_from_row(&r))
            .transpose()?;
        if before.as_ref() == Some(institute) {
            continue;
        }
        sqlx::query(
            "INSERT INTO institutes (code, name, country, rmo, ror, former_codes, address) \
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
             country = excluded.country, rmo = excluded.rmo, ror = excluded.ror, \
             former_codes = excluded.former_codes, address = excluded.address",
        )
        .bind(institute.code.as_str())
        .bind(&institute.name)
        .bind(&institute.country)
        .bind(institute.rmo.map(Rmo::acronym))
        .bind(institute.ror.as_ref().map(|r| r.url()))
        .bind(to_json(&institute.former_codes)?.to_string())
        .bind(&institute.address)
        .execute(&mut *conn)
        .await?;
        let before = before.as_ref().map(to_json).transpose()?;
        audit(
            conn,
            actor,
            if before.is_some() {
                "institute.update"
            } else {
                "institute.create"
            },
            &format!("institute/{}", institute.code),
            before.as_ref(),
            Some(&to_json(institute)?),
        )
        .await?;
        changed += 1;
    }
    Ok(changed)
}

// ---------------------------------------------------------------------------------------------
// Comparisons

fn status_from(text: &str) -> Result<Status, StoreError> {
    text.parse::<Status>().map_err(corrupt)
}

fn unit_from(text: &str, notation: &str) -> Result<Unit, StoreError> {
    let notation = notation.parse::<Notation>().map_err(corrupt)?;
    Unit::parse(notation, text).map_err(corrupt)
}

fn comparison_entity(id: &ComparisonId) -> String {
    format!("comparison/{id}")
}

/// Reads one comparison with its measurands and participants.
pub(super) async fn comparison(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Option<Comparison>, StoreError> {
    let Some(r) = sqlx::query("SELECT * FROM comparisons WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let parsed = ComparisonId::parse(id).map_err(|e| corrupt(format!("comparison {id}: {e}")))?;
    let at = |what: &str, e: &dyn std::fmt::Display| corrupt(format!("{what} of {id}: {e}"));
    let committee = r
        .get::<Option<String>, _>("committee")
        .map(|t| ConsultativeCommittee::from_acronym(&t).ok_or_else(|| at("committee", &t)))
        .transpose()?;
    let area = r
        .get::<Option<String>, _>("area")
        .map(|t| MetrologyArea::from_code(&t).ok_or_else(|| at("area", &t)))
        .transpose()?;
    let pilot = InstituteCode::parse(r.get("pilot")).map_err(|e| at("pilot", &e))?;
    let parent = r
        .get::<Option<String>, _>("parent")
        .map(|t| ComparisonId::parse(&t).map_err(|e| at("parent", &e)))
        .transpose()?;
    let report_doi = r
        .get::<Option<String>, _>("report_doi")
        .map(|t| Doi::parse(&t).map_err(|e| at("report DOI", &e)))
        .transpose()?;
    let mut comparison = Comparison::new(parsed, r.get::<String, _>("title"), pilot);
    comparison.committee = committee;
    comparison.area = area;
    comparison.status = status_from(r.get("status"))?;
    comparison.parent = parent;
    comparison.report_doi = report_doi;

    let rows = sqlx::query(
        "SELECT id, quantity, unit_text, unit_notation, nominal FROM measurands \
         WHERE comparison = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for m in rows {
        let unit = unit_from(m.get("unit_text"), m.get("unit_notation"))?;
        let measurand = Measurand::new(
            m.get::<String, _>("id"),
            m.get::<String, _>("quantity"),
            unit,
            m.get("nominal"),
        )
        .map_err(|e| at("measurand", &e))?;
        comparison.measurands.push(measurand);
    }
    let rows =
        sqlx::query("SELECT institute FROM participants WHERE comparison = ? ORDER BY position")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    for p in rows {
        let code = InstituteCode::parse(p.get("institute")).map_err(|e| at("participant", &e))?;
        comparison.participants.push(code);
    }
    Ok(Some(comparison))
}

/// Reads a comparison that must exist.
async fn existing(
    conn: &mut SqliteConnection,
    id: &ComparisonId,
) -> Result<Comparison, StoreError> {
    comparison(conn, id.as_str())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("comparison {id}")))
}

pub(super) async fn comparisons(
    conn: &mut SqliteConnection,
    filter: &ComparisonFilter,
) -> Result<Vec<Comparison>, StoreError> {
    let mut query: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT id FROM comparisons WHERE 1");
    if let Some(text) = &filter.text {
        // instr() on lower-cased text: a plain substring test (LIKE would read `_` and `%`).
        let needle = text.to_ascii_lowercase();
        query
            .push(" AND (instr(lower(id), ")
            .push_bind(needle.clone())
            .push(") > 0 OR instr(lower(title), ")
            .push_bind(needle)
            .push(") > 0)");
    }
    if let Some(c) = filter.committee {
        query.push(" AND committee = ").push_bind(c.acronym());
    }
    if let Some(s) = filter.status {
        query.push(" AND status = ").push_bind(s.name());
    }
    if let Some(k) = filter.kind {
        query.push(" AND kind = ").push_bind(kind_name(k));
    }
    query
        .push(" ORDER BY id LIMIT ")
        .push_bind(i64::from(filter.limit))
        .push(" OFFSET ")
        .push_bind(i64::from(filter.offset));
    let ids: Vec<String> = query
        .build()
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.get("id"))
        .collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(c) = comparison(conn, &id).await? {
            out.push(c);
        }
    }
    Ok(out)
}

fn kind_name(kind: ComparisonKind) -> &'static str {
    match kind {
        ComparisonKind::Key => "key",
        ComparisonKind::Supplementary => "supplementary",
    }
}

async fn insert_participant(
    conn: &mut SqliteConnection,
    id: &ComparisonId,
    position: usize,
    institute: &InstituteCode,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO participants (comparison, position, institute) VALUES (?, ?, ?)")
        .bind(id.as_str())
        .bind(position as i64)
        .bind(institute.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

pub(super) async fn create_comparison(
    conn: &mut SqliteConnection,
    actor: &Actor,
    c: &Comparison,
    published: &[PublishedReference],
) -> Result<(), StoreError> {
    if comparison(conn, c.id.as_str()).await?.is_some() {
        return Err(StoreError::Conflict(format!(
            "comparison {} is already registered",
            c.id
        )));
    }
    let scope = match c.scope() {
        Scope::Cipm => "CIPM",
        Scope::Rmo(r) => r.acronym(),
    };
    sqlx::query(
        "INSERT INTO comparisons (id, title, kind, scope, committee, area, pilot, status, \
         parent, report_doi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(c.id.as_str())
    .bind(&c.title)
    .bind(kind_name(c.kind()))
    .bind(scope)
    .bind(c.committee.map(ConsultativeCommittee::acronym))
    .bind(c.area.map(MetrologyArea::code))
    .bind(c.pilot.as_str())
    .bind(c.status.name())
    .bind(c.parent.as_ref().map(ComparisonId::as_str))
    .bind(c.report_doi.as_ref().map(Doi::as_str))
    .execute(&mut *conn)
    .await?;
    for (position, m) in c.measurands.iter().enumerate() {
        if c.measurands[..position].iter().any(|o| o.id == m.id) {
            return Err(StoreError::Invalid(format!(
                "measurand {:?} is listed twice",
                m.id
            )));
        }
        sqlx::query(
            "INSERT INTO measurands (comparison, position, id, quantity, unit_text, \
             unit_notation, nominal) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(c.id.as_str())
        .bind(position as i64)
        .bind(&m.id)
        .bind(&m.quantity)
        .bind(m.unit.text())
        .bind(m.unit.notation().name())
        .bind(m.nominal)
        .execute(&mut *conn)
        .await?;
    }
    for (position, p) in c.participants.iter().enumerate() {
        if c.participants[..position].contains(p) {
            return Err(StoreError::Invalid(format!(
                "participant {p} is listed twice"
            )));
        }
        insert_participant(conn, &c.id, position, p).await?;
    }
    audit(
        conn,
        actor,
        "comparison.create",
        &comparison_entity(&c.id),
        None,
        Some(&to_json(c)?),
    )
    .await?;
    put_published(conn, actor, c, published).await
}

/// Checks that the comparison is in the status the caller decided on.
fn expect_status(c: &Comparison, expected: Status) -> Result<(), StoreError> {
    if c.status == expected {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "comparison {} is now {}, not {expected}",
            c.id, c.status
        )))
    }
}

pub(super) async fn add_participants(
    conn: &mut SqliteConnection,
    actor: &Actor,
    id: &ComparisonId,
    expected: Status,
    institutes: &[InstituteCode],
) -> Result<Comparison, StoreError> {
    let before = existing(conn, id).await?;
    expect_status(&before, expected)?;
    let mut after = before.clone();
    for institute in institutes {
        if !after.participants.contains(institute) {
            insert_participant(conn, id, after.participants.len(), institute).await?;
            after.participants.push(institute.clone());
        }
    }
    if after.participants != before.participants {
        audit(
            conn,
            actor,
            "comparison.participants",
            &comparison_entity(id),
            Some(&json!({ "participants": before.participants })),
            Some(&json!({ "participants": after.participants })),
        )
        .await?;
    }
    Ok(after)
}

pub(super) async fn set_status(
    conn: &mut SqliteConnection,
    actor: &Actor,
    id: &ComparisonId,
    from: Status,
    to: Status,
    published: &[PublishedReference],
) -> Result<Comparison, StoreError> {
    let mut c = existing(conn, id).await?;
    expect_status(&c, from)?;
    sqlx::query(
        "UPDATE comparisons SET status = ?, \
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
    )
    .bind(to.name())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    audit(
        conn,
        actor,
        "comparison.status",
        &comparison_entity(id),
        Some(&json!({ "status": from })),
        Some(&json!({ "status": to })),
    )
    .await?;
    c.status = to;
    put_published(conn, actor, &c, published).await?;
    Ok(c)
}

async fn put_published(
    conn: &mut SqliteConnection,
    actor: &Actor,
    c: &Comparison,
    published: &[PublishedReference],
) -> Result<(), StoreError> {
    for p in published {
        if !c.measurands.iter().any(|m| m.id == p.measurand) {
            return Err(StoreError::Invalid(format!(
                "comparison {} has no measurand {:?}",
                c.id, p.measurand
            )));
        }
        p.validate()
            .map_err(|e| StoreError::Invalid(format!("published figures: {e}")))?;
        let before = sqlx::query(
            "SELECT body FROM published_references WHERE comparison = ? AND measurand = ?",
        )
        .bind(c.id.as_str())
        .bind(&p.measurand)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| from_json::<Value>("published figures", r.get("body")))
        .transpose()?;
        let body = to_json(p)?;
        sqlx::query(
            "INSERT INTO published_references (comparison, measurand, analysis, body) \
             VALUES (?, ?, ?, ?) ON CONFLICT (comparison, measurand) DO UPDATE SET \
             analysis = excluded.analysis, body = excluded.body, \
             published_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        )
        .bind(c.id.as_str())
        .bind(&p.measurand)
        .bind(p.analysis)
        .bind(body.to_string())
        .execute(&mut *conn)
        .await?;
        audit(
            conn,
            actor,
            "comparison.publish",
            &format!("published/{}/{}", c.id, p.measurand),
            before.as_ref(),
            Some(&body),
        )
        .await?;
    }
    Ok(())
}

pub(super) async fn published(
    conn: &mut SqliteConnection,
    id: &ComparisonId,
) -> Result<Vec<PublishedReference>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.body FROM published_references p JOIN measurands m \
         ON m.comparison = p.comparison AND m.id = p.measurand \
         WHERE p.comparison = ? ORDER BY m.position",
    )
    .bind(id.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| from_json("published figures", r.get("body")))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Results

fn result_from_row(id: &ComparisonId, r: &SqliteRow) -> Result<ResultEntry, StoreError> {
    let institute: String = r.get("institute");
    let institute = InstituteCode::parse(&institute).map_err(corrupt)?;
    let date: String = r.get("date");
    Ok(ResultEntry {
        comparison: id.clone(),
        measurand: r.get("measurand"),
        institute,
        value: r.get("value"),
        standard_uncertainty: r.get("standard_uncertainty"),
        coverage_factor: r.get("coverage_factor"),
        expanded_uncertainty: r.get("expanded_uncertainty"),
        dof: r.get("dof"),
        in_reference: r.get::<i64, _>("in_reference") != 0,
        submitted_by: r.get("submitted_by"),
        date: Date::parse(&date).map_err(corrupt)?,
    })
}

pub(super) async fn results(
    conn: &mut SqliteConnection,
    id: &ComparisonId,
) -> Result<Vec<ResultEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.* FROM results r \
         JOIN measurands m ON m.comparison = r.comparison AND m.id = r.measurand \
         JOIN participants p ON p.comparison = r.comparison AND p.institute = r.institute \
         WHERE r.comparison = ? ORDER BY m.position, p.position",
    )
    .bind(id.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| result_from_row(id, r)).collect()
}

pub(super) async fn put_results(
    conn: &mut SqliteConnection,
    actor: &Actor,
    id: &ComparisonId,
    expected: Status,
    entries: &[ResultEntry],
) -> Result<(), StoreError> {
    let c = existing(conn, id).await?;
    expect_status(&c, expected)?;
    for r in entries {
        let at = format!("result of {} for {:?}", r.institute, r.measurand);
        if r.comparison != *id {
            return Err(StoreError::Invalid(format!(
                "{at} belongs to {}, not {id}",
                r.comparison
            )));
        }
        r.validate()
            .map_err(|e| StoreError::Invalid(format!("{at}: {e}")))?;
        if !c.measurands.iter().any(|m| m.id == r.measurand) {
            return Err(StoreError::Invalid(format!(
                "{id} has no measurand {:?}",
                r.measurand
            )));
        }
        if !c.participants.contains(&r.institute) {
            return Err(StoreError::Invalid(format!(
                "{} does not take part in {id}",
                r.institute
            )));
        }
        let before = sqlx::query(
            "SELECT * FROM results WHERE comparison = ? AND measurand = ? AND institute = ?",
        )
        .bind(id.as_str())
        .bind(&r.measurand)
        .bind(r.institute.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| result_from_row(id, &row))
        .transpose()?;
        sqlx::query(
            "INSERT INTO results (comparison, measurand, institute, value, standard_uncertainty, \
             coverage_factor, expanded_uncertainty, dof, in_reference, submitted_by, date) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (comparison, measurand, institute) DO UPDATE SET \
             value = excluded.value, standard_uncertainty = excluded.standard_uncertainty, \
             coverage_factor = excluded.coverage_factor, \
             expanded_uncertainty = excluded.expanded_uncertainty, dof = excluded.dof, \
             in_reference = excluded.in_reference, submitted_by = excluded.submitted_by, \
             date = excluded.date",
        )
        .bind(id.as_str())
        .bind(&r.measurand)
        .bind(r.institute.as_str())
        .bind(r.value)
        .bind(r.standard_uncertainty)
        .bind(r.coverage_factor)
        .bind(r.expanded_uncertainty)
        .bind(r.dof)
        .bind(i64::from(r.in_reference))
        .bind(&r.submitted_by)
        .bind(r.date.to_string())
        .execute(&mut *conn)
        .await?;
        let before = before.as_ref().map(to_json).transpose()?;
        audit(
            conn,
            actor,
            if before.is_some() {
                "result.update"
            } else {
                "result.create"
            },
            &format!("result/{id}/{}/{}", r.measurand, r.institute),
            before.as_ref(),
            Some(&to_json(r)?),
        )
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Analyses

/// Serialises `value` to JSON text that reads back as the same value; non-finite numbers (which
/// JSON cannot hold) make it [`StoreError::Invalid`].
fn exact_json<T: Serialize + DeserializeOwned + PartialEq>(
    what: &str,
    value: &T,
) -> Result<String, StoreError> {
    let text = serde_json::to_string(value).map_err(|e| StoreError::Invalid(e.to_string()))?;
    match serde_json::from_str::<T>(&text) {
        Ok(back) if back == *value => Ok(text),
        _ => Err(StoreError::Invalid(format!(
            "the {what} holds a number JSON cannot represent exactly (NaN or infinite)"
        ))),
    }
}

fn analysis_from_row(r: &SqliteRow) -> Result<StoredAnalysis, StoreError> {
    let comparison: String = r.get("comparison");
    Ok(StoredAnalysis {
        id: r.get("id"),
        analysis: NewAnalysis {
            comparison: ComparisonId::parse(&comparison).map_err(corrupt)?,
            measurand: r.get("measurand"),
            unit: unit_from(r.get("unit_text"), r.get("unit_notation"))?,
            input: from_json("analysis input", r.get("input"))?,
            options: from_json("analysis options", r.get("options"))?,
            result: from_json("analysis result", r.get("result"))?,
            software_version: r.get("software_version"),
        },
        created_by: r.get("created_by"),
        created_at: r.get("created_at"),
    })
}

pub(super) async fn put_analysis(
    conn: &mut SqliteConnection,
    actor: &Actor,
    a: &NewAnalysis,
) -> Result<StoredAnalysis, StoreError> {
    let c = existing(conn, &a.comparison).await?;
    if !c.measurands.iter().any(|m| m.id == a.measurand) {
        return Err(StoreError::Invalid(format!(
            "{} has no measurand {:?}",
            a.comparison, a.measurand
        )));
    }
    let input = exact_json("analysis input", &a.input)?;
    let options = exact_json("analysis options", &a.options)?;
    let result = exact_json("analysis result", &a.result)?;
    let row = sqlx::query(
        "INSERT INTO analyses (comparison, measurand, method, unit_text, unit_notation, input, \
         options, result, software_version, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         RETURNING *",
    )
    .bind(a.comparison.as_str())
    .bind(&a.measurand)
    .bind(a.result.method.name())
    .bind(a.unit.text())
    .bind(a.unit.notation().name())
    .bind(input)
    .bind(options)
    .bind(result)
    .bind(&a.software_version)
    .bind(actor.label())
    .fetch_one(&mut *conn)
    .await?;
    let stored = analysis_from_row(&row)?;
    audit(
        conn,
        actor,
        "analysis.create",
        &format!("analysis/{}/{}", a.comparison, stored.id),
        None,
        Some(&json!({
            "id": stored.id,
            "measurand": a.measurand,
            "method": a.result.method,
            "unit": a.unit,
            "input": a.input,
            "options": a.options,
            "kcrv": a.result.kcrv,
            "u_kcrv": a.result.u_kcrv,
            "software_version": a.software_version,
        })),
    )
    .await?;
    Ok(stored)
}

pub(super) async fn analyses(
    conn: &mut SqliteConnection,
    id: &ComparisonId,
) -> Result<Vec<StoredAnalysis>, StoreError> {
    let rows = sqlx::query("SELECT * FROM analyses WHERE comparison = ? ORDER BY id")
        .bind(id.as_str())
        .fetch_all(conn)
        .await?;
    rows.iter().map(analysis_from_row).collect()
}

pub(super) async fn analysis(
    conn: &mut SqliteConnection,
    id: &ComparisonId,
    analysis: i64,
) -> Result<Option<StoredAnalysis>, StoreError> {
    sqlx::query("SELECT * FROM analyses WHERE comparison = ? AND id = ?")
        .bind(id.as_str())
        .bind(analysis)
        .fetch_optional(conn)
        .await?
        .map(|r| analysis_from_row(&r))
        .transpose()
}

// ---------------------------------------------------------------------------------------------
// Accounts

fn account_from_row(r: &SqliteRow) -> Result<Account, StoreError> {
    let id: i64 = r.get("id");
    let at = |e: &dyn std::fmt::Display| corrupt(format!("account {id}: {e}"));
    let institute = r
        .get::<Option<String>, _>("institute")
        .map(|t| InstituteCode::parse(&t).map_err(|e| at(&e)))
        .transpose()?;
    let comparison = r
        .get::<Option<String>, _>("comparison")
        .map(|t| ComparisonId::parse(&t).map_err(|e| at(&e)))
        .transpose()?;
    let role: String = r.get("role");
    let role = match (role.as_str(), institute, comparison) {
        ("administrator", None, None) => AccountRole::Administrator,
        ("pilot", Some(institute), Some(comparison)) => AccountRole::Pilot {
            comparison,
            institute,
        },
        ("participant", Some(institute), None) => AccountRole::Participant { institute },
        (other, ..) => return Err(at(&format!("inconsistent role {other:?}"))),
    };
    Ok(Account {
        id,
        name: r.get("name"),
        role,
        created_at: r.get("created_at"),
    })
}

pub(super) async fn create_account(
    conn: &mut SqliteConnection,
    actor: &Actor,
    name: &str,
    role: &AccountRole,
    token_sha256: &str,
) -> Result<Account, StoreError> {
    let row = sqlx::query(
        "INSERT INTO accounts (name, role, institute, comparison, token_sha256) \
         VALUES (?, ?, ?, ?, ?) RETURNING *",
    )
    .bind(name)
    .bind(role.name())
    .bind(role.institute().map(InstituteCode::as_str))
    .bind(role.comparison().map(ComparisonId::as_str))
    .bind(token_sha256)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict("an account with this token exists".into())
        }
        _ => StoreError::Database(e),
    })?;
    let account = account_from_row(&row)?;
    audit(
        conn,
        actor,
        "account.create",
        &format!("account/{}", account.id),
        None,
        Some(&json!({
            "id": account.id,
            "name": account.name,
            "role": role.name(),
            "institute": role.institute(),
            "comparison": role.comparison(),
        })),
    )
    .await?;
    Ok(account)
}

pub(super) async fn account_by_token(
    conn: &mut SqliteConnection,
    token_sha256: &str,
) -> Result<Option<Account>, StoreError> {
    sqlx::query("SELECT * FROM accounts WHERE token_sha256 = ?")
        .bind(token_sha256)
        .fetch_optional(conn)
        .await?
        .map(|r| account_from_row(&r))
        .transpose()
}
