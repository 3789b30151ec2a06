//! The SI Reference Point compound-unit notation of the BIPM SI Digital Framework:
//! `m.s-1`, `km.h-1`, `kg.mm2.ns-2.℃`, `A2.Ω`, `m1_2` (rational exponent 1/2), `km2_3`.
//!
//! Terms are SI unit symbols (with prefixes) from [`crate::si_text`], joined by `.`, each
//! followed by an optional integer exponent (`-1`, `2`) or a rational one written `n_d`
//! (`1_2`, `-1_2`). The degree Celsius is written `℃` (U+2103) as in the SI Digital Framework's
//! compound-unit identifiers; `°C` is accepted on input.

use std::fmt::Write;

use num_rational::Ratio;
use num_traits::{One, Zero};

use crate::expr::{Term, TermUnit, UnitExpr};
use crate::notation::{Notation, ParseError, PrintError};

/// Parses an SI Reference Point compound unit (`kg.mm2.ns-2.℃`).
pub fn parse(text: &str) -> Result<UnitExpr, ParseError> {
    if text.is_empty() {
        return Err(ParseError::new(0, "empty expression"));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut terms = Vec::new();
    let mut pos = 0usize;
    loop {
        let start = pos;
        while chars
            .get(pos)
            .is_some_and(|c| !c.is_ascii_digit() && *c != '-' && *c != '.' && *c != '_')
        {
            pos += 1;
        }
        let symbol: String = chars.get(start..pos).unwrap_or_default().iter().collect();
        if symbol.is_empty() {
            return Err(ParseError::new(
                pos,
                if chars.get(pos) == Some(&'.') || pos >= chars.len() {
                    "expected a unit symbol"
                } else {
                    "expected a unit symbol before the exponent"
                },
            ));
        }
        let (prefix, atom) = if symbol == "1" {
            return Err(ParseError::new(start, "unexpected '1'"));
        } else {
            crate::si_text::resolve(&symbol).map_err(|m| ParseError::new(start, m))?
        };
        // exponent: -?digits(_digits)?
        let exp_start = pos;
        let negative = chars.get(pos) == Some(&'-');
        if negative {
            pos += 1;
        }
        let mut exponent = Ratio::one();
        let num = read_digits(&chars, &mut pos);
        match num {
            Some(n) => {
                let n = to_i32(n, negative, exp_start)?;
                exponent = Ratio::from_integer(n);
                if chars.get(pos) == Some(&'_') {
                    pos += 1;
                    let d = read_digits(&chars, &mut pos).ok_or_else(|| {
                        ParseError::new(pos, "expected the denominator after '_'")
                    })?;
                    let d = to_i32(d, false, pos)?;
                    if d == 0 {
                        return Err(ParseError::new(pos, "exponent denominator is zero"));
                    }
                    exponent = Ratio::new(n, d);
                }
            }
            None if negative => {
                return Err(ParseError::new(pos, "'-' must be followed by an exponent"))
            }
            None => {}
        }
        if exponent.is_zero() {
            return Err(ParseError::new(exp_start, "exponent zero"));
        }
        terms.push(Term::atom(prefix, atom, exponent));
        match chars.get(pos) {
            None => break,
            Some('.') => {
                pos += 1;
                if pos >= chars.len() {
                    return Err(ParseError::new(pos, "'.' is not followed by a unit"));
                }
            }
            Some(c) => return Err(ParseError::new(pos, format!("unexpected character '{c}'"))),
        }
    }
    Ok(UnitExpr {
        notation: Notation::Sirp,
        terms,
    })
}

fn read_digits(chars: &[char], pos: &mut usize) -> Option<u64> {
    let start = *pos;
    let mut v: u64 = 0;
    while let Some(d) = chars.get(*pos).and_then(|c| c.to_digit(10)) {
        v = v.saturating_mul(10).saturating_add(u64::from(d));
        *pos += 1;
    }
    (*pos > start).then_some(v)
}

fn to_i32(v: u64, negative: bool, pos: usize) -> Result<i32, ParseError> {
    let v = i32::try_from(v).map_err(|_| ParseError::new(pos, "exponent out of range"))?;
    Ok(if negative { -v } else { v })
}

/// Prints an SI Reference Point compound unit: `km2.V-1`, `m1_2`, `℃`; unity is `1`.
pub fn print(expr: &UnitExpr) -> Result<String, PrintError> {
    let mut out = String::new();
    for t in &expr.terms {
        match &t.unit {
            TermUnit::Atom { prefix, atom } => {
                if !matches!(atom.notation, Notation::Si | Notation::Sirp | Notation::Dsi) {
                    return Err(PrintError::new(format!(
                        "'{}' is not an SI unit symbol",
                        atom.code
                    )));
                }
                if !out.is_empty() {
                    out.push('.');
                }
                if let Some(p) = prefix {
                    out.push_str(&p.code);
                }
                out.push_str(if atom.code == "°C" {
                    "℃"
                } else {
                    &atom.code
                });
                let e = t.exponent;
                if !e.is_one() {
                    let _ = write!(out, "{}", e.numer());
                    if !e.is_integer() {
                        let _ = write!(out, "_{}", e.denom());
                    }
                }
            }
            TermUnit::Unity if t.annotation.is_none() => {}
            _ => {
                return Err(PrintError::new(
                    "numeric factors and annotations cannot be written in SI Reference Point units",
                ))
            }
        }
    }
    if out.is_empty() {
        out.push('1');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for s in [
            "m.s-1",
            "km.h-1",
            "kg.mm2.ns-2.℃",
            "m1_2",
            "km2_3",
            "A2.Ω",
            "mol.cd.m",
            "m-1_2",
        ] {
            assert_eq!(print(&parse(s).unwrap()).unwrap(), s);
        }
        assert!(parse("m.").is_err());
        assert!(parse(".m").is_err());
        assert!(parse("m-").is_err());
    }
}
