//! Exact conversion between commensurable unit expressions.
//!
//! A [`Conversion`] is computed once from two expressions with exact arithmetic ([`Factor`],
//! exact rational offsets for affine scales) and rounded to `f64` once; applying it to a value
//! is then one multiplication and one addition (or, for special units on non-ratio scales,
//! the UCUM conversion functions of §21–§23). Exact factor arithmetic never happens per value.
//!
//! [`ConversionCache`] memoizes conversions by (notation, from, to) strings and parsed units by
//! (notation, string), so that a batch repeating unit pairs parses each string once.

use std::collections::HashMap;

use num_rational::BigRational;
use num_traits::{Signed, Zero};

use crate::dimension::Dimension;
use crate::expr::{Canonical, CanonicalError, SpecialFunction, UnitExpr};
use crate::factor::Factor;
use crate::notation::{self, Notation, ParseError};

/// Why two expressions cannot be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConvertError {
    /// One of the expressions does not parse.
    #[error("{side} unit: {error}")]
    Parse {
        /// `from` or `to`.
        side: &'static str,
        /// The parse error.
        error: ParseError,
    },
    /// The dimensions differ.
    #[error("{0}")]
    Incommensurable(Box<Incommensurable>),
    /// Arbitrary units (UCUM §24) differ.
    #[error("cannot convert '{from}' to '{to}': '{unit}' is an arbitrary unit (UCUM §24), commensurable only with the same arbitrary unit")]
    Arbitrary {
        /// The source expression.
        from: String,
        /// The target expression.
        to: String,
        /// The arbitrary unit that does not match.
        unit: String,
    },
    /// The expression has no canonical form (special unit in a product, overflow).
    #[error("{0}")]
    Canonical(#[from] CanonicalError),
}

/// Two expressions of different dimensions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot convert '{from}' (dimension {from_dimension}) to '{to}' (dimension {to_dimension}): the dimensions differ")]
pub struct Incommensurable {
    /// The source expression.
    pub from: String,
    /// The target expression.
    pub to: String,
    /// Dimension of the source.
    pub from_dimension: Dimension,
    /// Dimension of the target.
    pub to_dimension: Dimension,
}

/// One side of a non-linear conversion.
#[derive(Debug, Clone, PartialEq)]
enum Side {
    /// A ratio-scale expression: 1 of it is `scale` coherent SI units.
    Ratio(f64),
    /// A special unit.
    Special {
        function: SpecialFunction,
        prefix: f64,
        reference: f64,
        offset: f64,
    },
}

impl Side {
    fn value_to_base(&self, x: f64) -> f64 {
        match self {
            Side::Ratio(s) => x * s,
            Side::Special {
                function,
                prefix,
                reference,
                offset,
            } => {
                let r = function.value_to_ratio(x * prefix, *offset);
                if matches!(function, SpecialFunction::Tan100) {
                    r // radians, whatever the reference angle unit
                } else {
                    r * reference
                }
            }
        }
    }

    fn base_to_value(&self, b: f64) -> f64 {
        match self {
            Side::Ratio(s) => b / s,
            Side::Special {
                function,
                prefix,
                reference,
                offset,
            } => {
                let r = if matches!(function, SpecialFunction::Tan100) {
                    b
                } else {
                    b / reference
                };
                function.ratio_to_value(r, *offset) / prefix
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// `y = x × scale + offset`.
    Linear {
        scale: f64,
        offset: f64,
        exact_scale: Factor,
        exact_offset: Option<BigRational>,
    },
    /// Through coherent SI with the special functions.
    Special { from: Side, to: Side },
}

/// A conversion from one unit expression to another, ready to apply to values.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    kind: Kind,
}

/// Exact `(s, c)` of `base = x × s + c` for one side of a linear conversion; `c` is `None` when
/// it is zero or not rational.
struct Linear {
    scale: Factor,
    offset: Option<BigRational>,
    offset_f64: f64,
}

fn linear_side(c: &Canonical) -> Option<Linear> {
    match &c.special {
        None => Some(Linear {
            scale: c.factor.clone(),
            offset: None,
            offset_f64: 0.0,
        }),
        Some(s) => match &s.function {
            SpecialFunction::Affine { offset } => {
                // base = (p x + offset) × ref = x (p ref) + offset ref
                let exact = if s.reference.is_rational() {
                    Some(offset * s.reference.rational())
                } else {
                    None
                };
                let offset_f64 = match &exact {
                    Some(r) => rational_to_f64(r),
                    None => rational_to_f64(offset) * s.reference.to_f64(),
                };
                Some(Linear {
                    scale: c.factor.clone(),
                    offset: exact,
                    offset_f64,
                })
            }
            _ => None,
        },
    }
}

fn rational_to_f64(r: &BigRational) -> f64 {
    if r.is_zero() {
        return 0.0;
    }
    let mag = match Factor::from_rational(r.abs()) {
        Ok(f) => f.to_f64(),
        Err(_) => f64::NAN,
    };
    if r.is_negative() {
        -mag
    } else {
        mag
    }
}

fn side(c: &Canonical) -> Side {
    match &c.special {
        None => Side::Ratio(c.factor.to_f64()),
        Some(s) => Side::Special {
            function: s.function.clone(),
            prefix: s.prefix.to_f64(),
            reference: s.reference.to_f64(),
            offset: match &s.function {
                SpecialFunction::Affine { offset } => rational_to_f64(offset),
                _ => 0.0,
            },
        },
    }
}

impl Conversion {
    /// The conversion from `from` to `to`: checks dimensions (for a special unit, that of its
    /// reference unit) and arbitrary units, then computes the exact factor and offset.
    pub fn new(from: &UnitExpr, to: &UnitExpr) -> Result<Conversion, ConvertError> {
        let a = from.canonical()?;
        let b = to.canonical()?;
        Conversion::from_canonical(&a, &b, || from.to_string(), || to.to_string())
    }

    /// The conversion between two canonical forms; the closures give the expressions' text
    /// for error messages.
    pub fn from_canonical(
        a: &Canonical,
        b: &Canonical,
        from_text: impl Fn() -> String,
        to_text: impl Fn() -> String,
    ) -> Result<Conversion, ConvertError> {
        if a.dimension != b.dimension {
            return Err(ConvertError::Incommensurable(Box::new(Incommensurable {
                from: from_text(),
                to: to_text(),
                from_dimension: a.dimension,
                to_dimension: b.dimension,
            })));
        }
        if a.arbitrary != b.arbitrary {
            let unit = a
                .arbitrary
                .iter()
                .find(|x| !b.arbitrary.contains(x))
                .or_else(|| b.arbitrary.iter().find(|x| !a.arbitrary.contains(x)))
                .map(|(c, _)| c.clone())
                .unwrap_or_default();
            return Err(ConvertError::Arbitrary {
                from: from_text(),
                to: to_text(),
                unit,
            });
        }
        match (linear_side(a), linear_side(b)) {
            (Some(la), Some(lb)) => {
                // y = x (s1 / s2) + (c1 - c2) / s2
                let exact_scale = la
                    .scale
                    .checked_div(&lb.scale)
                    .map_err(CanonicalError::from)?;
                let scale = exact_scale.to_f64();
                let diff_exact = match (&la.offset, &lb.offset) {
                    (None, None) if la.offset_f64 == 0.0 && lb.offset_f64 == 0.0 => {
                        Some(BigRational::zero())
                    }
                    (Some(x), None) if lb.offset_f64 == 0.0 => Some(x.clone()),
                    (None, Some(y)) if la.offset_f64 == 0.0 => Some(-y.clone()),
                    (Some(x), Some(y)) => Some(x - y),
                    _ => None,
                };
                let (offset, exact_offset) = match diff_exact {
                    Some(d) if d.is_zero() => (0.0, None),
                    Some(d) if lb.scale.is_rational() => {
                        let o = d / lb.scale.rational();
                        (rational_to_f64(&o), Some(o))
                    }
                    _ => ((la.offset_f64 - lb.offset_f64) / lb.scale.to_f64(), None),
                };
                Ok(Conversion {
                    kind: Kind::Linear {
                        scale,
                        offset,
                        exact_scale,
                        exact_offset,
                    },
                })
            }
            _ => Ok(Conversion {
                kind: Kind::Special {
                    from: side(a),
                    to: side(b),
                },
            }),
        }
    }

    /// Converts a value.
    #[inline]
    pub fn apply(&self, value: f64) -> f64 {
        match &self.kind {
            Kind::Linear { scale, offset, .. } => {
                if *offset == 0.0 {
                    value * scale
                } else {
                    value * scale + offset
                }
            }
            Kind::Special { from, to } => to.base_to_value(from.value_to_base(value)),
        }
    }

    /// The exact multiplier of a linear conversion (`y = x × scale + offset`); `None` for
    /// special (non-linear) conversions.
    pub fn exact_scale(&self) -> Option<&Factor> {
        match &self.kind {
            Kind::Linear { exact_scale, .. } => Some(exact_scale),
            Kind::Special { .. } => None,
        }
    }

    /// The exact offset of a linear conversion, when it is nonzero and rational.
    pub fn exact_offset(&self) -> Option<&BigRational> {
        match &self.kind {
            Kind::Linear { exact_offset, .. } => exact_offset.as_ref(),
            Kind::Special { .. } => None,
        }
    }

    /// Whether the conversion is `y = x × scale + offset`.
    pub fn is_linear(&self) -> bool {
        matches!(self.kind, Kind::Linear { .. })
    }
}

/// Converts `value` from one expression to another.
pub fn convert(value: f64, from: &UnitExpr, to: &UnitExpr) -> Result<f64, ConvertError> {
    Ok(Conversion::new(from, to)?.apply(value))
}

/// Parses both strings in a notation and converts `value`.
pub fn convert_str(
    notation: Notation,
    value: f64,
    from: &str,
    to: &str,
) -> Result<f64, ConvertError> {
    let a = notation::parse(notation, from).map_err(|error| ConvertError::Parse {
        side: "from",
        error,
    })?;
    let b =
        notation::parse(notation, to).map_err(|error| ConvertError::Parse { side: "to", error })?;
    convert(value, &a, &b)
}

/// Beyond this many cached entries the cache starts afresh (bounded memory on huge batches of
/// distinct units).
const MAX_ENTRIES: usize = 1 << 20;

/// The cache's keys are unit strings from the caller, and a lookup is most of the cost of a hit:
/// foldhash hashes short strings several times faster than the default SipHash; the cache holds
/// no secrets, is bounded by [`MAX_ENTRIES`] and foldhash is still seeded per process.
type Hasher = foldhash::fast::RandomState;

type UnitCache = HashMap<Box<str>, Result<Canonical, ConvertError>, Hasher>;

/// Conversions by source then target string.
type PairCache =
    HashMap<Box<str>, HashMap<Box<str>, Result<Conversion, ConvertError>, Hasher>, Hasher>;

/// Memoizes conversions by (notation, from, to) and canonical forms by (notation, unit), so
/// that a batch of conversions repeating unit pairs parses each string once. A hit costs two
/// hash-map lookups on the strings and does not allocate.
#[derive(Debug, Default)]
pub struct ConversionCache {
    /// Per notation (indexed by [`slot`]).
    pairs: [PairCache; 5],
    units: [UnitCache; 5],
    entries: usize,
}

/// The slot of a notation in the cache arrays.
fn slot(n: Notation) -> usize {
    match n {
        Notation::Ucum => 0,
        Notation::Dsi => 1,
        Notation::Si => 2,
        Notation::Sirp => 3,
        Notation::Qudt => 4,
    }
}

impl ConversionCache {
    /// An empty cache.
    pub fn new() -> ConversionCache {
        ConversionCache::default()
    }

    fn canonical(
        &mut self,
        notation: Notation,
        text: &str,
        side: &'static str,
    ) -> Result<Canonical, ConvertError> {
        let units = &mut self.units[slot(notation)];
        if let Some(c) = units.get(text) {
            return match c {
                Ok(c) => Ok(c.clone()),
                Err(ConvertError::Parse { error, .. }) => Err(ConvertError::Parse {
                    side,
                    error: error.clone(),
                }),
                Err(e) => Err(e.clone()),
            };
        }
        let r = notation::parse(notation, text)
            .map_err(|error| ConvertError::Parse { side, error })
            .and_then(|e| e.canonical().map_err(ConvertError::from));
        units.insert(text.into(), r.clone());
        self.entries += 1;
        r
    }

    /// The conversion between two unit strings of a notation (computed on first use).
    pub fn get(
        &mut self,
        notation: Notation,
        from: &str,
        to: &str,
    ) -> Result<&Conversion, ConvertError> {
        let s = slot(notation);
        let hit = self.pairs[s].get(from).is_some_and(|m| m.contains_key(to));
        if !hit {
            if self.entries > MAX_ENTRIES {
                *self = ConversionCache::default();
            }
            let a = self.canonical(notation, from, "from");
            let b = self.canonical(notation, to, "to");
            let conv = a.and_then(|a| {
                b.and_then(|b| {
                    Conversion::from_canonical(&a, &b, || from.to_string(), || to.to_string())
                })
            });
            self.entries += 1;
            self.pairs[s]
                .entry(from.into())
                .or_default()
                .insert(to.into(), conv);
        }
        match self.pairs[s].get(from).and_then(|m| m.get(to)) {
            Some(Ok(c)) => Ok(c),
            Some(Err(e)) => Err(e.clone()),
            None => Err(ConvertError::Canonical(CanonicalError::Overflow)),
        }
    }

    /// Converts `value` between two unit strings of a notation.
    pub fn convert(
        &mut self,
        notation: Notation,
        value: f64,
        from: &str,
        to: &str,
    ) -> Result<f64, ConvertError> {
        if let Some(r) = self.pairs[slot(notation)].get(from).and_then(|m| m.get(to)) {
            return match r {
                Ok(c) => Ok(c.apply(value)),
                Err(e) => Err(e.clone()),
            };
        }
        self.get(notation, from, to).map(|c| c.apply(value))
    }
}
