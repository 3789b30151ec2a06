//! Linear opinion pool of the NIST Consensus Builder.
//!
//! A. Koepke, T. Lafarge, A. Possolo, B. Toman, "Consensus building for
//! interlaboratory studies, key comparisons, and meta-analysis", Metrologia 54
//! (2017) S34–S62, linear pool: the consensus distribution is the equally
//! weighted mixture of the participants' distributions (normal, or scaled and
//! shifted t when `dof` is given). It is sampled by Monte Carlo (pick a
//! reference participant uniformly, then draw from its distribution); the KCRV
//! is the median of the sample, `u(KCRV)` its standard deviation, and the
//! coverage interval is read from its quantiles. DoE: the pool is treated as
//! independent of each participant, `u(d_i)² = u_i² + u_ref²`.

use super::{mc_interval, mean_sd, median_in_place, DoeModel, Estimate};
use crate::input::Validated;
use crate::montecarlo::Sampler;
use crate::{AnalysisError, Options};

pub(crate) fn linear_pool(
    data: &Validated,
    idx: &[usize],
    options: &Options,
) -> Result<Estimate, AnalysisError> {
    let mut sampler = Sampler::new(data, options.seed, 0)?;
    let m = idx.len();
    let mut sample = Vec::with_capacity(options.draws);
    for _ in 0..options.draws {
        let j = idx[sampler.index(m)];
        sample.push(sampler.draw_one(j));
    }
    let shift = data.x[idx[0]];
    let (_, sd) = mean_sd(&sample, shift);
    let coverage = mc_interval(&mut sample, options.coverage_probability);
    let kcrv = median_in_place(&mut sample);
    Ok(Estimate {
        kcrv,
        u_kcrv: sd,
        tau2: 0.0,
        reference: idx.to_vec(),
        dropped: Vec::new(),
        coverage,
        doe: DoeModel::Independent,
    })
}
