//! QUDT unit identifiers against QUDT's own data (`qudt_units_ucum.shared.tsv`, extracted from
//! `VOCAB_QUDT-UNITS-ALL.ttl`; see `testdata/units/SOURCES.md`): for every unit that is not
//! deprecated and whose identifier our parser accepts, our exact factor must equal QUDT's
//! `conversionMultiplier`, our offset its `conversionOffset` (QUDT: value_SI = (value + offset)
//! × multiplier), and our dimension its dimension vector (QUDT order A E L I M H T D: amount,
//! current, length, luminous intensity, mass, temperature, time, dimensionless flag).
//!
//! Where QUDT is wrong or uses another definition, the unit is listed in [`EXCEPTIONS`] with
//! the reason, and we keep our exact value. The coverage (how many identifiers parse) is
//! reported and must stay at least 80 % of the units with a UCUM code.

use std::collections::BTreeMap;

use num_rational::Ratio;
use num_traits::Zero;
use sevres_si::expr::SpecialFunction;
use sevres_si::{qudt, Dimension};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/units/qudt/qudt_units_ucum.shared.tsv"
);

/// Tolerance. QUDT writes each multiplier as a decimal literal, sometimes rounded
/// (`0.000290888209` for the arcminute, π/10800 = 0.000 290 888 208 665 7…; `745.6999` for the
/// horsepower, 745.699 871 582 270 22… W).
///
/// * A single unit (`FT`, `KiloPA`) passes when our exact value, rounded to the digits QUDT
///   wrote, gives QUDT's literal: the difference is at most half a unit of its last written
///   digit, i.e. a relative tolerance of 5 × 10⁻ⁿ for a literal of n significant digits
///   (1.6 × 10⁻⁸ relative for `745.6999`), and at least 1e-12 relative (our exact value is
///   rounded once to `f64`).
/// * A compound (`BBL_US-PER-DAY`, `M2`) passes within 5 × 10⁻⁷ relative (or its own written
///   precision, if coarser): QUDT computes the multipliers of compounds from the multipliers
///   of their parts as it writes them, some of which are rounded to 7 significant digits
///   (`BBL_UK_PET` 0.1591132 for 35 UK gallons = 0.159 113 15 m³, 3.1 × 10⁻⁷ relative;
///   `GI_UK` 0.0001420653), and writes the product with 34 digits. Wrong definitions differ by
///   more (the US survey foot from the international foot by 2 × 10⁻⁶, UCUM's rounded `m[Hg]`
///   from the conventional one by 2.9 × 10⁻⁶, the British acre from the international acre by
///   5.4 × 10⁻⁷).
fn matches_literal(ours: f64, literal: &str, compound: bool) -> bool {
    let Ok(q) = literal.parse::<f64>() else {
        return false;
    };
    let (mantissa, exp) = match literal.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (literal, 0),
    };
    let decimals = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i32);
    let half_unit = 0.5 * 10f64.powi(exp - decimals);
    let relative = if compound { 5e-7 } else { 1e-12 };
    (ours - q).abs() <= (half_unit * (1.0 + 1e-9)).max(relative * q.abs())
}

const AU: &str = "QUDT's multiplier 149 597 870 691.6 m is the IAU 1976 astronomical unit as \
    UCUM gives it; since IAU 2012 Resolution B2 (SI Brochure Table 8) the astronomical unit is \
    exactly 149 597 870 700 m, which we keep";
const DALTON: &str = "QUDT's multiplier 1.660 538 782 83 × 10⁻²⁷ kg is the CODATA 2006 value of \
    the dalton; we keep the CODATA 2022 value of the SI Reference Point and SI Brochure \
    1.660 539 068 92 × 10⁻²⁷ kg";
const LOG_PRODUCT: &str = "a logarithmic unit (bel, neper) inside a product: on a non-ratio \
    scale it has no multiplier (UCUM §21, SI Brochure Table 8 notes), so the product has no \
    canonical form; QUDT multiplies as if it were a ratio-scale unit";
const IU: &str = "the international unit is an arbitrary unit (UCUM §24, WHO reference \
    preparations): it has no SI multiplier and no dimension; QUDT gives multiplier 0 and, \
    wrongly, the dimension of mass";
const US_VOLUME: &str = "QUDT's value is 5.7 × 10⁻⁸ above the exact US customary definition \
    (1 US fluid ounce = 29.573 529 562 5 mL; cup = 8, gill = 4, teaspoon = 1/6 fluid ounce; \
    NIST Handbook 44 Appendix C), which we keep";
const PECK_UK: &str = "QUDT's 0.009 092 181 m³ is not the UK peck, exactly 2 UK gallons = \
    9.092 18 L (UK Weights and Measures Act 1985), which we keep";
const CGS_CONDUCTANCE: &str = "QUDT's dimension vector L⁻³ is wrong for the CGS units of \
    conductance (absiemens 10⁹ S, statsiemens 1.112 650 056 × 10⁻¹² S): a conductance is \
    L⁻² M⁻¹ T³ I²";
const GAUSSIAN: &str = "QUDT rounds c² × 10⁻⁵ (stathenry, statohm: 898 755 178 736.818 H or Ω, \
    exact since c is) to 9 significant digits and writes 898755179000.0";
const THERMAL_EFFUSIVITY: &str = "QUDT's dimension vector (with L² and I⁻²) is wrong: \
    J m⁻² s^-1/2 K⁻¹ = kg s^-5/2 K⁻¹";

/// Where we do not follow QUDT, with the reason: a QUDT atom name (every identifier using
/// it, when that identifier disagrees) or a whole identifier.
const EXCEPTIONS: &[(&str, &str)] = &[
    ("AU", AU),
    ("DA", DALTON),
    ("B", LOG_PRODUCT),
    ("NP", LOG_PRODUCT),
    ("IU", IU),
    ("CUP", US_VOLUME),
    ("CUP_US", US_VOLUME),
    ("GI_US", US_VOLUME),
    ("TSP", US_VOLUME),
    ("PK_UK", PECK_UK),
    ("S_Ab", CGS_CONDUCTANCE),
    ("S_Stat", CGS_CONDUCTANCE),
    ("H_Stat", GAUSSIAN),
    ("OHM_Stat", GAUSSIAN),
    ("J-PER-M2-SEC0dot5-K", THERMAL_EFFUSIVITY),
];

/// The QUDT prefix names, to find the atoms of an identifier.
const PREFIXES: [&str; 33] = [
    "Quetta", "Ronna", "Yotta", "Zetta", "Exa", "Peta", "Tera", "Giga", "Mega", "Kilo", "Hecto",
    "Deca", "Deka", "Deci", "Centi", "Milli", "Micro", "Nano", "Pico", "Femto", "Atto", "Zepto",
    "Yocto", "Ronto", "Quecto", "Kibi", "Mebi", "Gibi", "Tebi", "Pebi", "Exbi", "Zebi", "Yobi",
];

/// Whether an identifier is `key` or uses the atom `key` (with any prefix and exponent).
fn mentions(identifier: &str, key: &str) -> bool {
    identifier == key
        || identifier.split('-').any(|token| {
            let base = token.trim_end_matches(|c: char| c.is_ascii_digit());
            let base = base
                .strip_suffix("dot")
                .map_or(base, |b| b.trim_end_matches(|c: char| c.is_ascii_digit()));
            [token, base]
                .iter()
                .any(|b| *b == key || PREFIXES.iter().any(|p| b.strip_prefix(p) == Some(key)))
        })
}

/// QUDT's dimension vector `A0E1L0I0M0H0T0D0` (exponents may be `-0dot5`) in our order
/// (T, L, M, I, Θ, N, J).
fn dimension(v: &str) -> Option<Dimension> {
    let mut out = [Ratio::zero(); 7];
    let mut rest = v;
    for (letter, slot) in [
        ('A', 5),
        ('E', 3),
        ('L', 1),
        ('I', 6),
        ('M', 2),
        ('H', 4),
        ('T', 0),
        ('D', 7),
    ] {
        rest = rest.strip_prefix(letter)?;
        let end = rest
            .find(|c: char| c.is_ascii_uppercase())
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(end);
        rest = tail;
        let num = num.replace("dot", ".");
        let value: f64 = num.parse().ok()?;
        let r = Ratio::new((value * 1000.0).round() as i32, 1000);
        if let Some(s) = out.get_mut(slot) {
            *s = r;
        }
    }
    Some(Dimension(out))
}

#[derive(Default)]
struct Tally {
    rows: usize,
    with_ucum: usize,
    parsed: usize,
    parsed_with_ucum: usize,
    factor_checked: usize,
    offset_checked: usize,
    dimension_checked: usize,
}

#[test]
fn qudt_identifiers() {
    let text = std::fs::read_to_string(FILE).expect("QUDT units");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (c_unit, c_ucum, c_mult, c_off, c_dim, c_dep) = (
        col("qudt_unit"),
        col("ucum_codes"),
        col("conversion_multiplier"),
        col("conversion_offset"),
        col("dimension_vector"),
        col("deprecated"),
    );
    let mut t = Tally::default();
    let mut failures = Vec::new();
    let mut excepted = BTreeMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        if get(c_dep) == "true" {
            continue;
        }
        let name = get(c_unit);
        let has_ucum = !get(c_ucum).is_empty();
        t.rows += 1;
        t.with_ucum += usize::from(has_ucum);
        let Ok(expr) = qudt::parse(name) else {
            continue;
        };
        t.parsed += 1;
        t.parsed_with_ucum += usize::from(has_ucum);
        // printing gives back an identifier of the same unit
        let printed = qudt::print(&expr).unwrap_or_else(|e| panic!("{name}: {e}"));
        let again = qudt::parse(&printed).unwrap_or_else(|e| panic!("{name} → {printed}: {e}"));
        assert_eq!(
            again.canonical().ok(),
            expr.canonical().ok(),
            "{name} → {printed}"
        );
        let mut problems = Vec::new();
        match expr.canonical() {
            Err(e) => problems.push(format!("no canonical form: {e}")),
            Ok(c) => {
                let multiplier = get(c_mult);
                let loggy = c.special.as_ref().is_some_and(|s| !s.function.is_affine());
                if !loggy && !multiplier.is_empty() && multiplier.parse::<f64>() != Ok(0.0) {
                    t.factor_checked += 1;
                    let ours = c.factor.to_f64();
                    let compound = name.contains('-')
                        || expr.terms.len() != 1
                        || expr.terms.iter().any(|t| {
                            t.exponent != Ratio::from_integer(1)
                                && t.exponent != Ratio::from_integer(-1)
                        });
                    if !matches_literal(ours, multiplier, compound) {
                        problems.push(format!(
                            "multiplier {multiplier}, ours {ours} ({})",
                            c.factor
                        ));
                    }
                }
                let offset = get(c_off);
                let ours_offset = match c.special.as_ref().map(|s| (&s.function, &s.prefix)) {
                    Some((SpecialFunction::Affine { offset }, prefix)) => {
                        let o = offset.to_string();
                        let (n, d) = o.split_once('/').unwrap_or((o.as_str(), "1"));
                        n.parse::<f64>().unwrap_or(f64::NAN)
                            / d.parse::<f64>().unwrap_or(f64::NAN)
                            / prefix.to_f64()
                    }
                    _ => 0.0,
                };
                if !offset.is_empty() || ours_offset != 0.0 {
                    t.offset_checked += 1;
                    let lit = if offset.is_empty() { "0" } else { offset };
                    if !matches_literal(ours_offset, lit, false) {
                        problems.push(format!("offset {lit}, ours {ours_offset}"));
                    }
                }
                if let Some(d) = dimension(get(c_dim)) {
                    t.dimension_checked += 1;
                    if d != c.dimension {
                        problems.push(format!("dimension {}, ours {}", d, c.dimension));
                    }
                }
            }
        }
        match (
            problems.is_empty(),
            EXCEPTIONS.iter().find(|(k, _)| mentions(name, k)),
        ) {
            (true, _) => {}
            (false, Some((_, why))) => {
                excepted.insert(name.to_string(), (problems.join("; "), *why));
            }
            (false, None) => failures.push(format!("{name}: {}", problems.join("; "))),
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!(
        "QUDT units (not deprecated): {}; parsed {} ({:.1} %); with a UCUM code {}, parsed {} ({:.1} %)",
        t.rows,
        t.parsed,
        pct(t.parsed, t.rows),
        t.with_ucum,
        t.parsed_with_ucum,
        pct(t.parsed_with_ucum, t.with_ucum)
    );
    println!(
        "checked: {} multipliers, {} offsets, {} dimension vectors; {} exceptions",
        t.factor_checked,
        t.offset_checked,
        t.dimension_checked,
        excepted.len()
    );
    for (name, (problem, why)) in &excepted {
        println!("exception {name}: {problem} — {why}");
    }
    for (key, _) in EXCEPTIONS {
        if !excepted.keys().any(|name| mentions(name, key)) {
            println!("exception {key} not needed by this data");
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        pct(t.parsed_with_ucum, t.with_ucum) >= 80.0,
        "coverage {:.1} % of the units with a UCUM code",
        pct(t.parsed_with_ucum, t.with_ucum)
    );
}
