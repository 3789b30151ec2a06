//! Per-τ estimator kernels working on phase samples.
//!
//! Why a separate module: these are the hot loops. Each kernel computes, for
//! one averaging factor `m`, the raw sum of squared terms and the number of
//! terms that entered it, in O(N) (O(N·m) for the Howe total/Théo kernels),
//! without allocating in the fast path. Normalisation to a deviation is done
//! by the caller (`estimate.rs`).
//!
//! Gaps: a term is skipped when it touches a gap (see [`Gaps`]).

/// Where the gaps in a series are, as a prefix count over phase indices.
///
/// * Phase input: a NaN phase sample `x[k]` is a bad point `k`.
/// * Frequency input: a NaN `y[k]` makes the phase step `x[k] → x[k+1]`
///   unknown; it is recorded as bad point `k + 1` (the integration carries on
///   with the mean frequency so later samples keep a consistent offset).
///
/// A term reading phase samples in the index span `[lo, hi]` is valid when
/// (phase input) none of the samples it reads is bad, or (frequency input)
/// no frequency sample inside the span is missing — i.e. the term never
/// straddles a gap. This is the allantools / Stable32 rule "skip every term
/// that touches a gap".
#[derive(Debug, Clone)]
pub(crate) struct Gaps {
    prefix: Vec<u32>,
    freq: bool,
}

impl Gaps {
    /// Builds the gap index from a per-point flag; `None` when there is no gap.
    pub(crate) fn from_flags(
        bad: impl Iterator<Item = bool>,
        len: usize,
        freq: bool,
    ) -> Option<Self> {
        let mut prefix = Vec::with_capacity(len + 1);
        let mut c = 0u32;
        prefix.push(0);
        for b in bad {
            c += u32::from(b);
            prefix.push(c);
        }
        (c > 0).then_some(Self { prefix, freq })
    }

    fn count(&self, lo: usize, hi_excl: usize) -> u32 {
        self.prefix[hi_excl] - self.prefix[lo]
    }

    /// True when a term covering every sample of `[lo, hi]` is valid.
    pub(crate) fn span_ok(&self, lo: usize, hi: usize) -> bool {
        if self.freq {
            self.count(lo + 1, hi + 1) == 0
        } else {
            self.count(lo, hi + 1) == 0
        }
    }

    /// True when a term reading exactly the samples `pts` is valid.
    pub(crate) fn points_ok(&self, pts: &[usize]) -> bool {
        if self.freq {
            let lo = pts.iter().copied().min().unwrap_or(0);
            let hi = pts.iter().copied().max().unwrap_or(0);
            self.span_ok(lo, hi)
        } else {
            pts.iter().all(|&k| self.count(k, k + 1) == 0)
        }
    }
}

/// Sum of squares and number of terms.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sum {
    pub(crate) sq: f64,
    pub(crate) n: usize,
}

const LANES: usize = 8;

/// Σ f(a_i, b_i, c_i, d_i)² over equal-length slices, with independent
/// accumulators and no bounds checks so that LLVM vectorises it.
#[inline(always)]
fn sum_sq4(
    a: &[f64],
    b: &[f64],
    c: &[f64],
    d: &[f64],
    f: impl Fn(f64, f64, f64, f64) -> f64,
) -> f64 {
    let n = a.len().min(b.len()).min(c.len()).min(d.len());
    let (a, b, c, d) = (&a[..n], &b[..n], &c[..n], &d[..n]);
    let mut acc = [0.0f64; LANES];
    let chunks = a
        .chunks_exact(LANES)
        .zip(b.chunks_exact(LANES))
        .zip(c.chunks_exact(LANES).zip(d.chunks_exact(LANES)));
    for ((ca, cb), (cc, cd)) in chunks {
        for l in 0..LANES {
            let v = f(ca[l], cb[l], cc[l], cd[l]);
            acc[l] += v * v;
        }
    }
    let tail = n / LANES * LANES;
    let mut s: f64 = acc.iter().sum();
    for i in tail..n {
        let v = f(a[i], b[i], c[i], d[i]);
        s += v * v;
    }
    s
}

/// Σ over `k in 0..n` of `f(k)²` (strided, non-overlapping estimators).
fn sum_sq_by(n: usize, f: impl Fn(usize) -> f64) -> f64 {
    (0..n).map(|k| f(k).powi(2)).sum()
}

/// Second differences x[i+2m] − 2x[i+m] + x[i] at i = 0, stride, 2·stride…
/// (NIST SP 1065 eq. 7 with stride m; eq. 11 with stride 1).
pub(crate) fn allan(x: &[f64], m: usize, stride: usize, gaps: Option<&Gaps>) -> Sum {
    let len = x.len();
    if len < 2 * m + 1 {
        return Sum::default();
    }
    let count = (len - 2 * m - 1) / stride + 1;
    match gaps {
        None if stride == 1 => {
            let (a, b, c) = (&x[..count], &x[m..m + count], &x[2 * m..2 * m + count]);
            Sum {
                sq: sum_sq4(a, b, c, a, |a, b, c, _| c - 2.0 * b + a),
                n: count,
            }
        }
        None => Sum {
            sq: sum_sq_by(count, |k| {
                let i = k * stride;
                x[i + 2 * m] - 2.0 * x[i + m] + x[i]
            }),
            n: count,
        },
        Some(g) => {
            let mut s = Sum::default();
            for k in 0..count {
                let i = k * stride;
                if g.points_ok(&[i, i + m, i + 2 * m]) {
                    let d = x[i + 2 * m] - 2.0 * x[i + m] + x[i];
                    s.sq += d * d;
                    s.n += 1;
                }
            }
            s
        }
    }
}

/// Third differences x[i+3m] − 3x[i+2m] + 3x[i+m] − x[i]
/// (NIST SP 1065 eq. 18 with stride m; eq. 20 with stride 1).
pub(crate) fn hadamard(x: &[f64], m: usize, stride: usize, gaps: Option<&Gaps>) -> Sum {
    let len = x.len();
    if len < 3 * m + 1 {
        return Sum::default();
    }
    let count = (len - 3 * m - 1) / stride + 1;
    let d3 = |i: usize| x[i + 3 * m] - 3.0 * x[i + 2 * m] + 3.0 * x[i + m] - x[i];
    match gaps {
        None if stride == 1 => {
            let (a, b, c, d) = (
                &x[..count],
                &x[m..m + count],
                &x[2 * m..2 * m + count],
                &x[3 * m..3 * m + count],
            );
            Sum {
                sq: sum_sq4(a, b, c, d, |a, b, c, d| d - 3.0 * c + 3.0 * b - a),
                n: count,
            }
        }
        None => Sum {
            sq: sum_sq_by(count, |k| d3(k * stride)),
            n: count,
        },
        Some(g) => {
            let mut s = Sum::default();
            for k in 0..count {
                let i = k * stride;
                if g.points_ok(&[i, i + m, i + 2 * m, i + 3 * m]) {
                    let v = d3(i);
                    s.sq += v * v;
                    s.n += 1;
                }
            }
            s
        }
    }
}

/// Modified Allan sum: Σ_j [Σ_{i=j}^{j+m−1} (x[i+2m] − 2x[i+m] + x[i])]²,
/// j = 0..N−3m (NIST SP 1065 eq. 14). The inner sum is carried along j with
/// v_{j+1} = v_j + x[j+3m] − 3x[j+2m] + 3x[j+m] − x[j], split into
/// independent lanes (each initialised exactly) to break the dependency
/// chain and bound round-off growth.
pub(crate) fn modified(x: &[f64], m: usize, gaps: Option<&Gaps>) -> Sum {
    let len = x.len();
    if len < 3 * m {
        return Sum::default();
    }
    let count = len - 3 * m + 1;
    let d2 = |i: usize| x[i + 2 * m] - 2.0 * x[i + m] + x[i];
    let d3 = |j: usize| x[j + 3 * m] - 3.0 * x[j + 2 * m] + 3.0 * x[j + m] - x[j];
    let init = |j: usize| (j..j + m).map(d2).sum::<f64>();
    if let Some(g) = gaps {
        // Re-initialise the running sum after every skipped run of terms.
        let mut s = Sum::default();
        let mut v: Option<f64> = None;
        for j in 0..count {
            if g.span_ok(j, j + 3 * m - 1) {
                let cur = match v {
                    Some(v) => v,
                    None => init(j),
                };
                s.sq += cur * cur;
                s.n += 1;
                v = (j + 1 < count).then(|| cur + d3(j));
            } else {
                v = None;
            }
        }
        return s;
    }
    // L lanes over contiguous segments of j; each step computes a block of
    // B third differences per lane from slices (vectorised, no bounds
    // checks), then advances the L running sums in lock-step.
    const L: usize = 4;
    const B: usize = 256;
    let seg = count.div_ceil(L);
    let mut pos = [0usize; L];
    let mut end = [0usize; L];
    let mut v = [0.0f64; L];
    for l in 0..L {
        pos[l] = (l * seg).min(count);
        end[l] = ((l + 1) * seg).min(count);
        if pos[l] < end[l] {
            v[l] = init(pos[l]);
        }
    }
    // Third differences exist for j < count − 1 (the last term has no
    // successor); d3 for j = count − 1 would read past the end.
    let fill = |j0: usize, len: usize, buf: &mut [f64; B]| {
        let (a, b, c, d) = (
            &x[j0..j0 + len],
            &x[j0 + m..j0 + m + len],
            &x[j0 + 2 * m..j0 + 2 * m + len],
            &x[j0 + 3 * m..j0 + 3 * m + len],
        );
        for (o, (((a, b), c), d)) in buf.iter_mut().zip(a.iter().zip(b).zip(c).zip(d)) {
            *o = d - 3.0 * c + 3.0 * b - a;
        }
    };
    let mut acc = [0.0f64; L];
    let mut bufs = [[0.0f64; B]; L];
    loop {
        let step = (0..L).map(|l| end[l] - pos[l]).min().unwrap_or(0).min(B);
        if step == 0 {
            break;
        }
        for l in 0..L {
            let avail = step.min((count - 1).saturating_sub(pos[l]));
            fill(pos[l], avail, &mut bufs[l]);
            bufs[l][avail..step].fill(0.0);
        }
        // Column-wise walk over the L buffers: indices are clearer than
        // zipped iterators here and the bounds are compile-time constants.
        #[allow(clippy::needless_range_loop)]
        for k in 0..step {
            for l in 0..L {
                acc[l] += v[l] * v[l];
                v[l] += bufs[l][k];
            }
        }
        for p in pos.iter_mut() {
            *p += step;
        }
    }
    // Uneven remainders (segments differ by at most L terms).
    for l in 0..L {
        for j in pos[l]..end[l] {
            acc[l] += v[l] * v[l];
            if j + 1 < count {
                v[l] += d3(j);
            }
        }
    }
    Sum {
        sq: acc.iter().sum(),
        n: count,
    }
}

/// Total variance sum (NIST SP 1065 eq. 25): second differences of the
/// doubly reflected series x*, centres i = 1..N−2, with
/// x*[−j] = 2x[0] − x[j] and x*[N−1+j] = 2x[N−1] − x[N−1−j].
pub(crate) fn total(x: &[f64], m: usize, gaps: Option<&Gaps>) -> Sum {
    let len = x.len();
    if len < 3 || m > len - 1 {
        return Sum::default();
    }
    let last = len - 1;
    // Value and the (up to two) original indices a reflected sample reads.
    let get = |k: isize| -> (f64, usize, usize) {
        if k < 0 {
            let j = (-k) as usize;
            (2.0 * x[0] - x[j], 0, j)
        } else if k as usize > last {
            let j = 2 * last - k as usize;
            (2.0 * x[last] - x[j], j, last)
        } else {
            (x[k as usize], k as usize, k as usize)
        }
    };
    let mi = m as isize;
    let mut s = Sum::default();
    for (i, &xi) in x.iter().enumerate().take(last).skip(1) {
        let (a, a0, a1) = get(i as isize - mi);
        let (c, c0, c1) = get(i as isize + mi);
        if let Some(g) = gaps {
            if !g.points_ok(&[a0, a1, i, c0, c1]) {
                continue;
            }
        }
        let d = a - 2.0 * xi + c;
        s.sq += d * d;
        s.n += 1;
    }
    s
}

/// Linear trend removal by half averages (Howe; NIST SP 1065 §5.2.12) then
/// uninverted even reflection to 9m points: writes [rev(s), s, rev(s)] into
/// `out` (length 9m) for the 3m-point subsequence `sub`.
fn reflect_detrended(sub: &[f64], out: &mut [f64]) {
    let k = sub.len();
    let h1 = k / 2;
    let h2 = k.div_ceil(2);
    let mean1 = sub[..h1].iter().sum::<f64>() / h1 as f64;
    let mean2 = sub[h2..].iter().sum::<f64>() / (k - h2) as f64;
    // Distance between the centroids of the two halves.
    let dist = (k + h2 - h1) as f64 / 2.0;
    let slope = (mean2 - mean1) / dist;
    for (idx, &v) in sub.iter().enumerate() {
        let d = v - slope * idx as f64;
        out[k + idx] = d;
        out[k - 1 - idx] = d;
        out[3 * k - 1 - idx] = d;
    }
}

/// Σ over the 6m overlapping positions of the 9m-point extension of
/// ((w1 − 2w2 + w3)/m)², w = consecutive m-sample window sums.
fn extended_second_diff(xs: &[f64], m: usize) -> f64 {
    let mut w1: f64 = xs[..m].iter().sum();
    let mut w2: f64 = xs[m..2 * m].iter().sum();
    let mut w3: f64 = xs[2 * m..3 * m].iter().sum();
    let mut sq = 0.0;
    for j in 0..6 * m {
        if j > 0 {
            w1 += xs[j + m - 1] - xs[j - 1];
            w2 += xs[j + 2 * m - 1] - xs[j + m - 1];
            w3 += xs[j + 3 * m - 1] - xs[j + 2 * m - 1];
        }
        let d = (w1 - 2.0 * w2 + w3) / m as f64;
        sq += d * d;
    }
    sq / (6 * m) as f64
}

/// Modified total variance sum (NIST SP 1065 eq. 27, Howe 1999): for each
/// 3m-point phase subsequence, remove the half-average linear trend, extend
/// by uninverted even reflection to 9m points and average the 6m squared
/// modified second differences. Returns Σ_i of those averages.
pub(crate) fn modified_total(x: &[f64], m: usize, gaps: Option<&Gaps>) -> Sum {
    howe_total(x, m, gaps, 0)
}

/// Hadamard total variance sum (NIST SP 1065 eq. 29): the same construction
/// as [`modified_total`] applied to the 3m-point fractional-frequency
/// subsequences `y` (which are the first differences of phase: frequency
/// sample k spans phase samples k and k + 1, hence the gap-span offset 1).
pub(crate) fn hadamard_total(y: &[f64], m: usize, gaps: Option<&Gaps>) -> Sum {
    howe_total(y, m, gaps, 1)
}

fn howe_total(s: &[f64], m: usize, gaps: Option<&Gaps>, span_extra: usize) -> Sum {
    let len = s.len();
    if m == 0 || len < 3 * m {
        return Sum::default();
    }
    let mut buf = vec![0.0; 9 * m];
    let mut out = Sum::default();
    for i in 0..=len - 3 * m {
        if let Some(g) = gaps {
            if !g.span_ok(i, i + 3 * m - 1 + span_extra) {
                continue;
            }
        }
        reflect_detrended(&s[i..i + 3 * m], &mut buf);
        out.sq += extended_second_diff(&buf, m);
        out.n += 1;
    }
    out
}

/// Théo1 sum (NIST SP 1065 eq. 30, Howe & Tasset 2004), m even:
/// Σ_{i=0}^{N−m−1} Σ_{δ=0}^{m/2−1} [(x_i − x_{i−δ+m/2}) + (x_{i+m} − x_{i+δ+m/2})]² / (m/2 − δ).
/// `n` counts the (N − m)·m/2 terms as Stable32 does.
pub(crate) fn theo1(x: &[f64], m: usize, gaps: Option<&Gaps>) -> Sum {
    let len = x.len();
    if m < 2 || m % 2 != 0 || len <= m {
        return Sum::default();
    }
    let h = m / 2;
    let mut out = Sum::default();
    for i in 0..len - m {
        if let Some(g) = gaps {
            if !g.span_ok(i, i + m) {
                continue;
            }
        }
        let mut s = 0.0;
        for d in 0..h {
            let v = (x[i] - x[i + h - d]) + (x[i + m] - x[i + h + d]);
            s += v * v / (h - d) as f64;
        }
        out.sq += s;
        out.n += h;
    }
    out
}

/// Time-interval-error rms: √(mean (x[i+m] − x[i])²) over i = 0..N−m−1.
pub(crate) fn tie(x: &[f64], m: usize, gaps: Option<&Gaps>) -> Sum {
    let len = x.len();
    if len <= m {
        return Sum::default();
    }
    let count = len - m;
    match gaps {
        None => {
            let (a, b) = (&x[..count], &x[m..m + count]);
            Sum {
                sq: sum_sq4(a, b, a, a, |a, b, _, _| b - a),
                n: count,
            }
        }
        Some(g) => {
            let mut s = Sum::default();
            for i in 0..count {
                if g.points_ok(&[i, i + m]) {
                    let d = x[i + m] - x[i];
                    s.sq += d * d;
                    s.n += 1;
                }
            }
            s
        }
    }
}

/// Maximum time-interval error: max over windows of m + 1 consecutive phase
/// samples of (max − min) (ITU-T G.810 / NIST SP 1065 §5.2.15), by
/// monotonic deques in O(N). Returns (MTIE, number of windows).
pub(crate) fn mtie(x: &[f64], m: usize, gaps: Option<&Gaps>) -> (f64, usize) {
    use std::collections::VecDeque;
    let len = x.len();
    if len <= m {
        return (0.0, 0);
    }
    let w = m + 1;
    let mut maxq: VecDeque<usize> = VecDeque::with_capacity(w + 1);
    let mut minq: VecDeque<usize> = VecDeque::with_capacity(w + 1);
    let mut best = f64::NEG_INFINITY;
    let mut n = 0;
    for i in 0..len {
        while maxq.back().is_some_and(|&k| x[k] <= x[i]) {
            maxq.pop_back();
        }
        maxq.push_back(i);
        while minq.back().is_some_and(|&k| x[k] >= x[i]) {
            minq.pop_back();
        }
        minq.push_back(i);
        if i + 1 >= w {
            let lo = i + 1 - w;
            while maxq.front().is_some_and(|&k| k < lo) {
                maxq.pop_front();
            }
            while minq.front().is_some_and(|&k| k < lo) {
                minq.pop_front();
            }
            if gaps.is_some_and(|g| !g.span_ok(lo, i)) {
                continue;
            }
            if let (Some(&a), Some(&b)) = (maxq.front(), minq.front()) {
                best = best.max(x[a] - x[b]);
                n += 1;
            }
        }
    }
    (if n > 0 { best } else { 0.0 }, n)
}
