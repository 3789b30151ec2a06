//! An in-memory index of CMCs that answers text, facet and unit-aware questions.
//!
//! "Who can calibrate DC voltage at 10 V with an expanded uncertainty of at most 1 µV/V?" is a
//! [`Query`] with a facet (`quantity = DC voltage`), a measured value ([`Quantity`], in any unit
//! of the kind: `0.01 kV` is the same question) and an [`UncertaintyLimit`] (`1 µV/V` relative,
//! or `10 µV` absolute, at k = 2 unless stated). It is answered exactly, CMC by CMC, by
//! evaluating each candidate's uncertainty at that value ([`crate::capability`]).
//!
//! # Layout ([`Registry`])
//!
//! * CMCs whose range is readable are grouped by the kind of their measurand
//!   ([`crate::unit::ScaleKey`]: dimension, logarithmic reference, arbitrary units) and by
//!   quantity (DC and AC voltage apart); a question looks at the groups of its kind only, and
//!   only at that of its quantity when it names one. Within a group, ranges are kept in SI as `f64`, sorted by their
//!   lower end, with a max-tree (a segment tree of the greatest upper end over blocks of
//!   [`BLOCK`] entries): the CMCs whose range contains `x` lie in the prefix with `min ≤ x`, and
//!   only the blocks of that prefix that hold a range reaching `x` are visited (O(log n) per
//!   such block), so the work follows the number of answers, not the size of the registry.
//! * Each entry carries its uncertainty, compiled when the registry is built
//!   ([`UncertaintyModel`]: SI, k = 2), with the equations' instructions in one arena per group
//!   in entry order, and copies of its facet ids: the hot path reads memory in sequence and
//!   does float comparisons and a few float operations per candidate.
//! * Facets (area, branch, service, country, RMO, institute, quantity) are interned: each CMC
//!   holds one id per facet, and each value has a sorted posting list. Area names, ISO country
//!   codes and institute names are accepted as aliases.
//! * Full text is an inverted index of lower-cased alphanumeric tokens with sorted posting
//!   lists; all tokens must match, a trailing `*` matches a prefix.
//! * Hits are ranked by [`Grade`] (meets the limit, may meet it, not assessed), then by the
//!   uncertainty at the value, least first; the best `limit` are kept in a bounded heap while
//!   every match is counted.
//!
//! Comparisons of values and uncertainties allow a relative slack of [`REL_TOLERANCE`] for the
//! rounding of float arithmetic (10 V stated in mV and asked in kV meet).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use crate::capability::{normalise_coverage, Issue, UncertaintyAt, UncertaintyModel};
use crate::equation::{eval_ops, Op};
use crate::model::{Cmc, METROLOGY_AREAS};
use crate::unit::{Quantity, ScaleKey, UnitCache};

/// The maps of the index hold no secrets and are keyed by short strings: foldhash hashes them
/// several times faster than the default SipHash (still seeded per process).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

pub use crate::capability::REL_TOLERANCE;

/// Entries per leaf block of a group's max-tree.
pub const BLOCK: usize = 16;

/// The facets of a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// Metrology area (`EM`; the area's name is accepted too).
    Area,
    /// Branch.
    Branch,
    /// Service.
    Service,
    /// Country (name as published; the ISO code is accepted too).
    Country,
    /// RMO.
    Rmo,
    /// Institute code (the institute's name is accepted too).
    Institute,
    /// Quantity.
    Quantity,
}

impl Facet {
    /// All facets, in the order of [`SearchResult::facets`].
    pub const ALL: [Facet; 7] = [
        Facet::Area,
        Facet::Branch,
        Facet::Service,
        Facet::Country,
        Facet::Rmo,
        Facet::Institute,
        Facet::Quantity,
    ];

    /// The facet's name (`area`, `branch`, `service`, `country`, `rmo`, `institute`, `quantity`).
    pub fn name(self) -> &'static str {
        match self {
            Facet::Area => "area",
            Facet::Branch => "branch",
            Facet::Service => "service",
            Facet::Country => "country",
            Facet::Rmo => "rmo",
            Facet::Institute => "institute",
            Facet::Quantity => "quantity",
        }
    }

    /// The facet of a name (see [`Facet::name`]).
    pub fn from_name(name: &str) -> Option<Facet> {
        Facet::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }

    fn index(self) -> usize {
        self as usize
    }

    fn value(self, c: &Cmc) -> &str {
        match self {
            Facet::Area => &c.metrology_area,
            Facet::Branch => &c.classification.branch,
            Facet::Service => &c.classification.service,
            Facet::Country => {
                if c.country.is_empty() {
                    c.kcdb_code.country()
                } else {
                    &c.country
                }
            }
            Facet::Rmo => &c.rmo,
            Facet::Institute => &c.institute.code,
            Facet::Quantity => &c.quantity,
        }
    }
}

const NF: usize = Facet::ALL.len();

/// What limits the answers of a CMC, as bits (from its [`Issue`]s).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Flags(u8);

impl Flags {
    /// The measurand's unit or range is unreadable: found by text and facets only.
    pub const NO_RANGE: Flags = Flags(1);
    /// The uncertainty equation could not be read or does not fit; limits used.
    pub const EQUATION_ERROR: Flags = Flags(2);
    /// The uncertainty is a table, not evaluated; limits used.
    pub const TABLE: Flags = Flags(4);
    /// No usable uncertainty.
    pub const NO_UNCERTAINTY: Flags = Flags(8);
    /// Coverage not stated; ≈95 % assumed.
    pub const COVERAGE_ASSUMED: Flags = Flags(16);

    /// Whether all bits of `other` are set.
    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no bit is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn set(&mut self, other: Flags) {
        self.0 |= other.0;
    }
}

/// The greatest expanded uncertainty a question accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertaintyLimit {
    /// The value and unit: dimensionless (`1 µV/V`, `1e-6`) or of the measurand's kind (`10 µV`).
    pub amount: Quantity,
    /// Relative to the measured value; `None`: relative when the unit is dimensionless and the
    /// measurand is not (say it for a dimensionless measurand).
    pub relative: Option<bool>,
    /// The coverage factor the limit is stated at (default 2).
    pub coverage_factor: Option<f64>,
    /// The level of confidence the limit is stated at, in percent (default ≈95 %).
    pub confidence_level: Option<f64>,
}

impl UncertaintyLimit {
    /// A limit at k = 2 (≈95 %), relative or absolute by its unit.
    pub fn new(amount: Quantity) -> UncertaintyLimit {
        UncertaintyLimit {
            amount,
            relative: None,
            coverage_factor: None,
            confidence_level: None,
        }
    }
}

/// A question to a [`Registry`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// Words that must all occur (a trailing `*` matches a prefix).
    pub text: Option<String>,
    /// Facet values: several values of one facet are alternatives, different facets all apply.
    pub facets: Vec<(Facet, String)>,
    /// The value to be measured: only CMCs whose range contains it, of the same kind.
    pub measurand: Option<Quantity>,
    /// The greatest acceptable expanded uncertainty at that value (needs `measurand`).
    pub uncertainty: Option<UncertaintyLimit>,
    /// Keep only CMCs whose uncertainty is known to be within the limit (exclude those that
    /// only may be, having limits without an equation).
    pub guaranteed_only: bool,
    /// Count the facet values over all matches.
    pub facet_counts: bool,
    /// Hits returned (the best first); 0 means the default of 100.
    pub limit: usize,
}

impl Query {
    /// An empty query (matches everything).
    pub fn new() -> Query {
        Query::default()
    }

    /// Adds words to match.
    pub fn text(mut self, text: &str) -> Query {
        self.text = Some(text.to_string());
        self
    }

    /// Adds a facet value.
    pub fn facet(mut self, facet: Facet, value: &str) -> Query {
        self.facets.push((facet, value.to_string()));
        self
    }

    /// Sets the measured value.
    pub fn at(mut self, value: Quantity) -> Query {
        self.measurand = Some(value);
        self
    }

    /// Sets the uncertainty limit.
    pub fn max_uncertainty(mut self, limit: UncertaintyLimit) -> Query {
        self.uncertainty = Some(limit);
        self
    }

    /// Sets the number of hits returned.
    pub fn limit(mut self, n: usize) -> Query {
        self.limit = n;
        self
    }
}

/// A question that cannot be asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// An uncertainty limit without a measured value.
    #[error("an uncertainty limit needs the measured value")]
    LimitWithoutValue,
    /// The limit's unit is neither dimensionless nor of the measured value's kind.
    #[error("uncertainty limit in '{limit}' does not fit the measured value in '{value}'")]
    Incommensurable {
        /// The limit's unit.
        limit: String,
        /// The measured value's unit.
        value: String,
    },
    /// A value that is not a finite number, or a negative limit.
    #[error("{0} is not a usable number")]
    Number(String),
}

/// How a CMC meets an uncertainty limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    /// Its uncertainty at the value is within the limit.
    Meets,
    /// Only its limits are known and the lesser is within the limit: it may meet it.
    MayMeet,
    /// No limit was asked (or no value given).
    Unassessed,
}

/// One answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index of the CMC in the registry.
    pub index: usize,
    /// How it meets the limit.
    pub grade: Grade,
    /// Its expanded uncertainty (k = 2) at the measured value, in the coherent SI unit of the
    /// measurand's kind.
    pub uncertainty: Option<UncertaintyAt>,
    /// What limits its answers.
    pub flags: Flags,
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    /// Number of matching CMCs.
    pub total: usize,
    /// The best `limit` hits: by grade, then by uncertainty (least first), then registry order.
    pub hits: Vec<Hit>,
    /// Per facet (in [`Facet::ALL`] order), the values over all matches with their counts,
    /// most frequent first; empty unless asked.
    pub facets: Vec<(Facet, Vec<(String, usize)>)>,
}

/// Interned values of one facet.
#[derive(Debug, Default)]
struct FacetIndex {
    values: Vec<String>,
    /// Lower-cased value or alias → id.
    lookup: FastMap<String, u32>,
    /// Value exactly as given → id (saves lower-casing repeated values).
    exact: FastMap<String, u32>,
    postings: Vec<Vec<u32>>,
}

impl FacetIndex {
    fn intern(&mut self, value: &str) -> u32 {
        if let Some(&id) = self.exact.get(value) {
            return id;
        }
        let key = value.trim().to_lowercase();
        let id = match self.lookup.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.values.len() as u32;
                self.values.push(value.trim().to_string());
                self.lookup.insert(key, id);
                self.postings.push(Vec::new());
                id
            }
        };
        self.exact.insert(value.to_string(), id);
        id
    }

    fn alias(&mut self, alias: &str, id: u32) {
        self.lookup.entry(alias.trim().to_lowercase()).or_insert(id);
    }

    fn find(&self, value: &str) -> Option<u32> {
        self.lookup.get(&value.trim().to_lowercase()).copied()
    }
}

/// The inverted index of words.
#[derive(Debug, Default)]
struct TextIndex {
    /// Terms sorted, with their posting lists (sorted CMC indices).
    terms: Vec<(Box<str>, Vec<u32>)>,
}

/// Lower-cased alphanumeric tokens of a text.
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
}

impl TextIndex {
    /// The posting list of a term (borrowed), or the union of those of its prefix (`volt*`).
    fn postings(&self, term: &str) -> Cow<'_, [u32]> {
        if let Some(prefix) = term.strip_suffix('*') {
            let start = self.terms.partition_point(|(t, _)| &**t < prefix);
            let mut out: Vec<u32> = self.terms[start..]
                .iter()
                .take_while(|(t, _)| t.starts_with(prefix))
                .flat_map(|(_, p)| p.iter().copied())
                .collect();
            out.sort_unstable();
            out.dedup();
            Cow::Owned(out)
        } else {
            match self.terms.binary_search_by(|(t, _)| (**t).cmp(term)) {
                Ok(i) => Cow::Borrowed(&self.terms[i].1),
                Err(_) => Cow::Borrowed(&[]),
            }
        }
    }
}

/// An [`UncertaintyModel`] as a group keeps it: plain data, programs in the group's arena (in
/// group order, so that a scan reads them in sequence).
#[derive(Debug, Clone, Copy)]
enum Compact {
    Unknown,
    Bounds { low: f64, high: f64, relative: bool },
    Program { start: u32, len: u32, scale: f64 },
}

/// CMCs of one measurand kind, sorted by the lower end of their range.
#[derive(Debug, Default)]
struct Group {
    min: Vec<f64>,
    max: Vec<f64>,
    cmc: Vec<u32>,
    model: Vec<Compact>,
    /// The instructions of the groups' equations.
    ops: Vec<Op>,
    /// Facet ids and flags of each entry (copies, kept in group order for the scan).
    ids: Vec<[u32; NF]>,
    flags: Vec<Flags>,
    /// Max-tree over blocks: `tree[1]` is the root, leaves start at `leaves`.
    tree: Vec<f64>,
    leaves: usize,
}

impl Group {
    fn build(
        mut entries: Vec<(f64, f64, u32, UncertaintyModel)>,
        facet_ids: &[[u32; NF]],
        flags: &[Flags],
    ) -> Group {
        entries.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
        let n = entries.len();
        let mut g = Group {
            min: Vec::with_capacity(n),
            max: Vec::with_capacity(n),
            cmc: Vec::with_capacity(n),
            model: Vec::with_capacity(n),
            ops: Vec::new(),
            ids: Vec::with_capacity(n),
            flags: Vec::with_capacity(n),
            tree: Vec::new(),
            leaves: 0,
        };
        for (lo, hi, id, m) in entries {
            g.min.push(lo);
            g.max.push(hi);
            g.cmc.push(id);
            let compact = match m {
                UncertaintyModel::Unknown => Compact::Unknown,
                UncertaintyModel::Bounds {
                    low,
                    high,
                    relative,
                } => Compact::Bounds {
                    low,
                    high,
                    relative,
                },
                UncertaintyModel::Equation(p) => {
                    let start = g.ops.len() as u32;
                    g.ops.extend_from_slice(p.ops());
                    Compact::Program {
                        start,
                        len: p.ops().len() as u32,
                        scale: p.scale(),
                    }
                }
            };
            g.model.push(compact);
            g.ids
                .push(facet_ids.get(id as usize).copied().unwrap_or_default());
            g.flags
                .push(flags.get(id as usize).copied().unwrap_or_default());
        }
        let blocks = n.div_ceil(BLOCK).max(1);
        let leaves = blocks.next_power_of_two();
        let mut tree = vec![f64::NEG_INFINITY; 2 * leaves];
        for (b, chunk) in g.max.chunks(BLOCK).enumerate() {
            tree[leaves + b] = chunk.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        }
        for i in (1..leaves).rev() {
            tree[i] = tree[2 * i].max(tree[2 * i + 1]);
        }
        g.tree = tree;
        g.leaves = leaves;
        g
    }

    /// The expanded uncertainty of the entry at `pos` at the value `x` (the arithmetic of
    /// [`UncertaintyModel::at`]).
    #[inline]
    fn uncertainty(&self, pos: usize, x: f64) -> Option<UncertaintyAt> {
        match *self.model.get(pos)? {
            Compact::Unknown => None,
            Compact::Bounds {
                low,
                high,
                relative,
            } => {
                let m = if relative { x.abs() } else { 1.0 };
                let (low, high) = (low * m, high * m);
                (low.is_finite() && high.is_finite()).then_some(UncertaintyAt { low, high })
            }
            Compact::Program { start, len, scale } => {
                let ops = self
                    .ops
                    .get(start as usize..(start as usize + len as usize))?;
                eval_ops(ops, scale, x).map(|u| UncertaintyAt { low: u, high: u })
            }
        }
    }

    /// Calls `f(position)` for every entry whose range contains `x` (with tolerance).
    fn stab(&self, x: f64, mut f: impl FnMut(usize)) {
        let tol = x.abs() * REL_TOLERANCE;
        let end = self.min.partition_point(|&m| m <= x + tol);
        if end == 0 {
            return;
        }
        let end_block = end.div_ceil(BLOCK);
        let lower = x - tol;
        let mut stack = vec![(1usize, 0usize, self.leaves)];
        while let Some((node, lo, hi)) = stack.pop() {
            if lo >= end_block || self.tree[node] < lower {
                continue;
            }
            if hi - lo == 1 {
                let start = lo * BLOCK;
                let stop = ((lo + 1) * BLOCK).min(end);
                for i in start..stop {
                    if self.max[i] >= lower {
                        f(i);
                    }
                }
                continue;
            }
            let mid = (lo + hi) / 2;
            stack.push((2 * node + 1, mid, hi));
            stack.push((2 * node, lo, mid));
        }
    }
}

/// A hit ordered for ranking: grade, then uncertainty (least first, unknown last), then
/// registry order.
#[derive(Debug, Clone, Copy)]
struct Ranked(Hit);

impl Ranked {
    fn key(&self) -> (Grade, f64, usize) {
        let u = self.0.uncertainty.map_or(f64::INFINITY, |u| u.high);
        (self.0.grade, u, self.0.index)
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Ranked) -> Ordering {
        let (g1, u1, i1) = self.key();
        let (g2, u2, i2) = other.key();
        g1.cmp(&g2).then(u1.total_cmp(&u2)).then(i1.cmp(&i2))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Ranked) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Ranked) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Keeps the best `limit` hits (a max-heap of the kept ones, the worst on top), counts all, and
/// remembers all indices when facets are to be counted.
struct Collector {
    limit: usize,
    total: usize,
    best: BinaryHeap<Ranked>,
    all: Option<Vec<u32>>,
}

impl Collector {
    fn new(limit: usize, keep_all: bool) -> Collector {
        Collector {
            limit,
            total: 0,
            best: BinaryHeap::with_capacity(limit + 1),
            all: keep_all.then(Vec::new),
        }
    }

    #[inline]
    fn offer(&mut self, hit: Hit) {
        self.total += 1;
        if let Some(all) = &mut self.all {
            all.push(hit.index as u32);
        }
        let r = Ranked(hit);
        if self.best.len() < self.limit {
            self.best.push(r);
        } else if self.best.peek().is_some_and(|worst| r < *worst) {
            self.best.pop();
            self.best.push(r);
        }
    }

    fn finish(self, registry: &Registry) -> SearchResult {
        let facets = match &self.all {
            Some(all) => registry.count_facets(all),
            None => Vec::new(),
        };
        SearchResult {
            total: self.total,
            hits: self
                .best
                .into_sorted_vec()
                .into_iter()
                .map(|r| r.0)
                .collect(),
            facets,
        }
    }
}

/// The in-memory CMC index (see the module documentation).
#[derive(Debug)]
pub struct Registry {
    cmcs: Vec<Cmc>,
    flags: Vec<Flags>,
    facet_ids: Vec<[u32; NF]>,
    facets: Vec<FacetIndex>,
    text: TextIndex,
    /// Per measurand kind, one group per quantity (facet id).
    groups: FastMap<ScaleKey, Vec<(u32, Group)>>,
    by_code: FastMap<String, u32>,
}

fn flags_of(issues: &[Issue]) -> Flags {
    let mut f = Flags::default();
    for i in issues {
        f.set(match i {
            Issue::MeasurandUnit(_) | Issue::NoRange | Issue::RangeNotFinite => Flags::NO_RANGE,
            Issue::Equation(_) => Flags::EQUATION_ERROR,
            Issue::Table => Flags::TABLE,
            Issue::UncertaintyUnit(_) | Issue::UncertaintyKind { .. } | Issue::NoUncertainty => {
                Flags::NO_UNCERTAINTY
            }
            Issue::CoverageAssumed => Flags::COVERAGE_ASSUMED,
            _ => Flags::default(),
        });
    }
    f
}

/// Intersection of two sorted lists.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    if small.len() * 16 < large.len() {
        for &x in small {
            if large.binary_search(&x).is_ok() {
                out.push(x);
            }
        }
    } else {
        let (mut i, mut j) = (0, 0);
        while i < small.len() && j < large.len() {
            match small[i].cmp(&large[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    out.push(small[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
    }
    out
}

/// The candidates left by text and facets: `None` means "all".
struct Filter {
    /// Allowed ids per facet (empty: any).
    facets: [Vec<u32>; NF],
    /// Whether any facet is restricted.
    faceted: bool,
    /// Sorted indices allowed by the text, as a bitset.
    text: Option<Vec<u64>>,
}

impl Filter {
    #[inline]
    fn admits(&self, ids: &[u32; NF], i: u32) -> bool {
        if self.faceted {
            for (allowed, id) in self.facets.iter().zip(ids) {
                if !allowed.is_empty() && !allowed.contains(id) {
                    return false;
                }
            }
        }
        match &self.text {
            None => true,
            Some(bits) => bits
                .get((i / 64) as usize)
                .is_some_and(|w| w & (1u64 << (i % 64)) != 0),
        }
    }
}

impl Registry {
    /// Builds the index over `cmcs` (their order is the registry order).
    pub fn new(cmcs: Vec<Cmc>) -> Registry {
        let mut units = UnitCache::new();
        let mut facets: Vec<FacetIndex> = (0..NF).map(|_| FacetIndex::default()).collect();
        for (label, name, _) in METROLOGY_AREAS {
            let id = facets[Facet::Area.index()].intern(label);
            facets[Facet::Area.index()].alias(name, id);
        }
        let mut flags = Vec::with_capacity(cmcs.len());
        let mut facet_ids = Vec::with_capacity(cmcs.len());
        type Entries = Vec<(f64, f64, u32, UncertaintyModel)>;
        let mut grouped: FastMap<ScaleKey, FastMap<u32, Entries>> = FastMap::default();
        // Words: term ids by text, posting lists by term id, and the term ids of each distinct
        // field text (CMCs repeat their services, methods and institutes).
        let mut term_ids: FastMap<String, u32> = FastMap::default();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut field_terms: FastMap<String, Vec<u32>> = FastMap::default();
        let mut by_code = FastMap::with_capacity_and_hasher(cmcs.len(), Default::default());
        for (i, c) in cmcs.iter().enumerate() {
            let i = i as u32;
            by_code.entry(c.kcdb_code.as_str().to_string()).or_insert(i);
            let mut ids = [0u32; NF];
            for f in Facet::ALL {
                let fi = &mut facets[f.index()];
                let id = fi.intern(f.value(c));
                if let Some(p) = fi.postings.get_mut(id as usize) {
                    p.push(i);
                }
                ids[f.index()] = id;
            }
            let country = facets[Facet::Country.index()].find(Facet::Country.value(c));
            if let Some(id) = country {
                facets[Facet::Country.index()].alias(c.kcdb_code.country(), id);
            }
            if !c.institute.name.is_empty() {
                let id = ids[Facet::Institute.index()];
                facets[Facet::Institute.index()].alias(&c.institute.name, id);
            }
            facet_ids.push(ids);
            let add = |t: u32, postings: &mut Vec<Vec<u32>>| {
                if let Some(p) = postings.get_mut(t as usize) {
                    if p.last() != Some(&i) {
                        p.push(i);
                    }
                }
            };
            // Fields shared by many CMCs: tokenised once per distinct text.
            for field in shared_text_fields(c) {
                let terms = match field_terms.get(field) {
                    Some(t) => t,
                    None => {
                        let ids: Vec<u32> = tokens(field)
                            .map(|t| {
                                let next = term_ids.len() as u32;
                                *term_ids.entry(t).or_insert(next)
                            })
                            .collect();
                        postings.resize_with(term_ids.len(), Vec::new);
                        if field_terms.len() > 1_000_000 {
                            field_terms.clear();
                        }
                        field_terms.entry(field.to_string()).or_insert(ids)
                    }
                };
                for &t in terms {
                    add(t, &mut postings);
                }
            }
            // Fields of this CMC alone.
            for field in [c.kcdb_code.as_str(), &c.comments, &c.nmi_service_code] {
                for t in tokens(field) {
                    let next = term_ids.len() as u32;
                    let id = *term_ids.entry(t).or_insert(next);
                    postings.resize_with(term_ids.len(), Vec::new);
                    add(id, &mut postings);
                }
            }
            let cap = c.capability_with(&mut units);
            flags.push(flags_of(&cap.issues));
            if let Some(m) = cap.measurand {
                let entry = (m.min, m.max, i, cap.uncertainty);
                let quantity = ids[Facet::Quantity.index()];
                match grouped.get_mut(&m.unit.scale.key) {
                    Some(g) => g.entry(quantity).or_default().push(entry),
                    None => {
                        let mut g = FastMap::default();
                        g.insert(quantity, vec![entry]);
                        grouped.insert(m.unit.scale.key, g);
                    }
                }
            }
        }
        let mut terms: Vec<(Box<str>, Vec<u32>)> = term_ids
            .into_iter()
            .map(|(k, id)| {
                let p = postings.get_mut(id as usize).map(std::mem::take);
                (k.into_boxed_str(), p.unwrap_or_default())
            })
            .collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let groups = grouped
            .into_iter()
            .map(|(k, by_quantity)| {
                let mut v: Vec<(u32, Group)> = by_quantity
                    .into_iter()
                    .map(|(q, entries)| (q, Group::build(entries, &facet_ids, &flags)))
                    .collect();
                v.sort_by_key(|(q, _)| *q);
                (k, v)
            })
            .collect();
        Registry {
            cmcs,
            flags,
            facet_ids,
            facets,
            text: TextIndex { terms },
            groups,
            by_code,
        }
    }

    /// Number of CMCs.
    pub fn len(&self) -> usize {
        self.cmcs.len()
    }

    /// Whether the registry holds no CMC.
    pub fn is_empty(&self) -> bool {
        self.cmcs.is_empty()
    }

    /// The CMCs, in registry order.
    pub fn cmcs(&self) -> &[Cmc] {
        &self.cmcs
    }

    /// The CMC at `index`.
    pub fn get(&self, index: usize) -> Option<&Cmc> {
        self.cmcs.get(index)
    }

    /// The index of the CMC with a KCDB code (the first, if repeated).
    pub fn find_code(&self, code: &str) -> Option<usize> {
        self.by_code.get(code.trim()).map(|&i| i as usize)
    }

    /// What limits the answers of the CMC at `index`.
    pub fn flags(&self, index: usize) -> Flags {
        self.flags.get(index).copied().unwrap_or_default()
    }

    /// The values of a facet with the number of CMCs of each, most frequent first.
    pub fn facet_values(&self, facet: Facet) -> Vec<(String, usize)> {
        let fi = &self.facets[facet.index()];
        let mut v: Vec<(String, usize)> = fi
            .values
            .iter()
            .zip(&fi.postings)
            .filter(|(_, p)| !p.is_empty())
            .map(|(s, p)| (s.clone(), p.len()))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// The candidate filter of a query's text and facets; `None` when nothing can match.
    fn filter(&self, q: &Query) -> Option<(Filter, Option<Cow<'_, [u32]>>)> {
        let mut allowed: [Vec<u32>; NF] = Default::default();
        for (f, value) in &q.facets {
            let fi = &self.facets[f.index()];
            allowed[f.index()].push(fi.find(value).unwrap_or(u32::MAX));
        }
        for a in &allowed {
            if !a.is_empty() && a.iter().all(|&id| id == u32::MAX) {
                return None;
            }
        }
        let mut text_ids: Option<Cow<'_, [u32]>> = None;
        if let Some(text) = &q.text {
            let mut terms: Vec<String> = text
                .split_whitespace()
                .flat_map(|w| {
                    let star = w.ends_with('*');
                    let mut t: Vec<String> = tokens(w).collect();
                    if star {
                        if let Some(last) = t.last_mut() {
                            last.push('*');
                        }
                    }
                    t
                })
                .collect();
            terms.dedup();
            let mut lists: Vec<Cow<'_, [u32]>> =
                terms.iter().map(|t| self.text.postings(t)).collect();
            lists.sort_by_key(|l| l.len());
            let mut it = lists.into_iter();
            if let Some(first) = it.next() {
                let mut acc = first;
                for l in it {
                    if acc.is_empty() {
                        break;
                    }
                    acc = Cow::Owned(intersect(&acc, &l));
                }
                if acc.is_empty() {
                    return None;
                }
                text_ids = Some(acc);
            }
        }
        let bits = text_ids.as_ref().map(|ids| {
            let mut bits = vec![0u64; self.cmcs.len().div_ceil(64)];
            for &i in ids.iter() {
                if let Some(w) = bits.get_mut((i / 64) as usize) {
                    *w |= 1u64 << (i % 64);
                }
            }
            bits
        });
        let faceted = allowed.iter().any(|a| !a.is_empty());
        Some((
            Filter {
                facets: allowed,
                faceted,
                text: bits,
            },
            text_ids,
        ))
    }

    /// Answers a query.
    pub fn search(&self, q: &Query) -> Result<SearchResult, QueryError> {
        let limit = if q.limit == 0 { 100 } else { q.limit };
        if q.uncertainty.is_some() && q.measurand.is_none() {
            return Err(QueryError::LimitWithoutValue);
        }
        let mut out = Collector::new(limit, q.facet_counts);
        let Some((filter, text_ids)) = self.filter(q) else {
            return Ok(out.finish(self));
        };
        match &q.measurand {
            Some(value) => {
                let x = value.to_si();
                if !x.is_finite() {
                    return Err(QueryError::Number(value.value.to_string()));
                }
                let limit_si = match &q.uncertainty {
                    None => None,
                    Some(l) => Some(absolute_limit(l, value, x)? * (1.0 + REL_TOLERANCE)),
                };
                let Some(groups) = self.groups.get(&value.unit.scale.key) else {
                    return Ok(out.finish(self));
                };
                // A quantity facet selects the groups; facets are still checked per entry.
                let quantities = &filter.facets[Facet::Quantity.index()];
                for (_, group) in groups
                    .iter()
                    .filter(|(qid, _)| quantities.is_empty() || quantities.contains(qid))
                {
                    group.stab(x, |pos| {
                        let (Some(&i), Some(ids)) = (group.cmc.get(pos), group.ids.get(pos)) else {
                            return;
                        };
                        if !filter.admits(ids, i) {
                            return;
                        }
                        let u = group.uncertainty(pos, x);
                        let grade = match (limit_si, u) {
                            (None, _) => Grade::Unassessed,
                            (Some(_), None) => return,
                            (Some(l), Some(u)) => {
                                if u.high <= l {
                                    Grade::Meets
                                } else if u.low <= l && !q.guaranteed_only {
                                    Grade::MayMeet
                                } else {
                                    return;
                                }
                            }
                        };
                        out.offer(Hit {
                            index: i as usize,
                            grade,
                            uncertainty: u,
                            flags: group.flags.get(pos).copied().unwrap_or_default(),
                        });
                    });
                }
            }
            None => {
                let mut offer = |i: u32| {
                    out.offer(Hit {
                        index: i as usize,
                        grade: Grade::Unassessed,
                        uncertainty: None,
                        flags: self.flags(i as usize),
                    })
                };
                // The smallest posting list drives the scan.
                let mut driver: Option<&[u32]> = text_ids.as_deref();
                for (f, allowed) in filter.facets.iter().enumerate() {
                    if let [id] = allowed.as_slice() {
                        if let Some(p) = self.facets[f].postings.get(*id as usize) {
                            if driver.is_none_or(|d| p.len() < d.len()) {
                                driver = Some(p);
                            }
                        }
                    }
                }
                match driver {
                    Some(ids) => {
                        for &i in ids {
                            if self
                                .facet_ids
                                .get(i as usize)
                                .is_some_and(|f| filter.admits(f, i))
                            {
                                offer(i);
                            }
                        }
                    }
                    None => {
                        for (i, f) in self.facet_ids.iter().enumerate() {
                            if filter.admits(f, i as u32) {
                                offer(i as u32);
                            }
                        }
                    }
                }
            }
        }
        Ok(out.finish(self))
    }

    fn count_facets(&self, hits: &[u32]) -> Vec<(Facet, Vec<(String, usize)>)> {
        let mut counts: Vec<Vec<usize>> = self
            .facets
            .iter()
            .map(|f| vec![0; f.values.len()])
            .collect();
        for &h in hits {
            if let Some(ids) = self.facet_ids.get(h as usize) {
                for (c, &id) in counts.iter_mut().zip(ids) {
                    if let Some(n) = c.get_mut(id as usize) {
                        *n += 1;
                    }
                }
            }
        }
        Facet::ALL
            .into_iter()
            .zip(counts)
            .map(|(f, c)| {
                let values = &self.facets[f.index()].values;
                let mut v: Vec<(String, usize)> = c
                    .into_iter()
                    .enumerate()
                    .filter(|(_, n)| *n > 0)
                    .filter_map(|(id, n)| values.get(id).map(|s| (s.clone(), n)))
                    .collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                (f, v)
            })
            .collect()
    }
}

/// The limit of a query as an absolute expanded uncertainty at k = 2, in SI, at `x` (SI).
fn absolute_limit(l: &UncertaintyLimit, value: &Quantity, x: f64) -> Result<f64, QueryError> {
    let (norm, _) = normalise_coverage(l.coverage_factor, l.confidence_level);
    let amount = &l.amount;
    if !amount.value.is_finite() || amount.value < 0.0 {
        return Err(QueryError::Number(amount.value.to_string()));
    }
    let measurand = &value.unit.scale;
    let relative = l.relative.unwrap_or_else(|| {
        amount.unit.is_ratio_one()
            && (!measurand.key.dimension.is_dimensionless() || measurand.key.level.is_some())
    });
    if relative {
        if !amount.unit.is_ratio_one() {
            return Err(QueryError::Incommensurable {
                limit: amount.unit.text.clone(),
                value: value.unit.text.clone(),
            });
        }
        Ok(amount.unit.scale.interval_to_si(amount.value) * norm * x.abs())
    } else if amount.unit.scale.key == measurand.key {
        Ok(amount.unit.scale.interval_to_si(amount.value) * norm)
    } else {
        Err(QueryError::Incommensurable {
            limit: amount.unit.text.clone(),
            value: value.unit.text.clone(),
        })
    }
}

/// The fields searched by words that CMCs share (besides the code, the comments and the
/// institute's service code).
fn shared_text_fields(c: &Cmc) -> impl Iterator<Item = &str> {
    [
        c.metrology_area.as_str(),
        &c.classification.branch,
        &c.classification.service,
        &c.classification.sub_service,
        &c.classification.individual_service,
        &c.quantity,
        &c.instrument,
        &c.instrument_method,
        &c.institute.code,
        &c.institute.name,
        &c.country,
        &c.rmo,
        &c.international_standard,
    ]
    .into_iter()
    .chain(
        c.parameters
            .iter()
            .flat_map(|p| [p.name.as_str(), p.value.as_str()]),
    )
}
