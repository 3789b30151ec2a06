//! Property tests: parse ∘ print = id in each notation for generated expressions, conversion
//! round trips a → b → a ≈ identity, and exact factor algebra.

use num_rational::Ratio;
use proptest::prelude::*;
use sevres_si::{notation, si_text, ucum, Conversion, Factor, Notation, Term, TermUnit, UnitExpr};

/// A generated UCUM term: (atom index, prefix choice, exponent) or a number or an annotation.
fn ucum_term() -> impl Strategy<Value = Term> {
    let atoms = ucum::atoms();
    let prefixes = ucum::prefixes();
    prop_oneof![
        8 => (0..atoms.len(), 0..prefixes.len() + 4, -4i32..=4, proptest::option::of("[a-z0-9_']{1,5}"))
            .prop_filter("nonzero exponent", |(_, _, e, _)| *e != 0)
            .prop_map(move |(a, p, e, ann)| {
                let atom = &atoms[a];
                let prefix = if atom.is_metric() { prefixes.get(p) } else { None };
                Term { unit: TermUnit::Atom { prefix, atom }, exponent: Ratio::from_integer(e), annotation: ann }
            }),
        1 => (1u32..100_000, prop::bool::ANY).prop_map(|(n, inv)| Term {
            unit: TermUnit::Number(n.into()),
            exponent: Ratio::from_integer(if inv { -1 } else { 1 }),
            annotation: None,
        }),
        1 => ("[a-zA-Z0-9 #%'_.]{1,8}", prop::bool::ANY).prop_map(|(a, inv)| Term {
            unit: TermUnit::Unity,
            exponent: Ratio::from_integer(if inv { -1 } else { 1 }),
            annotation: Some(a),
        }),
    ]
}

/// A generated SI term: a prefixable or non-prefixable atom (the unit one excluded: it is
/// written only as unity; kilo + gram excluded: `kg` is the kilogram, SI Brochure §3), with a
/// rational exponent.
fn si_term() -> impl Strategy<Value = Term> {
    let atoms: Vec<_> = si_text::atoms()
        .iter()
        .filter(|a| a.code() != "1")
        .collect();
    let prefixes = si_text::prefixes();
    (0..atoms.len(), 0..prefixes.len() + 4, -4i32..=4, 1i32..=4)
        .prop_filter("nonzero exponent", |(_, _, e, _)| *e != 0)
        .prop_map(move |(a, p, n, d)| {
            let atom = atoms[a];
            let prefix = if atom.is_metric() {
                prefixes.get(p)
            } else {
                None
            };
            let prefix = prefix.filter(|p| !(p.code() == "k" && atom.code() == "g"));
            Term::atom(prefix, atom, Ratio::new(n, d))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn ucum_parse_print(terms in proptest::collection::vec(ucum_term(), 1..6)) {
        let e = UnitExpr { notation: Notation::Ucum, terms };
        let text = ucum::print(&e).unwrap();
        let back = ucum::parse(&text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
        prop_assert_eq!(back, e, "{}", text);
    }

    #[test]
    fn si_parse_print(terms in proptest::collection::vec(si_term(), 1..6)) {
        let e = UnitExpr { notation: Notation::Si, terms };
        for text in [si_text::print(&e).unwrap(), si_text::print_unicode(&e).unwrap()] {
            let back = si_text::parse(&text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
            prop_assert_eq!(&back, &e, "{}", text);
        }
    }

    #[test]
    fn sirp_parse_print(terms in proptest::collection::vec(si_term(), 1..6)) {
        let e = UnitExpr { notation: Notation::Sirp, terms };
        let text = notation::print(Notation::Sirp, &e).unwrap();
        let back = notation::parse(Notation::Sirp, &text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
        prop_assert_eq!(back, e, "{}", text);
    }

    #[test]
    fn conversion_round_trip(terms in proptest::collection::vec(ucum_term(), 1..4), value in 1e-3f64..1e3) {
        let e = UnitExpr { notation: Notation::Ucum, terms };
        let Ok(c) = e.canonical() else { return Ok(()) };
        if c.special.is_some() || !c.arbitrary.is_empty() {
            return Ok(());
        }
        let Ok(base_text) = notation::base_units(Notation::Ucum, &c.dimension) else { return Ok(()) };
        let base = if base_text == "1" { UnitExpr::unity(Notation::Ucum) } else { ucum::parse(&base_text).unwrap() };
        let there = Conversion::new(&e, &base).unwrap();
        let back = Conversion::new(&base, &e).unwrap();
        let v = back.apply(there.apply(value));
        if v.is_finite() && there.apply(value).is_normal() {
            prop_assert!(((v - value) / value).abs() < 1e-12, "{} {} → {}", value, ucum::print(&e).unwrap(), v);
        }
    }

    #[test]
    fn factor_algebra(
        a in 1u64..1_000_000, b in 1u64..1_000_000, k in -3i32..=3,
        rb in 2u64..50, rp in 1i32..4, rq in 2i32..5,
        c in 1u64..1_000_000, p in 1i32..4,
    ) {
        let x = Factor::parse(&format!("{a}/{b}*pi^{k}*{rb}^({rp}/{rq})")).unwrap();
        let y = Factor::parse(&format!("{c}*pi^-1*3^(1/2)")).unwrap();
        prop_assert_eq!(x.checked_mul(&y).unwrap().checked_div(&y).unwrap(), x.clone());
        prop_assert!(x.checked_mul(&x.recip().unwrap()).unwrap().is_one());
        let back = x.checked_pow(Ratio::from_integer(p)).unwrap().checked_pow(Ratio::new(1, p)).unwrap();
        prop_assert_eq!(&back, &x);
        prop_assert_eq!(Factor::parse(&x.to_string()).unwrap(), x.clone());
        let f = x.to_f64();
        let expected = a as f64 / b as f64 * std::f64::consts::PI.powi(k) * (rb as f64).powf(f64::from(rp) / f64::from(rq));
        prop_assert!(((f - expected) / expected).abs() < 1e-14, "{} {} {}", x, f, expected);
    }

    #[test]
    fn no_input_panics(text in "[a-zA-Z0-9.()/{}\\[\\]*^_'%+ -·⋅μµ°Ω²⁻ᐟ℃]{0,24}", any_text in any::<String>()) {
        for t in [&text, &any_text] {
            for n in Notation::ALL {
                if let Ok(e) = notation::parse(n, t) {
                    if let Ok(c) = e.canonical() {
                        let _ = c.factor.to_f64();
                    }
                    for m in Notation::ALL {
                        let _ = notation::print(m, &e);
                    }
                    let _ = Conversion::new(&e, &e);
                }
            }
            let _ = ucum::display_name(t);
            let _ = Factor::parse(t);
        }
    }
}
