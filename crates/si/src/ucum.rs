//! UCUM, the Unified Code for Units of Measure: the complete case-sensitive grammar (UCUM
//! specification §1–§7 and the grammar of its §7 "Syntax Rules", also quoted by OPC UA
//! Part 8 Annex B) and the complete unit table of `ucum-essence.xml`.
//!
//! Why hand-written: no Rust crate implements full UCUM with exact factors, special units and
//! arbitrary units; and the parser here is a small byte-level recursive descent (no regex, no
//! allocation per character) so that parsing stays fast.
//!
//! Grammar (left to right, `.` and `/` of equal precedence, UCUM §7):
//!
//! ```text
//! main-term   ::= "/" term | term
//! term        ::= term "." component | term "/" component | component
//! component   ::= annotatable annotation | annotatable | annotation | factor | "(" term ")"
//! annotatable ::= simple-unit exponent | simple-unit
//! simple-unit ::= ATOM | PREFIX ATOM[metric]
//! exponent    ::= ("+" | "-")? digits
//! factor      ::= digits
//! annotation  ::= "{" printable ASCII except braces "}"
//! ```
//!
//! `10*` and `10^` are atoms (`10*-7`); square-bracketed text is part of an atom symbol
//! (`[in_i]`, `m[H2O]`, `B[10.nV]`, `[m/s2/Hz^(1/2)]`).

mod table;

use std::fmt::Write;

use num_bigint::BigUint;
use num_rational::Ratio;

use crate::expr::{Atom, Prefix, Term, TermUnit, UnitExpr};
use crate::notation::{Notation, ParseError, PrintError};

pub(crate) use table::table_atoms;
pub use table::{atoms, prefixes};

/// Maximum nesting of parentheses.
const MAX_DEPTH: usize = 64;

/// Maximum number of digits of a numeric factor.
const MAX_DIGITS: usize = 1000;

/// A resolved symbol or a number or an annotation, as the generic parser produces them.
pub(crate) enum RawUnit<A> {
    Atom(A),
    Number(BigUint),
    Unity,
}

/// One flattened factor of a parsed expression.
pub(crate) struct RawTerm<A> {
    pub(crate) unit: RawUnit<A>,
    pub(crate) exponent: i32,
    pub(crate) annotation: Option<String>,
}

/// Resolves atom symbols (with prefixes) for the generic parser; implemented for the unit
/// table at run time and for the table under construction.
pub(crate) trait Resolve {
    /// What a symbol resolves to.
    type Out;
    /// Resolves `symbol`, found at character index `position`.
    fn resolve(&mut self, symbol: &str, position: usize) -> Result<Self::Out, ParseError>;
    /// Appends the display name of a resolved symbol (UCUM print names).
    fn name(&self, _out: &Self::Out, _buf: &mut String) {}
}

struct Parser<'s, R: Resolve> {
    text: &'s str,
    s: &'s [u8],
    pos: usize,
    depth: usize,
    resolver: R,
    out: Vec<RawTerm<R::Out>>,
    names: Option<String>,
}

fn is_symbol_byte(b: u8) -> bool {
    b.is_ascii_graphic()
        && !b.is_ascii_digit()
        && !matches!(b, b'.' | b'/' | b'(' | b')' | b'{' | b'}' | b'+' | b'-')
}

impl<'s, R: Resolve> Parser<'s, R> {
    fn err(&self, message: impl Into<String>) -> ParseError {
        ParseError::new(self.char_index(self.pos), message)
    }

    /// The character index of a byte offset (equal unless a non-ASCII byte precedes it, which
    /// only happens at the error position itself).
    fn char_index(&self, byte: usize) -> usize {
        self.text
            .get(..byte)
            .map_or(byte, |prefix| prefix.chars().count())
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn name(&mut self, s: &str) {
        if let Some(n) = &mut self.names {
            n.push_str(s);
        }
    }

    fn unexpected(&self) -> ParseError {
        match self.text.get(self.pos..).and_then(|r| r.chars().next()) {
            None => self.err("unexpected end of expression"),
            Some(c) if !c.is_ascii() => {
                self.err(format!("non-ASCII character '{c}' (UCUM codes are ASCII)"))
            }
            Some(' ') => self.err("blank in expression (UCUM allows no spaces)"),
            Some(c) => self.err(format!("unexpected character '{c}'")),
        }
    }

    fn main_term(&mut self) -> Result<(), ParseError> {
        if self.s.is_empty() {
            return Err(self.err("empty expression"));
        }
        if self.peek() == Some(b'/') {
            self.pos += 1;
            self.name(" / ");
            self.require_component("'/'")?;
            // A leading '/' inverts the first component only: `/m.s` is s/m, as terms are
            // evaluated from left to right (UCUM §7; Ucum-java and ucum-lhc agree).
            self.term(1, -1)?;
        } else {
            self.term(1, 1)?;
        }
        if self.pos < self.s.len() {
            return Err(match self.peek() {
                Some(b')') => self.err("')' without matching '('"),
                _ => self.unexpected(),
            });
        }
        Ok(())
    }

    fn require_component(&self, op: &str) -> Result<(), ParseError> {
        match self.peek() {
            None | Some(b'.' | b'/' | b')') => {
                Err(self.err(format!("{op} is not followed by a term")))
            }
            _ => Ok(()),
        }
    }

    /// term := component (('.' | '/') component)*; `sign` applies to the whole term, `first`
    /// additionally to its first component.
    fn term(&mut self, sign: i32, first: i32) -> Result<(), ParseError> {
        self.component(sign * first)?;
        loop {
            match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    self.require_component("'.'")?;
                    self.name(" * ");
                    self.component(sign)?;
                }
                Some(b'/') => {
                    self.pos += 1;
                    self.require_component("'/'")?;
                    self.name(" / ");
                    self.component(-sign)?;
                }
                None | Some(b')') => return Ok(()),
                Some(b) if b.is_ascii_alphanumeric() || b == b'[' || b == b'(' || b == b'{' => {
                    return Err(self.err("missing operator: terms must be joined by '.' or '/'"));
                }
                Some(_) => return Err(self.unexpected()),
            }
        }
    }

    fn component(&mut self, sign: i32) -> Result<(), ParseError> {
        match self.peek() {
            Some(b'(') => {
                if self.depth >= MAX_DEPTH {
                    return Err(self.err("parentheses nested too deeply"));
                }
                self.depth += 1;
                self.pos += 1;
                self.name("(");
                self.require_component("'('")?;
                self.term(sign, 1)?;
                if self.peek() != Some(b')') {
                    return Err(self.err("missing ')'"));
                }
                self.pos += 1;
                self.name(")");
                self.depth -= 1;
                if let Some(b) = self.peek() {
                    if b.is_ascii_digit() || b == b'+' || b == b'-' {
                        return Err(self.err("an exponent cannot follow ')'"));
                    }
                    if b == b'{' {
                        return Err(self.err("an annotation cannot follow ')'"));
                    }
                }
                Ok(())
            }
            Some(b'{') => {
                let annotation = self.annotation()?;
                if self
                    .peek()
                    .is_some_and(|b| b.is_ascii_digit() || b == b'+' || b == b'-')
                {
                    return Err(self.err("an annotation cannot take an exponent"));
                }
                self.name("1");
                self.out.push(RawTerm {
                    unit: RawUnit::Unity,
                    exponent: sign,
                    annotation: Some(annotation),
                });
                Ok(())
            }
            Some(b'1')
                if self.s.get(self.pos + 1) == Some(&b'0')
                    && matches!(self.s.get(self.pos + 2), Some(b'*' | b'^')) =>
            {
                self.simple_unit(sign, 3)
            }
            Some(b) if b.is_ascii_digit() => self.number(sign),
            Some(b) if is_symbol_byte(b) || b == b'[' => {
                let start = self.pos;
                let mut p = self.pos;
                while let Some(&c) = self.s.get(p) {
                    if c == b'[' {
                        let close = self.s[p..].iter().position(|&x| x == b']');
                        match close {
                            Some(off) => {
                                if let Some(bad) = self.s[p..p + off]
                                    .iter()
                                    .position(|x| !x.is_ascii_graphic())
                                {
                                    self.pos = p + bad;
                                    return Err(self.unexpected());
                                }
                                p += off + 1;
                            }
                            None => {
                                self.pos = start;
                                return Err(self.err("missing ']'"));
                            }
                        }
                    } else if is_symbol_byte(c) {
                        p += 1;
                    } else {
                        break;
                    }
                }
                self.simple_unit(sign, p - start)
            }
            Some(b'.' | b'/' | b')') | None => Err(self.err("expected a term")),
            Some(_) => Err(self.unexpected()),
        }
    }

    fn number(&mut self, sign: i32) -> Result<(), ParseError> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = &self.text[start..self.pos];
        if digits.len() > MAX_DIGITS {
            self.pos = start;
            return Err(self.err("number too long"));
        }
        if let Some(b) = self.peek() {
            if is_symbol_byte(b) || b == b'[' {
                return Err(self.err(format!(
                    "a number cannot be followed directly by a unit (write '{digits}.{}')",
                    self.text[self.pos..]
                        .chars()
                        .take_while(|c| *c != '.' && *c != '/')
                        .collect::<String>()
                )));
            }
            if b == b'{' {
                return Err(self.err("an annotation cannot follow a number"));
            }
        }
        let n: BigUint = digits
            .parse()
            .map_err(|_| ParseError::new(start, "invalid number"))?;
        if n == BigUint::from(0u32) {
            self.pos = start;
            return Err(self.err("a numeric factor must be positive"));
        }
        self.name(digits);
        self.out.push(RawTerm {
            unit: RawUnit::Number(n),
            exponent: sign,
            annotation: None,
        });
        Ok(())
    }

    fn simple_unit(&mut self, sign: i32, len: usize) -> Result<(), ParseError> {
        let start = self.pos;
        let symbol = &self.text[start..start + len];
        let resolved = self.resolver.resolve(symbol, self.char_index(start))?;
        self.pos += len;
        // exponent
        let exp_start = self.pos;
        let mut negative = false;
        if let Some(b @ (b'+' | b'-')) = self.peek() {
            negative = b == b'-';
            self.pos += 1;
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.err("a sign must be followed by the digits of an exponent"));
            }
        }
        let digits_start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let mut exponent: i32 = 1;
        if self.pos > digits_start {
            let v: i32 = self.text[digits_start..self.pos].parse().map_err(|_| {
                ParseError::new(self.char_index(exp_start), "exponent out of range")
            })?;
            exponent = if negative { -v } else { v };
        }
        if let Some(n) = &mut self.names {
            n.push('(');
            self.resolver.name(&resolved, n);
            if exponent != 1 {
                let _ = write!(n, " ^ {exponent}");
            }
            n.push(')');
        }
        let annotation = if self.peek() == Some(b'{') {
            Some(self.annotation()?)
        } else {
            None
        };
        self.out.push(RawTerm {
            unit: RawUnit::Atom(resolved),
            exponent: exponent.checked_mul(sign).ok_or_else(|| {
                ParseError::new(self.char_index(exp_start), "exponent out of range")
            })?,
            annotation,
        });
        Ok(())
    }

    /// `{...}`: printable ASCII (space included) except braces, UCUM §2.6 / §12.
    fn annotation(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                None => {
                    self.pos = start;
                    return Err(self.err("missing '}' after annotation"));
                }
                Some(b'}') => break,
                Some(b'{') => return Err(self.err("'{' inside an annotation")),
                Some(b) if (b' '..=b'~').contains(&b) => self.pos += 1,
                Some(_) => {
                    return Err(
                        match self.text.get(self.pos..).and_then(|r| r.chars().next()) {
                            Some(c) if !c.is_ascii() => self.err(format!(
                            "non-ASCII character '{c}' in annotation (UCUM annotations are ASCII)"
                        )),
                            _ => self.err("control character in annotation"),
                        },
                    )
                }
            }
        }
        let a = self.text[start + 1..self.pos].to_string();
        self.pos += 1;
        Ok(a)
    }
}

/// The flattened terms of a parse and, when asked for, the display name.
pub(crate) type Parsed<A> = (Vec<RawTerm<A>>, Option<String>);

/// Runs the generic parser.
pub(crate) fn parse_raw<R: Resolve>(
    text: &str,
    resolver: R,
    with_names: bool,
) -> Result<Parsed<R::Out>, ParseError> {
    let mut p = Parser {
        text,
        s: text.as_bytes(),
        pos: 0,
        depth: 0,
        resolver,
        out: Vec::new(),
        names: if with_names {
            Some(String::new())
        } else {
            None
        },
    };
    p.main_term()?;
    Ok((p.out, p.names))
}

/// Resolves symbols against the loaded UCUM table: an exact atom first, then a prefix followed
/// by a metric atom (UCUM §3, §5: prefixes only on metric units).
struct TableResolver;

impl Resolve for TableResolver {
    type Out = Resolved;

    fn resolve(&mut self, symbol: &str, position: usize) -> Result<Self::Out, ParseError> {
        table::resolve_symbol(symbol).map_err(|m| ParseError::new(position, m))
    }

    fn name(&self, out: &Self::Out, buf: &mut String) {
        if let Some(p) = out.0 {
            buf.push_str(&p.name);
        }
        buf.push_str(&out.1.name);
    }
}

/// A resolved UCUM symbol.
type Resolved = (Option<&'static Prefix>, &'static Atom);

fn to_expr(raw: Vec<RawTerm<Resolved>>) -> UnitExpr {
    let terms = raw
        .into_iter()
        .map(|t| Term {
            unit: match t.unit {
                RawUnit::Atom((prefix, atom)) => TermUnit::Atom { prefix, atom },
                RawUnit::Number(n) => TermUnit::Number(n),
                RawUnit::Unity => TermUnit::Unity,
            },
            exponent: Ratio::from_integer(t.exponent),
            annotation: t.annotation,
        })
        .collect();
    UnitExpr {
        notation: Notation::Ucum,
        terms,
    }
}

/// Parses a UCUM case-sensitive expression (`kg.m/s2`, `mmol/(8.h)`, `10*3/uL`,
/// `{rbc}`, `Cel`).
pub fn parse(text: &str) -> Result<UnitExpr, ParseError> {
    let (raw, _) = parse_raw(text, TableResolver, false)?;
    Ok(to_expr(raw))
}

/// The UCUM display name of an expression in the style of the UCUM functional tests (the
/// formal structure with the print names of the table): `(meter ^ 3) * (kilogram ^ -1)`,
/// `(millimeter)`; `(unity)` for the empty expression.
pub fn display_name(text: &str) -> Result<String, ParseError> {
    if text.is_empty() {
        return Ok("(unity)".to_string());
    }
    let (_, names) = parse_raw(text, TableResolver, true)?;
    Ok(names.unwrap_or_default())
}

/// Prints an expression whose atoms are UCUM atoms: terms joined by `.`, terms with negative
/// exponents written after `/` (`mg/dL`, `m3/kg/s2`, `/min`), `10*` keeping its signed exponent
/// (`10*-7.s`). The empty expression is `1`.
pub fn print(expr: &UnitExpr) -> Result<String, PrintError> {
    let mut out = String::new();
    for t in &expr.terms {
        if !t.exponent.is_integer() {
            return Err(PrintError::new(format!(
                "UCUM has only integer exponents (exponent {} of a term)",
                t.exponent
            )));
        }
        let e = *t.exponent.numer();
        let keep_sign = matches!(&t.unit, TermUnit::Atom { atom, .. } if atom.code == "10*" || atom.code == "10^");
        let (op, e) = if e < 0 && !keep_sign {
            ('/', e.checked_neg().unwrap_or(i32::MAX))
        } else {
            ('.', e)
        };
        if !out.is_empty() || op == '/' {
            out.push(op);
        }
        match &t.unit {
            TermUnit::Atom { prefix, atom } => {
                if atom.notation != Notation::Ucum {
                    return Err(PrintError::new(format!(
                        "'{}' is not a UCUM atom",
                        atom.code
                    )));
                }
                if let Some(p) = prefix {
                    out.push_str(&p.code);
                }
                out.push_str(&atom.code);
                if e != 1 {
                    let _ = write!(out, "{e}");
                }
            }
            TermUnit::Number(n) => {
                if e == 1 {
                    let _ = write!(out, "{n}");
                } else if (0..=64).contains(&e) {
                    let _ = write!(out, "{}", num_traits::pow::pow(n.clone(), e as usize));
                } else {
                    return Err(PrintError::new(format!("number {n} with exponent {e}")));
                }
            }
            TermUnit::Unity => {
                if t.annotation.is_none() {
                    out.push('1');
                }
            }
        }
        if let Some(a) = &t.annotation {
            out.push('{');
            out.push_str(a);
            out.push('}');
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
    fn basics() {
        assert!(parse("m").is_ok());
        assert_eq!(
            parse("m/").unwrap_err().to_string(),
            "at 2: '/' is not followed by a term"
        );
        assert!(parse("rad2{錠}").is_err());
        assert!(parse("{a}rad2{b}").is_err());
        assert!(parse("g/12h").is_err());
        assert!(parse("ug(8.h)").is_err());
        assert_eq!(
            parse("xyz").unwrap_err().to_string(),
            "at 0: unknown unit 'xyz'"
        );
        assert_eq!(print(&parse("m3.kg-1.s-2").unwrap()).unwrap(), "m3/kg/s2");
        assert_eq!(
            print(&parse("4.[pi].10*-7.N/A2").unwrap()).unwrap(),
            "4.[pi].10*-7.N/A2"
        );
        assert_eq!(
            display_name("m3.kg-1.s-2").unwrap(),
            "(meter ^ 3) * (kilogram ^ -1) * (second ^ -2)"
        );
    }
}
