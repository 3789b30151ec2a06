//! The built-in time data: a **simulated** year of Circular T, so that the time pages and API
//! have something to show from the first start.
//!
//! What: the seeded clock-ensemble simulator of `sevres-timescale` (`sevres_timescale::sim`)
//! generates 60 clocks (hydrogen masers and caesium beams) in 15 laboratories named `SIM-A` …
//! `SIM-O`, their time links to the pivot `SIM-A`, and three caesium fountains as primary
//! frequency standards, over 2024. The laboratories steer their UTC(k) towards UTC month by month
//! ([`Ensemble`]). The monthly engine ([`algos::compute_month`]) computes every month of 2024 in
//! order, carrying its state, exactly as a real computation would; each month's Circular T
//! (section 1, the EAL and TAI frequency figures, the text) and every clock's characteristics are
//! stored as a month marked `simulated`, with the laboratories marked `simulated` too.
//!
//! Why simulated: no real clock data are public under a licence that allows redistribution, and
//! a simulation with a fixed seed is reproducible: the same build stores the same figures.
//! None of it is a BIPM publication, and every page and API answer says so.
//!
//! Cost: the simulation and twelve months take a fraction of a second (the engine is optimised
//! even in debug builds), and only on a database that lacks some of the months: a database that
//! holds them all is left alone without simulating anything.

use std::collections::{BTreeMap, BTreeSet};

use sevres_store::{
    Actor, ClockMonth, Estimate, LabMonth, Phase, Store, StoreError, TimeFrequency, TimeLab,
    TimeMonth, YearMonth,
};
use sevres_timescale::algos::{self, ClockKey, MonthResult, State};
use sevres_timescale::sim::steering::Steering;
use sevres_timescale::sim::{ClockKind, SimConfig, Simulation};

use crate::time::leap_table;
use crate::ReferenceDataError;

/// The simulated year.
const YEAR: i32 = 2024;

/// What is simulated: fixed, so that every database gets the same figures.
fn config() -> SimConfig {
    SimConfig {
        seed: 20_240_101,
        labs: 15,
        clocks: 60,
        fountains: 3,
        // MJD 60309 (2023-12-31) is the first date of January 2024's Circular T and MJD 60674
        // (2024-12-30) the last of December's.
        start_mjd: 60_309,
        days: 366,
        ..SimConfig::default()
    }
}

/// `SIM-A` for the simulator's first laboratory, and so on.
fn lab_code(index: usize) -> String {
    let letter = u8::try_from(index)
        .ok()
        .and_then(|i| b'A'.checked_add(i))
        .filter(u8::is_ascii_uppercase)
        .map_or_else(|| index.to_string(), |b| char::from(b).to_string());
    format!("SIM-{letter}")
}

/// The simulation with readable names — laboratories `SIM-A` …, clocks `H1`, `H2` … (masers)
/// and `Cs1`, `Cs2` … (caesium beams) in each laboratory, fountains `SIM-A-F1` … — and the
/// laboratories' steering.
///
/// The simulator's UTC(k) is a free-running maser, which would drift microseconds away from UTC
/// within the year; real laboratories steer UTC(k) towards UTC. Here each laboratory starts the
/// year with its maser's frequency offset removed over the first month (as it would know it from
/// earlier Circular T), then follows every month's Circular T ([`Steering::follow`]). Only the
/// laboratories' local time scales change: the clocks, and hence EAL, are the simulator's.
struct Ensemble {
    labs: Vec<TimeLab>,
    free: algos::Inputs,
    steering: Steering,
}

impl Ensemble {
    fn simulate() -> Result<Ensemble, ReferenceDataError> {
        let mut sim = Simulation::run(&config());
        let labs: BTreeMap<String, String> = sim
            .labs
            .iter()
            .enumerate()
            .map(|(i, old)| (old.clone(), lab_code(i)))
            .collect();
        let rename_lab = |old: &mut String| {
            if let Some(new) = labs.get(old.as_str()) {
                old.clone_from(new);
            }
        };
        let mut counts: BTreeMap<(String, bool), usize> = BTreeMap::new();
        let clocks: BTreeMap<(String, String), String> = sim
            .clocks
            .iter()
            .map(|c| {
                let maser = c.kind == ClockKind::HydrogenMaser;
                let n = counts.entry((c.lab.clone(), maser)).or_default();
                *n += 1;
                let name = format!("{}{n}", if maser { "H" } else { "Cs" });
                ((c.lab.clone(), c.name.clone()), name)
            })
            .collect();
        for r in &mut sim.clock_readings {
            if let Some(name) = clocks.get(&(r.lab.clone(), r.clock.clone())) {
                r.clock.clone_from(name);
            }
            rename_lab(&mut r.lab);
        }
        for l in &mut sim.link_readings {
            rename_lab(&mut l.lab);
            rename_lab(&mut l.pivot);
        }
        for p in &mut sim.psfs {
            if let Some(new) = labs.get(&p.lab) {
                p.standard = p.standard.replacen(p.lab.as_str(), new, 1);
            }
            rename_lab(&mut p.lab);
        }
        // The initial steering: minus each UTC(k)'s mean rate over the first month.
        let mut steering = Steering::default();
        let start = config().start_mjd;
        for (l, truth) in sim.lab_truth_ns.iter().enumerate() {
            if let (Some(first), Some(later)) = (truth.first(), truth.get(30)) {
                steering.set_rate(&lab_code(l), start, -(later - first) / 30.0);
            }
        }
        let location = "simulated".to_string();
        let free = algos::Inputs {
            year: YEAR,
            month: 1,
            clocks: sim.clock_readings,
            links: sim.link_readings,
            psfs: sim.psfs,
            leap: leap_table()
                .map_err(|message| ReferenceDataError::File {
                    file: "leap-seconds.list",
                    message,
                })?
                .clone(),
            locations: labs
                .values()
                .map(|code| (code.clone(), location.clone()))
                .collect(),
        };
        let labs = labs
            .values()
            .map(|code| TimeLab {
                code: code.clone(),
                name: format!("Simulated laboratory {}", code.trim_start_matches("SIM-")),
                location: Some(location.clone()),
                simulated: true,
            })
            .collect();
        Ok(Ensemble {
            labs,
            free,
            steering,
        })
    }

    /// Computes the months of [`YEAR`] in order, the laboratories steering after each.
    fn compute(mut self) -> Result<Vec<TimeMonth>, ReferenceDataError> {
        let mut state = State::new();
        let mut months = Vec::with_capacity(12);
        for month in 1..=12 {
            let inputs = self.steering.apply(&self.free, month);
            let (result, next) = algos::compute_month(&inputs, &state, &algos::Config::default())
                .map_err(|e| {
                ReferenceDataError::Simulation(format!("{YEAR}-{month:02}: {e}"))
            })?;
            self.steering.follow(&result);
            months.push(stored_month(&result, &next)?);
            state = next;
        }
        Ok(months)
    }
}

/// The month as stored: what its Circular T publishes and every clock's characteristics, the
/// phase taken from the state the month hands on.
fn stored_month(r: &MonthResult, next: &State) -> Result<TimeMonth, ReferenceDataError> {
    let period = YearMonth::new(r.year, r.month)
        .ok_or_else(|| ReferenceDataError::Simulation(format!("month {}-{}", r.year, r.month)))?;
    let section1 = r.section1();
    let estimate = |e: Option<(f64, f64)>| e.map(|(value, u)| Estimate { value, u });
    let first = r.mjds.first().copied().unwrap_or(i64::MIN);
    Ok(TimeMonth {
        period,
        simulated: true,
        tai_minus_utc_s: section1.tai_minus_utc_s,
        tai_minus_utc_note: section1.tai_minus_utc_note.clone(),
        mjds: r.mjds.clone(),
        pivot: r.pivot.clone(),
        tai_minus_eal_ns: r.tai_minus_eal_ns.clone(),
        frequency: TimeFrequency {
            eal_minus_tai: r.frequency.eal_minus_tai,
            eal_minus_tai_next: r.frequency.eal_minus_tai_next,
            y_eal_month: estimate(r.frequency.y_eal_month),
            y_eal: estimate(r.frequency.y_eal),
            d: estimate(r.frequency.d),
            birge_ratio: r.frequency.birge_ratio,
            weighted_clocks: u32::try_from(r.weighted_clocks).unwrap_or(u32::MAX),
            max_relative_weight: r.max_relative_weight,
        },
        labs: section1
            .rows
            .iter()
            .zip(&r.labs)
            .map(|(row, lab)| LabMonth {
                lab: row.lab.clone(),
                values_ns: row.values.clone(),
                ua_ns: row.ua_ns,
                ub_ns: row.ub_ns,
                u_ns: row.u_ns,
                note: row.note.clone(),
                clocks: u32::try_from(lab.clocks).unwrap_or(u32::MAX),
                weight: lab.weight,
            })
            .collect(),
        clocks: r
            .clocks
            .iter()
            .map(|c| {
                let key = ClockKey {
                    lab: c.lab.clone(),
                    clock: c.clock.clone(),
                };
                ClockMonth {
                    lab: c.lab.clone(),
                    clock: c.clock.clone(),
                    status: c.status,
                    weight: c.weight,
                    capped: c.capped,
                    // The state keeps a clock without data this month at its older phase.
                    phase: next
                        .clocks
                        .get(&key)
                        .filter(|s| s.mjd >= first)
                        .map(|s| Phase {
                            mjd: s.mjd,
                            x_ns: s.x_ns,
                        }),
                    frequency: c.frequency,
                    drift_per_day: c.drift_per_day,
                    sigma: c.sigma,
                    prediction_error: c.prediction_error,
                }
            })
            .collect(),
        circular_t: r.circular_t_text(),
        software_version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

/// Stores the simulated laboratories and the months of [`YEAR`] that the store lacks
/// (idempotent; nothing is computed when every month is there).
pub(crate) async fn load(store: &dyn Store) -> Result<(), ReferenceDataError> {
    let stored: BTreeSet<YearMonth> = store
        .time_months()
        .await?
        .iter()
        .map(|m| m.month.period)
        .collect();
    let all_there = (1..=12)
        .filter_map(|m| YearMonth::new(YEAR, m))
        .all(|p| stored.contains(&p));
    if all_there {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let actor = Actor::System("reference data".into());
    let ensemble = Ensemble::simulate()?;
    store.put_time_labs(&actor, &ensemble.labs).await?;
    // CPU work: off the async threads.
    let months = tokio::task::spawn_blocking(move || ensemble.compute())
        .await
        .map_err(|e| ReferenceDataError::Simulation(e.to_string()))??;
    for month in months.iter().filter(|m| !stored.contains(&m.period)) {
        match store.put_time_month(&actor, month).await {
            // Another server on the same database stored it meanwhile.
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    tracing::info!(
        months = months.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "loaded the simulated Circular T months"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::lab_code;

    #[test]
    fn laboratories_are_named_by_letter() {
        assert_eq!(lab_code(0), "SIM-A");
        assert_eq!(lab_code(14), "SIM-O");
        assert_eq!(lab_code(25), "SIM-Z");
        assert_eq!(lab_code(26), "SIM-26");
    }
}
