//! The monthly engine on simulated ensembles with known truth: ensemble
//! stability, the weight cap, probation, step detection, TAI frequency,
//! [UTC − UTC(k)] against the truth, state round trip and UTCr.
use std::path::PathBuf;

use sevres_timescale::algos::{
    compute_month, compute_utcr, ClockStatus, Config, Inputs, MonthResult, State, UnsplitPsfs,
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

/// True d over a month: −(frequency of TAI against ideal time) from the
/// truth of the pivot's UTC(k).
fn true_d(sim: &Simulation, r: &MonthResult) -> f64 {
    let n = r.mjds.len() - 1;
    let truth = sim.lab_truth_on(0, &[r.mjds[0], r.mjds[n]]);
    let tai0 = r.tai_minus_eal_ns[0] + r.eal_minus_pivot_ns[0] + truth[0];
    let tai1 = r.tai_minus_eal_ns[n] + r.eal_minus_pivot_ns[n] + truth[1];
    -(tai1 - tai0) / ((r.mjds[n] - r.mjds[0]) as f64 * 86_400e9)
}

#[test]
fn d_filter_does_not_average_down_the_standards_systematic_errors() {
    // Fountains with a constant bias each (u_B) and little white noise: the
    // errors of d are dominated by the biases, which repeated evaluations of
    // one standard cannot reduce.
    let sim = Simulation::run(&SimConfig {
        seed: 11,
        days: 500,
        fountain_u_y: (0.5e-16, 1e-16),
        fountain_u_b: (3e-16, 6e-16),
        ..SimConfig::default()
    });
    let (res, state) = run(&sim, 16, &Config::default(), true);
    let mut z = Vec::new();
    for r in &res[3..] {
        let (d, u) = r.frequency.d.unwrap();
        z.push((d - true_d(&sim, r)) / u);
        // Floor: the biases of the standards seen, combined as independent
        // errors, whatever the number of evaluations of each.
        let mut ub: Vec<(String, f64)> = r
            .psfs
            .iter()
            .filter_map(|p| p.u_b.map(|b| (p.standard.clone(), b)))
            .collect();
        ub.dedup();
        let floor = 1.0 / ub.iter().map(|(_, b)| 1.0 / (b * b)).sum::<f64>().sqrt();
        assert!(
            u >= 0.99 * floor,
            "u(d) {u:e} below the u_B floor {floor:e}"
        );
    }
    let rms = (z.iter().map(|v| v * v).sum::<f64>() / z.len() as f64).sqrt();
    assert!(rms < 2.0, "normalised errors of d: {z:?}");
    // The state keeps the evaluations of the window for the next month.
    assert!(!state.psfs.is_empty());
    let horizon =
        (res[15].mjds[0] + res[15].mjds[res[15].mjds.len() - 1]) as f64 / 2.0 - 12.0 * 30.4375;
    assert!(state.psfs.iter().all(|e| e.mid_mjd >= horizon));
}

#[test]
fn unsplit_evaluations_read_as_systematic_give_a_larger_uncertainty() {
    let sim = two_years();
    let config = Config {
        unsplit_psfs: UnsplitPsfs::Systematic,
        ..Config::default()
    };
    let (a, _) = run(&sim, 10, &Config::default(), false);
    let (b, _) = run(&sim, 10, &config, false);
    for (a, b) in a[4..].iter().zip(&b[4..]) {
        assert!(b.frequency.d.unwrap().1 > a.frequency.d.unwrap().1);
    }
}

#[test]
fn link_errors_reach_utc_minus_utck_as_the_uncertainties_say() {
    // Sensitivity of every [UTC − UTC(k)] to a calibration error in each
    // laboratory's link, measured by perturbing the link in a continuing
    // month; the GUM law of propagation with these coefficients must give
    // the published u_B, and u_A its link part.
    let sim = Simulation::run(&SimConfig {
        seed: 5,
        labs: 6,
        clocks: 18,
        days: 120,
        ..SimConfig::default()
    });
    let leap = leap();
    let mut state = State::new();
    for k in 0..2 {
        state = compute_month(&inputs(&sim, k, &leap), &state, &Config::default())
            .unwrap()
            .1;
    }
    let base = compute_month(&inputs(&sim, 2, &leap), &state, &Config::default())
        .unwrap()
        .0;
    let labs: Vec<String> = base.labs.iter().map(|l| l.lab.clone()).collect();
    let delta = 10.0;
    // c[k][j] = ∂[UTC − UTC(k)]/∂ε_j.
    let mut c = vec![vec![0.0; labs.len()]; labs.len()];
    for (j, lab) in labs.iter().enumerate() {
        if *lab == sim.labs[0] {
            continue; // the pivot has no link
        }
        let mut inp = inputs(&sim, 2, &leap);
        for l in inp.links.iter_mut().filter(|l| l.lab == *lab) {
            l.x_ns += delta;
        }
        let r = compute_month(&inp, &state, &Config::default()).unwrap().0;
        for (k, row) in c.iter_mut().enumerate() {
            let d: Vec<f64> = (0..r.mjds.len())
                .map(|t| {
                    r.labs[k].utc_minus_utck_ns[t].unwrap()
                        - base.labs[k].utc_minus_utck_ns[t].unwrap()
                })
                .collect();
            // The same shift at every date: a calibration error.
            assert!(d.iter().all(|v| (v - d[0]).abs() < 1e-6), "{d:?}");
            row[j] = d[0] / delta;
        }
        // The coefficients are those of the weights: W_j for the others,
        // −(1 − W_j) for the laboratory itself.
        let w = base.labs[j].weight;
        assert!((c[j][j] + (1.0 - w)).abs() < 1e-6, "{} vs {w}", c[j][j]);
    }
    let link = |lab: &str| sim.link_readings.iter().find(|l| l.lab == lab);
    let mut ens = Vec::new();
    for (k, l) in base.labs.iter().enumerate() {
        let (mut ub2, mut ua2) = (0.0, 0.0);
        for (j, lab) in labs.iter().enumerate() {
            if let Some(x) = link(lab) {
                ub2 += (c[k][j] * x.ub_ns).powi(2);
                ua2 += (c[k][j] * x.ua_ns).powi(2);
            }
        }
        let ub = l.ub_ns.unwrap();
        assert!(
            (ub - ub2.sqrt()).abs() < 1e-6 * ub,
            "{}: {ub} vs {}",
            l.lab,
            ub2.sqrt()
        );
        // u_A = link part ⊕ the ensemble's term, the same for every laboratory.
        let ua = l.ua_ns.unwrap();
        assert!(ua * ua >= ua2 * (1.0 - 1e-9));
        ens.push(ua * ua - ua2);
    }
    assert!(ens.iter().all(|e| (e - ens[0]).abs() < 1e-9), "{ens:?}");
}
