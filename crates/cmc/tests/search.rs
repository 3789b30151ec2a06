//! The registry's answers equal those of a plain scan over every CMC (the index is an
//! optimisation, never a different answer), and the documented question is answered the same
//! whatever the units it is asked in.

use std::cell::OnceCell;
use std::collections::BTreeSet;

use sevres_cmc::generate::{generate, Generator};
use sevres_cmc::model::METROLOGY_AREAS;
use sevres_cmc::search::REL_TOLERANCE;
use sevres_cmc::{Capability, Cmc, Facet, Grade, Quantity, Query, Registry, UncertaintyLimit};

fn words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The fields the module documentation says are searched by words.
fn cmc_words(c: &Cmc) -> BTreeSet<String> {
    let mut w = BTreeSet::new();
    for f in [
        c.kcdb_code.as_str(),
        &c.metrology_area,
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
        &c.comments,
        &c.nmi_service_code,
        &c.international_standard,
    ] {
        w.extend(words(f));
    }
    for p in &c.parameters {
        w.extend(words(&p.name));
        w.extend(words(&p.value));
    }
    w
}

fn facet_matches(c: &Cmc, f: Facet, v: &str) -> bool {
    let v = v.trim().to_lowercase();
    let eq = |s: &str| s.trim().to_lowercase() == v;
    match f {
        Facet::Area => {
            eq(&c.metrology_area)
                || METROLOGY_AREAS
                    .iter()
                    .any(|(l, n, _)| eq(n) && *l == c.metrology_area)
        }
        Facet::Branch => eq(&c.classification.branch),
        Facet::Service => eq(&c.classification.service),
        Facet::Country => eq(&c.country) || eq(c.kcdb_code.country()),
        Facet::Rmo => eq(&c.rmo),
        Facet::Institute => eq(&c.institute.code) || eq(&c.institute.name),
        Facet::Quantity => eq(&c.quantity),
    }
}

/// A plain scan over every CMC, with each CMC's capability and words computed once.
struct Scan<'a> {
    cmcs: &'a [Cmc],
    caps: Vec<Capability>,
    words: OnceCell<Vec<BTreeSet<String>>>,
}

impl<'a> Scan<'a> {
    fn new(registry: &'a Registry) -> Scan<'a> {
        let cmcs = registry.cmcs();
        Scan {
            cmcs,
            caps: cmcs.iter().map(Cmc::capability).collect(),
            words: OnceCell::new(),
        }
    }

    fn words(&self, i: usize) -> &BTreeSet<String> {
        &self
            .words
            .get_or_init(|| self.cmcs.iter().map(cmc_words).collect())[i]
    }
}

/// The answer of a plain scan: (index, grade) of every match.
fn scan(s: &Scan<'_>, q: &Query) -> BTreeSet<(usize, Grade)> {
    let cmcs = s.cmcs;
    let mut out = BTreeSet::new();
    let text: Vec<String> = q
        .text
        .as_deref()
        .map(|t| words(t).into_iter().collect())
        .unwrap_or_default();
    for (i, c) in cmcs.iter().enumerate() {
        // Facets: alternatives within one facet, all facets apply.
        let ok = Facet::ALL.iter().all(|f| {
            let vals: Vec<&String> = q
                .facets
                .iter()
                .filter(|(g, _)| g == f)
                .map(|(_, v)| v)
                .collect();
            vals.is_empty() || vals.iter().any(|v| facet_matches(c, *f, v))
        });
        if !ok {
            continue;
        }
        if !text.is_empty() {
            let w = s.words(i);
            if !text.iter().all(|t| w.contains(t)) {
                continue;
            }
        }
        let Some(value) = &q.measurand else {
            out.insert((i, Grade::Unassessed));
            continue;
        };
        let cap = &s.caps[i];
        let Some(m) = &cap.measurand else { continue };
        if m.unit.scale.key != value.unit.scale.key {
            continue;
        }
        let x = value.to_si();
        let tol = x.abs() * REL_TOLERANCE;
        if !(m.min <= x + tol && m.max >= x - tol) {
            continue;
        }
        let u = cap.uncertainty.at(x);
        let grade = match (&q.uncertainty, u) {
            (None, _) => Grade::Unassessed,
            (Some(_), None) => continue,
            (Some(l), Some(u)) => {
                // The limit: a dimensionless amount is relative to the measured value (in SI).
                let amount = l.amount.unit.scale.interval_to_si(l.amount.value);
                let key = &value.unit.scale.key;
                let limit = if l.amount.unit.is_ratio_one()
                    && (!key.dimension.is_dimensionless() || key.level.is_some())
                {
                    amount * x.abs()
                } else {
                    amount
                } * (1.0 + REL_TOLERANCE);
                if u.high <= limit {
                    Grade::Meets
                } else if u.low <= limit && !q.guaranteed_only {
                    Grade::MayMeet
                } else {
                    continue;
                }
            }
        };
        out.insert((i, grade));
    }
    out
}

fn check(registry: &Registry, oracle: &Scan<'_>, q: &Query) {
    let want = scan(oracle, q);
    let mut all = q.clone();
    all.limit = registry.len() + 1;
    let got = registry.search(&all).unwrap();
    let got_set: BTreeSet<(usize, Grade)> = got.hits.iter().map(|h| (h.index, h.grade)).collect();
    assert_eq!(got.total, want.len(), "{q:?}");
    assert_eq!(got_set, want, "{q:?}");
    // Ranking: grade, then uncertainty, least first; the first `limit` are the best.
    for w in got.hits.windows(2) {
        let key = |h: &sevres_cmc::Hit| (h.grade, h.uncertainty.map_or(f64::INFINITY, |u| u.high));
        assert!(key(&w[0]) <= key(&w[1]), "{:?} {:?}", w[0], w[1]);
    }
    let top = registry.search(q).unwrap();
    let n = if q.limit == 0 { 100 } else { q.limit };
    assert_eq!(top.total, want.len());
    assert_eq!(top.hits, got.hits[..n.min(got.hits.len())]);
}

#[test]
fn index_equals_scan_on_generated_questions() {
    let registry = Registry::new(generate(11, 20_000));
    let oracle = Scan::new(&registry);
    let mut g = Generator::new(5);
    let mut answered = 0;
    for _ in 0..300 {
        let q = g.query();
        check(&registry, &oracle, &q);
        answered += usize::from(registry.search(&q).unwrap().total > 0);
    }
    // The generated questions are about the generated CMCs: most have answers.
    assert!(answered > 150, "{answered}");
}

#[test]
fn index_equals_scan_on_text_and_facets() {
    let registry = Registry::new(generate(12, 5_000));
    let queries = [
        Query::new().text("zener"),
        Query::new().text("comparison josephson"),
        Query::new().facet(Facet::Area, "Electricity and Magnetism"),
        Query::new()
            .facet(Facet::Rmo, "euramet")
            .facet(Facet::Rmo, "SIM")
            .facet(Facet::Quantity, "Mass"),
        Query::new().facet(Facet::Country, "DE").text("resistance"),
        Query::new().facet(Facet::Institute, "Physikalisch-Technische Bundesanstalt"),
        Query::new().facet(Facet::Branch, "no such branch"),
        Query::new().text("no-such-word"),
        Query::new()
            .facet(Facet::Service, "DC voltage")
            .at(Quantity::parse("1 V").unwrap()),
    ];
    let oracle = Scan::new(&registry);
    for q in &queries {
        check(&registry, &oracle, q);
    }
}

#[test]
fn prefix_words() {
    let registry = Registry::new(generate(13, 3_000));
    let exact = registry
        .search(&Query::new().text("thermometer").limit(1))
        .unwrap();
    let prefix = registry
        .search(&Query::new().text("thermo*").limit(1))
        .unwrap();
    let thermocouple = registry
        .search(&Query::new().text("thermocouple").limit(1))
        .unwrap();
    assert!(exact.total > 0 && thermocouple.total > 0);
    assert!(prefix.total >= exact.total.max(thermocouple.total));
}

/// "Who can calibrate DC voltage at 10 V with an expanded uncertainty of at most 1 µV/V?",
/// asked in several commensurable units, gets one answer.
#[test]
fn the_documented_question_in_any_unit() {
    let registry = Registry::new(generate(14, 100_000));
    let oracle = Scan::new(&registry);
    let ask = |value: &str, limit: &str| {
        let q = Query::new()
            .facet(Facet::Quantity, "DC voltage")
            .at(Quantity::parse(value).unwrap())
            .max_uncertainty(UncertaintyLimit::new(Quantity::parse(limit).unwrap()))
            .limit(100_000);
        let r = registry.search(&q).unwrap();
        check(&registry, &oracle, &q);
        r.hits
            .iter()
            .map(|h| (h.index, h.grade))
            .collect::<BTreeSet<_>>()
    };
    let base = ask("10 V", "1 µV/V");
    assert!(!base.is_empty());
    assert!(base.iter().any(|(_, g)| *g == Grade::Meets));
    for (value, limit) in [
        ("0.01 kV", "10 µV"),
        ("10000 mV", "1e-6"),
        ("10 V", "0.0001 %"),
        ("1e7 µV", "0.01 mV"),
    ] {
        assert_eq!(ask(value, limit), base, "{value}, {limit}");
    }
    // Every hit's CMC is DC voltage, covers 10 V, and its uncertainty at 10 V is at most
    // 10 µV (Meets) or its lesser limit is (MayMeet).
    for (i, g) in &base {
        let c = &registry.cmcs()[*i];
        assert_eq!(c.quantity, "DC voltage");
        let u = c.capability().uncertainty.at(10.0).unwrap();
        let l = 1e-5 * (1.0 + REL_TOLERANCE);
        match g {
            Grade::Meets => assert!(u.high <= l),
            _ => assert!(u.low <= l && u.high > l),
        }
    }
}

#[test]
fn refused_questions() {
    let registry = Registry::new(generate(15, 100));
    let mut q =
        Query::new().max_uncertainty(UncertaintyLimit::new(Quantity::parse("1 %").unwrap()));
    assert!(registry.search(&q).is_err(), "limit without value");
    q.measurand = Some(Quantity::parse("10 V").unwrap());
    q.uncertainty = Some(UncertaintyLimit::new(Quantity::parse("1 mA").unwrap()));
    assert!(registry.search(&q).is_err(), "incommensurable limit");
    q.uncertainty = Some(UncertaintyLimit::new(Quantity::parse("-1 µV").unwrap()));
    assert!(registry.search(&q).is_err(), "negative limit");
}

#[test]
fn facet_counts_cover_all_matches() {
    let registry = Registry::new(generate(16, 5_000));
    let mut q = Query::new().text("standard").limit(3);
    q.facet_counts = true;
    let r = registry.search(&q).unwrap();
    assert_eq!(r.hits.len(), 3);
    for (_, values) in &r.facets {
        assert_eq!(values.iter().map(|(_, n)| n).sum::<usize>(), r.total);
    }
}

#[test]
fn generator_is_seeded() {
    assert_eq!(generate(3, 200), generate(3, 200));
    assert_ne!(generate(3, 200), generate(4, 200));
}
