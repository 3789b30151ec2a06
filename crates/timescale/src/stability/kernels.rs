//! Per-τ estimator kernels working on phase samples.
//!
//! Why a separate module: these are the hot loops. Each kernel computes, for
//! one averaging factor `m`, the raw sum of squared terms and the number of
//! terms that entered it, in O(N) (O(N·m) for the Howe total/Théo kernels),
//! without allocating per τ. Normalisation to a deviation is done by the
//! caller (`estimate.rs`).
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

/// Compensated prefix sums of the phase with its endpoint line removed:
/// S_k = Σ_{i<k} r_i, r_i = x_i − x_0 − i·(x_{N−1} − x_0)/(N−1), held as an
/// unevaluated sum `hi[k] + lo[k]` (Knuth's TwoSum carries every rounding
/// error of the running sum into `lo`, so S is exact to about ε²·|S|).
///
/// Why: a window sum Σ_{i=a}^{b−1} x_i is then S_b − S_a in O(1), which
/// turns the modified Allan inner sum into a third difference of S
/// (see [`modified`]). The line removal is free of consequences — every
/// Allan/modified difference of phase is blind to a + b·i, and the prefix
/// sum of that line is a quadratic, which the third difference cancels
/// exactly — and it keeps |S| (hence the round-off of the differences)
/// small. Built once per series and shared by every τ.
#[derive(Debug)]
pub(crate) struct Prefix {
    hi: Vec<f64>,
    lo: Vec<f64>,
}

impl Prefix {
    /// Series shorter than this are summed on one thread.
    const MIN_PARALLEL: usize = 1 << 20;

    pub(crate) fn new(x: &[f64]) -> Self {
        let n = x.len();
        let (x0, slope) = match (x.first(), x.last()) {
            (Some(&a), Some(&b)) if n > 1 => (a, (b - a) / (n - 1) as f64),
            (Some(&a), _) => (a, 0.0),
            _ => (0.0, 0.0),
        };
        let mut hi = vec![0.0f64; n + 1];
        let mut lo = vec![0.0f64; n + 1];
        let threads = if n < Self::MIN_PARALLEL {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |t| t.get())
        };
        let chunk = n.div_ceil(threads.max(1)).max(1);
        if threads <= 1 {
            local_prefix(x, &mut hi[1..], &mut lo[1..], x0, slope, 0.0);
            return Self { hi, lo };
        }
        // Each chunk is summed from zero on its own thread (which also takes
        // the first-touch page faults of its part of the arrays)…
        std::thread::scope(|sc| {
            let parts = hi[1..]
                .chunks_mut(chunk)
                .zip(lo[1..].chunks_mut(chunk))
                .zip(x.chunks(chunk))
                .enumerate();
            for (k, ((h, l), xs)) in parts {
                let start = (k * chunk) as f64;
                sc.spawn(move || local_prefix(xs, h, l, x0, slope, start));
            }
        });
        // …then the running total of the previous chunks (itself a
        // hi + lo pair) is added to every later one, again by TwoSum.
        let mut offsets = Vec::new();
        let (mut oh, mut ol) = (0.0f64, 0.0f64);
        for end in (chunk..n).step_by(chunk) {
            let (t, e) = two_sum(oh, hi[end]);
            oh = t;
            ol += e + lo[end];
            offsets.push((end, oh, ol));
        }
        std::thread::scope(|sc| {
            let mut rest_h = &mut hi[..];
            let mut rest_l = &mut lo[..];
            let mut done = 0;
            for &(end, oh, ol) in &offsets {
                let len = chunk.min(n - end);
                let (_, h) = std::mem::take(&mut rest_h).split_at_mut(end + 1 - done);
                let (_, l) = std::mem::take(&mut rest_l).split_at_mut(end + 1 - done);
                let (h, h_rest) = h.split_at_mut(len);
                let (l, l_rest) = l.split_at_mut(len);
                rest_h = h_rest;
                rest_l = l_rest;
                done = end + 1 + len;
                sc.spawn(move || {
                    for (a, b) in h.iter_mut().zip(l.iter_mut()) {
                        let (t, e) = two_sum(oh, *a);
                        *a = t;
                        *b += e + ol;
                    }
                });
            }
        });
        Self { hi, lo }
    }
}

/// TwoSum (Knuth, TAOCP vol. 2 §4.2.2): (t, e) with t = fl(a + b) and
/// t + e = a + b exactly.
#[inline(always)]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let t = a + b;
    let bv = t - a;
    (t, (a - (t - bv)) + (b - bv))
}

/// Compensated running sum of r_i = (x_i − x0) − slope·i over one chunk
/// whose first sample has index `start`: h[k] + l[k] = Σ_{i ≤ k} r_i.
fn local_prefix(xs: &[f64], h: &mut [f64], l: &mut [f64], x0: f64, slope: f64, start: f64) {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    let mut i = start;
    for ((h, l), &v) in h.iter_mut().zip(l.iter_mut()).zip(xs) {
        let r = (v - x0) - slope * i;
        i += 1.0;
        let (t, e) = two_sum(s, r);
        s = t;
        c += e;
        *h = s;
        *l = c;
    }
}

/// Modified Allan sum: Σ_j [Σ_{i=j}^{j+m−1} (x[i+2m] − 2x[i+m] + x[i])]²,
/// j = 0..N−3m (NIST SP 1065 eq. 14).
///
/// Gap-free: the inner sum is a second difference of window sums,
/// Σ_{i=j}^{j+m−1}(…) = W(j+2m) − 2W(j+m) + W(j) with W(a) = S_{a+m} − S_a
/// from the prefix sums, i.e. a third difference of S: O(1) per term, O(N)
/// per τ whatever m, and no carried dependency (vectorised, independent
/// partial sums). Each window sum is formed from the `hi` and `lo`
/// differences separately (differences of neighbouring large `hi` values
/// are exact by Sterbenz's lemma), so the term carries the round-off of a
/// direct evaluation from x. (Writing the W once into a buffer saves
/// instructions but adds a store stream per τ: slower on 10⁷ points.)
pub(crate) fn modified(p: &Prefix, m: usize) -> Sum {
    let len = p.hi.len() - 1;
    if m == 0 || len < 3 * m {
        return Sum::default();
    }
    let count = len - 3 * m + 1;
    let h = |k: usize| &p.hi[k * m..k * m + count];
    let l = |k: usize| &p.lo[k * m..k * m + count];
    let (h0, h1, h2, h3) = (h(0), h(1), h(2), h(3));
    let (l0, l1, l2, l3) = (l(0), l(1), l(2), l(3));
    #[inline(always)]
    fn term(h: [f64; 4], l: [f64; 4]) -> f64 {
        let w1 = (h[1] - h[0]) + (l[1] - l[0]);
        let w2 = (h[2] - h[1]) + (l[2] - l[1]);
        let w3 = (h[3] - h[2]) + (l[3] - l[2]);
        (w3 - w2) - (w2 - w1)
    }
    let mut acc = [0.0f64; LANES];
    let hs = (h0.chunks_exact(LANES).zip(h1.chunks_exact(LANES)))
        .zip(h2.chunks_exact(LANES).zip(h3.chunks_exact(LANES)));
    let ls = (l0.chunks_exact(LANES).zip(l1.chunks_exact(LANES)))
        .zip(l2.chunks_exact(LANES).zip(l3.chunks_exact(LANES)));
    for (((a0, a1), (a2, a3)), ((b0, b1), (b2, b3))) in hs.zip(ls) {
        for k in 0..LANES {
            let t = term([a0[k], a1[k], a2[k], a3[k]], [b0[k], b1[k], b2[k], b3[k]]);
            acc[k] += t * t;
        }
    }
    let mut sq: f64 = acc.iter().sum();
    for i in count / LANES * LANES..count {
        let t = term([h0[i], h1[i], h2[i], h3[i]], [l0[i], l1[i], l2[i], l3[i]]);
        sq += t * t;
    }
    Sum { sq, n: count }
}

/// [`modified`] on a series with gaps: a term is skipped when its span
/// touches a gap; the inner sum is carried along j with
/// v_{j+1} = v_j + x[j+3m] − 3x[j+2m] + 3x[j+m] − x[j] and re-initialised
/// after every skipped run.
pub(crate) fn modified_gaps(x: &[f64], m: usize, g: &Gaps) -> Sum {
    let len = x.len();
    if m == 0 || len < 3 * m {
        return Sum::default();
    }
    let count = len - 3 * m + 1;
    let d2 = |i: usize| x[i + 2 * m] - 2.0 * x[i + m] + x[i];
    let d3 = |j: usize| x[j + 3 * m] - 3.0 * x[j + 2 * m] + 3.0 * x[j + m] - x[j];
    let init = |j: usize| (j..j + m).map(d2).sum::<f64>();
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
    s
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
