//! Small dense symmetric-matrix helpers: storage and Cholesky factorisation.
//!
//! Comparisons have tens of participants at most, so a plain row-major
//! `Vec<f64>` and the textbook Cholesky–Banachiewicz algorithm (Golub & Van
//! Loan, *Matrix Computations*, 4th ed., Alg. 4.2.1) are enough; this avoids a
//! linear-algebra dependency.

/// Square matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Matrix {
    n: usize,
    data: Vec<f64>,
}

impl Matrix {
    pub(crate) fn zeros(n: usize) -> Self {
        Matrix {
            n,
            data: vec![0.0; n * n],
        }
    }

    pub(crate) fn dim(&self) -> usize {
        self.n
    }

    pub(crate) fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.n + j]
    }

    pub(crate) fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.n..(i + 1) * self.n]
    }

    pub(crate) fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[i * self.n + j] = v;
    }

    /// Lower Cholesky factor `L` with `A = L Lᵀ`, or the index of the first
    /// pivot that is not safely positive (relative to the diagonal entry).
    pub(crate) fn cholesky(&self) -> Result<Cholesky, usize> {
        let n = self.n;
        let mut l = Matrix::zeros(n);
        for j in 0..n {
            let mut d = self.get(j, j);
            for k in 0..j {
                d -= l.get(j, k) * l.get(j, k);
            }
            // A pivot below n·ε of the original diagonal means the matrix is
            // numerically singular (e.g. a correlation of exactly ±1).
            let scale = self.get(j, j).abs();
            if d.is_nan() || d <= 4.0 * (n as f64) * f64::EPSILON * scale {
                return Err(j);
            }
            let ljj = d.sqrt();
            l.set(j, j, ljj);
            for i in (j + 1)..n {
                let mut s = self.get(i, j);
                for k in 0..j {
                    s -= l.get(i, k) * l.get(j, k);
                }
                l.set(i, j, s / ljj);
            }
        }
        Ok(Cholesky { l })
    }
}

/// Cholesky factor of a symmetric positive-definite matrix.
#[derive(Debug, Clone)]
pub(crate) struct Cholesky {
    l: Matrix,
}

impl Cholesky {
    /// Solves `L z = b` in place.
    pub(crate) fn forward(&self, b: &mut [f64]) {
        for i in 0..self.l.dim() {
            let dot: f64 = self.l.row(i)[..i]
                .iter()
                .zip(&b[..i])
                .map(|(l, z)| l * z)
                .sum();
            b[i] = (b[i] - dot) / self.l.get(i, i);
        }
    }

    /// Solves `Lᵀ z = b` in place.
    pub(crate) fn backward(&self, b: &mut [f64]) {
        for i in (0..self.l.dim()).rev() {
            let dot: f64 = b
                .iter()
                .enumerate()
                .skip(i + 1)
                .map(|(k, z)| self.l.get(k, i) * z)
                .sum();
            b[i] = (b[i] - dot) / self.l.get(i, i);
        }
    }

    /// `z = L w` (used to draw correlated normal deviates from independent ones).
    pub(crate) fn lower_times(&self, w: &[f64], z: &mut [f64]) {
        for (i, zi) in z.iter_mut().enumerate() {
            *zi = self.l.row(i)[..=i].iter().zip(w).map(|(l, v)| l * v).sum();
        }
    }
}
