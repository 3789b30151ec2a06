//! SI text: unit symbols as written in the SI Brochure (9th edition), §5.4.
//!
//! Input: `kg m s^-2`, `kg·m·s⁻²`, `kg⋅m/s²`, `m/s`, `μm` (U+03BC; U+00B5 MICRO SIGN also
//! accepted), `°C` (U+2103 also accepted), `Ω` (U+2126 also accepted), `J/(kg K)`, `m^(1/2)`,
//! `m^0.5`, `m¹ᐟ²`. Products are written with a space, `·` (U+00B7), `⋅` (U+22C5), `.` or `*`;
//! a solidus may appear once, followed by one factor or a parenthesised group, as §5.4.6 asks
//! ("J/kg K" is refused as ambiguous). `1` stands for unity (`1/s`).
//!
//! Output: the ASCII form `kg m s^-2` ([`print`]) and the Unicode form `kg·m·s⁻²`
//! ([`print_unicode`]).
//!
//! The atoms are the units of [`crate::reference::UNITS`] (base units, the 22 special-named
//! units, gram, one, the non-SI units of Table 8) with the 24 prefixes of
//! [`crate::reference::PREFIXES`] (ronna R, quetta Q, ronto r, quecto q included). The same
//! atoms serve the SI Reference Point and D-SI notations. The logarithmic units are special
//! units on the same footing as UCUM's: the neper is a natural logarithm, the bel a common
//! logarithm (as UCUM `Np` and `B`), and the decibel is deci + bel.

use std::collections::HashMap;
use std::fmt::Write;
use std::str::FromStr;
use std::sync::OnceLock;

use num_rational::{BigRational, Ratio};
use num_traits::{One, Zero};

use crate::dimension::Dimension;
use crate::expr::{Atom, Prefix, Special, SpecialFunction, Term, TermUnit, UnitExpr};
use crate::factor::Factor;
use crate::notation::{Notation, ParseError, PrintError};
use crate::reference;

/// The atoms and prefixes built from the reference tables.
struct Table {
    atoms: Vec<Atom>,
    prefixes: Vec<Prefix>,
    by_symbol: HashMap<String, usize>,
    /// Symbols that stand for a prefixed atom (the decibel: deci + bel).
    prefixed_aliases: HashMap<String, (usize, usize)>,
}

static TABLE: OnceLock<Table> = OnceLock::new();

fn table() -> &'static Table {
    TABLE.get_or_init(load)
}

fn load() -> Table {
    let mut t = Table {
        atoms: Vec::new(),
        prefixes: Vec::new(),
        by_symbol: HashMap::new(),
        prefixed_aliases: HashMap::new(),
    };
    for p in reference::PREFIXES {
        let Ok(factor) = Factor::pow10(p.exponent) else {
            continue;
        };
        t.prefixes.push(Prefix {
            code: p.symbol.to_string(),
            name: p.id.to_string(),
            factor,
        });
    }
    let mut decibel = Vec::new();
    for u in reference::UNITS {
        let special = if u.is_logarithmic() {
            match u.id {
                "neper" => Some(SpecialFunction::Ln),
                "bel" => Some(SpecialFunction::Lg),
                _ => {
                    decibel.push(u.symbol);
                    continue;
                }
            }
        } else {
            None
        };
        let value = if u.is_logarithmic() {
            Factor::one()
        } else {
            match Factor::parse(u.factor) {
                Ok(f) => f,
                Err(_) => continue,
            }
        };
        let special = match special {
            Some(function) => Some(Special { function }),
            None if u.offset != "0" && !u.offset.is_empty() => {
                // value_SI = x × factor + offset = (x + offset / factor) × factor
                let Ok(offset) = BigRational::from_str(&decimal_to_ratio(u.offset)) else {
                    continue;
                };
                if !value.is_rational() {
                    continue;
                }
                Some(Special {
                    function: SpecialFunction::Affine {
                        offset: offset / value.rational(),
                    },
                })
            }
            None => None,
        };
        let atom = |code: &str| Atom {
            code: code.to_string(),
            name: u.label_en.to_string(),
            notation: Notation::Si,
            value: value.clone(),
            dimension: Dimension::from_integers(u.dimension),
            metric: u.prefixable,
            arbitrary: None,
            special: special.clone(),
            ucum_hint: (!u.ucum.is_empty()).then(|| u.ucum.to_string()),
        };
        for code in std::iter::once(&u.symbol).chain(u.alt_symbols) {
            t.by_symbol.insert(code.to_string(), t.atoms.len());
            t.atoms.push(atom(code));
        }
    }
    // The decibel: deci + bel (SI Brochure Table 8: 1 dB = 0.1 B).
    if let (Some(bel), Some(deci)) = (
        t.atoms.iter().position(|a| {
            matches!(
                &a.special,
                Some(Special {
                    function: SpecialFunction::Lg
                })
            )
        }),
        t.prefixes.iter().position(|p| p.name == "deci"),
    ) {
        for sym in decibel {
            t.prefixed_aliases.insert(sym.to_string(), (deci, bel));
        }
    }
    t
}

/// `"273.15"` → `"27315/100"` for [`BigRational::from_str`].
fn decimal_to_ratio(s: &str) -> String {
    match s.split_once('.') {
        Some((int, frac)) => format!("{int}{frac}/1{}", "0".repeat(frac.len())),
        None => s.to_string(),
    }
}

/// The SI atoms (also used by the SI Reference Point and D-SI notations).
pub fn atoms() -> &'static [Atom] {
    &table().atoms
}

/// The 24 SI prefixes.
pub fn prefixes() -> &'static [Prefix] {
    &table().prefixes
}

pub(crate) fn table_atoms() -> (&'static [Atom], &'static [Prefix]) {
    let t = table();
    (&t.atoms, &t.prefixes)
}

/// The SI atom with a given symbol (`m`, `°C`, `l`), without prefix resolution.
pub fn atom(symbol: &str) -> Option<&'static Atom> {
    let t = table();
    t.by_symbol.get(symbol).and_then(|&i| t.atoms.get(i))
}

/// The SI prefix with a given name (`kilo`, `micro`, `quetta`).
pub fn prefix_by_name(name: &str) -> Option<&'static Prefix> {
    table().prefixes.iter().find(|p| p.name == name)
}

/// Replaces the Unicode compatibility characters of [`reference::COMPATIBILITY_SYMBOLS`]
/// (U+00B5 MICRO SIGN, U+2126 OHM SIGN, U+2103 DEGREE CELSIUS) by the symbols.
fn normalize(symbol: &str) -> std::borrow::Cow<'_, str> {
    if symbol.is_ascii() {
        return std::borrow::Cow::Borrowed(symbol);
    }
    let mut s = symbol.to_string();
    for (compat, sym) in reference::COMPATIBILITY_SYMBOLS {
        if s.contains(compat) {
            s = s.replace(compat, sym);
        }
    }
    std::borrow::Cow::Owned(s)
}

/// Resolves a unit symbol, possibly prefixed, to (prefix, atom): exact symbol first, then a
/// prefix followed by a prefixable unit (SI Brochure §3: one prefix, never on the kilogram).
pub fn resolve(symbol: &str) -> Result<(Option<&'static Prefix>, &'static Atom), String> {
    let t = table();
    let symbol = normalize(symbol);
    let symbol = symbol.as_ref();
    if let Some(a) = t.by_symbol.get(symbol).and_then(|&i| t.atoms.get(i)) {
        return Ok((None, a));
    }
    if let Some(&(p, a)) = t.prefixed_aliases.get(symbol) {
        if let (Some(p), Some(a)) = (t.prefixes.get(p), t.atoms.get(a)) {
            return Ok((Some(p), a));
        }
    }
    let mut refused = None;
    for p in &t.prefixes {
        let Some(rest) = symbol.strip_prefix(p.code.as_str()) else {
            continue;
        };
        if let Some(a) = t.by_symbol.get(rest).and_then(|&i| t.atoms.get(i)) {
            if a.metric {
                return Ok((Some(p), a));
            }
            refused = Some(a);
        }
    }
    match refused {
        Some(a) if a.code == "kg" => Err(format!(
            "'{symbol}': prefixes attach to the gram, not to the kilogram (SI Brochure §3)"
        )),
        Some(a) => Err(format!("'{symbol}': the unit '{}' takes no prefix", a.code)),
        None => Err(format!("unknown unit '{symbol}'")),
    }
}

/// Maximum nesting of parentheses.
const MAX_DEPTH: usize = 32;

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

/// The value of a superscript digit (`⁰`…`⁹`), as exponents are written in the SI Brochure.
pub fn superscript_digit(c: char) -> Option<u32> {
    Some(match c {
        '⁰' => 0,
        '¹' => 1,
        '²' => 2,
        '³' => 3,
        '⁴' => 4,
        '⁵' => 5,
        '⁶' => 6,
        '⁷' => 7,
        '⁸' => 8,
        '⁹' => 9,
        _ => return None,
    })
}

fn is_symbol_char(c: char) -> bool {
    (c.is_alphabetic() || matches!(c, '°' | '′' | '″' | '℃' | '\u{2126}' | 'µ'))
        && superscript_digit(c).is_none()
        && c != 'ᐟ'
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '·' | '⋅' | '.' | '*' | '×' | '\u{a0}' | '\u{202f}')
}

impl Parser {
    fn err(&self, message: impl Into<String>) -> ParseError {
        ParseError::new(self.pos, message)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self
            .peek()
            .is_some_and(|c| c == ' ' || c == '\u{a0}' || c == '\u{202f}')
        {
            self.pos += 1;
        }
    }

    /// expr := product ('/' factor)?
    fn expr(&mut self, out: &mut Vec<Term>, sign: Ratio<i32>) -> Result<(), ParseError> {
        self.product(out, sign)?;
        self.skip_spaces();
        if self.peek() == Some('/') {
            self.pos += 1;
            self.skip_spaces();
            if self.peek().is_none() || self.peek() == Some(')') {
                return Err(self.err("'/' is not followed by a unit"));
            }
            self.factor(out, -sign)?;
            let save = self.pos;
            self.skip_spaces();
            match self.peek() {
                Some('/') => {
                    return Err(self.err(
                        "a second '/' needs parentheses (SI Brochure §5.4.6): write e.g. m/(s s)",
                    ))
                }
                Some(c) if is_separator(c) || is_symbol_char(c) || c == '(' => {
                    self.pos = save;
                    return Err(self.err(
                        "after '/', a product must be in parentheses (SI Brochure §5.4.6): write e.g. J/(kg K)",
                    ));
                }
                _ => self.pos = save,
            }
        }
        Ok(())
    }

    /// product := factor (sep factor)*
    fn product(&mut self, out: &mut Vec<Term>, sign: Ratio<i32>) -> Result<(), ParseError> {
        self.factor(out, sign)?;
        loop {
            let save = self.pos;
            let had_space = {
                self.skip_spaces();
                self.pos > save
            };
            match self.peek() {
                Some(c) if is_separator(c) && c != ' ' => {
                    self.pos += 1;
                    self.skip_spaces();
                    self.factor(out, sign)?;
                }
                Some(c) if had_space && (is_symbol_char(c) || c == '(' || c.is_ascii_digit()) => {
                    self.factor(out, sign)?;
                }
                _ => {
                    self.pos = save;
                    return Ok(());
                }
            }
        }
    }

    /// factor := '(' expr ')' exponent? | symbol exponent? | '1'
    fn factor(&mut self, out: &mut Vec<Term>, sign: Ratio<i32>) -> Result<(), ParseError> {
        match self.peek() {
            Some('(') => {
                if self.depth >= MAX_DEPTH {
                    return Err(self.err("parentheses nested too deeply"));
                }
                self.depth += 1;
                self.pos += 1;
                self.skip_spaces();
                let mut inner = Vec::new();
                self.expr(&mut inner, Ratio::one())?;
                self.skip_spaces();
                if self.peek() != Some(')') {
                    return Err(self.err("missing ')'"));
                }
                self.pos += 1;
                self.depth -= 1;
                let e = self.exponent()?.unwrap_or_else(Ratio::one);
                let total = mul(e, sign).ok_or_else(|| self.err("exponent out of range"))?;
                for mut t in inner {
                    t.exponent =
                        mul(t.exponent, total).ok_or_else(|| self.err("exponent out of range"))?;
                    out.push(t);
                }
                Ok(())
            }
            Some('1')
                if !self
                    .chars
                    .get(self.pos + 1)
                    .is_some_and(|c| c.is_ascii_digit()) =>
            {
                self.pos += 1;
                if self
                    .peek()
                    .is_some_and(|c| c == '^' || superscript_digit(c).is_some())
                {
                    return Err(self.err("the unit one takes no exponent"));
                }
                Ok(())
            }
            Some(c) if c.is_ascii_digit() => {
                Err(self
                    .err("numeric factors are not part of SI unit symbols (only '1', as in 1/s)"))
            }
            Some(c) if is_symbol_char(c) => {
                let start = self.pos;
                while self.peek().is_some_and(is_symbol_char) {
                    self.pos += 1;
                }
                let symbol: String = self.chars[start..self.pos].iter().collect();
                let (prefix, atom) = resolve(&symbol).map_err(|m| ParseError::new(start, m))?;
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    return Err(self.err(format!(
                        "write exponents as ^{0} or with superscripts, not '{symbol}{0}'",
                        self.peek().unwrap_or('2')
                    )));
                }
                let e = self.exponent()?.unwrap_or_else(Ratio::one);
                out.push(Term::atom(
                    prefix,
                    atom,
                    mul(e, sign).ok_or_else(|| self.err("exponent out of range"))?,
                ));
                Ok(())
            }
            None => Err(self.err("expected a unit")),
            Some(c) => Err(self.err(format!("unexpected character '{c}'"))),
        }
    }

    fn digits(&mut self) -> Option<(u64, usize)> {
        let start = self.pos;
        let mut v: u64 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            v = v.checked_mul(10)?.checked_add(u64::from(d))?;
            self.pos += 1;
        }
        (self.pos > start).then_some((v, self.pos - start))
    }

    fn to_i32(&self, v: u64, negative: bool) -> Result<i32, ParseError> {
        let v = i32::try_from(v).map_err(|_| self.err("exponent out of range"))?;
        Ok(if negative { -v } else { v })
    }

    /// `^2`, `^-2`, `^(1/2)`, `^(-1/2)`, `^0.5`, `²`, `⁻²`, `¹ᐟ²`.
    fn exponent(&mut self) -> Result<Option<Ratio<i32>>, ParseError> {
        match self.peek() {
            Some('^') => {
                self.pos += 1;
                let paren = self.peek() == Some('(');
                if paren {
                    self.pos += 1;
                }
                let negative = match self.peek() {
                    Some('-' | '−') => {
                        self.pos += 1;
                        true
                    }
                    Some('+') => {
                        self.pos += 1;
                        false
                    }
                    _ => false,
                };
                let Some((n, _)) = self.digits() else {
                    return Err(self.err("expected the digits of an exponent after '^'"));
                };
                let mut e = Ratio::from_integer(self.to_i32(n, negative)?);
                if self.peek() == Some('.')
                    && self
                        .chars
                        .get(self.pos + 1)
                        .is_some_and(|c| c.is_ascii_digit())
                {
                    self.pos += 1;
                    let Some((f, len)) = self.digits() else {
                        return Err(self.err("expected decimals"));
                    };
                    let den = 10i32
                        .checked_pow(u32::try_from(len).unwrap_or(u32::MAX))
                        .ok_or_else(|| self.err("exponent has too many decimals"))?;
                    let frac = Ratio::new(self.to_i32(f, negative)?, den);
                    e = num_traits::CheckedAdd::checked_add(&e, &frac)
                        .ok_or_else(|| self.err("exponent out of range"))?;
                } else if paren && self.peek() == Some('/') {
                    self.pos += 1;
                    let Some((d, _)) = self.digits() else {
                        return Err(self.err("expected the denominator of the exponent"));
                    };
                    let d = self.to_i32(d, false)?;
                    if d == 0 {
                        return Err(self.err("exponent denominator is zero"));
                    }
                    e = Ratio::new(*e.numer(), d);
                }
                if paren {
                    if self.peek() != Some(')') {
                        return Err(self.err("missing ')' after the exponent"));
                    }
                    self.pos += 1;
                }
                Ok(Some(e))
            }
            Some('⁻' | '⁺') | Some('⁰'..='⁹') | Some('¹' | '²' | '³') => {
                let negative = self.peek() == Some('⁻');
                if matches!(self.peek(), Some('⁻' | '⁺')) {
                    self.pos += 1;
                }
                let n = self.superscript_digits()?;
                let mut e = Ratio::from_integer(self.to_i32(n, negative)?);
                if self.peek() == Some('ᐟ') {
                    self.pos += 1;
                    let d = self.superscript_digits()?;
                    let d = self.to_i32(d, false)?;
                    if d == 0 {
                        return Err(self.err("exponent denominator is zero"));
                    }
                    e = Ratio::new(*e.numer(), d);
                }
                Ok(Some(e))
            }
            _ => Ok(None),
        }
    }

    fn superscript_digits(&mut self) -> Result<u64, ParseError> {
        let start = self.pos;
        let mut v: u64 = 0;
        while let Some(d) = self.peek().and_then(superscript_digit) {
            v = v
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d)))
                .ok_or_else(|| self.err("exponent out of range"))?;
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.err("expected superscript digits"));
        }
        Ok(v)
    }
}

fn mul(a: Ratio<i32>, b: Ratio<i32>) -> Option<Ratio<i32>> {
    num_traits::CheckedMul::checked_mul(&a, &b)
}

/// Parses SI text (`kg m s^-2`, `kg·m·s⁻²`, `J/(kg K)`, `μm`, `°C`).
pub fn parse(text: &str) -> Result<UnitExpr, ParseError> {
    parse_as(text, Notation::Si)
}

pub(crate) fn parse_as(text: &str, notation: Notation) -> Result<UnitExpr, ParseError> {
    let mut p = Parser {
        chars: text.chars().collect(),
        pos: 0,
        depth: 0,
    };
    p.skip_spaces();
    if p.peek().is_none() {
        return Err(p.err("empty expression"));
    }
    let mut terms = Vec::new();
    p.expr(&mut terms, Ratio::one())?;
    p.skip_spaces();
    if let Some(c) = p.peek() {
        return Err(match c {
            ')' => p.err("')' without matching '('"),
            _ => p.err(format!("unexpected character '{c}'")),
        });
    }
    terms.retain(|t| !t.exponent.is_zero());
    Ok(UnitExpr { notation, terms })
}

fn superscript(n: i64, out: &mut String) {
    if n < 0 {
        out.push('⁻');
    }
    for d in n.unsigned_abs().to_string().chars() {
        out.push(match d {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        });
    }
}

fn write_term_symbol(t: &Term, out: &mut String) -> Result<(), PrintError> {
    match &t.unit {
        TermUnit::Atom { prefix, atom } => {
            if !matches!(atom.notation, Notation::Si | Notation::Sirp | Notation::Dsi) {
                return Err(PrintError::new(format!(
                    "'{}' is not an SI unit symbol",
                    atom.code
                )));
            }
            if let Some(p) = prefix {
                out.push_str(&p.code);
            }
            out.push_str(&atom.code);
            Ok(())
        }
        TermUnit::Number(n) => Err(PrintError::new(format!(
            "numeric factors ({n}) cannot be written in SI unit symbols"
        ))),
        TermUnit::Unity => match &t.annotation {
            Some(a) => Err(PrintError::new(format!(
                "annotations ({{{a}}}) cannot be written in SI unit symbols"
            ))),
            None => Ok(()),
        },
    }
}

fn printable_terms(expr: &UnitExpr) -> impl Iterator<Item = &Term> {
    expr.terms
        .iter()
        .filter(|t| !(matches!(t.unit, TermUnit::Unity) && t.annotation.is_none()))
}

/// Prints SI text in ASCII: `kg m s^-2`, `m^(1/2)`, `°C`; unity is `1`.
pub fn print(expr: &UnitExpr) -> Result<String, PrintError> {
    let mut out = String::new();
    for t in printable_terms(expr) {
        if t.annotation.is_some() {
            return Err(PrintError::new(
                "annotations cannot be written in SI unit symbols",
            ));
        }
        if !out.is_empty() {
            out.push(' ');
        }
        write_term_symbol(t, &mut out)?;
        let e = t.exponent;
        if e.is_integer() {
            if !e.is_one() {
                let _ = write!(out, "^{}", e.numer());
            }
        } else {
            let _ = write!(out, "^({}/{})", e.numer(), e.denom());
        }
    }
    if out.is_empty() {
        out.push('1');
    }
    Ok(out)
}

/// Prints SI text with Unicode: `kg·m·s⁻²`, `m¹ᐟ²`; unity is `1`.
pub fn print_unicode(expr: &UnitExpr) -> Result<String, PrintError> {
    let mut out = String::new();
    for t in printable_terms(expr) {
        if t.annotation.is_some() {
            return Err(PrintError::new(
                "annotations cannot be written in SI unit symbols",
            ));
        }
        if !out.is_empty() {
            out.push('·');
        }
        write_term_symbol(t, &mut out)?;
        let e = t.exponent;
        if !e.is_one() {
            superscript(i64::from(*e.numer()), &mut out);
            if !e.is_integer() {
                out.push('ᐟ');
                superscript(i64::from(*e.denom()), &mut out);
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

    fn round(s: &str) -> String {
        print(&parse(s).unwrap()).unwrap()
    }

    #[test]
    fn forms() {
        assert_eq!(round("kg m s^-2"), "kg m s^-2");
        assert_eq!(round("kg·m·s⁻²"), "kg m s^-2");
        assert_eq!(round("kg⋅m/s²"), "kg m s^-2");
        assert_eq!(round("m/s"), "m s^-1");
        assert_eq!(round("µm"), "μm");
        assert_eq!(round("J/(kg K)"), "J kg^-1 K^-1");
        assert_eq!(round("m^(1/2)"), "m^(1/2)");
        assert_eq!(round("m^0.5"), "m^(1/2)");
        assert_eq!(round("Qm Rg rs qmol"), "Qm Rg rs qmol");
        assert_eq!(round("1/s"), "s^-1");
        assert_eq!(round("dB"), "dB");
        assert_eq!(
            print_unicode(&parse("kg m s^-2").unwrap()).unwrap(),
            "kg·m·s⁻²"
        );
        assert_eq!(print_unicode(&parse("m^(1/2)").unwrap()).unwrap(), "m¹ᐟ²");
        assert!(parse("J/kg K").is_err());
        assert!(parse("m/s/s").is_err());
        assert!(parse("kkg").is_err());
        assert!(parse("m2").is_err());
    }
}
