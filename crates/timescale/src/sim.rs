//! Seeded clock-ensemble simulator: laboratories with hydrogen masers and
//! caesium beams, time links with noise, and caesium fountains acting as
//! primary frequency standards — with the truth kept, so that the time-scale
//! engine can be checked against it.
//!
//! What: every clock's time error φ(t) = h(t) − ideal(t) is generated day by
//! day from a frequency y(t) = y₀ + D·t + y_RW(t) + y_FL(t) + steps, with
//! white frequency noise added per day (Riley, NIST SP 1065, §4: power-law
//! noise types; white FM integrates to a random walk of phase). Random-walk
//! FM is a cumulative sum of Gaussian frequency increments. Flicker FM is
//! approximated by a sum of first-order Gauss–Markov (relaxation) processes
//! with time constants spaced by factors of 4 and equal variances, which
//! gives a 1/f spectrum over the covered decades (the relaxation-sum method,
//! see N. J. Kasdin, "Discrete simulation of colored noise and stochastic
//! processes", Proc. IEEE 83 (1995) 802, §VI for alternatives).
//! UTC(k) is the lab's first clock; a clock comparison is UTC(k) − clock
//! with a small measurement noise; a link is UTC(k) − UTC(pivot) with white
//! phase noise of standard deviation uA and a constant calibration error
//! drawn from N(0, uB). Fountains report, over 20-day intervals, the mean
//! frequency of UTC(k) with noise of standard deviation u_y.
//!
//! Why: the engine's properties (ensemble stability, weight cap, step
//! detection) are statistical; a seeded simulation with known truth is the
//! only way to assert them, and the same data feed the benchmark.
//!
//! Noise levels ([`NoiseModel::maser`], [`NoiseModel::caesium`]) are typical
//! of an active H-maser and a high-performance caesium beam; they are
//! parameters, not claims about particular instruments.

pub mod steering;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::inputs::{ClockReading, LinkReading, PsfsReport, Source};

/// Seconds per day.
const DAY_S: f64 = 86_400.0;

/// Kind of simulated instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockKind {
    /// Active hydrogen maser: low short-term noise, frequency drift.
    HydrogenMaser,
    /// Caesium beam: white and flicker FM, no drift.
    CaesiumBeam,
}

/// Power-law frequency noise of a clock, as fractional frequencies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoiseModel {
    /// White FM: Allan deviation at τ = 1 day.
    pub white_fm_1d: f64,
    /// Flicker FM: approximate Allan-deviation floor.
    pub flicker_fm: f64,
    /// Random-walk FM: standard deviation of the daily frequency increment.
    pub random_walk_fm_1d: f64,
    /// Standard deviation of the per-clock linear drift, per day.
    pub drift_per_day: f64,
    /// Standard deviation of the initial frequency offset.
    pub initial_offset: f64,
}

impl NoiseModel {
    /// Typical active hydrogen maser.
    pub fn maser() -> Self {
        NoiseModel {
            white_fm_1d: 1.5e-15,
            flicker_fm: 5e-16,
            random_walk_fm_1d: 4e-17,
            drift_per_day: 1.5e-16,
            initial_offset: 1e-13,
        }
    }

    /// Typical high-performance caesium beam.
    pub fn caesium() -> Self {
        NoiseModel {
            white_fm_1d: 1.5e-14,
            flicker_fm: 4e-15,
            random_walk_fm_1d: 2e-17,
            drift_per_day: 0.0,
            initial_offset: 5e-14,
        }
    }

    fn of(kind: ClockKind) -> Self {
        match kind {
            ClockKind::HydrogenMaser => Self::maser(),
            ClockKind::CaesiumBeam => Self::caesium(),
        }
    }
}

/// A frequency step to inject.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InjectedStep {
    /// Index of the clock in [`Simulation::clocks`].
    pub clock: usize,
    /// Day (MJD) from which the step applies.
    pub mjd: i64,
    /// Fractional frequency step.
    pub dy: f64,
}

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Random seed (ChaCha8).
    pub seed: u64,
    /// Number of laboratories (the first is the pivot).
    pub labs: usize,
    /// Number of clocks, spread round-robin over the laboratories.
    pub clocks: usize,
    /// Fraction of clocks that are masers (the others are caesium beams).
    pub maser_fraction: f64,
    /// Number of laboratories operating a fountain (PSFS).
    pub fountains: usize,
    /// First simulated day (MJD).
    pub start_mjd: i64,
    /// Number of simulated days.
    pub days: usize,
    /// Report clock and link data every `step_days` days on dates with
    /// MJD ≡ 4 (mod 5) when 5 (the BIPM grid), every day when 1.
    pub step_days: i64,
    /// Link statistical noise (ns), drawn per lab uniformly in this range.
    /// The default 0.1–0.4 ns is that of modern GNSS PPP and TWSTFT links
    /// over 5-day spacing; at τ = 30 days link noise of 1 ns (white phase)
    /// alone gives σ_y = √3·σ_x/τ ≈ 7×10⁻¹⁶ (the second difference of
    /// white phase noise has variance 6σ_x², and σ_y² = ⟨(Δ²x)²⟩/(2τ²)),
    /// more than a good maser.
    pub link_ua_ns: (f64, f64),
    /// Link calibration uncertainty (ns), drawn per lab uniformly in this range.
    pub link_ub_ns: (f64, f64),
    /// Fountain uncertainty u_y, drawn per fountain uniformly in this range.
    /// It is the statistical u_A of each evaluation (white noise, independent
    /// from one evaluation to the next).
    pub fountain_u_y: (f64, f64),
    /// Fountain systematic uncertainty u_B, drawn per fountain uniformly in
    /// this range; each fountain then carries a constant frequency bias drawn
    /// from N(0, u_B²), common to all its evaluations. With a non-zero range
    /// the evaluations report their components (u_A, u_B, u_l/Lab = 0) and
    /// u_y = √(u_A² + u_B²). The default (0, 0) draws nothing (the data are
    /// those of earlier versions); the draws use their own generator seeded
    /// from `seed`, so the other data do not change either way.
    pub fountain_u_b: (f64, f64),
    /// Frequency steps to inject.
    pub steps: Vec<InjectedStep>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 1,
            labs: 20,
            clocks: 60,
            maser_fraction: 0.4,
            fountains: 3,
            start_mjd: 60_309,
            days: 365,
            step_days: 5,
            link_ua_ns: (0.1, 0.4),
            link_ub_ns: (1.0, 5.0),
            fountain_u_y: (2e-16, 6e-16),
            fountain_u_b: (0.0, 0.0),
            steps: Vec::new(),
        }
    }
}

/// A simulated clock.
#[derive(Debug, Clone, PartialEq)]
pub struct SimClock {
    /// Laboratory acronym.
    pub lab: String,
    /// Clock identifier.
    pub name: String,
    /// Instrument kind.
    pub kind: ClockKind,
}

/// The simulated data and the truth behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// Laboratory acronyms; `labs[0]` is the pivot.
    pub labs: Vec<String>,
    /// Clocks.
    pub clocks: Vec<SimClock>,
    /// Simulated days (MJD), daily.
    pub days: Vec<i64>,
    /// Truth: clock − ideal time, ns, per clock per day.
    pub clock_truth_ns: Vec<Vec<f64>>,
    /// Truth: UTC(lab) − ideal time, ns, per lab per day.
    pub lab_truth_ns: Vec<Vec<f64>>,
    /// Clock comparisons UTC(lab) − clock.
    pub clock_readings: Vec<ClockReading>,
    /// Links UTC(lab) − UTC(pivot).
    pub link_readings: Vec<LinkReading>,
    /// Fountain evaluations of UTC(lab).
    pub psfs: Vec<PsfsReport>,
    /// The steps that were injected.
    pub injected_steps: Vec<InjectedStep>,
}

impl Simulation {
    /// Runs the simulation.
    ///
    /// # Panics
    /// If a (low, high) range of the configuration has low > high.
    pub fn run(cfg: &SimConfig) -> Simulation {
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        let n_labs = cfg.labs.max(1);
        let labs: Vec<String> = (0..n_labs).map(|i| format!("L{i:03}")).collect();
        let n_masers = (cfg.clocks as f64 * cfg.maser_fraction).round() as usize;
        let clocks: Vec<SimClock> = (0..cfg.clocks)
            .map(|i| SimClock {
                lab: labs[i % n_labs].clone(),
                name: format!("C{i:04}"),
                // Masers first, so each lab's first clock (its UTC(k)) tends
                // to be a maser, as in most timing laboratories.
                kind: if i < n_masers {
                    ClockKind::HydrogenMaser
                } else {
                    ClockKind::CaesiumBeam
                },
            })
            .collect();
        let days: Vec<i64> = (0..cfg.days as i64).map(|d| cfg.start_mjd + d).collect();
        let clock_truth_ns: Vec<Vec<f64>> = clocks
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let steps: Vec<&InjectedStep> = cfg.steps.iter().filter(|s| s.clock == i).collect();
                simulate_clock(&mut rng, NoiseModel::of(c.kind), &days, &steps)
            })
            .collect();
        // UTC(lab) = the lab's first clock.
        let master: Vec<usize> = (0..n_labs)
            .map(|l| clocks.iter().position(|c| c.lab == labs[l]).unwrap_or(0))
            .collect();
        let lab_truth_ns: Vec<Vec<f64>> = master
            .iter()
            .map(|&m| {
                clock_truth_ns
                    .get(m)
                    .cloned()
                    .unwrap_or_else(|| vec![0.0; days.len()])
            })
            .collect();
        let reported: Vec<usize> = (0..days.len())
            .filter(|&d| cfg.step_days <= 1 || days[d].rem_euclid(5) == 4)
            .collect();
        let mem = |what: &str, line: usize| Source::memory(what, line);
        let mut clock_readings = Vec::with_capacity(reported.len() * clocks.len());
        for &d in &reported {
            for (i, c) in clocks.iter().enumerate() {
                let l = labs.iter().position(|x| *x == c.lab).unwrap_or(0);
                let noise: f64 = rng.sample::<f64, _>(StandardNormal) * 0.02;
                clock_readings.push(ClockReading {
                    mjd: days[d],
                    lab: c.lab.clone(),
                    clock: c.name.clone(),
                    x_ns: lab_truth_ns[l][d] - clock_truth_ns[i][d] + noise,
                    source: mem("sim-clocks", clock_readings.len() + 2),
                });
            }
        }
        let lab_ua: Vec<f64> = (0..n_labs)
            .map(|l| {
                if l == 0 {
                    0.0
                } else {
                    rng.gen_range(cfg.link_ua_ns.0..=cfg.link_ua_ns.1)
                }
            })
            .collect();
        let lab_ub: Vec<f64> = (0..n_labs)
            .map(|l| {
                if l == 0 {
                    0.0
                } else {
                    rng.gen_range(cfg.link_ub_ns.0..=cfg.link_ub_ns.1)
                }
            })
            .collect();
        let calib: Vec<f64> = lab_ub
            .iter()
            .map(|&u| u * rng.sample::<f64, _>(StandardNormal))
            .collect();
        let mut link_readings = Vec::new();
        for &d in &reported {
            for l in 1..n_labs {
                let noise: f64 = rng.sample::<f64, _>(StandardNormal) * lab_ua[l];
                link_readings.push(LinkReading {
                    mjd: days[d],
                    lab: labs[l].clone(),
                    pivot: labs[0].clone(),
                    x_ns: lab_truth_ns[l][d] - lab_truth_ns[0][d] + calib[l] + noise,
                    ua_ns: lab_ua[l],
                    ub_ns: lab_ub[l],
                    kind: None,
                    source: mem("sim-links", link_readings.len() + 2),
                });
            }
        }
        let mut psfs = Vec::new();
        // Systematic errors of the fountains, from their own generator.
        let mut sys_rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x5053_4653_5f75_425f);
        let split = cfg.fountain_u_b.1 > 0.0;
        for f in 0..cfg.fountains.min(n_labs) {
            let u_y = rng.gen_range(cfg.fountain_u_y.0..=cfg.fountain_u_y.1);
            let (u_b, bias) = if split {
                let u_b = sys_rng.gen_range(cfg.fountain_u_b.0..=cfg.fountain_u_b.1);
                (u_b, u_b * sys_rng.sample::<f64, _>(StandardNormal))
            } else {
                (0.0, 0.0)
            };
            // 20-day evaluations every 30 days, staggered per fountain.
            let mut s = 3 + 2 * f;
            while s + 20 < days.len() {
                let e = s + 20;
                let y_true = (lab_truth_ns[f][e] - lab_truth_ns[f][s]) / (20.0 * DAY_S * 1e9);
                let y = y_true + u_y * rng.sample::<f64, _>(StandardNormal) + bias;
                psfs.push(PsfsReport {
                    mjd_start: days[s],
                    mjd_end: days[e],
                    standard: format!("{}-F{}", labs[f], f + 1),
                    lab: labs[f].clone(),
                    y,
                    u_y: u_y.hypot(u_b),
                    components: split.then_some(crate::inputs::PsfsComponents {
                        u_a: u_y,
                        u_b,
                        u_l_lab: 0.0,
                    }),
                    source: mem("sim-psfs", psfs.len() + 2),
                });
                s += 30;
            }
        }
        Simulation {
            labs,
            clocks,
            days,
            clock_truth_ns,
            lab_truth_ns,
            clock_readings,
            link_readings,
            psfs,
            injected_steps: cfg.steps.clone(),
        }
    }

    /// Truth of one clock (ns, clock − ideal) on the given days.
    ///
    /// # Panics
    /// If a day or the clock index is outside the simulation.
    pub fn clock_truth_on(&self, clock: usize, mjds: &[i64]) -> Vec<f64> {
        mjds.iter()
            .map(|&m| {
                let d = (m - self.days[0]) as usize;
                self.clock_truth_ns[clock][d]
            })
            .collect()
    }

    /// Truth of UTC(lab) − ideal (ns) for lab index `lab` on the given days.
    ///
    /// # Panics
    /// If a day or the lab index is outside the simulation.
    pub fn lab_truth_on(&self, lab: usize, mjds: &[i64]) -> Vec<f64> {
        mjds.iter()
            .map(|&m| {
                let d = (m - self.days[0]) as usize;
                self.lab_truth_ns[lab][d]
            })
            .collect()
    }
}

/// Time error (ns) of one clock, day by day.
fn simulate_clock(
    rng: &mut ChaCha8Rng,
    m: NoiseModel,
    days: &[i64],
    steps: &[&InjectedStep],
) -> Vec<f64> {
    let mut g = || -> f64 { rng.sample(StandardNormal) };
    let y0 = m.initial_offset * g();
    let drift = m.drift_per_day * g();
    // Flicker FM as a sum of relaxation processes, τ_j = 4^j days (j = 0..5),
    // each AR(1) with unit-day step: y_j ← a_j y_j + sqrt(1 − a_j²) σ ε.
    const N_FL: usize = 6;
    let taus: [f64; N_FL] = std::array::from_fn(|j| 4f64.powi(j as i32));
    // Equal variance per process; the total variance of the sum sets the
    // floor (σ_y of a flicker process is ≈ its standard deviation).
    let sigma_fl = m.flicker_fm / (N_FL as f64).sqrt();
    let mut fl = [0.0f64; N_FL];
    for v in fl.iter_mut() {
        *v = sigma_fl * g();
    }
    let mut y_rw = 0.0;
    let mut x = 0.0;
    let mut out = Vec::with_capacity(days.len());
    for (t, &mjd) in days.iter().enumerate() {
        out.push(x);
        let mut y_fl = 0.0;
        for (j, v) in fl.iter_mut().enumerate() {
            let a = (-1.0 / taus[j]).exp();
            *v = a * *v + (1.0 - a * a).sqrt() * sigma_fl * g();
            y_fl += *v;
        }
        y_rw += m.random_walk_fm_1d * g();
        let step: f64 = steps.iter().filter(|s| mjd >= s.mjd).map(|s| s.dy).sum();
        let y = y0 + drift * t as f64 + y_rw + y_fl + step + m.white_fm_1d * g();
        x += y * DAY_S * 1e9;
    }
    out
}
