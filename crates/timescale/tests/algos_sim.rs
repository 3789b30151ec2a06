//! The monthly engine on simulated ensembles with known truth: ensemble
//! stability, the weight cap, probation, step detection, TAI frequency,
//! [UTC − UTC(k)] against the truth, state round trip and UTCr.
use std::path::PathBuf;

use sevres_timescale::algos::{
    compute_month, compute_utcr, ClockStatus, Config, Inputs, MonthResult, State,
};
use sevres_timescale::leap::LeapTable;
use sevres_timescale::sim::{InjectedStep, SimConfig, Simulation};
use sevres_timescale::stability::{deviation, AveragingFactors, DataType, Kind};

fn leap() -> LeapTable {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/time/leapseconds/leap-seconds.list"
    ));
    LeapTable::parse(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn inputs(sim: &Simulation, k: u32, leap: &LeapTable) -> Inputs {
    Inputs {
        year: 2024 + (k / 12) as i32,
        month: k % 12 + 1,
        clocks: sim.clock_readings.clone(),
        links: sim.link_readings.clone(),
        psfs: sim.psfs.clone(),
        leap: leap.clone(),
        locations: Default::default(),
    }
}

/// Runs `months` consecutive months from January 2024; `through_text`
/// serialises and re-reads the state between months.
fn run(
    sim: &Simulation,
    months: u32,
    config: &Config,
    through_text: bool,
) -> (Vec<MonthResult>, State) {
    let leap = leap();
    let mut state = State::new();
    let mut out = Vec::new();
    for k in 0..months {
        let (r, s) = compute_month(&inputs(sim, k, &leap), &state, config).unwrap();
        state = if through_text {
            State::from_text(&s.to_text()).unwrap()
        } else {
            s
        };
        out.push(r);
    }
    (out, state)
}

/// ADEV at τ = 30 days of a phase series (ns) on the 5-day grid.
fn adev30(phase_ns: &[f64]) -> f64 {
    let x: Vec<f64> = phase_ns.iter().map(|v| v * 1e-9).collect();
    deviation(
        Kind::Adev,
        &x,
        DataType::Phase,
        5.0 * 86_400.0,
        &AveragingFactors::List(vec![6]),
    )
    .unwrap()[0]
        .dev
}

/// Dates and a per-date series over consecutive months, without repeating
/// the date shared by two months.
fn concat(res: &[MonthResult], f: impl Fn(&MonthResult, usize) -> f64) -> (Vec<i64>, Vec<f64>) {
    let (mut mjds, mut v) = (Vec::new(), Vec::new());
    for r in res {
        for (k, &m) in r.mjds.iter().enumerate() {
            if mjds.last() != Some(&m) {
                mjds.push(m);
                v.push(f(r, k));
            }
        }
    }
    (mjds, v)
}

fn two_years() -> Simulation {
    Simulation::run(&SimConfig {
        days: 720,
        ..SimConfig::default()
    })
}

#[test]
fn eal_is_more_stable_than_the_best_clock_at_30_days() {
    let sim = two_years();
    let (res, _) = run(&sim, 23, &Config::default(), false);
    // EAL − ideal = (EAL − UTC(pivot)) + (UTC(pivot) − ideal); skip the
    // first six months (bootstrap: equal weights, no drift estimates yet).
    let (mjds, eal) = concat(&res[6..], |r, k| {
        r.eal_minus_pivot_ns[k] + sim.lab_truth_on(0, &[r.mjds[k]])[0]
    });
    let eal_adev = adev30(&eal);
    let best = (0..sim.clocks.len())
        .map(|i| adev30(&sim.clock_truth_on(i, &mjds)))
        .fold(f64::INFINITY, f64::min);
    assert!(
        eal_adev < best,
        "ADEV(30 d): EAL {eal_adev:.3e}, best clock {best:.3e}"
    );
}

#[test]
fn weights_sum_to_one_and_respect_the_cap() {
    let sim = two_years();
    for a in [4.0, 1.5] {
        let config = Config {
            max_weight_a: a,
            ..Config::default()
        };
        let (res, _) = run(&sim, 14, &config, false);
        let mut capped = 0;
        for r in &res {
            let sum: f64 = r.clocks.iter().map(|c| c.weight).sum();
            assert!(
                (sum - 1.0).abs() < 1e-9,
                "{}-{}: Σω = {sum}",
                r.year,
                r.month
            );
            assert!(
                (r.max_relative_weight - a / r.weighted_clocks as f64).abs() < 1e-12,
                "cap is A/N"
            );
            for c in &r.clocks {
                assert!(c.weight <= r.max_relative_weight * (1.0 + 1e-9), "{c:?}");
                assert_eq!(c.weight > 0.0, c.status == ClockStatus::Weighted);
            }
            capped += r.clocks.iter().filter(|c| c.capped).count();
        }
        assert!(capped > 0, "A = {a}: the cap never bound");
    }
}

#[test]
fn new_clocks_wait_out_their_probation() {
    let mut sim = two_years();
    // Clocks C0003 (maser) and C0040 (caesium) join in month 4 (April 2024).
    let april = 60_399; // first date of April 2024 (MJD 60401 = 2024-04-01)
    sim.clock_readings
        .retain(|r| !(["C0003", "C0040"].contains(&r.clock.as_str()) && r.mjd < april));
    let config = Config::default();
    let (res, _) = run(&sim, 14, &config, false);
    for name in ["C0003", "C0040"] {
        let statuses: Vec<ClockStatus> = res
            .iter()
            .map(|r| {
                r.clocks
                    .iter()
                    .find(|c| c.clock == name)
                    .map_or(ClockStatus::Incomplete, |c| c.status)
            })
            .collect();
        // Absent in months 0–2, then probation for `probation_months` months.
        let first = statuses
            .iter()
            .position(|s| *s == ClockStatus::Probation)
            .unwrap();
        assert_eq!(first, 3, "{name}: {statuses:?}");
        let p = config.probation_months as usize;
        assert!(statuses[first..first + p]
            .iter()
            .all(|s| *s == ClockStatus::Probation));
        assert!(
            statuses[first + p..]
                .iter()
                .filter(|s| **s == ClockStatus::Weighted)
                .count()
                >= 4,
            "{name}: {statuses:?}"
        );
    }
    // Founding clocks are never in probation.
    assert!(res[0]
        .clocks
        .iter()
        .all(|c| c.status == ClockStatus::Weighted));
}

#[test]
fn injected_frequency_steps_are_caught() {
    // Maser C0004 steps by +3e-14 on MJD 60566 (2024-09-13), caesium C0030
    // by −1e-13 on MJD 60626 (2024-11-12): about 30 and 15 times their
    // monthly predictability.
    let steps = vec![
        InjectedStep {
            clock: 4,
            mjd: 60_566,
            dy: 3e-14,
        },
        InjectedStep {
            clock: 30,
            mjd: 60_626,
            dy: -1e-13,
        },
    ];
    let sim = Simulation::run(&SimConfig {
        days: 500,
        steps: steps.clone(),
        ..SimConfig::default()
    });
    let (res, _) = run(&sim, 14, &Config::default(), false);
    for st in &steps {
        let name = &sim.clocks[st.clock].name;
        let k = res
            .iter()
            .position(|r| r.mjds[0] < st.mjd && st.mjd <= *r.mjds.last().unwrap())
            .unwrap();
        let report = res[k].steps.iter().find(|s| &s.clock == name);
        let report = report.unwrap_or_else(|| panic!("{name}: step not reported"));
        assert!((report.mjd - st.mjd).abs() <= 5, "{report:?}");
        assert!(
            (report.size - st.dy).abs() < 0.3 * st.dy.abs(),
            "size {report:?} vs {}",
            st.dy
        );
        let c = res[k].clocks.iter().find(|c| &c.clock == name).unwrap();
        assert_eq!(c.status, ClockStatus::Abnormal);
        assert_eq!(c.weight, 0.0);
    }
    // Few false alarms on the other clocks over 14 months.
    let false_alarms: usize = res
        .iter()
        .map(|r| {
            r.steps
                .iter()
                .filter(|s| s.clock != "C0004" && s.clock != "C0030")
                .count()
        })
        .sum();
    assert!(false_alarms <= 3, "{false_alarms} false step reports");
}

#[test]
fn d_tracks_the_true_frequency_of_tai() {
    let sim = two_years();
    let (res, _) = run(&sim, 23, &Config::default(), false);
    let mut z = Vec::new();
    for r in &res[2..22] {
        // TAI − ideal = (TAI − EAL) + (EAL − UTC(pivot)) + (UTC(pivot) − ideal).
        let n = r.mjds.len() - 1;
        let truth = sim.lab_truth_on(0, &[r.mjds[0], r.mjds[n]]);
        let tai0 = r.tai_minus_eal_ns[0] + r.eal_minus_pivot_ns[0] + truth[0];
        let tai1 = r.tai_minus_eal_ns[n] + r.eal_minus_pivot_ns[n] + truth[1];
        let y_tai = (tai1 - tai0) / ((r.mjds[n] - r.mjds[0]) as f64 * 86_400e9);
        let (d, u) = r.frequency.d.unwrap();
        z.push((d + y_tai) / u);
    }
    let rms = (z.iter().map(|v| v * v).sum::<f64>() / z.len() as f64).sqrt();
    assert!(rms < 2.0, "normalised errors of d: {z:?}");
    // The steering keeps |d| small once aligned.
    for r in &res[3..22] {
        assert!(r.frequency.d.unwrap().0.abs() < 1e-15, "{:?}", r.frequency);
    }
}

#[test]
fn utc_minus_utck_agrees_with_the_truth() {
    let sim = two_years();
    let (res, _) = run(&sim, 8, &Config::default(), false);
    // Differences between labs remove UTC itself:
    // [UTC − UTC(a)] − [UTC − UTC(b)] = UTC(b) − UTC(a).
    let r = &res[7];
    let pivot = r.labs.iter().position(|l| l.lab == sim.labs[0]).unwrap();
    for (li, lab) in r.labs.iter().enumerate() {
        let idx = sim.labs.iter().position(|l| *l == lab.lab).unwrap();
        let truth_lab = sim.lab_truth_on(idx, &r.mjds);
        let truth_pivot = sim.lab_truth_on(0, &r.mjds);
        for k in 0..r.mjds.len() {
            let got =
                lab.utc_minus_utck_ns[k].unwrap() - r.labs[pivot].utc_minus_utck_ns[k].unwrap();
            let want = truth_pivot[k] - truth_lab[k];
            let u = r.labs[li].u_ns.unwrap().max(0.1);
            assert!(
                (got - want).abs() < 5.0 * u,
                "{} MJD {}: {got} vs {want} (u {u})",
                lab.lab,
                r.mjds[k]
            );
        }
        // u = √(uA² + uB²).
        let (ua, ub, u) = (lab.ua_ns.unwrap(), lab.ub_ns.unwrap(), lab.u_ns.unwrap());
        assert!((u - ua.hypot(ub)).abs() < 1e-12);
    }
}

#[test]
fn state_survives_its_text_form() {
    let sim = Simulation::run(&SimConfig {
        days: 300,
        ..SimConfig::default()
    });
    let (a, sa) = run(&sim, 9, &Config::default(), false);
    let (b, sb) = run(&sim, 9, &Config::default(), true);
    assert_eq!(a, b);
    assert_eq!(sa, sb);
    assert!(State::from_text("garbage").is_err());
    let text = sa.to_text();
    let broken = text.replacen("clock\t", "clock\tX\t", 1);
    let e = State::from_text(&broken).unwrap_err();
    assert!(e.line > 1, "{e}");
}

#[test]
fn utcr_daily_values_follow_the_monthly_solution() {
    let sim = Simulation::run(&SimConfig {
        days: 300,
        step_days: 1,
        ..SimConfig::default()
    });
    let config = Config::default();
    let (_, state) = run(&sim, 6, &config, false);
    let leap = leap();
    let first = state.last_mjd.unwrap();
    let utcr = compute_utcr(&inputs(&sim, 6, &leap), &state, &config, first, 11).unwrap();
    assert_eq!(utcr.mjds.len(), 11);
    let (month, _) = compute_month(&inputs(&sim, 6, &leap), &state, &config).unwrap();
    for (k, m) in utcr.mjds.iter().enumerate() {
        let Some(j) = month.mjds.iter().position(|x| x == m) else {
            continue;
        };
        for (lr, lm) in utcr.labs.iter().zip(&month.labs) {
            let (a, b) = (
                lr.utc_minus_utck_ns[k].unwrap(),
                lm.utc_minus_utck_ns[j].unwrap(),
            );
            assert!((a - b).abs() < 0.5, "{} MJD {m}: UTCr {a} UTC {b}", lr.lab);
        }
    }
    assert!(compute_utcr(&inputs(&sim, 6, &leap), &State::new(), &config, first, 7).is_err());
}
