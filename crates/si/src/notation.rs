//! The unit notations and the dispatch between them: [`parse`], [`print`] and [`translate`].
//!
//! Every notation parses into the one [`UnitExpr`] model; printing an expression in a notation
//! other than the one it was parsed from maps it atom by atom through the SI identity of each
//! atom (exact value in coherent SI, dimension, special function, arbitrary identity), and, for
//! UCUM, through an exact numeric composite when no atom matches (the SI astronomical unit is
//! `149597870700.m` in UCUM, whose own `AU` is the older IAU 1976 value).

use std::fmt;
use std::str::FromStr;

use num_rational::Ratio;
use num_traits::{One, Signed};

use crate::expr::{Atom, Prefix, Term, TermUnit, UnitExpr};
use crate::factor::Factor;

/// A unit notation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Notation {
    /// The Unified Code for Units of Measure, case-sensitive codes (`kg.m/s2`).
    Ucum,
    /// PTB D-SI (`\kilogram\metre\second\tothe{-2}`).
    Dsi,
    /// SI text as written in the SI Brochure (`kg m s^-2`, `kg·m·s⁻²`).
    Si,
    /// The SI Reference Point compound notation (`kg.m.s-2`).
    Sirp,
    /// QUDT unit identifiers (`KiloGM-M-PER-SEC2`).
    Qudt,
}

impl Notation {
    /// All notations.
    pub const ALL: [Notation; 5] = [
        Notation::Ucum,
        Notation::Dsi,
        Notation::Si,
        Notation::Sirp,
        Notation::Qudt,
    ];

    /// The lower-case name accepted by [`FromStr`]: `ucum`, `dsi`, `si`, `sirp`, `qudt`.
    pub fn name(self) -> &'static str {
        match self {
            Notation::Ucum => "ucum",
            Notation::Dsi => "dsi",
            Notation::Si => "si",
            Notation::Sirp => "sirp",
            Notation::Qudt => "qudt",
        }
    }
}

impl fmt::Display for Notation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown notation name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown notation '{0}' (expected ucum, dsi, si, sirp or qudt)")]
pub struct UnknownNotation(pub String);

impl FromStr for Notation {
    type Err = UnknownNotation;

    fn from_str(s: &str) -> Result<Notation, UnknownNotation> {
        match s {
            "ucum" => Ok(Notation::Ucum),
            "dsi" => Ok(Notation::Dsi),
            "si" => Ok(Notation::Si),
            "sirp" => Ok(Notation::Sirp),
            "qudt" => Ok(Notation::Qudt),
            other => Err(UnknownNotation(other.to_string())),
        }
    }
}

/// A malformed unit expression: the character index (0-based, in Unicode scalar values) where
/// the problem was found and the reason. Displays as `at 4: unknown unit 'xyz'`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at {position}: {message}")]
#[non_exhaustive]
pub struct ParseError {
    /// Character index (0-based) of the problem.
    pub position: usize,
    /// The reason.
    pub message: String,
}

impl ParseError {
    /// A parse error at `position` (character index) with a reason.
    pub fn new(position: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            position,
            message: message.into(),
        }
    }
}

/// An expression that cannot be written in the requested notation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct PrintError {
    /// The reason, naming the term that has no equivalent.
    pub message: String,
}

impl PrintError {
    /// A print error with a reason.
    pub fn new(message: impl Into<String>) -> PrintError {
        PrintError {
            message: message.into(),
        }
    }
}

/// Why a translation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TranslateError {
    /// The input does not parse.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// The expression cannot be written in the target notation.
    #[error("{0}")]
    Print(#[from] PrintError),
}

/// Parses a unit expression in a notation.
pub fn parse(notation: Notation, text: &str) -> Result<UnitExpr, ParseError> {
    match notation {
        Notation::Ucum => crate::ucum::parse(text),
        Notation::Si => crate::si_text::parse(text),
        Notation::Sirp => crate::sirp::parse(text),
        Notation::Dsi => crate::dsi::parse(text),
        Notation::Qudt => crate::qudt::parse(text),
    }
}

/// Prints a unit expression in a notation. For UCUM, SI text and the SI Reference Point the
/// expression's atoms are first mapped to the target's atoms ([`map_to`]); the D-SI and QUDT
/// printers receive the expression as it is and map it themselves.
pub fn print(notation: Notation, expr: &UnitExpr) -> Result<String, PrintError> {
    match notation {
        Notation::Dsi => return crate::dsi::print(expr),
        Notation::Qudt => return crate::qudt::print(expr),
        Notation::Ucum | Notation::Si | Notation::Sirp => {}
    }
    let mapped;
    let expr = if expr.notation == notation {
        expr
    } else {
        mapped = map_to(notation, expr)?;
        &mapped
    };
    match notation {
        Notation::Ucum => crate::ucum::print(expr),
        Notation::Si => crate::si_text::print(expr),
        _ => crate::sirp::print(expr),
    }
}

/// The coherent SI unit of a dimension written with the SI base units in a notation:
/// `kg m s^-2` (SI text), `kg.m/s2` (UCUM), `kg.m.s-2` (SI Reference Point); the order is
/// that of SI Brochure Table 4 (kg, m, s, A, K, mol, cd).
pub fn base_units(notation: Notation, dimension: &crate::Dimension) -> Result<String, PrintError> {
    print(notation, &base_expr(dimension)?)
}

/// The canonical unit of a [`crate::Canonical`] form in a notation: the coherent SI base units
/// of its dimension (for a special unit: of its reference unit), followed by its arbitrary
/// units, which only UCUM can write (`[iU]/m3` for `[IU]/L`).
pub fn canonical_expression(
    notation: Notation,
    canonical: &crate::Canonical,
) -> Result<String, PrintError> {
    let mut expr = base_expr(&canonical.dimension)?;
    for (code, e) in &canonical.arbitrary {
        let atom = crate::ucum::atoms()
            .iter()
            .find(|a| a.code == *code)
            .ok_or_else(|| PrintError::new(format!("unknown arbitrary unit '{code}'")))?;
        expr.terms.push(Term::atom(None, atom, *e));
    }
    print(notation, &expr)
}

fn base_expr(dimension: &crate::Dimension) -> Result<UnitExpr, PrintError> {
    use crate::dimension::{I, J, L, M, N, T, THETA};
    const ORDER: [(usize, &str); 7] = [
        (M, "kg"),
        (L, "m"),
        (T, "s"),
        (I, "A"),
        (THETA, "K"),
        (N, "mol"),
        (J, "cd"),
    ];
    let mut expr = UnitExpr::unity(Notation::Si);
    for (i, sym) in ORDER {
        let e = dimension.exponents().get(i).copied().unwrap_or_default();
        if num_traits::Zero::is_zero(&e) {
            continue;
        }
        let atom = crate::si_text::atom(sym)
            .ok_or_else(|| PrintError::new(format!("no SI atom '{sym}'")))?;
        expr.terms.push(Term::atom(None, atom, e));
    }
    Ok(expr)
}

/// Translates an expression from one notation to another.
pub fn translate(from: Notation, to: Notation, expr: &str) -> Result<String, TranslateError> {
    let e = parse(from, expr)?;
    Ok(print(to, &e)?)
}

/// The atoms and prefixes of a notation, for mapping between notations. D-SI and QUDT
/// expressions are mapped by their own modules (they use SI atoms or their own tables).
pub(crate) fn table(notation: Notation) -> Option<(&'static [Atom], &'static [Prefix])> {
    match notation {
        Notation::Ucum => Some(crate::ucum::table_atoms()),
        Notation::Si | Notation::Sirp | Notation::Dsi => Some(crate::si_text::table_atoms()),
        Notation::Qudt => None,
    }
}

/// Finds the atom of the target table equivalent to `atom`, preferring the same code, then
/// the declared UCUM code, then a unique atom with the same identity.
fn equivalent_atom(atom: &Atom, atoms: &'static [Atom]) -> Option<&'static Atom> {
    if let Some(a) = atoms
        .iter()
        .find(|a| a.code == atom.code && a.same_unit(atom))
    {
        return Some(a);
    }
    if let Some(hint) = &atom.ucum_hint {
        if let Some(a) = atoms.iter().find(|a| &a.code == hint && a.same_unit(atom)) {
            return Some(a);
        }
    }
    if let Some(a) = atoms.iter().find(|a| {
        a.ucum_hint.as_deref() == Some(atom.code.as_str())
            && atom.notation == Notation::Ucum
            && a.same_unit(atom)
    }) {
        return Some(a);
    }
    let mut same = atoms.iter().filter(|a| a.same_unit(atom));
    match (same.next(), same.next()) {
        (Some(a), None) => Some(a),
        _ => None,
    }
}

/// Maps a (prefix, atom) pair to the target table: the equivalent atom with the equivalent
/// prefix; else, for ratio-scale atoms, a target atom (with a prefix if needed) of the same
/// dimension whose value equals the prefixed value exactly (SI `kg` is UCUM `kg` = k + g, UCUM
/// `har` is SI `ha`).
fn map_atom(
    atom: &Atom,
    prefix: Option<&'static Prefix>,
    atoms: &'static [Atom],
    prefixes: &'static [Prefix],
) -> Option<(Option<&'static Prefix>, &'static Atom)> {
    if let Some(a) = equivalent_atom(atom, atoms) {
        match prefix {
            None => return Some((None, a)),
            Some(p) if a.metric => {
                if let Some(q) = equivalent_prefix(p, prefixes) {
                    return Some((Some(q), a));
                }
            }
            Some(_) => {}
        }
    }
    if atom.special.is_some() {
        return None;
    }
    let total = match prefix {
        Some(p) => atom.value.checked_mul(&p.factor).ok()?,
        None => atom.value.clone(),
    };
    let candidates = || {
        atoms.iter().filter(|a| {
            a.special.is_none() && a.dimension == atom.dimension && a.arbitrary == atom.arbitrary
        })
    };
    let hinted = |a: &Atom| {
        atom.ucum_hint.as_deref() == Some(a.code.as_str())
            || a.ucum_hint.as_deref() == Some(atom.code.as_str())
    };
    let exact: Vec<&'static Atom> = candidates().filter(|a| a.value == total).collect();
    if let Some(a) = exact.iter().find(|a| hinted(a)).or(exact.first()) {
        return Some((None, a));
    }
    for a in candidates().filter(|a| a.metric) {
        let Ok(ratio) = total.checked_div(&a.value) else {
            continue;
        };
        if let Some(p) = prefixes.iter().find(|p| p.factor == ratio) {
            return Some((Some(p), a));
        }
    }
    None
}

/// Finds the prefix of the target table with the same factor.
fn equivalent_prefix(p: &Prefix, prefixes: &'static [Prefix]) -> Option<&'static Prefix> {
    prefixes.iter().find(|q| q.factor == p.factor)
}

/// Maps an expression to the atoms of another notation (UCUM, or the SI atoms shared by SI
/// text, the SI Reference Point and D-SI): atom by atom through the SI identity of each atom
/// (exact value, dimension, special function, arbitrary identity), preferring the same code
/// and the declared UCUM code of SI units; for UCUM, an atom without equivalent is written as
/// its exact composite of numbers, `10*n`, `[pi]` and base units. A term without equivalent
/// gives an error naming it.
pub fn map_to(target: Notation, expr: &UnitExpr) -> Result<UnitExpr, PrintError> {
    let (atoms, prefixes) = table(target).ok_or_else(|| {
        PrintError::new(format!(
            "mapping expressions to {target} is done by the {target} module"
        ))
    })?;
    // Same atom family (SI text, SI Reference Point, D-SI): only the notation changes.
    if table(expr.notation).is_some_and(|(a, _)| std::ptr::eq(a, atoms))
        && expr.terms.iter().all(|t| match &t.unit {
            TermUnit::Atom { atom, .. } => atoms.iter().any(|x| std::ptr::eq(x, *atom)),
            _ => true,
        })
    {
        return Ok(UnitExpr {
            notation: target,
            terms: expr.terms.clone(),
        });
    }
    let mut out = UnitExpr::unity(target);
    for t in &expr.terms {
        match &t.unit {
            TermUnit::Atom { prefix, atom } => match map_atom(atom, *prefix, atoms, prefixes) {
                Some((p, a)) => out.terms.push(Term {
                    unit: TermUnit::Atom { prefix: p, atom: a },
                    exponent: t.exponent,
                    annotation: t.annotation.clone(),
                }),
                None if target == Notation::Ucum => {
                    composite_ucum(&mut out, t, atom, prefix, atoms)?;
                }
                None => return Err(no_equivalent(target, t)),
            },
            TermUnit::Number(_) | TermUnit::Unity => {
                if target == Notation::Ucum {
                    out.terms.push(t.clone());
                } else if matches!(t.unit, TermUnit::Unity) && t.annotation.is_none() {
                    // plain unity: nothing to write
                } else {
                    return Err(PrintError::new(format!(
                        "{target} has no numeric factors or annotations (term '{}')",
                        term_text(t)
                    )));
                }
            }
        }
    }
    Ok(out)
}

fn term_text(t: &Term) -> String {
    let mut s = String::new();
    match &t.unit {
        TermUnit::Atom { prefix, atom } => {
            if let Some(p) = prefix {
                s.push_str(&p.code);
            }
            s.push_str(&atom.code);
        }
        TermUnit::Number(n) => s.push_str(&n.to_string()),
        TermUnit::Unity => s.push('1'),
    }
    if !t.exponent.is_one() {
        s.push('^');
        s.push_str(&t.exponent.to_string());
    }
    if let Some(a) = &t.annotation {
        s.push('{');
        s.push_str(a);
        s.push('}');
    }
    s
}

fn no_equivalent(target: Notation, t: &Term) -> PrintError {
    PrintError::new(format!(
        "the unit '{}' has no equivalent in {target}",
        term_text(t)
    ))
}

/// UCUM base atoms for coherent SI base units (T, L, M, I, Θ, N, J): the SI base units; the
/// kilogram is written with the UCUM prefix `k` on `g`.
const UCUM_BASE: [&str; 7] = ["s", "m", "g", "A", "K", "mol", "cd"];

/// Writes `atom` (a ratio-scale, non-arbitrary unit without UCUM atom) as an exact UCUM
/// composite: integers, `10*n`, `[pi]` and SI base units.
fn composite_ucum(
    out: &mut UnitExpr,
    t: &Term,
    atom: &Atom,
    prefix: &Option<&'static Prefix>,
    atoms: &'static [Atom],
) -> Result<(), PrintError> {
    if atom.special.is_some() || atom.arbitrary.is_some() || !t.exponent.is_integer() {
        return Err(no_equivalent(Notation::Ucum, t));
    }
    let mut value = atom.value.clone();
    if let Some(p) = prefix {
        value = value
            .checked_mul(&p.factor)
            .map_err(|e| PrintError::new(e.to_string()))?;
    }
    // grams: kilogram = 1000 g in UCUM's base
    let mass = atom.dimension.exponents()[crate::dimension::M];
    let value = value
        .checked_mul(
            &Factor::pow10(3)
                .and_then(|f| f.checked_pow(mass))
                .map_err(|e| PrintError::new(e.to_string()))?,
        )
        .map_err(|e| PrintError::new(e.to_string()))?;
    let (radicand, index) = value.radical();
    if index != 1 || !radicand.is_one() || !value.pi_exponent().is_integer() {
        return Err(no_equivalent(Notation::Ucum, t));
    }
    let mut sub = Vec::new();
    let r = value.rational();
    let num = r.numer().magnitude().clone();
    let den = r.denom().magnitude().clone();
    let (num, num10) = strip_tens(num);
    let (den, den10) = strip_tens(den);
    if !num.is_one() {
        sub.push(Term {
            unit: TermUnit::Number(num),
            exponent: Ratio::one(),
            annotation: None,
        });
    }
    let ten_exp = num10 - den10;
    let find = |code: &str| atoms.iter().find(|a| a.code == code);
    if ten_exp != 0 {
        let ten = find("10*").ok_or_else(|| no_equivalent(Notation::Ucum, t))?;
        sub.push(Term::atom(None, ten, Ratio::from_integer(ten_exp)));
    }
    let pi_exp = value.pi_exponent();
    if !num_traits::Zero::is_zero(&pi_exp) {
        let pi = find("[pi]").ok_or_else(|| no_equivalent(Notation::Ucum, t))?;
        sub.push(Term::atom(None, pi, pi_exp));
    }
    if !den.is_one() {
        sub.push(Term {
            unit: TermUnit::Number(den),
            exponent: -Ratio::one(),
            annotation: None,
        });
    }
    for (code, e) in UCUM_BASE.iter().zip(atom.dimension.exponents()) {
        if !num_traits::Zero::is_zero(e) {
            let a = find(code).ok_or_else(|| no_equivalent(Notation::Ucum, t))?;
            sub.push(Term::atom(None, a, *e));
        }
    }
    // Raise the composite to the term's exponent.
    let e = t.exponent;
    for mut s in sub {
        // Ratio<i32> arithmetic: a huge exponent must be an error, not an overflow panic.
        s.exponent = num_traits::CheckedMul::checked_mul(&s.exponent, &e)
            .ok_or_else(|| no_equivalent(Notation::Ucum, t))?;
        if matches!(s.unit, TermUnit::Number(_)) && s.exponent.abs() != Ratio::one() {
            // numbers carry exponent ±1 in UCUM: expand the power
            if let TermUnit::Number(n) = &s.unit {
                let p = s.exponent.numer().unsigned_abs() as usize;
                if p > 64 || !s.exponent.is_integer() {
                    return Err(no_equivalent(Notation::Ucum, t));
                }
                let v = num_traits::pow::pow(n.clone(), p);
                s.unit = TermUnit::Number(v);
                s.exponent = if s.exponent.is_positive() {
                    Ratio::one()
                } else {
                    -Ratio::one()
                };
            }
        }
        out.terms.push(s);
    }
    if let Some(a) = &t.annotation {
        if let Some(last) = out.terms.last_mut() {
            last.annotation = Some(a.clone());
        }
    }
    Ok(())
}

/// Splits off the factors of ten: `n = m × 10^k`.
fn strip_tens(mut n: num_bigint::BigUint) -> (num_bigint::BigUint, i32) {
    let ten = num_bigint::BigUint::from(10u32);
    let mut k = 0;
    while n > num_bigint::BigUint::from(0u32) && (&n % &ten) == num_bigint::BigUint::from(0u32) {
        n /= &ten;
        k += 1;
    }
    (n, k)
}
