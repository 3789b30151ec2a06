//! The time-scale tables on SQLite: laboratories, computed months with their Circular T
//! section 1, and clock characteristics (schema in `migrations/sqlite/0003_time.sql`).
//!
//! Like the KCDB tables, every write function takes an open transaction and appends its audit
//! entry to it. A month is inserted whole or not at all and never updated.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::kcdb::audit;
use crate::time::{clock_status_from_name, clock_status_name};
use crate::{
    Actor, ClockInMonth, ClockMonth, Estimate, LabInMonth, LabMonth, Phase, StoreError,
    StoredTimeMonth, TimeFrequency, TimeLab, TimeMonth, YearMonth,
};

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn lab_json(lab: &TimeLab) -> Value {
    json!({
        "code": lab.code,
        "name": lab.name,
        "location": lab.location,
        "simulated": lab.simulated,
    })
}

fn lab_from_row(r: &SqliteRow) -> TimeLab {
    TimeLab {
        code: r.get("code"),
        name: r.get("name"),
        location: r.get("location"),
        simulated: r.get("simulated"),
    }
}

pub(super) async fn time_labs(conn: &mut SqliteConnection) -> Result<Vec<TimeLab>, StoreError> {
    let rows = sqlx::query("SELECT * FROM time_labs ORDER BY code")
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(lab_from_row).collect())
}

pub(super) async fn put_time_labs(
    conn: &mut SqliteConnection,
    actor: &Actor,
    labs: &[TimeLab],
) -> Result<usize, StoreError> {
    let mut changed = 0;
    for lab in labs {
        if lab.code.trim().is_empty() || lab.code.trim() != lab.code {
            return Err(StoreError::Invalid(format!(
                "laboratory code {:?}: must be non-empty, without surrounding spaces",
                lab.code
            )));
        }
        let before = sqlx::query("SELECT * FROM time_labs WHERE code = ?")
            .bind(&lab.code)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| lab_from_row(&r));
        if before.as_ref() == Some(lab) {
            continue;
        }
        sqlx::query(
            "INSERT INTO time_labs (code, name, location, simulated) VALUES (?, ?, ?, ?) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
             location = excluded.location, simulated = excluded.simulated",
        )
        .bind(&lab.code)
        .bind(&lab.name)
        .bind(&lab.location)
        .bind(lab.simulated)
        .execute(&mut *conn)
        .await?;
        let before = before.as_ref().map(lab_json);
        audit(
            conn,
            actor,
            if before.is_some() {
                "time.lab.update"
            } else {
                "time.lab.create"
            },
            &format!("time/lab/{}", lab.code),
            before.as_ref(),
            Some(&lab_json(lab)),
        )
        .await?;
        changed += 1;
    }
    Ok(changed)
}

pub(super) async fn put_time_month(
    conn: &mut SqliteConnection,
    actor: &Actor,
    m: &TimeMonth,
) -> Result<(), StoreError> {
    m.validate().map_err(StoreError::Invalid)?;
    let (year, month) = (m.period.year(), m.period.month());
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM time_months WHERE year = ? AND month = ?")
            .bind(year)
            .bind(month)
            .fetch_optional(&mut *conn)
            .await?;
    if exists.is_some() {
        return Err(StoreError::Conflict(format!(
            "the month {} is already stored",
            m.period
        )));
    }
    let known: BTreeSet<String> = sqlx::query_scalar("SELECT code FROM time_labs")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    let unknown = m
        .labs
        .iter()
        .map(|l| &l.lab)
        .chain(m.clocks.iter().map(|c| &c.lab))
        .find(|lab| !known.contains(lab.as_str()));
    if let Some(lab) = unknown {
        return Err(StoreError::Invalid(format!(
            "{}: laboratory {lab} is not stored",
            m.period
        )));
    }
    let f = &m.frequency;
    let value = |e: Option<Estimate>| e.map(|e| e.value);
    let u = |e: Option<Estimate>| e.map(|e| e.u);
    sqlx::query(
        "INSERT INTO time_months (year, month, simulated, tai_minus_utc_s, tai_minus_utc_note, \
         mjds, pivot, tai_minus_eal_ns, eal_minus_tai, eal_minus_tai_next, y_eal_month, \
         u_y_eal_month, y_eal, u_y_eal, d, u_d, birge_ratio, weighted_clocks, \
         max_relative_weight, circular_t, software_version, computed_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(year)
    .bind(month)
    .bind(m.simulated)
    .bind(m.tai_minus_utc_s)
    .bind(&m.tai_minus_utc_note)
    .bind(json!(m.mjds).to_string())
    .bind(&m.pivot)
    .bind(json!(m.tai_minus_eal_ns).to_string())
    .bind(f.eal_minus_tai)
    .bind(f.eal_minus_tai_next)
    .bind(value(f.y_eal_month))
    .bind(u(f.y_eal_month))
    .bind(value(f.y_eal))
    .bind(u(f.y_eal))
    .bind(value(f.d))
    .bind(u(f.d))
    .bind(f.birge_ratio)
    .bind(f.weighted_clocks)
    .bind(f.max_relative_weight)
    .bind(&m.circular_t)
    .bind(&m.software_version)
    .bind(actor.label())
    .execute(&mut *conn)
    .await?;
    for (position, l) in m.labs.iter().enumerate() {
        sqlx::query(
            "INSERT INTO time_lab_months (year, month, lab, position, ua_ns, ub_ns, u_ns, note, \
             clocks, weight) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(year)
        .bind(month)
        .bind(&l.lab)
        .bind(position as i64)
        .bind(l.ua_ns)
        .bind(l.ub_ns)
        .bind(l.u_ns)
        .bind(&l.note)
        .bind(l.clocks)
        .bind(l.weight)
        .execute(&mut *conn)
        .await?;
        for (mjd, v) in m.mjds.iter().zip(&l.values_ns) {
            sqlx::query(
                "INSERT INTO time_utc_offsets (year, month, lab, mjd, value_ns) \
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(year)
            .bind(month)
            .bind(&l.lab)
            .bind(mjd)
            .bind(v)
            .execute(&mut *conn)
            .await?;
        }
    }
    for c in &m.clocks {
        sqlx::query(
            "INSERT INTO time_clock_months (year, month, lab, clock, status, weight, capped, \
             phase_mjd, phase_ns, frequency, drift_per_day, sigma, prediction_error) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(year)
        .bind(month)
        .bind(&c.lab)
        .bind(&c.clock)
        .bind(clock_status_name(c.status))
        .bind(c.weight)
        .bind(c.capped)
        .bind(c.phase.map(|p| p.mjd))
        .bind(c.phase.map(|p| p.x_ns))
        .bind(c.frequency)
        .bind(c.drift_per_day)
        .bind(c.sigma)
        .bind(c.prediction_error)
        .execute(&mut *conn)
        .await?;
    }
    let summary = json!({
        "month": m.period.to_string(),
        "simulated": m.simulated,
        "mjds": m.mjds,
        "labs": m.labs.len(),
        "clocks": m.clocks.len(),
        "software_version": m.software_version,
    });
    audit(
        conn,
        actor,
        "time.month.create",
        &format!("time/month/{}", m.period),
        None,
        Some(&summary),
    )
    .await
}

fn period_from(r: &SqliteRow) -> Result<YearMonth, StoreError> {
    let (year, month): (i32, u32) = (r.get("year"), r.get("month"));
    YearMonth::new(year, month).ok_or_else(|| corrupt(format!("month {year}-{month}")))
}

fn json_array<T: serde::de::DeserializeOwned>(
    what: &str,
    period: YearMonth,
    text: &str,
) -> Result<Vec<T>, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("{what} of {period}: {e}")))
}

fn estimate(r: &SqliteRow, value: &str, u: &str) -> Option<Estimate> {
    match (r.get::<Option<f64>, _>(value), r.get::<Option<f64>, _>(u)) {
        (Some(value), Some(u)) => Some(Estimate { value, u }),
        _ => None,
    }
}

/// A month from its `time_months` row, with no laboratories, clocks or text.
fn month_from_row(r: &SqliteRow) -> Result<StoredTimeMonth, StoreError> {
    let period = period_from(r)?;
    Ok(StoredTimeMonth {
        month: TimeMonth {
            period,
            simulated: r.get("simulated"),
            tai_minus_utc_s: r.get("tai_minus_utc_s"),
            tai_minus_utc_note: r.get("tai_minus_utc_note"),
            mjds: json_array("the dates", period, r.get("mjds"))?,
            pivot: r.get("pivot"),
            tai_minus_eal_ns: json_array("TAI − EAL", period, r.get("tai_minus_eal_ns"))?,
            frequency: TimeFrequency {
                eal_minus_tai: r.get("eal_minus_tai"),
                eal_minus_tai_next: r.get("eal_minus_tai_next"),
                y_eal_month: estimate(r, "y_eal_month", "u_y_eal_month"),
                y_eal: estimate(r, "y_eal", "u_y_eal"),
                d: estimate(r, "d", "u_d"),
                birge_ratio: r.get("birge_ratio"),
                weighted_clocks: r.get("weighted_clocks"),
                max_relative_weight: r.get("max_relative_weight"),
            },
            labs: Vec::new(),
            clocks: Vec::new(),
            circular_t: String::new(),
            software_version: r.get("software_version"),
        },
        computed_by: r.get("computed_by"),
        computed_at: r.get("computed_at"),
    })
}

/// The columns of `time_months` without the text.
const MONTH_COLUMNS: &str = "year, month, simulated, tai_minus_utc_s, tai_minus_utc_note, mjds, \
     pivot, tai_minus_eal_ns, eal_minus_tai, eal_minus_tai_next, y_eal_month, u_y_eal_month, \
     y_eal, u_y_eal, d, u_d, birge_ratio, weighted_clocks, max_relative_weight, \
     software_version, computed_by, computed_at";

pub(super) async fn time_months(
    conn: &mut SqliteConnection,
) -> Result<Vec<StoredTimeMonth>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {MONTH_COLUMNS} FROM time_months ORDER BY year, month"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(month_from_row).collect()
}

fn lab_month_from_row(r: &SqliteRow, values_ns: Vec<Option<f64>>) -> LabMonth {
    LabMonth {
        lab: r.get("lab"),
        values_ns,
        ua_ns: r.get("ua_ns"),
        ub_ns: r.get("ub_ns"),
        u_ns: r.get("u_ns"),
        note: r.get("note"),
        clocks: r.get("clocks"),
        weight: r.get("weight"),
    }
}

/// The [UTC − UTC(k)] values of the given month (and laboratory when given), placed on the
/// month's dates: `(year, month, lab)` → values.
async fn offsets(
    conn: &mut SqliteConnection,
    lab: Option<&str>,
    period: Option<YearMonth>,
    dates: &BTreeMap<YearMonth, Vec<i64>>,
) -> Result<BTreeMap<(YearMonth, String), Vec<Option<f64>>>, StoreError> {
    let rows = sqlx::query(
        "SELECT year, month, lab, mjd, value_ns FROM time_utc_offsets \
         WHERE (?1 IS NULL OR lab = ?1) AND (?2 IS NULL OR (year = ?2 AND month = ?3))",
    )
    .bind(lab)
    .bind(period.map(YearMonth::year))
    .bind(period.map(YearMonth::month))
    .fetch_all(conn)
    .await?;
    let mut out: BTreeMap<(YearMonth, String), Vec<Option<f64>>> = BTreeMap::new();
    for r in &rows {
        let period = period_from(r)?;
        let lab: String = r.get("lab");
        let mjd: i64 = r.get("mjd");
        let mjds = dates
            .get(&period)
            .ok_or_else(|| corrupt(format!("values of {lab} for {period}, which is not stored")))?;
        let k = mjds.iter().position(|&m| m == mjd).ok_or_else(|| {
            corrupt(format!(
                "{period}: value of {lab} at MJD {mjd}, not a date of the month"
            ))
        })?;
        let values = out
            .entry((period, lab))
            .or_insert_with(|| vec![None; mjds.len()]);
        values[k] = r.get("value_ns");
    }
    Ok(out)
}

pub(super) async fn time_month(
    conn: &mut SqliteConnection,
    period: YearMonth,
) -> Result<Option<StoredTimeMonth>, StoreError> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {MONTH_COLUMNS}, circular_t FROM time_months WHERE year = ? AND month = ?"
    ))
    .bind(period.year())
    .bind(period.month())
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let mut stored = month_from_row(&row)?;
    stored.month.circular_t = row.get("circular_t");
    let dates = BTreeMap::from([(period, stored.month.mjds.clone())]);
    let mut values = offsets(conn, None, Some(period), &dates).await?;
    let lines =
        sqlx::query("SELECT * FROM time_lab_months WHERE year = ? AND month = ? ORDER BY position")
            .bind(period.year())
            .bind(period.month())
            .fetch_all(&mut *conn)
            .await?;
    let n = stored.month.mjds.len();
    stored.month.labs = lines
        .iter()
        .map(|r| {
            let lab: String = r.get("lab");
            let v = values
                .remove(&(period, lab))
                .unwrap_or_else(|| vec![None; n]);
            lab_month_from_row(r, v)
        })
        .collect();
    stored.month.clocks = clocks(conn, None, Some(period))
        .await?
        .into_iter()
        .map(|c| c.clock)
        .collect();
    Ok(Some(stored))
}

pub(super) async fn time_lab_months(
    conn: &mut SqliteConnection,
    lab: &str,
) -> Result<Vec<LabInMonth>, StoreError> {
    let months = time_months(&mut *conn).await?;
    let dates: BTreeMap<YearMonth, Vec<i64>> = months
        .iter()
        .map(|m| (m.month.period, m.month.mjds.clone()))
        .collect();
    let mut values = offsets(&mut *conn, Some(lab), None, &dates).await?;
    let lines = sqlx::query("SELECT * FROM time_lab_months WHERE lab = ? ORDER BY year, month")
        .bind(lab)
        .fetch_all(&mut *conn)
        .await?;
    lines
        .iter()
        .map(|r| {
            let period = period_from(r)?;
            let month = months
                .iter()
                .find(|m| m.month.period == period)
                .ok_or_else(|| {
                    corrupt(format!("line of {lab} for {period}, which is not stored"))
                })?;
            let n = month.month.mjds.len();
            let v = values
                .remove(&(period, lab.to_string()))
                .unwrap_or_else(|| vec![None; n]);
            Ok(LabInMonth {
                period,
                simulated: month.month.simulated,
                mjds: month.month.mjds.clone(),
                line: lab_month_from_row(r, v),
            })
        })
        .collect()
}

pub(super) async fn clocks(
    conn: &mut SqliteConnection,
    lab: Option<&str>,
    period: Option<YearMonth>,
) -> Result<Vec<ClockInMonth>, StoreError> {
    let rows = sqlx::query(
        "SELECT * FROM time_clock_months \
         WHERE (?1 IS NULL OR lab = ?1) AND (?2 IS NULL OR (year = ?2 AND month = ?3)) \
         ORDER BY year, month, lab, clock",
    )
    .bind(lab)
    .bind(period.map(YearMonth::year))
    .bind(period.map(YearMonth::month))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let period = period_from(r)?;
            let status: String = r.get("status");
            let status = clock_status_from_name(&status)
                .ok_or_else(|| corrupt(format!("clock status {status:?}")))?;
            let phase = match (r.get::<Option<i64>, _>("phase_mjd"), r.get("phase_ns")) {
                (Some(mjd), Some(x_ns)) => Some(Phase { mjd, x_ns }),
                _ => None,
            };
            Ok(ClockInMonth {
                period,
                clock: ClockMonth {
                    lab: r.get("lab"),
                    clock: r.get("clock"),
                    status,
                    weight: r.get("weight"),
                    capped: r.get("capped"),
                    phase,
                    frequency: r.get("frequency"),
                    drift_per_day: r.get("drift_per_day"),
                    sigma: r.get("sigma"),
                    prediction_error: r.get("prediction_error"),
                },
            })
        })
        .collect()
}
