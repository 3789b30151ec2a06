//! From samples to a table of [`Point`]s: input preparation, per-τ
//! normalisation of the kernel sums, noise identification, edf and
//! confidence interval, and the parallel loop over averaging factors.
//!
//! Why separate from `kernels`: the kernels are pure arithmetic; this module
//! owns the conventions (which variance, which edf model, how Stable32
//! counts terms) for every [`Kind`].

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use super::chi2::confidence_interval;
use super::edf::{self, Estimator};
use super::kernels::{self, Gaps, Prefix};
use super::noise_id::{acf_alpha, b1_alpha, ACF_MIN_POINTS};
use super::{AveragingFactors, DataType, Kind, Point, StabilityError};

/// Checks τ0.
fn check_tau0(tau0: f64) -> Result<(), StabilityError> {
    if tau0.is_finite() && tau0 > 0.0 {
        Ok(())
    } else {
        Err(StabilityError::InvalidTau0(tau0))
    }
}

/// Fractional frequency from phase: y_i = (x_{i+1} − x_i)/τ0
/// (NIST SP 1065 §4.2 eq. 3). A NaN phase sample makes both adjacent
/// frequency samples NaN (gaps propagate).
pub fn phase_to_frequency(phase: &[f64], tau0: f64) -> Result<Vec<f64>, StabilityError> {
    check_tau0(tau0)?;
    Ok(phase.windows(2).map(|w| (w[1] - w[0]) / tau0).collect())
}

/// Phase from fractional frequency: x_0 = 0, x_{i+1} = x_i + y_i·τ0
/// (NIST SP 1065 §4.2 eq. 4), N frequency samples giving N + 1 phase
/// samples. A NaN frequency sample makes the following phase sample NaN;
/// the integration then continues across the gap with the mean frequency of
/// the valid samples, so later phase samples stay usable.
pub fn frequency_to_phase(freq: &[f64], tau0: f64) -> Result<Vec<f64>, StabilityError> {
    check_tau0(tau0)?;
    let mean = finite_mean(freq).unwrap_or(0.0);
    let mut x = Vec::with_capacity(freq.len() + 1);
    let mut acc = 0.0;
    x.push(0.0);
    for &y in freq {
        if y.is_nan() {
            acc += mean * tau0;
            x.push(f64::NAN);
        } else {
            acc += y * tau0;
            x.push(acc);
        }
    }
    Ok(x)
}

fn finite_mean(v: &[f64]) -> Option<f64> {
    let (s, n) = v
        .iter()
        .filter(|a| a.is_finite())
        .fold((0.0, 0usize), |(s, n), &a| (s + a, n + 1));
    (n > 0).then(|| s / n as f64)
}

/// Input turned into gap-free phase plus gap bookkeeping.
struct Prepared<'a> {
    /// Phase samples; gaps are filled (their terms are skipped anyway).
    x: Cow<'a, [f64]>,
    /// Frequency samples (gaps filled with the mean), when needed: frequency
    /// input (noise identification works on it) or HTOTDEV.
    y: Option<Cow<'a, [f64]>>,
    gaps: Option<Gaps>,
    tau0: f64,
    data_type: DataType,
    /// Compensated prefix sums of `x` for the gap-free modified kernels,
    /// built on first use and shared by every τ (and thread).
    prefix: OnceLock<Prefix>,
    /// Théo1 only: the ThêoBR bias-removal factor of the run (see
    /// [`theo_br_factor`]).
    theo_br: Option<f64>,
}

impl<'a> Prepared<'a> {
    fn new(
        kind: Kind,
        data: &'a [f64],
        data_type: DataType,
        tau0: f64,
    ) -> Result<Self, StabilityError> {
        check_tau0(tau0)?;
        if data.is_empty() {
            return Err(StabilityError::EmptyData);
        }
        // One vectorisable counting pass instead of three scans; the mean
        // is only needed for frequency input.
        let (nan, inf) = data.iter().fold((0usize, 0usize), |(a, b), v| {
            (
                a + usize::from(v.is_nan()),
                b + usize::from(v.is_infinite()),
            )
        });
        if inf > 0 {
            if let Some((index, &value)) = data.iter().enumerate().find(|(_, v)| v.is_infinite()) {
                return Err(StabilityError::NonFinite { index, value });
            }
        }
        if nan == data.len() {
            return Err(StabilityError::AllGaps(data.len()));
        }
        let has_gap = nan > 0;
        match data_type {
            DataType::Phase => {
                let gaps = if has_gap {
                    Gaps::from_flags(data.iter().map(|v| v.is_nan()), data.len(), false)
                } else {
                    None
                };
                let x: Cow<'a, [f64]> = if has_gap {
                    // Hold the last valid value (leading gaps: the first one).
                    let first = data.iter().copied().find(|v| !v.is_nan()).unwrap_or(0.0);
                    let mut last = first;
                    Cow::Owned(
                        data.iter()
                            .map(|&v| {
                                if !v.is_nan() {
                                    last = v;
                                }
                                last
                            })
                            .collect(),
                    )
                } else {
                    Cow::Borrowed(data)
                };
                let y = (kind == Kind::Htotdev)
                    .then(|| Cow::Owned(x.windows(2).map(|w| (w[1] - w[0]) / tau0).collect()));
                Ok(Self {
                    x,
                    y,
                    gaps,
                    tau0,
                    data_type,
                    prefix: OnceLock::new(),
                    theo_br: None,
                })
            }
            DataType::Frequency => {
                let mean = finite_mean(data).unwrap_or(0.0);
                // Remove the mean frequency before integrating (keeps the phase
                // small: precision) unless the statistic sees a phase ramp.
                let offset = if matches!(kind, Kind::TieRms | Kind::Mtie) {
                    0.0
                } else {
                    mean
                };
                let gaps = if has_gap {
                    Gaps::from_flags(
                        std::iter::once(false).chain(data.iter().map(|v| v.is_nan())),
                        data.len() + 1,
                        true,
                    )
                } else {
                    None
                };
                let mut x = Vec::with_capacity(data.len() + 1);
                let mut acc = 0.0;
                x.push(0.0);
                for &v in data {
                    let v = if v.is_nan() { mean } else { v };
                    acc += (v - offset) * tau0;
                    x.push(acc);
                }
                let y: Cow<'a, [f64]> = if has_gap {
                    Cow::Owned(
                        data.iter()
                            .map(|&v| if v.is_nan() { mean } else { v })
                            .collect(),
                    )
                } else {
                    Cow::Borrowed(data)
                };
                Ok(Self {
                    x: Cow::Owned(x),
                    y: Some(y),
                    gaps,
                    tau0,
                    data_type,
                    prefix: OnceLock::new(),
                    theo_br: None,
                })
            }
        }
    }

    fn gaps(&self) -> Option<&Gaps> {
        self.gaps.as_ref()
    }

    /// The modified Allan sum at factor m (SP 1065 eq. 14): O(1) per term
    /// from the shared prefix sums, or the gap-aware running sum.
    fn modified(&self, m: usize) -> kernels::Sum {
        match self.gaps() {
            Some(g) => kernels::modified_gaps(&self.x, m, g),
            None => {
                let prefix = self.prefix.get_or_init(|| Prefix::new(&self.x));
                kernels::modified(prefix, m)
            }
        }
    }
}

/// Computes `kind` for every averaging factor of `factors`.
///
/// `data` are phase samples in seconds or fractional-frequency samples
/// (`data_type`), spaced `tau0` seconds; NaN marks a gap. Each returned
/// [`Point`] carries τ, the deviation, the Stable32 term count `n`, and —
/// for the Allan/Hadamard/total families — the identified noise exponent,
/// the edf and the 68.3 % confidence interval. Factors whose every term
/// touches a gap are left out.
pub fn deviation(
    kind: Kind,
    data: &[f64],
    data_type: DataType,
    tau0: f64,
    factors: &AveragingFactors,
) -> Result<Vec<Point>, StabilityError> {
    let mut prep = Prepared::new(kind, data, data_type, tau0)?;
    let list = factors.resolve(kind, prep.x.len())?;
    if kind == Kind::Theo1 {
        prep.theo_br = theo_br_factor(&prep);
    }
    Ok(par_map(&list, prep.x.len(), |m| point(kind, &prep, m)))
}

/// Runs `f` for every factor, on all cores when the job is large enough,
/// keeping the order of `list`.
fn par_map<T: Send>(list: &[usize], n: usize, f: impl Fn(usize) -> Option<T> + Sync) -> Vec<T> {
    const MIN_PARALLEL_WORK: usize = 1 << 20;
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(list.len());
    if threads <= 1 || n.saturating_mul(list.len()) < MIN_PARALLEL_WORK {
        return list.iter().filter_map(|&m| f(m)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(list.len()).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&m) = list.get(i) else { break };
                        done.push((i, f(m)));
                    }
                    done
                })
            })
            .collect();
        for h in handles {
            // A worker only panics if `f` does, which it is written not to.
            if let Ok(done) = h.join() {
                for (i, p) in done {
                    slots[i] = p;
                }
            }
        }
    });
    slots.into_iter().flatten().collect()
}

/// Largest series on which the ThêoBR factor is evaluated point by point;
/// longer runs are first averaged in blocks (see [`theo_br_factor`]).
const THEOBR_MAX_POINTS: usize = 2000;

/// ThêoBR bias-removal factor k_f of a run: the mean over i = 0..n of
/// AVAR(m = 9 + 3i) / Théo1(m = 12 + 4i) — both at τ = (9 + 3i)·τ0 — with
/// n = ⌊N/6 − 3⌋ (Howe & Tasset, "Théo1: characterization of very long-term
/// frequency stability", EFTF 2004; D. A. Howe, J. A. Taylor, T. Tasset,
/// "ThêoH bias-removal method", IFCS 2006; NIST SP 1065 §5.2.16 gives the
/// same average with n = ⌊0.1·N/3 − 3⌋, the ⌊N/6 − 3⌋ count is J. A. Taylor
/// and D. A. Howe's "Fast ThêoBR", which Stable32's Run tool uses).
///
/// Why: Stable32 reports Thêo1 with this bias removed (ThêoBR = k_f·Thêo1;
/// its "Alpha" column is the noise type k_f points to). On PHASE.DAT this
/// reproduces every one of the 181 rows of Stable32's Thêo1 table to its
/// 5 printed digits, where the raw SP 1065 eq. 30 value differs from it by
/// the constant factor √k_f = 0.7764.
///
/// Cost: one Théo1 evaluation, O(N·m), per i, O(N³) in all; above
/// [`THEOBR_MAX_POINTS`] phase points the factor is computed on the phase
/// averaged in blocks of b = ⌈N/2000⌉ points — Howe and Taylor's fast
/// method ("phase averaging with negligible effect on bias removal"); k_f is
/// a ratio at equal τ, so the block length does not scale it. A block
/// touching a gap is a gap. `None` when N < 18 or no ratio can be formed.
fn theo_br_factor(p: &Prepared<'_>) -> Option<f64> {
    let b = p.x.len().div_ceil(THEOBR_MAX_POINTS).max(1);
    let (z, gaps): (Cow<'_, [f64]>, Option<Gaps>) = if b == 1 {
        (Cow::Borrowed(&p.x), p.gaps.clone())
    } else {
        let z: Vec<f64> =
            p.x.chunks_exact(b)
                .map(|c| c.iter().sum::<f64>() / b as f64)
                .collect();
        let gaps = p.gaps().and_then(|g| {
            let bad = (0..z.len()).map(|k| !g.span_ok(k * b, k * b + b - 1));
            Gaps::from_flags(bad, z.len(), false)
        });
        (Cow::Owned(z), gaps)
    };
    let last = (z.len() / 6).checked_sub(3)?;
    let list: Vec<usize> = (0..=last).collect();
    let work = z.len().saturating_mul(z.len());
    let ratios = par_map(&list, work, |i| {
        let (ma, mt) = (9 + 3 * i, 12 + 4 * i);
        let a = kernels::allan(&z, ma, 1, gaps.as_ref());
        let t = kernels::theo1(&z, mt, gaps.as_ref());
        if a.n == 0 || t.n == 0 || t.sq <= 0.0 {
            return None;
        }
        // SP 1065 eq. 11 and eq. 30 with τ0 = 1 (it cancels in the ratio).
        let avar = a.sq / (2.0 * a.n as f64 * (ma * ma) as f64);
        let outer = (t.n / (mt / 2)) as f64;
        let theo = t.sq / (0.75 * outer * (mt * mt) as f64);
        Some(avar / theo)
    });
    (!ratios.is_empty()).then(|| ratios.iter().sum::<f64>() / ratios.len() as f64)
}

/// Noise exponent α at factor m (see `noise_id`), clamped to the range the
/// statistic's edf model covers.
fn identify_noise(kind: Kind, p: &Prepared<'_>, m: usize) -> Option<i32> {
    let hadamard = matches!(kind, Kind::Hdev | Kind::Ohdev | Kind::Htotdev);
    let (dmax, lowest) = if hadamard { (3, -4) } else { (2, -2) };
    let alpha = if (p.x.len() - 1) / m >= ACF_MIN_POINTS {
        // O(N/m) values: τ-averaged frequency or phase decimated by m.
        match (p.data_type, &p.y) {
            (DataType::Frequency, Some(y)) if m == 1 => acf_alpha(y, false, dmax),
            (DataType::Frequency, Some(y)) => {
                let z: Vec<f64> = y
                    .chunks_exact(m)
                    .map(|c| c.iter().sum::<f64>() / m as f64)
                    .collect();
                acf_alpha(&z, false, dmax)
            }
            _ if m == 1 => acf_alpha(&p.x, true, dmax),
            _ => {
                let z: Vec<f64> = p.x.iter().step_by(m).copied().collect();
                acf_alpha(&z, true, dmax)
            }
        }
    } else {
        // B1: standard variance of the τ-averaged frequencies over the
        // Allan-type variance; averages taken from phase differences.
        let tau = m as f64 * p.tau0;
        let avg: Vec<f64> =
            p.x.iter()
                .step_by(m)
                .collect::<Vec<_>>()
                .windows(2)
                .map(|w| (w[1] - w[0]) / tau)
                .collect();
        if avg.len() < 2 {
            return None;
        }
        let mean = avg.iter().sum::<f64>() / avg.len() as f64;
        let var = avg.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (avg.len() - 1) as f64;
        // Denominator: the non-overlapping Allan variance of the same
        // averages. B1 expectation: for non-overlapping statistics at the
        // number of averages, for the overlapping ones at their number of
        // overlapping terms N − 2m. This reproduces the α Stable32 prints
        // in its small-sample region (every Cs 5071A OADEV/MDEV/TDEV row
        // and all but a few PHASE.DAT rows; with the number of averages
        // instead, 65 of 72 Cs 5071A OADEV rows differ).
        let avar = avg.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum::<f64>()
            / (2.0 * (avg.len() - 1) as f64);
        if avar <= 0.0 {
            return None;
        }
        let n_b1 = if matches!(kind, Kind::Adev | Kind::Hdev) {
            avg.len()
        } else {
            p.x.len().saturating_sub(2 * m).max(2)
        };
        let rn = || {
            let md = p.modified(m);
            let oa = kernels::allan(&p.x, m, 1, p.gaps());
            (md.n > 0 && oa.n > 0 && oa.sq > 0.0)
                .then(|| (md.sq / (m * m) as f64 / md.n as f64) / (oa.sq / oa.n as f64))
        };
        b1_alpha(var / avar, n_b1, m, rn, hadamard)
    };
    Some(alpha.clamp(lowest, 2))
}

/// One table row for factor m, or `None` when no term survives the gaps.
fn point(kind: Kind, p: &Prepared<'_>, m: usize) -> Option<Point> {
    let x: &[f64] = &p.x;
    let g = p.gaps();
    let n_phase = x.len();
    let mf = m as f64;
    let tau = mf * p.tau0;
    let var =
        |s: kernels::Sum, k: f64| (s.n > 0).then(|| (s.sq / (k * s.n as f64 * tau * tau), s.n));
    // (deviation, n, estimator for the Greenhall edf, other edf model)
    let (dev, n, tau_out): (f64, usize, f64) = match kind {
        // SP 1065 eq. 7 (non-overlapping, stride m) and eq. 11 (overlapping).
        Kind::Adev => var(kernels::allan(x, m, m, g), 2.0).map(|(v, n)| (v.sqrt(), n, tau))?,
        Kind::Oadev => var(kernels::allan(x, m, 1, g), 2.0).map(|(v, n)| (v.sqrt(), n, tau))?,
        // SP 1065 eq. 14: Mod σ²_y = Σ[Σ(...)]² / (2 m² τ² (N − 3m + 1)).
        // SP 1065 eq. 15: σ_x = (τ/√3)·Mod σ_y.
        Kind::Mdev | Kind::Tdev => {
            let (v, n) = var(p.modified(m), 2.0 * mf * mf)?;
            let d = v.sqrt();
            let d = if kind == Kind::Tdev {
                tau / 3f64.sqrt() * d
            } else {
                d
            };
            (d, n, tau)
        }
        // SP 1065 eq. 18 / eq. 20: σ²_H = Σ(third difference)² / (6 τ² n).
        Kind::Hdev => var(kernels::hadamard(x, m, m, g), 6.0).map(|(v, n)| (v.sqrt(), n, tau))?,
        Kind::Ohdev => var(kernels::hadamard(x, m, 1, g), 6.0).map(|(v, n)| (v.sqrt(), n, tau))?,
        // SP 1065 eq. 25: Tot σ²_y = Σ(x*_{i−m} − 2x*_i + x*_{i+m})² / (2τ²(N − 2)).
        Kind::Totdev => var(kernels::total(x, m, g), 2.0).map(|(v, n)| (v.sqrt(), n, tau))?,
        // SP 1065 eq. 27: Mod σ²_total = Σ_n [avg of 6m terms] / (2 τ² (N − 3m + 1));
        // eq. 28: σ²_x = (τ²/3)·Mod σ²_total.
        Kind::Mtotdev | Kind::Ttotdev => {
            let (v, n) = var(kernels::modified_total(x, m, g), 2.0)?;
            let d = v.sqrt();
            let d = if kind == Kind::Ttotdev {
                tau / 3f64.sqrt() * d
            } else {
                d
            };
            (d, n, tau)
        }
        // SP 1065 eq. 29 on frequency; at m = 1 Stable32 and Riley use OHDEV.
        Kind::Htotdev => {
            if m == 1 {
                var(kernels::hadamard(x, 1, 1, g), 6.0).map(|(v, n)| (v.sqrt(), n, tau))?
            } else {
                let y = p.y.as_deref()?;
                let s = kernels::hadamard_total(y, m, g);
                if s.n == 0 {
                    return None;
                }
                ((s.sq / (6.0 * s.n as f64)).sqrt(), s.n, tau)
            }
        }
        // SP 1065 eq. 30: Théo1 = Σ Σ [...]²/(m/2 − δ) / (0.75 (N − m) (mτ0)²),
        // τ = 0.75 m τ0; reported bias-removed, ThêoBR = k_f·Théo1 (variance),
        // as Stable32 does (see `theo_br_factor`; raw when k_f is undefined).
        Kind::Theo1 => {
            let s = kernels::theo1(x, m, g);
            if s.n == 0 {
                return None;
            }
            let outer = (s.n / (m / 2)) as f64;
            let kf = p.theo_br.unwrap_or(1.0);
            (
                (kf * s.sq / (0.75 * outer * tau * tau)).sqrt(),
                s.n,
                0.75 * tau,
            )
        }
        Kind::TieRms => {
            let s = kernels::tie(x, m, g);
            if s.n == 0 {
                return None;
            }
            ((s.sq / s.n as f64).sqrt(), s.n, tau)
        }
        Kind::Mtie => {
            let (v, n) = kernels::mtie(x, m, g);
            if n == 0 {
                return None;
            }
            (v, n, tau)
        }
    };
    let estimator = |d: u32, overlapping: bool, modified: bool| Estimator {
        d,
        overlapping,
        modified,
    };
    let edf_of = |alpha: i32| -> Option<f64> {
        match kind {
            Kind::Adev => edf::greenhall(alpha, estimator(2, false, false), m, n_phase),
            Kind::Oadev => edf::greenhall(alpha, estimator(2, true, false), m, n_phase),
            Kind::Mdev | Kind::Tdev => edf::greenhall(alpha, estimator(2, true, true), m, n_phase),
            Kind::Hdev => edf::greenhall(alpha, estimator(3, false, false), m, n_phase),
            Kind::Ohdev | Kind::Htotdev => {
                edf::greenhall(alpha, estimator(3, true, false), m, n_phase)
            }
            Kind::Totdev => edf::totdev(alpha, n_phase, m),
            Kind::Mtotdev | Kind::Ttotdev => edf::mtotdev(alpha, n_phase, m),
            Kind::Theo1 | Kind::TieRms | Kind::Mtie => None,
        }
    };
    let with_ci = !matches!(kind, Kind::Theo1 | Kind::TieRms | Kind::Mtie);
    let alpha = if with_ci {
        identify_noise(kind, p, m)
    } else {
        None
    };
    let edf = alpha.and_then(edf_of);
    let ci = edf.and_then(|e| confidence_interval(dev, e));
    Some(Point {
        af: m,
        tau: tau_out,
        dev,
        n,
        alpha,
        edf,
        ci_low: ci.map(|c| c.0),
        ci_high: ci.map(|c| c.1),
    })
}
