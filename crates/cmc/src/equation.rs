//! Uncertainty equations of CMCs: parsed into a typed expression, checked against the units of
//! the CMC, and compiled into a small program that evaluates the expanded uncertainty at a
//! measured value with float arithmetic only.
//!
//! # What is read
//!
//! The free-text forms found in the KCDB (`uncertaintyEquation.equation`):
//!
//! | text | meaning |
//! |---|---|
//! | `Q[0.5, 0.1] µV/V` | √(0.5² + 0.1²) µV/V |
//! | `Q[0.3 µV/V, 0.2 µV]` | √((0.3 µV/V · V)² + (0.2 µV)²), V the measured voltage |
//! | `(0.4 + 2.5/f) %` | (0.4 + 2.5 / f) %, f the measured value |
//! | `2 µΩ/Ω + 0.1 µΩ` | 2 µΩ/Ω · R + 0.1 µΩ |
//! | `Q[20, 0.3*l] nm, l in mm` | √(20² + (0.3 l)²) nm, l the measured length in mm |
//! | `U = 1.2 × 10⁻⁶ · x` | a left-hand side is skipped; `×`, `·`, `*`, `^`, superscripts |
//!
//! `Q[a, b, ...]` is the root sum of squares √(a² + b² + ...), the quadrature-sum notation of
//! KCDB uncertainty statements (Q[a, b] = (a² + b²)^½). `sqrt(...)`
//! and `√(...)` are square roots. A number followed directly by a unit (`0.2 µV`, `(…) %`,
//! `Q[…] µV/V`) is a quantity; units are read by [`crate::unit::KcdbUnit`] and must be written
//! without spaces inside (`W/(m·K)`, not `W/(m K)`). A name that is not a unit is a variable
//! (`x`, `V`, `R`, `f`, `l`, `λ`); use `*` to multiply a number by a variable whose name is also
//! a unit symbol (`0.3*V`; `0.3 V` is 0.3 volt). A trailing clause `, f in kHz` (or `; ...`,
//! `where ...`, `with ...`), or the same words in the equation's comment, gives the unit in
//! which a variable is expressed.
//!
//! # Units and meaning (KCDB conventions)
//!
//! * A number without unit takes the unit of the CMC's uncertainty (`Q[0.5, 0.1]` with
//!   uncertainty unit `µV/V`).
//! * A variable is the numerical value of the measured quantity in the measurand's unit (or in
//!   the unit its clause gives). A variable whose unit is not of the measurand's kind is a
//!   parameter (frequency of an AC voltage CMC): such an equation cannot be evaluated from the
//!   measured value alone and is refused with [`EquationErrorKind::Parameter`].
//! * In a sum or a `Q[...]`, a dimensionless term beside a term in the measurand's unit is
//!   relative to the measured value (`2 µΩ/Ω + 0.1 µΩ` is 2 × 10⁻⁶ · R + 0.1 µΩ): the reading
//!   of a relative part beside an absolute floor in CMC uncertainty statements.
//! * A dimensionless result is relative to the measured value (`U = u_rel · |x|`) when the
//!   measurand has a dimension; for a dimensionless measurand, `uncertaintyMode` decides.
//!   Relative means relative to the value in coherent SI: a ratio of quantity values, so that
//!   on an affine scale it is the thermodynamic temperature in kelvin, not the value in °C (a
//!   value on an interval scale is not a ratio); on a logarithmic scale, the level.
//!
//! Everything else — a number added to a quantity with a unit, a unit applied twice, a result
//! in the wrong unit, several variables — is a typed [`EquationError`] naming the character
//! position; the CMC keeps its raw text and still answers range questions.

use std::fmt;

use num_rational::Ratio;
use sevres_si::si_text::superscript_digit;
use sevres_si::Dimension;

use crate::model::UncertaintyMode;
use crate::unit::{KcdbUnit, Scale, ScaleKey, UnitCache};

/// Longest equation accepted, in characters.
pub const MAX_LENGTH: usize = 2000;
/// Deepest nesting of brackets accepted.
pub const MAX_DEPTH: usize = 32;
/// Most values and operators in one equation (KCDB equations have a handful; the bound keeps
/// every recursion over the tree shallow).
pub const MAX_NODES: usize = 256;
/// Deepest evaluation stack a compiled program may need.
const MAX_STACK: usize = 16;

/// Why an equation could not be read or does not fit its CMC.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at {position}: {kind}")]
pub struct EquationError {
    /// Character index (0-based) in the equation text.
    pub position: usize,
    /// What is wrong.
    pub kind: EquationErrorKind,
}

/// The reasons of an [`EquationError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EquationErrorKind {
    /// Nothing to read.
    #[error("empty equation")]
    Empty,
    /// Longer than [`MAX_LENGTH`].
    #[error("longer than {MAX_LENGTH} characters")]
    TooLong,
    /// Nested deeper than [`MAX_DEPTH`] or needing too deep a stack.
    #[error("nested too deeply")]
    TooDeep,
    /// More than [`MAX_NODES`] values and operators.
    #[error("more than {MAX_NODES} values and operators")]
    TooComplex,
    /// A character that cannot start or continue anything here.
    #[error("unexpected '{0}'")]
    Unexpected(char),
    /// The text ends where something was expected.
    #[error("unexpected end, expected {0}")]
    End(&'static str),
    /// Something else was expected.
    #[error("expected {expected}, found '{found}'")]
    Expected {
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: char,
    },
    /// A malformed number.
    #[error("malformed number '{0}'")]
    Number(String),
    /// A unit that [`KcdbUnit`] cannot read.
    #[error("unknown unit '{text}': {reason}")]
    Unit {
        /// The unit text.
        text: String,
        /// Why.
        reason: String,
    },
    /// A function other than `Q` or `sqrt`.
    #[error("unknown function '{0}' (expected Q[...] or sqrt(...))")]
    Function(String),
    /// `Q[]` without arguments.
    #[error("Q[...] needs at least one argument")]
    NoArguments,
    /// A number without unit combined with a quantity with a unit.
    #[error("a number without unit is combined with a quantity in {unit}; write its unit")]
    Bare {
        /// The kind of the quantity with a unit.
        unit: String,
    },
    /// Two quantities of different kinds added.
    #[error("cannot add a quantity of dimension {left} to one of dimension {right}")]
    Incommensurable {
        /// Kind of the left operand.
        left: String,
        /// Kind of the right operand.
        right: String,
    },
    /// A unit applied to something that already has one.
    #[error("a unit is applied to a quantity that already has a unit")]
    UnitTwice,
    /// A power of a quantity that is not a rational number.
    #[error("a quantity with a unit raised to the non-rational power {0}")]
    Power(String),
    /// Logarithmic or arbitrary units multiplied.
    #[error("units on a logarithmic or arbitrary scale cannot be multiplied")]
    LevelProduct,
    /// The equation has no unit and the CMC gives none.
    #[error("the equation has no unit and the CMC gives no uncertainty unit")]
    NoUnit,
    /// A variable appears but the measurand has no readable unit.
    #[error("variable '{0}' needs the measurand's unit, which is missing or unreadable")]
    NoMeasurand(String),
    /// The result is of another kind than the measurand.
    #[error("the equation gives dimension {found}, the measurand has dimension {expected}")]
    Dimension {
        /// Kind of the result.
        found: String,
        /// Kind of the measurand.
        expected: String,
    },
    /// More than one variable.
    #[error("several variables ({0}); only the measured value can be bound")]
    Variables(String),
    /// A variable in a unit of another kind than the measurand: a parameter.
    #[error("variable '{name}' is in {unit}, not of the measurand's kind: it is a parameter, not the measured value")]
    Parameter {
        /// The variable.
        name: String,
        /// Its unit.
        unit: String,
    },
    /// A clause naming a variable's unit is malformed.
    #[error("malformed unit clause: {0}")]
    Clause(String),
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`, `·`, `×`
    Mul,
    /// `/`
    Div,
}

/// A node of a parsed equation; `position` is the character index where it starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A number.
    Number {
        /// Value.
        value: f64,
        /// Position.
        position: usize,
    },
    /// A number or bracketed expression followed by a unit.
    Quantity {
        /// The value.
        value: Box<Node>,
        /// The unit.
        unit: Box<KcdbUnit>,
        /// Position of the unit.
        position: usize,
    },
    /// A variable.
    Variable {
        /// Name.
        name: String,
        /// Position.
        position: usize,
    },
    /// Negation.
    Neg(Box<Node>),
    /// A binary operation.
    Binary {
        /// Operator.
        op: BinOp,
        /// Left operand.
        left: Box<Node>,
        /// Right operand.
        right: Box<Node>,
        /// Position of the operator.
        position: usize,
    },
    /// A power with a constant exponent.
    Pow {
        /// Base.
        base: Box<Node>,
        /// Exponent.
        exponent: f64,
        /// Position of the exponent.
        position: usize,
    },
    /// `Q[a, b, ...]`: root sum of squares.
    Rss {
        /// Arguments.
        args: Vec<Node>,
        /// Position of `Q`.
        position: usize,
    },
    /// Square root.
    Sqrt {
        /// Argument.
        arg: Box<Node>,
        /// Position.
        position: usize,
    },
}

impl Node {
    fn position(&self) -> usize {
        match self {
            Node::Number { position, .. }
            | Node::Variable { position, .. }
            | Node::Rss { position, .. }
            | Node::Sqrt { position, .. } => *position,
            Node::Quantity { value, .. } => value.position(),
            Node::Neg(n) => n.position().saturating_sub(1),
            Node::Binary { left, .. } => left.position(),
            Node::Pow { base, .. } => base.position(),
        }
    }
}

/// A variable's unit given by a clause (`f in kHz`).
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The variable.
    pub variable: String,
    /// Its unit.
    pub unit: KcdbUnit,
}

/// A parsed uncertainty equation.
#[derive(Debug, Clone, PartialEq)]
pub struct Equation {
    text: String,
    root: Node,
    bindings: Vec<Binding>,
    variables: Vec<String>,
    /// Where each variable first appears.
    variable_positions: Vec<usize>,
}

fn is_unit_start(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '%' | '°' | '℃' | '′' | '″' | '‰' | '\'' | '"')
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
    nodes: usize,
    variables: &'a mut Vec<(String, usize)>,
    units: &'a mut UnitCache,
}

type PResult<T> = Result<T, EquationError>;

impl Parser<'_> {
    fn err(&self, position: usize, kind: EquationErrorKind) -> EquationError {
        EquationError { position, kind }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, i: usize) -> Option<char> {
        self.chars.get(self.pos + i).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn unexpected(&self, expected: &'static str) -> EquationError {
        match self.peek() {
            Some(c) => self.err(self.pos, EquationErrorKind::Expected { expected, found: c }),
            None => self.err(self.pos, EquationErrorKind::End(expected)),
        }
    }

    /// Counts one more value or operator against [`MAX_NODES`].
    fn count(&mut self) -> PResult<()> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(self.err(self.pos, EquationErrorKind::TooComplex));
        }
        Ok(())
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(self.pos, EquationErrorKind::TooDeep));
        }
        Ok(())
    }

    /// expr := [sign] term (('+' | '-') term)*
    fn expr(&mut self) -> PResult<Node> {
        self.enter()?;
        self.skip_spaces();
        let mut left = if matches!(self.peek(), Some('±')) {
            self.pos += 1;
            self.term()?
        } else {
            self.term()?
        };
        loop {
            self.skip_spaces();
            let op = match self.peek() {
                Some('+') => BinOp::Add,
                Some('-' | '−' | '–') => BinOp::Sub,
                _ => break,
            };
            let position = self.pos;
            self.count()?;
            self.pos += 1;
            let right = self.term()?;
            left = Node::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
                position,
            };
        }
        self.depth -= 1;
        Ok(left)
    }

    /// term := unary (('*' | '·' | '×' | '/') unary)*
    fn term(&mut self) -> PResult<Node> {
        let mut left = self.unary()?;
        loop {
            self.skip_spaces();
            let op = match self.peek() {
                Some('*' | '·' | '⋅' | '×' | '∙') => BinOp::Mul,
                Some('/' | '÷') => BinOp::Div,
                _ => break,
            };
            let position = self.pos;
            self.count()?;
            self.pos += 1;
            if op == BinOp::Mul && self.peek() == Some('*') {
                return Err(self.err(self.pos, EquationErrorKind::Unexpected('*')));
            }
            let right = self.unary()?;
            left = fold_scientific(op, left, right, position);
        }
        Ok(left)
    }

    /// unary := ('-' | '+') unary | power
    fn unary(&mut self) -> PResult<Node> {
        self.skip_spaces();
        match self.peek() {
            Some('-' | '−' | '–') => {
                self.pos += 1;
                self.enter()?;
                let n = self.unary()?;
                self.depth -= 1;
                Ok(Node::Neg(Box::new(n)))
            }
            Some('+') => {
                self.pos += 1;
                self.enter()?;
                let n = self.unary();
                self.depth -= 1;
                n
            }
            _ => self.power(),
        }
    }

    /// power := postfix [('^' | '**') exponent | superscripts]
    fn power(&mut self) -> PResult<Node> {
        let base = self.postfix()?;
        let save = self.pos;
        self.skip_spaces();
        let position = self.pos;
        let exponent = match self.peek() {
            Some('^') => {
                self.pos += 1;
                Some(self.exponent()?)
            }
            Some('⁻' | '⁺') => Some(self.superscript_exponent()?),
            Some(c) if superscript_digit(c).is_some() => Some(self.superscript_exponent()?),
            _ => None,
        };
        match exponent {
            None => {
                self.pos = save;
                Ok(base)
            }
            Some(exponent) => Ok(fold_power(base, exponent, position)),
        }
    }

    fn exponent(&mut self) -> PResult<f64> {
        self.skip_spaces();
        let paren = self.peek() == Some('(');
        if paren {
            self.pos += 1;
            self.skip_spaces();
        }
        let negative = match self.peek() {
            Some('-' | '−' | '–') => {
                self.pos += 1;
                true
            }
            Some('+') => {
                self.pos += 1;
                false
            }
            _ => false,
        };
        let start = self.pos;
        let Some(v) = self.number_text()? else {
            return Err(self.unexpected("an exponent"));
        };
        let mut v = v.parse::<f64>().map_err(|_| {
            self.err(
                start,
                EquationErrorKind::Number(self.chars[start..self.pos].iter().collect()),
            )
        })?;
        if paren {
            self.skip_spaces();
            if self.peek() == Some('/') {
                self.pos += 1;
                self.skip_spaces();
                let s = self.pos;
                let Some(d) = self.number_text()? else {
                    return Err(self.unexpected("a denominator"));
                };
                let d: f64 = d
                    .parse()
                    .map_err(|_| self.err(s, EquationErrorKind::Number(d.clone())))?;
                v /= d;
            }
            self.skip_spaces();
            if self.peek() != Some(')') {
                return Err(self.unexpected("')'"));
            }
            self.pos += 1;
        }
        Ok(if negative { -v } else { v })
    }

    fn superscript_exponent(&mut self) -> PResult<f64> {
        let negative = match self.peek() {
            Some('⁻') => {
                self.pos += 1;
                true
            }
            Some('⁺') => {
                self.pos += 1;
                false
            }
            _ => false,
        };
        let mut v: f64 = 0.0;
        let start = self.pos;
        while let Some(d) = self.peek().and_then(superscript_digit) {
            v = v * 10.0 + f64::from(d);
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.unexpected("superscript digits"));
        }
        Ok(if negative { -v } else { v })
    }

    /// The digits of a number at the cursor (`12`, `0.5`, `.5`, `1e-6`), or `None`.
    fn number_text(&mut self) -> PResult<Option<String>> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos - s
        };
        let int = digits(self);
        let mut frac = 0;
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            frac = digits(self);
        } else if int > 0 && self.peek() == Some('.') {
            // "5." is a number.
            self.pos += 1;
        }
        if int == 0 && frac == 0 {
            self.pos = start;
            return Ok(None);
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-' | '−')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                self.pos = save;
            }
        }
        let text: String = self.chars[start..self.pos]
            .iter()
            .map(|&c| if c == '−' { '-' } else { c })
            .collect();
        Ok(Some(text))
    }

    /// A unit written right after a value, if any: the run of characters up to a space, `,`,
    /// `;`, `]`, `)` (unbalanced), `+`, `*`, `×`, `^` after a space, or `-` not followed by a
    /// digit.
    fn unit_span(&mut self) -> Option<(usize, String)> {
        let save = self.pos;
        self.skip_spaces();
        let start = self.pos;
        if !self.peek().is_some_and(is_unit_start) {
            self.pos = save;
            return None;
        }
        let mut depth = 0usize;
        let mut text = String::new();
        while let Some(c) = self.peek() {
            let stop = match c {
                c if c.is_whitespace() => true,
                ',' | ';' | ']' | '+' | '*' | '×' | '=' => true,
                '(' => {
                    if text.ends_with(['/', '.', '·']) {
                        depth += 1;
                        false
                    } else {
                        true
                    }
                }
                ')' => {
                    if depth == 0 {
                        true
                    } else {
                        depth -= 1;
                        false
                    }
                }
                '-' | '−' => !self.peek_at(1).is_some_and(|d| d.is_ascii_digit()),
                _ => false,
            };
            if stop {
                break;
            }
            text.push(c);
            self.pos += 1;
        }
        Some((start, text))
    }

    /// postfix := primary [unit]
    fn postfix(&mut self) -> PResult<Node> {
        let (node, takes_unit) = self.primary()?;
        if !takes_unit {
            return Ok(node);
        }
        let save = self.pos;
        let Some((position, text)) = self.unit_span() else {
            return Ok(node);
        };
        let read = self.units.get(&text).cloned().map_err(|e| e.reason.clone());
        match read {
            Ok(unit) => Ok(Node::Quantity {
                value: Box::new(node),
                unit: Box::new(unit),
                position,
            }),
            Err(e) => {
                if is_identifier(&text)
                    && !is_clause_word(&text)
                    && !text.eq_ignore_ascii_case("in")
                {
                    // `0.3 x`: a number times a variable.
                    self.note_variable(&text, position);
                    Ok(Node::Binary {
                        op: BinOp::Mul,
                        left: Box::new(node),
                        right: Box::new(Node::Variable {
                            name: text,
                            position,
                        }),
                        position,
                    })
                } else if is_clause_word(&text) {
                    self.pos = save;
                    Ok(node)
                } else {
                    Err(self.err(position, EquationErrorKind::Unit { text, reason: e }))
                }
            }
        }
    }

    fn note_variable(&mut self, name: &str, position: usize) {
        if !self.variables.iter().any(|(v, _)| v == name) {
            self.variables.push((name.to_string(), position));
        }
    }

    fn identifier(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '_' {
                s.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        s
    }

    /// The arguments of `Q[...]` up to the closing bracket.
    fn arguments(&mut self, close: char) -> PResult<Vec<Node>> {
        let mut args = Vec::new();
        self.skip_spaces();
        if self.peek() == Some(close) {
            return Ok(args);
        }
        loop {
            args.push(self.expr()?);
            self.skip_spaces();
            match self.peek() {
                Some(',' | ';') => self.pos += 1,
                Some(c) if c == close => return Ok(args),
                _ => {
                    return Err(self.unexpected(if close == ']' {
                        "',' or ']'"
                    } else {
                        "',' or ')'"
                    }))
                }
            }
        }
    }

    /// primary := number | '(' expr ')' | '[' expr ']' | Q[...] | sqrt(...) | √x | variable.
    /// Returns the node and whether a unit may follow it.
    fn primary(&mut self) -> PResult<(Node, bool)> {
        self.skip_spaces();
        self.count()?;
        let position = self.pos;
        let Some(c) = self.peek() else {
            return Err(self.err(self.pos, EquationErrorKind::End("a value")));
        };
        if c.is_ascii_digit() || c == '.' {
            let Some(text) = self.number_text()? else {
                return Err(self.err(position, EquationErrorKind::Unexpected(c)));
            };
            let value: f64 = text
                .parse()
                .map_err(|_| self.err(position, EquationErrorKind::Number(text.clone())))?;
            if !value.is_finite() {
                return Err(self.err(position, EquationErrorKind::Number(text)));
            }
            return Ok((Node::Number { value, position }, true));
        }
        if c == '(' || c == '[' {
            let close = if c == '(' { ')' } else { ']' };
            self.pos += 1;
            self.enter()?;
            let e = self.expr()?;
            self.depth -= 1;
            self.skip_spaces();
            if self.peek() != Some(close) {
                return Err(self.unexpected(if close == ')' { "')'" } else { "']'" }));
            }
            self.pos += 1;
            return Ok((e, true));
        }
        if c == '√' {
            self.pos += 1;
            self.enter()?;
            let arg = self.power()?;
            self.depth -= 1;
            return Ok((
                Node::Sqrt {
                    arg: Box::new(arg),
                    position,
                },
                true,
            ));
        }
        if c.is_alphabetic() {
            let name = self.identifier();
            let after = self.pos;
            self.skip_spaces();
            let open = self.peek();
            match (name.as_str(), open) {
                ("Q" | "q", Some('[' | '(')) => {
                    let close = if open == Some('[') { ']' } else { ')' };
                    self.pos += 1;
                    self.enter()?;
                    let args = self.arguments(close)?;
                    self.depth -= 1;
                    self.pos += 1;
                    if args.is_empty() {
                        return Err(self.err(position, EquationErrorKind::NoArguments));
                    }
                    return Ok((Node::Rss { args, position }, true));
                }
                ("sqrt" | "SQRT" | "Sqrt", Some('(' | '[')) => {
                    let close = if open == Some('(') { ')' } else { ']' };
                    self.pos += 1;
                    self.enter()?;
                    let arg = self.expr()?;
                    self.depth -= 1;
                    self.skip_spaces();
                    if self.peek() != Some(close) {
                        return Err(self.unexpected("')'"));
                    }
                    self.pos += 1;
                    return Ok((
                        Node::Sqrt {
                            arg: Box::new(arg),
                            position,
                        },
                        true,
                    ));
                }
                (_, Some('[')) => {
                    return Err(self.err(position, EquationErrorKind::Function(name)));
                }
                _ => {}
            }
            self.pos = after;
            self.note_variable(&name, position);
            return Ok((Node::Variable { name, position }, false));
        }
        Err(self.err(position, EquationErrorKind::Unexpected(c)))
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(char::is_alphabetic)
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && s.chars().count() <= 12
}

fn is_clause_word(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "where" | "with" | "for" | "and"
    )
}

/// `a × 10^n` with literal `a` and integer `n` is folded into one correctly rounded literal.
fn fold_scientific(op: BinOp, left: Node, right: Node, position: usize) -> Node {
    if op == BinOp::Mul {
        if let (
            Node::Number {
                value: a,
                position: p,
            },
            Node::Number {
                value: b,
                position: q,
            },
        ) = (&left, &right)
        {
            // `10^n` was folded by fold_power into a literal power of ten; only fold that case.
            if *q > *p && b.is_finite() && *b > 0.0 && b.log10().fract() == 0.0 {
                let e = b.log10() as i32;
                if let Ok(v) = format!("{a:e}").split_once('e').map_or(Err(()), |(m, x)| {
                    x.parse::<i32>()
                        .map_err(|_| ())
                        .and_then(|x| format!("{m}e{}", x + e).parse::<f64>().map_err(|_| ()))
                }) {
                    return Node::Number {
                        value: v,
                        position: *p,
                    };
                }
            }
        }
    }
    Node::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
        position,
    }
}

/// `10^n` with integer `n` becomes the literal `1en` (exact decimal reading); other powers stay.
fn fold_power(base: Node, exponent: f64, position: usize) -> Node {
    if let Node::Number { value, position: p } = base {
        if value == 10.0 && exponent.fract() == 0.0 && exponent.abs() <= 300.0 {
            if let Ok(v) = format!("1e{}", exponent as i32).parse::<f64>() {
                return Node::Number {
                    value: v,
                    position: p,
                };
            }
        }
    }
    Node::Pow {
        base: Box::new(base),
        exponent,
        position,
    }
}

/// Reads the unit in a clause: the remaining words up to `,`, `;`, ` and ` or the end.
fn clause_unit(words: &str) -> Option<KcdbUnit> {
    let w = words.trim().trim_end_matches('.').trim();
    KcdbUnit::parse(w).ok()
}

/// Parses bindings `f in kHz`, `V is in volts`, `l expressed in mm`, separated by `,`, `;`
/// or `and`, from `text` (the clause after the expression). Errors name the offset in `text`.
fn parse_clause(text: &str, offset: usize) -> Result<Vec<Binding>, EquationError> {
    let mut out = Vec::new();
    let mut at = offset;
    for part in text.split([',', ';']) {
        let len = part.chars().count() + 1;
        for piece in part.split(" and ") {
            let p = piece.trim();
            let p = p
                .strip_prefix("where ")
                .or_else(|| p.strip_prefix("with "))
                .or_else(|| p.strip_prefix("for "))
                .unwrap_or(p)
                .trim();
            if p.is_empty() {
                continue;
            }
            let Some((name, rest)) = p.split_once(char::is_whitespace) else {
                return Err(EquationError {
                    position: at,
                    kind: EquationErrorKind::Clause(format!(
                        "'{p}': expected '<variable> in <unit>'"
                    )),
                });
            };
            let Some(idx) = rest.find("in ") else {
                return Err(EquationError {
                    position: at,
                    kind: EquationErrorKind::Clause(format!(
                        "'{p}': expected '<variable> in <unit>'"
                    )),
                });
            };
            let unit_text = &rest[idx + 3..];
            match clause_unit(unit_text) {
                Some(unit) if is_identifier(name) => out.push(Binding {
                    variable: name.to_string(),
                    unit,
                }),
                _ => {
                    return Err(EquationError {
                        position: at,
                        kind: EquationErrorKind::Clause(format!(
                            "'{p}': '{}' is not a unit",
                            unit_text.trim()
                        )),
                    })
                }
            }
        }
        at += len;
    }
    Ok(out)
}

/// Looks for `<variable> in <unit>` (also `is in`, `expressed in`, `in units of`) in a free-text
/// comment; the first readable unit wins.
fn binding_from_comment(comment: &str, variable: &str) -> Option<KcdbUnit> {
    let words: Vec<&str> = comment
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if *w != variable {
            continue;
        }
        for j in i + 1..(i + 7).min(words.len()) {
            if words[j] == "in" {
                let mut k = j + 1;
                if words.get(k) == Some(&"units") && words.get(k + 1) == Some(&"of") {
                    k += 2;
                }
                if let Some(u) = words.get(k).and_then(|u| clause_unit(u)) {
                    return Some(u);
                }
                break;
            }
        }
    }
    None
}

impl Equation {
    /// Parses an equation (see the module documentation for the forms read).
    pub fn parse(text: &str) -> Result<Equation, EquationError> {
        Equation::parse_with(text, &mut UnitCache::new())
    }

    /// [`Equation::parse`], reading units through a shared cache.
    pub fn parse_with(text: &str, units: &mut UnitCache) -> Result<Equation, EquationError> {
        let count = text.chars().count();
        if count > MAX_LENGTH {
            return Err(EquationError {
                position: MAX_LENGTH,
                kind: EquationErrorKind::TooLong,
            });
        }
        let chars: Vec<char> = text.chars().collect();
        let mut start = 0;
        // A left-hand side `U =`, `U(x) =`, `U_95 =` is skipped.
        if let Some(eq) = chars.iter().position(|&c| c == '=') {
            let lhs: String = chars[..eq].iter().collect();
            let lhs = lhs.trim();
            let name_ok = |s: &str| is_identifier(s.trim());
            let ok = match lhs.split_once('(') {
                Some((n, rest)) => {
                    name_ok(n) && rest.trim_end().ends_with(')') && {
                        let inner = rest.trim_end().trim_end_matches(')');
                        name_ok(inner)
                    }
                }
                None => name_ok(lhs),
            };
            if ok {
                start = eq + 1;
            }
        }
        let mut variables = Vec::new();
        let mut p = Parser {
            chars,
            pos: start,
            depth: 0,
            nodes: 0,
            variables: &mut variables,
            units,
        };
        p.skip_spaces();
        if p.peek().is_none() {
            return Err(EquationError {
                position: p.pos,
                kind: EquationErrorKind::Empty,
            });
        }
        let root = p.expr()?;
        p.skip_spaces();
        let mut bindings = Vec::new();
        if let Some(c) = p.peek() {
            let rest: String = p.chars[p.pos..].iter().collect();
            let word = rest
                .split(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or_default();
            if matches!(c, ',' | ';') {
                bindings = parse_clause(&rest[c.len_utf8()..], p.pos + 1)?;
            } else if is_clause_word(word) {
                bindings = parse_clause(&rest, p.pos)?;
            } else {
                return Err(EquationError {
                    position: p.pos,
                    kind: EquationErrorKind::Unexpected(c),
                });
            }
        }
        Ok(Equation {
            text: text.to_string(),
            root,
            bindings,
            variable_positions: variables.iter().map(|(_, p)| *p).collect(),
            variables: variables.into_iter().map(|(v, _)| v).collect(),
        })
    }

    /// The text as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The expression tree.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// The variables, in order of appearance.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    /// The units given to variables by a trailing clause.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Checks the equation against its CMC's units and compiles it (see [`Context`]).
    pub fn compile(&self, ctx: &Context<'_>) -> Result<Program, EquationError> {
        compile(self, ctx)
    }
}

/// What an equation is checked and compiled against: the units of its CMC.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The measurand's scale (the unit of the measurand range).
    pub measurand: Option<&'a Scale>,
    /// The unit of the uncertainty (taken by numbers without unit).
    pub uncertainty_unit: Option<&'a KcdbUnit>,
    /// `uncertaintyMode`.
    pub mode: Option<UncertaintyMode>,
    /// The equation's comment (searched for `<variable> in <unit>`).
    pub comment: &'a str,
}

/// One instruction of a compiled equation (a stack machine over `f64`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    /// Push a constant.
    Push(f64),
    /// Push the measured value in a unit: `(x − b) / a`, `x` in SI.
    Var {
        a: f64,
        b: f64,
    },
    /// Push the magnitude of the measured value in SI, `|x|`: what a relative uncertainty is
    /// relative to.
    Magnitude,
    Add,
    Sub,
    Mul,
    Div,
    Neg,
    Pow(f64),
    Sqrt,
    /// Root sum of squares of the top `n` values.
    Rss(u16),
}

/// A compiled equation: evaluates the absolute expanded uncertainty, in the coherent SI unit of
/// the measurand's kind, at a measured value given in SI (`eval`), with float arithmetic only.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    ops: Box<[Op]>,
    /// Whether the equation is relative (a dimensionless result multiplied by |x|).
    relative: bool,
    /// Multiplier applied to the result (the coverage normalisation; 1 after compiling).
    scale: f64,
}

impl Program {
    /// Whether the equation is relative to the measured value.
    pub fn is_relative(&self) -> bool {
        self.relative
    }

    /// The same program with its result multiplied by `s` (coverage normalisation).
    pub fn scaled(mut self, s: f64) -> Program {
        self.scale *= s;
        self
    }

    /// The expanded uncertainty at the measured value `x` (in SI): `None` when the equation
    /// gives no finite non-negative value there (`2.5/f` at `f = 0`).
    #[inline]
    pub fn eval(&self, x: f64) -> Option<f64> {
        eval_ops(&self.ops, self.scale, x)
    }

    /// The instructions (for indexes that keep programs in one arena).
    pub(crate) fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// The multiplier applied to the result.
    pub(crate) fn scale(&self) -> f64 {
        self.scale
    }
}

/// Runs compiled instructions at `x` and multiplies the result by `scale`; `None` unless the
/// result is finite and non-negative. The instructions come from [`compile`], whose stack never
/// exceeds [`MAX_STACK`]; anything else (an empty or unbalanced list) gives `None`.
#[inline]
pub(crate) fn eval_ops(ops: &[Op], scale: f64, x: f64) -> Option<f64> {
    let mut stack = [0f64; MAX_STACK];
    let mut sp = 0usize;
    for op in ops {
        match *op {
            Op::Push(_) | Op::Var { .. } | Op::Magnitude => {
                let v = match *op {
                    Op::Push(v) => v,
                    Op::Var { a, b } => (x - b) / a,
                    Op::Magnitude => x.abs(),
                    _ => return None,
                };
                *stack.get_mut(sp)? = v;
                sp += 1;
            }
            Op::Add | Op::Sub | Op::Mul | Op::Div => {
                if sp < 2 {
                    return None;
                }
                sp -= 1;
                let r = stack[sp];
                let l = &mut stack[sp - 1];
                match *op {
                    Op::Add => *l += r,
                    Op::Sub => *l -= r,
                    Op::Mul => *l *= r,
                    _ => *l /= r,
                }
            }
            Op::Neg | Op::Pow(_) | Op::Sqrt => {
                let v = stack.get_mut(sp.checked_sub(1)?)?;
                *v = match *op {
                    Op::Neg => -*v,
                    Op::Pow(e) => v.powf(e),
                    _ => v.sqrt(),
                };
            }
            Op::Rss(n) => {
                let n = usize::from(n);
                if n == 0 || n > sp {
                    return None;
                }
                let s: f64 = stack[sp - n..sp].iter().map(|v| v * v).sum();
                sp -= n;
                stack[sp] = s.sqrt();
                sp += 1;
            }
        }
    }
    let u = stack[0] * scale;
    (sp == 1 && u.is_finite() && u >= 0.0).then_some(u)
}

/// The type of a compiled node: a number without unit, or a quantity of a kind (in SI).
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Bare,
    Kind(ScaleKey),
}

fn one() -> ScaleKey {
    ScaleKey {
        dimension: Dimension::ONE,
        level: None,
        arbitrary: String::new(),
    }
}

fn kind_name(k: &ScaleKey) -> String {
    k.to_string()
}

struct Compiler<'a> {
    ctx: &'a Context<'a>,
    bindings: &'a [Binding],
}

type Compiled = (Vec<Op>, Ty);

impl Compiler<'_> {
    fn measurand_key(&self) -> Option<&ScaleKey> {
        self.ctx.measurand.map(|s| &s.key)
    }

    /// The magnitude op for making a dimensionless term relative to the measured value.
    fn magnitude(&self) -> Option<Op> {
        self.ctx.measurand.map(|_| Op::Magnitude)
    }

    /// Brings terms to a common kind for a sum or a `Q[...]`: equal kinds; or dimensionless
    /// terms beside terms of the measurand's kind, which become relative (× |x|).
    fn unify(
        &self,
        mut parts: Vec<(Compiled, usize)>,
    ) -> Result<(Vec<Vec<Op>>, Ty), EquationError> {
        let bare = parts
            .iter()
            .find(|((_, t), _)| *t == Ty::Bare)
            .map(|(_, p)| *p);
        let kinded = parts.iter().find_map(|((_, t), p)| match t {
            Ty::Kind(k) => Some((k.clone(), *p)),
            Ty::Bare => None,
        });
        match (bare, kinded) {
            (Some(position), Some((k, _))) => {
                return Err(EquationError {
                    position,
                    kind: EquationErrorKind::Bare {
                        unit: kind_name(&k),
                    },
                })
            }
            (Some(_), None) => {
                return Ok((parts.into_iter().map(|((o, _), _)| o).collect(), Ty::Bare))
            }
            _ => {}
        }
        let mut kinds: Vec<ScaleKey> = Vec::new();
        for ((_, t), _) in &parts {
            if let Ty::Kind(k) = t {
                if !kinds.contains(k) {
                    kinds.push(k.clone());
                }
            }
        }
        let target = match kinds.as_slice() {
            [k] => k.clone(),
            [a, b]
                if (*a == one() || *b == one())
                    && self.measurand_key().is_some_and(|m| m == a || m == b) =>
            {
                if *a == one() {
                    b.clone()
                } else {
                    a.clone()
                }
            }
            _ => {
                let (left, right) = (kinds.first(), kinds.get(1));
                let position = parts
                    .iter()
                    .find(|((_, t), _)| Some(t) == right.map(|k| Ty::Kind(k.clone())).as_ref())
                    .map_or(0, |(_, p)| *p);
                return Err(EquationError {
                    position,
                    kind: EquationErrorKind::Incommensurable {
                        left: left.map(kind_name).unwrap_or_default(),
                        right: right.map(kind_name).unwrap_or_default(),
                    },
                });
            }
        };
        let mag = self.magnitude();
        let mut out = Vec::with_capacity(parts.len());
        for ((ops, t), _) in parts.iter_mut() {
            let mut ops = std::mem::take(ops);
            if *t == Ty::Kind(one()) && target != one() {
                if let Some(m) = mag {
                    ops.push(m);
                    ops.push(Op::Mul);
                }
            }
            out.push(ops);
        }
        Ok((out, Ty::Kind(target)))
    }

    fn node(&self, n: &Node) -> Result<Compiled, EquationError> {
        match n {
            Node::Number { value, .. } => Ok((vec![Op::Push(*value)], Ty::Bare)),
            Node::Variable { name, position } => {
                let Some(measurand) = self.ctx.measurand else {
                    return Err(EquationError {
                        position: *position,
                        kind: EquationErrorKind::NoMeasurand(name.clone()),
                    });
                };
                let bound = self
                    .bindings
                    .iter()
                    .find(|b| b.variable == *name)
                    .map(|b| b.unit.clone())
                    .or_else(|| binding_from_comment(self.ctx.comment, name));
                let scale = match &bound {
                    Some(u) if u.scale.key != measurand.key => {
                        return Err(EquationError {
                            position: *position,
                            kind: EquationErrorKind::Parameter {
                                name: name.clone(),
                                unit: u.text.clone(),
                            },
                        })
                    }
                    Some(u) => &u.scale,
                    None => measurand,
                };
                Ok((
                    vec![Op::Var {
                        a: scale.factor,
                        b: scale.offset,
                    }],
                    Ty::Bare,
                ))
            }
            Node::Quantity {
                value,
                unit,
                position,
            } => {
                let (mut ops, ty) = self.node(value)?;
                if ty != Ty::Bare {
                    return Err(EquationError {
                        position: *position,
                        kind: EquationErrorKind::UnitTwice,
                    });
                }
                if let [Op::Push(v)] = ops.as_slice() {
                    ops = vec![Op::Push(unit.scale.interval_to_si(*v))];
                } else {
                    ops.push(Op::Push(unit.scale.factor));
                    ops.push(Op::Mul);
                }
                Ok((ops, Ty::Kind(unit.scale.key.clone())))
            }
            Node::Neg(inner) => {
                let (mut ops, ty) = self.node(inner)?;
                ops.push(Op::Neg);
                Ok((ops, ty))
            }
            Node::Binary {
                op,
                left,
                right,
                position,
            } => {
                let l = self.node(left)?;
                let r = self.node(right)?;
                match op {
                    BinOp::Add | BinOp::Sub => {
                        let (mut parts, ty) =
                            self.unify(vec![(l, left.position()), (r, right.position())])?;
                        let mut ops = parts.remove(0);
                        ops.append(&mut parts[0]);
                        ops.push(if *op == BinOp::Add { Op::Add } else { Op::Sub });
                        Ok((ops, ty))
                    }
                    BinOp::Mul | BinOp::Div => {
                        let ty = product(&l.1, &r.1, *op == BinOp::Div).ok_or(EquationError {
                            position: *position,
                            kind: EquationErrorKind::LevelProduct,
                        })?;
                        let mut ops = l.0;
                        ops.extend(r.0);
                        ops.push(if *op == BinOp::Mul { Op::Mul } else { Op::Div });
                        Ok((ops, ty))
                    }
                }
            }
            Node::Pow {
                base,
                exponent,
                position,
            } => {
                let (mut ops, ty) = self.node(base)?;
                let ty = match ty {
                    Ty::Bare => Ty::Bare,
                    Ty::Kind(k) => Ty::Kind(power(&k, *exponent).ok_or(EquationError {
                        position: *position,
                        kind: EquationErrorKind::Power(exponent.to_string()),
                    })?),
                };
                ops.push(Op::Pow(*exponent));
                Ok((ops, ty))
            }
            Node::Sqrt { arg, position } => {
                let (mut ops, ty) = self.node(arg)?;
                let ty = match ty {
                    Ty::Bare => Ty::Bare,
                    Ty::Kind(k) => Ty::Kind(power(&k, 0.5).ok_or(EquationError {
                        position: *position,
                        kind: EquationErrorKind::LevelProduct,
                    })?),
                };
                ops.push(Op::Sqrt);
                Ok((ops, ty))
            }
            Node::Rss { args, position } => {
                let mut parts = Vec::with_capacity(args.len());
                for a in args {
                    parts.push((self.node(a)?, a.position()));
                }
                let (parts, ty) = self.unify(parts)?;
                let n = u16::try_from(parts.len()).map_err(|_| EquationError {
                    position: *position,
                    kind: EquationErrorKind::TooDeep,
                })?;
                let mut ops: Vec<Op> = parts.into_iter().flatten().collect();
                ops.push(Op::Rss(n));
                Ok((ops, ty))
            }
        }
    }
}

/// The kind of a product or quotient; `None` for logarithmic or arbitrary units.
fn product(l: &Ty, r: &Ty, divide: bool) -> Option<Ty> {
    match (l, r) {
        (Ty::Bare, Ty::Bare) => Some(Ty::Bare),
        (Ty::Kind(k), Ty::Bare) => Some(Ty::Kind(k.clone())),
        (Ty::Bare, Ty::Kind(k)) => {
            if divide {
                power(k, -1.0).map(Ty::Kind)
            } else {
                Some(Ty::Kind(k.clone()))
            }
        }
        (Ty::Kind(a), Ty::Kind(b)) => {
            if a.level.is_some()
                || b.level.is_some()
                || !a.arbitrary.is_empty()
                || !b.arbitrary.is_empty()
            {
                return None;
            }
            let d = if divide {
                a.dimension.checked_div(&b.dimension)?
            } else {
                a.dimension.checked_mul(&b.dimension)?
            };
            Some(Ty::Kind(ScaleKey {
                dimension: d,
                level: None,
                arbitrary: String::new(),
            }))
        }
    }
}

/// A kind raised to a power that is an integer or a half-integer.
fn power(k: &ScaleKey, e: f64) -> Option<ScaleKey> {
    if k.level.is_some() || !k.arbitrary.is_empty() {
        return None;
    }
    let twice = e * 2.0;
    if twice.fract() != 0.0 || twice.abs() > 64.0 {
        return None;
    }
    let r = Ratio::new(twice as i32, 2);
    Some(ScaleKey {
        dimension: k.dimension.checked_pow(r)?,
        level: None,
        arbitrary: String::new(),
    })
}

fn stack_depth(ops: &[Op]) -> usize {
    let mut sp: usize = 0;
    let mut max = 0;
    for op in ops {
        match op {
            Op::Push(_) | Op::Var { .. } | Op::Magnitude => sp += 1,
            Op::Add | Op::Sub | Op::Mul | Op::Div => sp = sp.saturating_sub(1),
            Op::Neg | Op::Pow(_) | Op::Sqrt => {}
            Op::Rss(n) => sp = sp.saturating_sub(usize::from(*n)) + 1,
        }
        max = max.max(sp);
    }
    max
}

fn compile(eq: &Equation, ctx: &Context<'_>) -> Result<Program, EquationError> {
    if eq.variables.len() > 1 {
        return Err(EquationError {
            position: eq.variable_positions.get(1).copied().unwrap_or_default(),
            kind: EquationErrorKind::Variables(eq.variables.join(", ")),
        });
    }
    // Errors about the whole result point at its start.
    let at = eq.root.position();
    let c = Compiler {
        ctx,
        bindings: &eq.bindings,
    };
    let (mut ops, mut ty) = c.node(&eq.root)?;
    if ty == Ty::Bare {
        let Some(u) = ctx.uncertainty_unit else {
            return Err(EquationError {
                position: eq.root.position(),
                kind: EquationErrorKind::NoUnit,
            });
        };
        if let [Op::Push(v)] = ops.as_slice() {
            ops = vec![Op::Push(u.scale.interval_to_si(*v))];
        } else {
            ops.push(Op::Push(u.scale.factor));
            ops.push(Op::Mul);
        }
        ty = Ty::Kind(u.scale.key.clone());
    }
    let Ty::Kind(kind) = ty else {
        return Err(EquationError {
            position: at,
            kind: EquationErrorKind::NoUnit,
        });
    };
    let Some(measurand) = ctx.measurand else {
        return Err(EquationError {
            position: at,
            kind: EquationErrorKind::NoMeasurand("the measured value".into()),
        });
    };
    let relative = if kind == one() {
        measurand.key != one() || ctx.mode == Some(UncertaintyMode::Relative)
    } else if kind == measurand.key {
        false
    } else {
        return Err(EquationError {
            position: at,
            kind: EquationErrorKind::Dimension {
                found: kind_name(&kind),
                expected: kind_name(&measurand.key),
            },
        });
    };
    if relative {
        ops.push(Op::Magnitude);
        ops.push(Op::Mul);
    }
    if stack_depth(&ops) > MAX_STACK {
        return Err(EquationError {
            position: at,
            kind: EquationErrorKind::TooDeep,
        });
    }
    Ok(Program {
        ops: ops.into_boxed_slice(),
        relative,
        scale: 1.0,
    })
}

impl fmt::Display for Equation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(t: &str) -> KcdbUnit {
        KcdbUnit::parse(t).unwrap()
    }

    /// Evaluates `text` for a CMC with measurand unit `m`, uncertainty unit `u` and mode, at
    /// the measured value `x` given in the measurand's unit; the result in SI.
    fn eval(text: &str, m: &str, u: Option<&str>, mode: Option<UncertaintyMode>, x: f64) -> f64 {
        let m = unit(m);
        let u = u.map(unit);
        let p = Equation::parse(text)
            .unwrap()
            .compile(&Context {
                measurand: Some(&m.scale),
                uncertainty_unit: u.as_ref(),
                mode,
                comment: "",
            })
            .unwrap();
        p.eval(m.scale.to_si(x)).unwrap()
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-14 * b.abs().max(1e-300), "{a} vs {b}");
    }

    #[test]
    fn rss_relative() {
        // Q[0.5, 0.1] µV/V at 10 V: √(0.5² + 0.1²) × 10⁻⁶ × 10 V.
        let u = eval(
            "Q[0.5, 0.1] µV/V",
            "V",
            None,
            Some(UncertaintyMode::Relative),
            10.0,
        );
        close(u, (0.5f64.powi(2) + 0.1f64.powi(2)).sqrt() * 1e-6 * 10.0);
        // The same numbers with the unit taken from the CMC's uncertainty unit.
        let v = eval("Q[0.5, 0.1]", "V", Some("µV/V"), None, 10.0);
        close(u, v);
    }

    #[test]
    fn rss_mixed_relative_and_absolute() {
        // Q[0.3 µV/V, 0.2 µV] at 5 V: √((0.3e-6 × 5)² + (0.2e-6)²) V.
        let u = eval("Q[0.3 µV/V, 0.2 µV]", "V", None, None, 5.0);
        close(u, ((0.3e-6 * 5.0f64).powi(2) + 0.2e-6f64.powi(2)).sqrt());
        // Measured in mV: the same voltage gives the same uncertainty.
        let w = eval("Q[0.3 µV/V, 0.2 µV]", "mV", None, None, 5000.0);
        close(u, w);
    }

    #[test]
    fn linear_with_reciprocal_variable() {
        // (0.4 + 2.5/f) % at f = 50 Hz: (0.4 + 0.05) % of 50 Hz.
        let u = eval("(0.4 + 2.5/f) %", "Hz", None, None, 50.0);
        close(u, (0.4 + 2.5 / 50.0) / 100.0 * 50.0);
        // The variable is the value in the measurand's unit: in kHz, f = 0.05.
        let v = eval("(0.4 + 2.5/f) %", "kHz", None, None, 0.05);
        close(v, (0.4 + 2.5 / 0.05) / 100.0 * 50.0);
    }

    #[test]
    fn relative_plus_absolute() {
        // 2 µΩ/Ω + 0.1 µΩ at 100 Ω.
        let u = eval("2 µΩ/Ω + 0.1 µΩ", "Ω", None, None, 100.0);
        close(u, 2e-6 * 100.0 + 0.1e-6);
    }

    #[test]
    fn variable_with_clause() {
        // Q[20, 0.3*l] nm, l in mm, at 100 mm measured in m (0.1 m): l = 100.
        let u = eval("Q[20, 0.3*l] nm, l in mm", "m", None, None, 0.1);
        close(u, (20f64.powi(2) + (0.3f64 * 100.0).powi(2)).sqrt() * 1e-9);
        let m = unit("m");
        let p = Equation::parse("Q[20, 0.3*l] nm")
            .unwrap()
            .compile(&Context {
                measurand: Some(&m.scale),
                uncertainty_unit: None,
                mode: None,
                comment: "l is the length in mm",
            })
            .unwrap();
        close(p.eval(0.1).unwrap(), u);
    }

    #[test]
    fn scientific_and_lhs() {
        let a = eval("U = 1.2 × 10⁻⁶ · x", "V", Some("V"), None, 3.0);
        close(a, 1.2e-6 * 3.0);
        let b = eval("U(x) = 1.2*10^-6*x", "V", Some("V"), None, 3.0);
        close(a, b);
    }

    #[test]
    fn errors_name_the_position() {
        let e = Equation::parse("Q[0.5, 0.1 µV/V").unwrap_err();
        assert_eq!(e.position, 15);
        let e = Equation::parse("Q[0.5, 0.1] zorglub/V").unwrap_err();
        assert_eq!(e.position, 12);
        assert!(matches!(e.kind, EquationErrorKind::Unit { .. }));
        let e = Equation::parse("2 µV + ").unwrap_err();
        assert!(matches!(e.kind, EquationErrorKind::End(_)));
        let e = Equation::parse("").unwrap_err();
        assert_eq!(e.kind, EquationErrorKind::Empty);
        // Type errors at compile time.
        let v = unit("V");
        let ctx = Context {
            measurand: Some(&v.scale),
            uncertainty_unit: None,
            mode: None,
            comment: "",
        };
        let e = Equation::parse("0.5 µV + 2")
            .unwrap()
            .compile(&ctx)
            .unwrap_err();
        assert_eq!(e.position, 9);
        assert!(matches!(e.kind, EquationErrorKind::Bare { .. }));
        let e = Equation::parse("0.5 µV + 2 mA")
            .unwrap()
            .compile(&ctx)
            .unwrap_err();
        assert!(matches!(e.kind, EquationErrorKind::Incommensurable { .. }));
        let e = Equation::parse("(0.4 + 2.5/f) %, f in kHz")
            .unwrap()
            .compile(&ctx)
            .unwrap_err();
        assert!(matches!(e.kind, EquationErrorKind::Parameter { .. }));
        let e = Equation::parse("0.1 mA")
            .unwrap()
            .compile(&ctx)
            .unwrap_err();
        assert!(matches!(e.kind, EquationErrorKind::Dimension { .. }));
        let e = Equation::parse("x + y").unwrap().compile(&ctx).unwrap_err();
        assert!(matches!(e.kind, EquationErrorKind::Variables(_)));
        assert_eq!(e.position, 4);
    }
}
