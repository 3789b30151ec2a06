//! Median-based reference values.
//!
//! * `median`: the median of the reference set with the MAD-based standard
//!   uncertainty of J. W. Müller, "Possible advantages of a robust evaluation
//!   of comparisons", J. Res. NIST 105 (2000) 551–555:
//!   `u(med) = 1.858 · MAD / √(n − 1)`, where `1.858 ≈ 1.4826 · √(π/2)`
//!   (1.4826 makes the MAD a consistent estimator of a normal σ; √(π/2) is the
//!   asymptotic ratio of the standard deviations of the median and the mean).
//!   Cox 2002 does not give a closed form: its procedure B evaluates the
//!   uncertainty of the median by Monte Carlo, implemented below.
//! * `procedure-b`: M. G. Cox, Metrologia 39 (2002) 589–595, procedure B:
//!   KCRV = median of the values; each Monte Carlo trial draws every
//!   participant from its distribution and takes the median of the reference
//!   draws; `u(KCRV)` is the standard deviation of the trial medians and the
//!   coverage interval is read from their distribution. The DoE `d_i = x_i − y`
//!   gets `u(d_i)` from the same trials as the standard deviation of
//!   `x_i* − med*`, which accounts for participant i's share in the median.

use super::{mc_interval, median_in_place, DoeModel, Estimate};
use crate::input::Validated;
use crate::montecarlo::Sampler;
use crate::{AnalysisError, Options};

/// Median and Müller's MAD-based uncertainty.
pub(crate) fn median(data: &Validated, idx: &[usize]) -> Estimate {
    let mut v: Vec<f64> = idx.iter().map(|&i| data.x[i]).collect();
    let med = median_in_place(&mut v);
    for vi in v.iter_mut() {
        *vi = (*vi - med).abs();
    }
    let mad = median_in_place(&mut v);
    let n = idx.len() as f64;
    Estimate {
        kcrv: med,
        u_kcrv: 1.858 * mad / (n - 1.0).sqrt(),
        tau2: 0.0,
        reference: idx.to_vec(),
        dropped: Vec::new(),
        coverage: None,
        // The median's covariance with one input has no closed form; the DoE
        // neglects it (u_d² = u_i² + u_ref²), which slightly overstates u_d for
        // participants in the reference. `procedure-b` evaluates it by Monte Carlo.
        doe: DoeModel::Independent,
    }
}

/// Per-block sums `(block index, [Σe_i…, Σe_i²…])`.
type BlockSums = Vec<(usize, Vec<f64>)>;

/// Draws per block; each block uses its own ChaCha8 stream (the block index).
const BLOCK: usize = 1 << 16;

/// Cox 2002 procedure B. Draws are made in fixed blocks, each on its own
/// generator stream, spread over the available cores: the result depends on the
/// seed and the number of draws only, not on the number of threads.
pub(crate) fn procedure_b(
    data: &Validated,
    idx: &[usize],
    options: &Options,
) -> Result<Estimate, AnalysisError> {
    let n = data.n;
    let mut obs: Vec<f64> = idx.iter().map(|&i| data.x[i]).collect();
    let y = median_in_place(&mut obs);
    let d: Vec<f64> = data.x.iter().map(|xi| xi - y).collect();
    // Fail early (before any thread) on an invalid sampler.
    Sampler::new(data, options.seed, 0)?;
    let mut medians = vec![0.0; options.draws];
    let blocks: Vec<(usize, &mut [f64])> = medians.chunks_mut(BLOCK).enumerate().collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(blocks.len())
        .max(1);
    // Distribute blocks round-robin over the threads.
    let mut per_thread: Vec<Vec<(usize, &mut [f64])>> = (0..threads).map(|_| Vec::new()).collect();
    for (k, b) in blocks {
        per_thread[k % threads].push((k, b));
    }
    let run = |work: Vec<(usize, &mut [f64])>| -> Result<BlockSums, AnalysisError> {
        let mut out = Vec::with_capacity(work.len());
        let mut draw = vec![0.0; n];
        let mut buf = vec![0.0; idx.len()];
        for (k, chunk) in work {
            let mut sampler = Sampler::new(data, options.seed, k as u64)?;
            // s[i] = Σ e, s[n + i] = Σ e², e = x_i* − med* − d_i (centred to limit cancellation).
            let mut s = vec![0.0; 2 * n];
            for slot in chunk.iter_mut() {
                sampler.draw_all(&mut draw);
                for (b, &i) in buf.iter_mut().zip(idx) {
                    *b = draw[i];
                }
                let med = median_in_place(&mut buf);
                *slot = med;
                let (s1, s2) = s.split_at_mut(n);
                for (((a1, a2), &xi), &di) in s1.iter_mut().zip(s2).zip(&draw).zip(&d) {
                    let e = xi - med - di;
                    *a1 += e;
                    *a2 += e * e;
                }
            }
            out.push((k, s));
        }
        Ok(out)
    };
    let mut sums: BlockSums = Vec::new();
    let results: Vec<Result<BlockSums, AnalysisError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = per_thread
            .into_iter()
            .map(|work| scope.spawn(|| run(work)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or(Err(AnalysisError::NoConvergence {
                    what: "Monte Carlo worker",
                }))
            })
            .collect()
    });
    for r in results {
        sums.extend(r?);
    }
    // Combine in block order so that rounding does not depend on scheduling.
    sums.sort_by_key(|(k, _)| *k);
    let mut s1 = vec![0.0; n];
    let mut s2 = vec![0.0; n];
    for (_, s) in &sums {
        for i in 0..n {
            s1[i] += s[i];
            s2[i] += s[n + i];
        }
    }
    let m = options.draws as f64;
    let u_d = s1
        .iter()
        .zip(&s2)
        .map(|(a, b)| ((b - a * a / m) / (m - 1.0)).max(0.0).sqrt())
        .collect();
    let (_, u_kcrv) = super::mean_sd(&medians, y);
    let coverage = mc_interval(&mut medians, options.coverage_probability);
    Ok(Estimate {
        kcrv: y,
        u_kcrv,
        tau2: 0.0,
        reference: idx.to_vec(),
        dropped: Vec::new(),
        coverage,
        doe: DoeModel::MonteCarlo(u_d),
    })
}
