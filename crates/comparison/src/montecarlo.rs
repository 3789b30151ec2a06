//! Seeded sampling of the participants' distributions for Monte Carlo methods.
//!
//! Each participant's value is drawn from N(x_i, u_i²), or, when `dof` is given,
//! from the scaled and shifted t distribution `x_i + u_i·t_ν` (JCGM 101:2008,
//! 6.4.9). With correlated participants the joint Gaussian N(x, V) is used
//! (dof are then ignored, there being no unique multivariate t for
//! heterogeneous dof): `x + u ⊙ (L z)` with `L Lᵀ` the correlation matrix
//! (JCGM 101:2008, 6.4.8 / C.5). The generator is ChaCha8 seeded with a user
//! seed, so results are reproducible across platforms; normal deviates use the
//! ziggurat method of `rand_distr::StandardNormal`.

use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal, StudentT};

use crate::input::Validated;
use crate::linalg::Cholesky;
use crate::AnalysisError;

/// Per-participant distribution shape.
#[derive(Debug, Clone)]
enum Shape {
    Normal,
    T(StudentT<f64>),
}

/// Draws participants' values.
#[derive(Debug)]
pub(crate) struct Sampler<'a> {
    x: &'a [f64],
    u: &'a [f64],
    shapes: Vec<Shape>,
    chol: Option<Cholesky>,
    all_normal: bool,
    z: Vec<f64>,
    rng: ChaCha8Rng,
}

impl<'a> Sampler<'a> {
    /// Sampler on ChaCha8 stream `stream` of `seed`: independent streams let
    /// blocks of draws run on several threads with results that do not depend
    /// on the number of threads.
    pub(crate) fn new(data: &'a Validated, seed: u64, stream: u64) -> Result<Self, AnalysisError> {
        let chol = match &data.correlation {
            Some(r) => Some(
                r.cholesky()
                    .map_err(|index| AnalysisError::NotPositiveDefinite {
                        index,
                        lab: String::new(),
                    })?,
            ),
            None => None,
        };
        let mut shapes = Vec::with_capacity(data.n);
        for (index, dof) in data.participants.iter().map(|p| &p.dof).enumerate() {
            shapes.push(match dof {
                Some(nu) if chol.is_none() => {
                    Shape::T(StudentT::new(*nu).map_err(|_| AnalysisError::NonPositive {
                        index,
                        lab: String::new(),
                        field: "dof",
                        value: *nu,
                    })?)
                }
                _ => Shape::Normal,
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Ok(Sampler {
            x: &data.x,
            u: &data.u,
            all_normal: shapes.iter().all(|s| matches!(s, Shape::Normal)),
            shapes,
            chol,
            z: vec![0.0; data.n],
            rng,
        })
    }

    /// One joint draw of all participants into `out` (input order).
    pub(crate) fn draw_all(&mut self, out: &mut [f64]) {
        match &self.chol {
            Some(l) => {
                for zi in self.z.iter_mut() {
                    *zi = StandardNormal.sample(&mut self.rng);
                }
                l.lower_times(&self.z, out);
                for ((o, &xi), &ui) in out.iter_mut().zip(self.x).zip(self.u) {
                    *o = xi + ui * *o;
                }
            }
            None if self.all_normal => {
                for ((o, &xi), &ui) in out.iter_mut().zip(self.x).zip(self.u) {
                    let e: f64 = StandardNormal.sample(&mut self.rng);
                    *o = xi + ui * e;
                }
            }
            None => {
                for (i, o) in out.iter_mut().enumerate() {
                    *o = self.draw_one(i);
                }
            }
        }
    }

    /// One draw of participant `i` alone (independent marginal).
    pub(crate) fn draw_one(&mut self, i: usize) -> f64 {
        let e: f64 = match &self.shapes[i] {
            Shape::Normal => StandardNormal.sample(&mut self.rng),
            Shape::T(t) => t.sample(&mut self.rng),
        };
        self.x[i] + self.u[i] * e
    }

    /// Uniform index in `0..m`.
    pub(crate) fn index(&mut self, m: usize) -> usize {
        self.rng.gen_range(0..m)
    }
}
