//! The UCUM unit table, read at first use from the unmodified `ucum-essence.xml` (UCUM 2.2,
//! embedded with `include_str!`; its licence forbids modifying it, see `data/UCUM-LICENSE.md`).
//!
//! Every one of the 305 defined units is resolved recursively to exact coherent SI:
//!
//! * UCUM base units (UCUM §28, table 1) map onto the SI: `m`, `s`, `K`, `cd` as they are;
//!   `g` is 1/1000 kg; the charge base `C` is A·s; `rad` is dimensionless (SI Brochure
//!   Table 4: rad = m/m).
//! * `mol` is mapped onto the SI mole (base quantity amount of substance, dimension N) instead
//!   of UCUM's definition as the count 6.02214076 × 10²³ (dimension one). UCUM keeps the mole
//!   dimensionless for historical reasons; the SI (Brochure §2.3.1, 2019) makes it a base unit,
//!   and treating it as a count would make mol/L commensurable with 1/L. Consequence: UCUM
//!   conversions between `mol` and pure numbers (e.g. `mol` to `10*23`) are refused here.
//! * `[pi]` is the exact π of [`Factor`] rather than the 64-digit decimal of the table.
//! * Special units (`isSpecial`) take their reference unit from the `<function>` element and
//!   their function from its name (UCUM §21–§23); the offsets of the temperature scales are
//!   those of the UCUM conversion functions (`Cel`: 273.15, `degF`: 459.67, `degRe`: 218.52,
//!   each in reference units).
//! * Arbitrary units (`isArbitrary`, UCUM §24) remember the arbitrary unit they are defined
//!   from (`[IU]` → `[iU]`).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

use num_rational::{BigRational, Ratio};

use super::{parse_raw, RawUnit, Resolve};
use crate::dimension::{self, Dimension};
use crate::expr::{Atom, Prefix, Special, SpecialFunction};
use crate::factor::Factor;
use crate::notation::{Notation, ParseError};

/// The UCUM table file, byte-identical to ucum-org/ucum `ucum-essence.xml` (UCUM 2.2).
const ESSENCE: &str = include_str!("../../data/ucum-essence.xml");

/// The loaded table.
pub(crate) struct Table {
    atoms: Vec<Atom>,
    prefixes: Vec<Prefix>,
    by_code: HashMap<String, usize>,
    prefix_by_code: HashMap<String, usize>,
}

static TABLE: OnceLock<Table> = OnceLock::new();

fn table() -> &'static Table {
    TABLE.get_or_init(load)
}

/// All UCUM atoms: the 7 base units and every resolved defined unit, in table order.
pub fn atoms() -> &'static [Atom] {
    &table().atoms
}

/// All UCUM prefixes (24, including the binary `Ki`, `Mi`, `Gi`, `Ti`).
pub fn prefixes() -> &'static [Prefix] {
    &table().prefixes
}

pub(crate) fn table_atoms() -> (&'static [Atom], &'static [Prefix]) {
    let t = table();
    (&t.atoms, &t.prefixes)
}

/// Resolves a symbol: exact atom first, then prefix + metric atom.
pub(crate) fn resolve_symbol(
    symbol: &str,
) -> Result<(Option<&'static Prefix>, &'static Atom), String> {
    let t = table();
    if let Some(&i) = t.by_code.get(symbol) {
        if let Some(a) = t.atoms.get(i) {
            return Ok((None, a));
        }
    }
    let mut not_metric = None;
    for len in [1usize, 2] {
        let (Some(p), Some(rest)) = (symbol.get(..len), symbol.get(len..)) else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        let (Some(&pi), Some(&ai)) = (t.prefix_by_code.get(p), t.by_code.get(rest)) else {
            continue;
        };
        let (Some(prefix), Some(atom)) = (t.prefixes.get(pi), t.atoms.get(ai)) else {
            continue;
        };
        if atom.metric {
            return Ok((Some(prefix), atom));
        }
        not_metric = Some(atom);
    }
    match not_metric {
        Some(a) => Err(format!(
            "the unit '{}' in '{symbol}' is not metric and takes no prefix",
            a.code
        )),
        None => Err(format!("unknown unit '{symbol}'")),
    }
}

/// A unit as read from the XML, before resolution.
struct Def<'a> {
    code: &'a str,
    name: String,
    metric: bool,
    arbitrary: bool,
    /// (function name, value, unit expression) for special units.
    function: Option<(&'a str, &'a str, &'a str)>,
    value: &'a str,
    unit: &'a str,
}

/// Exact definition of a resolved unit.
#[derive(Clone)]
struct Resolved {
    value: Factor,
    dimension: Dimension,
    arbitrary: Option<String>,
}

/// Resolver used while the table is built: looks symbols up in the resolved definitions;
/// `Pending` when a symbol is known but not resolved yet.
struct Building<'t, 'a> {
    resolved: &'t HashMap<&'a str, Resolved>,
    metric: &'t HashMap<&'a str, bool>,
    prefixes: &'t HashMap<String, Factor>,
}

const PENDING: &str = "pending";

impl Resolve for Building<'_, '_> {
    type Out = Resolved;

    fn resolve(&mut self, symbol: &str, position: usize) -> Result<Resolved, ParseError> {
        if let Some(r) = self.resolved.get(symbol) {
            return Ok(r.clone());
        }
        if self.metric.contains_key(symbol) {
            return Err(ParseError::new(position, PENDING));
        }
        for len in [1usize, 2] {
            let (Some(p), Some(rest)) = (symbol.get(..len), symbol.get(len..)) else {
                continue;
            };
            let Some(pf) = self.prefixes.get(p) else {
                continue;
            };
            if self.metric.get(rest) != Some(&true) {
                continue;
            }
            return match self.resolved.get(rest) {
                Some(r) => Ok(Resolved {
                    value: r
                        .value
                        .checked_mul(pf)
                        .map_err(|e| ParseError::new(position, e.to_string()))?,
                    dimension: r.dimension,
                    arbitrary: r.arbitrary.clone(),
                }),
                None => Err(ParseError::new(position, PENDING)),
            };
        }
        Err(ParseError::new(
            position,
            format!("unknown unit '{symbol}'"),
        ))
    }
}

/// Evaluates `value × unit-expression` against the definitions resolved so far.
fn evaluate(value: &str, unit: &str, b: Building<'_, '_>) -> Result<Resolved, ParseError> {
    let mut acc = Factor::parse(value).map_err(|e| ParseError::new(0, e.to_string()))?;
    let mut dim = Dimension::ONE;
    let mut arbitrary = None;
    if unit == "1" {
        return Ok(Resolved {
            value: acc,
            dimension: dim,
            arbitrary,
        });
    }
    let (raw, _) = parse_raw(unit, b, false)?;
    let overflow = || ParseError::new(0, "overflow");
    for t in raw {
        let e = Ratio::from_integer(t.exponent);
        match t.unit {
            RawUnit::Atom(r) => {
                acc = acc
                    .checked_mul(&r.value.checked_pow(e).map_err(|_| overflow())?)
                    .map_err(|_| overflow())?;
                dim = dim
                    .checked_mul(&r.dimension.checked_pow(e).ok_or_else(overflow)?)
                    .ok_or_else(overflow)?;
                if r.arbitrary.is_some() {
                    arbitrary = r.arbitrary;
                }
            }
            RawUnit::Number(n) => {
                let f = Factor::from_biguint(&n)
                    .and_then(|f| f.checked_pow(e))
                    .map_err(|_| overflow())?;
                acc = acc.checked_mul(&f).map_err(|_| overflow())?;
            }
            RawUnit::Unity => {}
        }
    }
    Ok(Resolved {
        value: acc,
        dimension: dim,
        arbitrary,
    })
}

/// The special function of a UCUM function name (ucum-essence `<function name=...>`).
fn special_function(name: &str) -> Option<SpecialFunction> {
    let affine = |s: &str| {
        BigRational::from_str(s)
            .ok()
            .map(|offset| SpecialFunction::Affine { offset })
    };
    Some(match name {
        // UCUM §22: t/°C = T/K − 273.15 (reference 1 K)
        "Cel" => affine("27315/100")?,
        // t/°F = T/K × 9/5 − 459.67 (reference 5/9 K)
        "degF" => affine("45967/100")?,
        // t/°Ré = (T/K − 273.15) × 4/5 (reference 5/4 K): offset 273.15 × 4/5 = 218.52
        "degRe" => affine("21852/100")?,
        "ln" => SpecialFunction::Ln,
        "lg" => SpecialFunction::Lg,
        "lgTimes2" => SpecialFunction::Lg2,
        "ld" => SpecialFunction::Ld,
        "pH" => SpecialFunction::NegLg,
        "tanTimes100" | "100tan" => SpecialFunction::Tan100,
        "sqrt" => SpecialFunction::Sqrt,
        "hpX" => SpecialFunction::HpX,
        "hpC" => SpecialFunction::HpC,
        "hpM" => SpecialFunction::HpM,
        "hpQ" => SpecialFunction::HpQ,
        _ => return None,
    })
}

fn first_child_text(node: roxmltree::Node<'_, '_>, tag: &str) -> String {
    node.children()
        .find(|c| c.has_tag_name(tag))
        .map(|c| {
            c.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

fn load() -> Table {
    let mut t = Table {
        atoms: Vec::new(),
        prefixes: Vec::new(),
        by_code: HashMap::new(),
        prefix_by_code: HashMap::new(),
    };
    let Ok(doc) = roxmltree::Document::parse(ESSENCE) else {
        return t;
    };
    let root = doc.root_element();
    let mut prefix_factors: HashMap<String, Factor> = HashMap::new();
    for p in root.children().filter(|n| n.has_tag_name("prefix")) {
        let (Some(code), Some(value)) = (
            p.attribute("Code"),
            p.children()
                .find(|c| c.has_tag_name("value"))
                .and_then(|v| v.attribute("value")),
        ) else {
            continue;
        };
        let Ok(factor) = Factor::parse(value) else {
            continue;
        };
        prefix_factors.insert(code.to_string(), factor.clone());
        t.prefix_by_code.insert(code.to_string(), t.prefixes.len());
        t.prefixes.push(Prefix {
            code: code.to_string(),
            name: first_child_text(p, "name"),
            factor,
        });
    }

    let mut resolved: HashMap<&str, Resolved> = HashMap::new();
    let mut metric: HashMap<&str, bool> = HashMap::new();
    let mut order: Vec<(&str, String, bool, Option<Special>)> = Vec::new();

    for b in root.children().filter(|n| n.has_tag_name("base-unit")) {
        let Some(code) = b.attribute("Code") else {
            continue;
        };
        // UCUM base dimensions (L, T, M, A, C, Q, F) onto the SI (SI Brochure §2.3.3).
        let (value, dimension) = match b.attribute("dim") {
            Some("L") => (Factor::one(), Dimension::base(dimension::L, 1)),
            Some("T") => (Factor::one(), Dimension::base(dimension::T, 1)),
            Some("M") => (
                Factor::pow10(-3).unwrap_or_else(|_| Factor::one()),
                Dimension::base(dimension::M, 1),
            ),
            Some("A") => (Factor::one(), Dimension::ONE),
            Some("C") => (Factor::one(), Dimension::base(dimension::THETA, 1)),
            Some("Q") => (
                Factor::one(),
                Dimension::base(dimension::I, 1)
                    .checked_mul(&Dimension::base(dimension::T, 1))
                    .unwrap_or(Dimension::ONE),
            ),
            Some("F") => (Factor::one(), Dimension::base(dimension::J, 1)),
            _ => continue,
        };
        resolved.insert(
            code,
            Resolved {
                value,
                dimension,
                arbitrary: None,
            },
        );
        metric.insert(code, true);
        order.push((code, first_child_text(b, "name"), true, None));
    }

    let mut defs: Vec<Def<'_>> = Vec::new();
    for u in root.children().filter(|n| n.has_tag_name("unit")) {
        let Some(code) = u.attribute("Code") else {
            continue;
        };
        let Some(v) = u.children().find(|c| c.has_tag_name("value")) else {
            continue;
        };
        let function = v
            .children()
            .find(|c| c.has_tag_name("function"))
            .and_then(|f| {
                Some((
                    f.attribute("name")?,
                    f.attribute("value")?,
                    f.attribute("Unit")?,
                ))
            });
        let def = Def {
            code,
            name: first_child_text(u, "name"),
            metric: u.attribute("isMetric") == Some("yes"),
            arbitrary: u.attribute("isArbitrary") == Some("yes"),
            function,
            value: v.attribute("value").unwrap_or("1"),
            unit: v.attribute("Unit").unwrap_or("1"),
        };
        metric.insert(code, def.metric);
        defs.push(def);
    }

    // Overrides (see the module documentation).
    let overrides = |code: &str| -> Option<Resolved> {
        match code {
            "mol" => Some(Resolved {
                value: Factor::one(),
                dimension: Dimension::base(dimension::N, 1),
                arbitrary: None,
            }),
            "[pi]" => Some(Resolved {
                value: Factor::pi(),
                dimension: Dimension::ONE,
                arbitrary: None,
            }),
            _ => None,
        }
    };

    // Resolve to a fixed point: each pass resolves the units whose definitions only use
    // resolved units; definitions are acyclic, so at most one pass per unit is needed.
    let mut pending: Vec<usize> = (0..defs.len()).collect();
    let mut specials: HashMap<&str, Special> = HashMap::new();
    while !pending.is_empty() {
        let before = pending.len();
        let mut still = Vec::new();
        for i in pending {
            let Some(d) = defs.get(i) else { continue };
            let result = if let Some(r) = overrides(d.code) {
                Ok(r)
            } else {
                let building = Building {
                    resolved: &resolved,
                    metric: &metric,
                    prefixes: &prefix_factors,
                };
                match d.function {
                    Some((_, value, unit)) => evaluate(value, unit, building),
                    None => evaluate(d.value, d.unit, building),
                }
            };
            match result {
                Ok(mut r) => {
                    if d.arbitrary && r.arbitrary.is_none() {
                        r.arbitrary = Some(d.code.to_string());
                    }
                    if let Some((name, _, _)) = d.function {
                        if let Some(function) = special_function(name) {
                            specials.insert(d.code, Special { function });
                        } else {
                            continue; // unknown function: leave the unit out
                        }
                    }
                    resolved.insert(d.code, r);
                    order.push((
                        d.code,
                        d.name.clone(),
                        d.metric,
                        specials.get(d.code).cloned(),
                    ));
                }
                Err(e) if e.message == PENDING => still.push(i),
                Err(_) => {} // malformed definition: leave the unit out
            }
        }
        if still.len() == before {
            break;
        }
        pending = still;
    }

    // Atoms in table order: base units, then defined units in file order.
    let file_order: HashMap<&str, usize> =
        defs.iter().enumerate().map(|(i, d)| (d.code, i)).collect();
    order.sort_by_key(|(code, ..)| file_order.get(code).map_or(0, |i| i + 1));
    for (code, name, is_metric, special) in order {
        let Some(r) = resolved.get(code) else {
            continue;
        };
        t.by_code.insert(code.to_string(), t.atoms.len());
        t.atoms.push(Atom {
            code: code.to_string(),
            name,
            notation: Notation::Ucum,
            value: r.value.clone(),
            dimension: r.dimension,
            metric: is_metric,
            arbitrary: r.arbitrary.clone(),
            special,
            ucum_hint: None,
        });
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_units_resolve() {
        assert_eq!(prefixes().len(), 24);
        assert_eq!(atoms().len(), 7 + 305);
    }
}
