//! QUDT unit identifiers: the local names of the QUDT units vocabulary, such as `KiloM-PER-HR`,
//! `M2`, `N-M`, `DEG_C`, `A-HR-PER-DEG_C`, `MilliGM-PER-DeciL`, `KiloGM-M-PER-SEC2`,
//! `PER-SEC`, `MilliM_HG`, `BTU_IT`.
//!
//! Grammar (QUDT naming rules, qudt.org, `VOCAB_QUDT-UNITS-ALL.ttl`):
//!
//! ```text
//! identifier ::= term ("-" term)*            -- "PER" may stand as a term, see below
//! term       ::= prefix? atom exponent?
//! exponent   ::= digits ("dot" digits)?        -- M2, SEC0dot5 (0.5); "pt" is QUDT's old "dot"
//! ```
//!
//! Every term after `PER` is in the denominator (`J-PER-KiloGM-K` = J/(kg·K)); a leading `PER`
//! makes a pure denominator (`PER-SEC`). Prefixes are QUDT's (`Kilo`, `Milli`, `Micro`, `Deca`
//! or `Deka`, ..., the binary `Kibi` ... `Yobi`) glued to the atom name. An atom name is tried
//! whole first, so names that end in digits or start like a prefix resolve as themselves.
//!
//! Atoms are those of `table`: SI atoms for the SI Brochure's units, UCUM atoms for the others.
//! [`print()`] writes an expression back when every term has a QUDT name.

mod table;

use std::fmt::Write;

use num_rational::Ratio;
use num_traits::{One, Signed, Zero};

use crate::expr::{Atom, Prefix, Term, TermUnit, UnitExpr};
use crate::notation::{Notation, ParseError, PrintError};

/// Largest exponent magnitude accepted.
const MAX_EXPONENT: i32 = 1000;

/// The term of a token: the whole token as a name, or a QUDT prefix and a name, each also
/// with an exponent suffix.
fn resolve(token: &str) -> Option<Term> {
    if let Some(t) = resolve_unit(token, Ratio::one()) {
        return Some(t);
    }
    let (base, exponent) = split_exponent(token)?;
    resolve_unit(base, exponent)
}

fn resolve_unit(name: &str, exponent: Ratio<i32>) -> Option<Term> {
    if let Some(e) = table::entry(name) {
        return Some(Term {
            unit: e.unit.clone(),
            exponent,
            annotation: e.annotation.clone(),
        });
    }
    table::prefixes().find_map(|(qname, p)| {
        let rest = name.strip_prefix(qname)?;
        let e = table::entry(rest)?;
        match e.atom()? {
            (None, atom) => Some(Term {
                unit: TermUnit::Atom {
                    prefix: Some(p),
                    atom,
                },
                exponent,
                annotation: e.annotation.clone(),
            }),
            // already prefixed (CM_H2O = cm[H2O]): no second prefix
            (Some(_), _) => None,
        }
    })
}

/// `M2` → (`M`, 2); `SEC0dot5` → (`SEC`, 1/2).
fn split_exponent(token: &str) -> Option<(&str, Ratio<i32>)> {
    let digits_start = |s: &str| {
        s.char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit())
            .last()
            .map(|(i, _)| i)
    };
    let end = digits_start(token)?;
    let (head, last) = token.split_at(end);
    let (base, int, frac) = match head.strip_suffix("dot").or_else(|| head.strip_suffix("pt")) {
        Some(before) => {
            let start = digits_start(before)?;
            let (base, int) = before.split_at(start);
            (base, int, Some(last))
        }
        None => (head, last, None),
    };
    if base.is_empty() || int.len() > 9 || frac.is_some_and(|f| f.len() > 6) {
        return None;
    }
    let int: i32 = int.parse().ok()?;
    let exponent = match frac {
        None => Ratio::from_integer(int),
        Some(f) => {
            let den = 10i32.checked_pow(u32::try_from(f.len()).ok()?)?;
            let num = int.checked_mul(den)?.checked_add(f.parse::<i32>().ok()?)?;
            Ratio::new(num, den)
        }
    };
    if exponent.is_zero() || exponent > Ratio::from_integer(MAX_EXPONENT) {
        return None;
    }
    Some((base, exponent))
}

/// Parses a QUDT unit identifier (`KiloGM-M-PER-SEC2`).
pub fn parse(text: &str) -> Result<UnitExpr, ParseError> {
    if text.is_empty() {
        return Err(ParseError::new(0, "empty QUDT identifier"));
    }
    let mut terms = Vec::new();
    let mut denominator = false;
    let mut position = 0usize;
    let mut after_per = false;
    for token in text.split('-') {
        if token.is_empty() {
            return Err(ParseError::new(
                position,
                "empty term (two '-' in a row, or '-' at an end)",
            ));
        }
        if token == "PER" {
            if after_per {
                return Err(ParseError::new(position, "'PER' twice in a row"));
            }
            denominator = true;
            after_per = true;
        } else {
            let mut term = resolve(token)
                .ok_or_else(|| ParseError::new(position, format!("unknown QUDT unit '{token}'")))?;
            if denominator {
                term.exponent = -term.exponent;
            }
            terms.push(term);
            after_per = false;
        }
        position += token.chars().count() + 1;
    }
    if after_per {
        return Err(ParseError::new(
            text.chars().count(),
            "'PER' is not followed by a unit",
        ));
    }
    Ok(UnitExpr {
        notation: Notation::Qudt,
        terms,
    })
}

/// The QUDT name of an atom with an optional prefix and annotation: the table's own (prefix,
/// atom) pair, else a QUDT prefix before the name of the bare atom, else an atom of the same
/// SI identity (exact value, dimension, special function), preferring the one whose code or
/// UCUM code is the atom's code.
fn name_of(prefix: Option<&Prefix>, atom: &Atom, annotation: Option<&str>) -> Option<String> {
    let entries = table::entries();
    let same_prefix = |a: Option<&Prefix>, b: Option<&Prefix>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.factor == b.factor,
        _ => false,
    };
    let annotated = |e: &table::Entry| e.annotation.as_deref() == annotation;
    let bare = |a: &Atom| {
        entries
            .iter()
            .filter(|e| annotated(e))
            .find(|e| {
                e.atom()
                    .is_some_and(|(p, x)| p.is_none() && std::ptr::eq(x, a))
            })
            .or_else(|| {
                entries
                    .iter()
                    .filter(|e| {
                        annotated(e) && e.atom().is_some_and(|(p, x)| p.is_none() && x.same_unit(a))
                    })
                    .min_by_key(|e| {
                        e.atom().is_none_or(|(_, x)| {
                            x.code != a.code && x.ucum_hint.as_deref() != Some(a.code.as_str())
                        })
                    })
            })
    };
    if let Some(p) = prefix {
        if let (Some(e), Some(q)) = (bare(atom), table::prefix_name(p)) {
            return Some(format!("{q}{}", e.name));
        }
    }
    if let Some(e) = entries.iter().find(|e| {
        annotated(e)
            && e.atom()
                .is_some_and(|(p, x)| std::ptr::eq(x, atom) && same_prefix(p, prefix))
    }) {
        return Some(e.name.to_string());
    }
    if prefix.is_none() {
        return bare(atom).map(|e| e.name.to_string());
    }
    None
}

/// The exponent suffix: `2`, `0dot5`; `None` when it has no finite decimal form.
fn exponent_suffix(e: Ratio<i32>, out: &mut String) -> Option<()> {
    let e = e.abs();
    if e.is_one() {
        return Some(());
    }
    if e.is_integer() {
        let _ = write!(out, "{}", e.numer());
        return Some(());
    }
    // denominator 2^a 5^b: a finite decimal
    let mut d = *e.denom();
    let mut digits = 0u32;
    while d % 10 == 0 || d % 2 == 0 || d % 5 == 0 {
        if d % 10 == 0 {
            d /= 10;
        } else if d % 2 == 0 {
            d /= 2;
        } else {
            d /= 5;
        }
        digits += 1;
        if digits > 9 {
            return None;
        }
    }
    if d != 1 {
        return None;
    }
    let scale = 10i64.checked_pow(digits)?;
    let scaled = i64::from(*e.numer()) * scale / i64::from(*e.denom());
    let int = scaled / scale;
    let frac = scaled % scale;
    let _ = write!(out, "{int}dot{frac:0width$}", width = digits as usize);
    Some(())
}

/// Prints an expression as a QUDT identifier: terms with positive exponents, then `PER` and
/// the others (`KiloGM-M-PER-SEC2`); `UNITLESS` for unity. Every term needs a QUDT name
/// (atoms of other notations are matched by their SI identity: UCUM `[ft_i]` is `FT`, SI `°C`
/// is `DEG_C`), and exponents need a finite decimal form (`M0dot5`).
pub fn print(expr: &UnitExpr) -> Result<String, PrintError> {
    let mut positive = Vec::new();
    let mut negative = Vec::new();
    for t in &expr.terms {
        if t.exponent.is_zero() {
            continue;
        }
        let name = match &t.unit {
            TermUnit::Atom { prefix, atom } => name_of(*prefix, atom, t.annotation.as_deref()),
            TermUnit::Unity => match &t.annotation {
                None => continue,
                Some(a) => table::entries()
                    .iter()
                    .find(|e| {
                        matches!(e.unit, TermUnit::Unity) && e.annotation.as_deref() == Some(a)
                    })
                    .map(|e| e.name.to_string()),
            },
            TermUnit::Number(_) => None,
        };
        let mut s = name.ok_or_else(|| {
            let mut code = String::new();
            match &t.unit {
                TermUnit::Atom { prefix, atom } => {
                    if let Some(p) = prefix {
                        code.push_str(&p.code);
                    }
                    code.push_str(&atom.code);
                }
                TermUnit::Number(n) => code.push_str(&n.to_string()),
                TermUnit::Unity => {}
            }
            if let Some(a) = &t.annotation {
                let _ = write!(code, "{{{a}}}");
            }
            PrintError::new(format!("the unit '{code}' has no QUDT name"))
        })?;
        exponent_suffix(t.exponent, &mut s).ok_or_else(|| {
            PrintError::new(format!(
                "the exponent {} has no QUDT form (a decimal such as 0dot5)",
                t.exponent
            ))
        })?;
        if t.exponent.is_negative() {
            negative.push(s);
        } else {
            positive.push(s);
        }
    }
    let mut out = positive.join("-");
    if !negative.is_empty() {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str("PER-");
        out.push_str(&negative.join("-"));
    }
    if out.is_empty() {
        out.push_str("UNITLESS");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in [
            "KiloM-PER-HR",
            "M2",
            "N-M",
            "DEG_C",
            "A-HR-PER-DEG_C",
            "MilliGM-PER-DeciL",
            "KiloGM-M-PER-SEC2",
            "PER-SEC",
            "MI_US",
            "IN",
            "FT",
            "LB",
            "PSI",
            "BAR",
            "ATM",
            "MilliM_HG",
            "CAL_IT",
            "BTU_IT",
            "KibiBYTE",
            "KiloLB_F",
            "KIP_F",
            "MegaPA-M0dot5",
            "NUM-PER-MilliL",
            "UNITLESS",
        ] {
            let e = parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(print(&e).unwrap(), s);
        }
        assert!(parse("M-").is_err());
        assert!(parse("PER").is_err());
        assert!(parse("M--S").is_err());
        assert!(parse("XYZ").is_err());
        // no second prefix on a name that already denotes a prefixed atom (cm[H2O])
        assert!(parse("KiloCM_H2O").is_err());
        // which prints as prefix + name
        assert_eq!(print(&parse("CM_H2O").unwrap()).unwrap(), "CentiM_H2O");
        let ucum = crate::ucum::parse("kg.m/s2").unwrap();
        assert_eq!(print(&ucum).unwrap(), "KiloGM-M-PER-SEC2");
        let si = crate::si_text::parse("W/(m K)").unwrap();
        assert_eq!(print(&si).unwrap(), "W-PER-M-K");
    }
}
