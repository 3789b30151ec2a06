//! The one internal representation of a unit expression.
//!
//! A [`UnitExpr`] is a product of [`Term`]s, each a unit atom with an optional prefix, a
//! rational exponent and an optional annotation, or a pure number (UCUM `4.s`), or a bare
//! annotation (UCUM `{rbc}`, which is unity). Every [`Atom`] carries its exact definition in
//! coherent SI units (a [`Factor`] and a [`Dimension`]), so that any expression reduces to a
//! [`Canonical`] form: an exact factor times a product of SI base units. The expression also
//! remembers the notation whose atoms it uses, so that it prints back faithfully.
//!
//! Special units on non-ratio scales (UCUM §21–§23: °C, °F, pH, neper, bel, ...) carry a
//! [`Special`] description: a pair of conversion functions to and from a ratio-scale reference
//! unit. Arbitrary units (UCUM §24: `[IU]`, `[arb'U]`, ...) are commensurable only with
//! expressions in the same arbitrary unit.

use std::fmt;

use num_bigint::BigUint;
use num_rational::{BigRational, Ratio};
use num_traits::{One, Zero};

use crate::dimension::Dimension;
use crate::factor::{Factor, FactorError};
use crate::notation::Notation;

/// A unit prefix (`k`, `μ`, `Ki`, ...), with its exact factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) factor: Factor,
}

impl Prefix {
    /// The symbol in its notation, e.g. `k`, `μ` (SI), `u` (UCUM).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The name, e.g. `kilo`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The exact factor, e.g. 1000.
    pub fn factor(&self) -> &Factor {
        &self.factor
    }
}

/// The function of a special unit (UCUM §21–§23): how a value `u` on the special scale maps to
/// a value on the ratio scale of the reference unit. `u` already includes the prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SpecialFunction {
    /// Affine scale (°C, °F, °Ré): ratio-scale value = `u + offset` (in reference units).
    Affine {
        /// Offset in reference units, e.g. 273.15 for °C (reference 1 K), 459.67 for °F
        /// (reference 5/9 K).
        offset: BigRational,
    },
    /// Natural logarithm (neper): ratio = e^u.
    Ln,
    /// Common logarithm (bel of a power quantity): ratio = 10^u.
    Lg,
    /// Twice the common logarithm (bel of a root-power quantity, `B[SPL]`, `B[V]`):
    /// ratio = 10^(u/2).
    Lg2,
    /// Binary logarithm (`bit_s`): ratio = 2^u.
    Ld,
    /// Negative common logarithm (`[pH]`): ratio = 10^(-u).
    NegLg,
    /// Hundred times the tangent (`[p'diop]`, `%[slope]`): the angle in radians is
    /// `atan(u / 100)`, whatever the reference angle unit.
    Tan100,
    /// Square root (`[m/s2/Hz^(1/2)]`): ratio = u².
    Sqrt,
    /// Homeopathic potency, decimal series (`[hp'_X]`): ratio = 10^(-u).
    HpX,
    /// Centesimal series (`[hp'_C]`): ratio = 100^(-u).
    HpC,
    /// Millesimal series (`[hp'_M]`): ratio = 1000^(-u).
    HpM,
    /// Quintamillesimal series (`[hp'_Q]`): ratio = 50000^(-u).
    HpQ,
}

impl SpecialFunction {
    /// Whether this is an affine (offset) scale such as °C.
    pub fn is_affine(&self) -> bool {
        matches!(self, SpecialFunction::Affine { .. })
    }

    /// Maps `u` (special scale, prefix applied) to the ratio-scale value in reference units.
    pub fn value_to_ratio(&self, u: f64, offset_f64: f64) -> f64 {
        match self {
            SpecialFunction::Affine { .. } => u + offset_f64,
            SpecialFunction::Ln => u.exp(),
            SpecialFunction::Lg => 10f64.powf(u),
            SpecialFunction::Lg2 => 10f64.powf(u / 2.0),
            SpecialFunction::Ld => u.exp2(),
            SpecialFunction::NegLg | SpecialFunction::HpX => 10f64.powf(-u),
            SpecialFunction::Tan100 => (u / 100.0).atan(),
            SpecialFunction::Sqrt => u * u,
            SpecialFunction::HpC => 100f64.powf(-u),
            SpecialFunction::HpM => 1000f64.powf(-u),
            SpecialFunction::HpQ => 50000f64.powf(-u),
        }
    }

    /// The inverse of [`SpecialFunction::value_to_ratio`].
    pub fn ratio_to_value(&self, r: f64, offset_f64: f64) -> f64 {
        match self {
            SpecialFunction::Affine { .. } => r - offset_f64,
            SpecialFunction::Ln => r.ln(),
            SpecialFunction::Lg => r.log10(),
            SpecialFunction::Lg2 => 2.0 * r.log10(),
            SpecialFunction::Ld => r.log2(),
            SpecialFunction::NegLg | SpecialFunction::HpX => -r.log10(),
            SpecialFunction::Tan100 => 100.0 * r.tan(),
            SpecialFunction::Sqrt => r.sqrt(),
            SpecialFunction::HpC => -r.log10() / 2.0,
            SpecialFunction::HpM => -r.log10() / 3.0,
            SpecialFunction::HpQ => -r.ln() / 50000f64.ln(),
        }
    }
}

/// The definition of a special unit: its function and its ratio-scale reference unit, whose
/// value in coherent SI is the atom's [`Atom::value`] and whose dimension is the atom's
/// [`Atom::dimension`]. E.g. `B[SPL]`: `Lg2` with reference 2 × 10⁻⁵ Pa; `[degF]`: affine with
/// offset 459.67 and reference 5/9 K.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Special {
    /// The conversion function.
    pub function: SpecialFunction,
}

/// A unit atom of one notation, with its exact definition in coherent SI units.
#[derive(Debug, Clone)]
pub struct Atom {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) notation: Notation,
    pub(crate) value: Factor,
    pub(crate) dimension: Dimension,
    pub(crate) metric: bool,
    pub(crate) arbitrary: Option<String>,
    pub(crate) special: Option<Special>,
    /// The UCUM code of the same unit, where known (used when translating).
    pub(crate) ucum_hint: Option<String>,
}

impl PartialEq for Atom {
    fn eq(&self, other: &Atom) -> bool {
        self.notation == other.notation && self.code == other.code
    }
}

impl Eq for Atom {}

impl Atom {
    /// The symbol in its notation, e.g. `m`, `[in_i]`, `°C`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The name, e.g. `meter` (UCUM names are American English), `metre`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The notation this atom belongs to.
    pub fn notation(&self) -> Notation {
        self.notation
    }

    /// Exact value of one of this unit in coherent SI units (for a special unit: the value of
    /// its reference unit).
    pub fn value(&self) -> &Factor {
        &self.value
    }

    /// Dimension (for a special unit: that of its reference unit).
    pub fn dimension(&self) -> &Dimension {
        &self.dimension
    }

    /// Whether prefixes may be attached (UCUM `isMetric`, SI "prefixable").
    pub fn is_metric(&self) -> bool {
        self.metric
    }

    /// For an arbitrary unit (UCUM `isArbitrary`), the code of the arbitrary unit it is
    /// defined from (`[IU]` is defined as `[iU]`).
    pub fn arbitrary(&self) -> Option<&str> {
        self.arbitrary.as_deref()
    }

    /// For a special unit on a non-ratio scale, its definition.
    pub fn special(&self) -> Option<&Special> {
        self.special.as_ref()
    }

    /// Whether two atoms (possibly of different notations) denote the same unit: same exact
    /// value, dimension, special function and arbitrary identity.
    pub fn same_unit(&self, other: &Atom) -> bool {
        self.value == other.value
            && self.dimension == other.dimension
            && self.special == other.special
            && self.arbitrary == other.arbitrary
    }
}

/// What a term multiplies in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermUnit {
    /// A unit atom with an optional prefix.
    Atom {
        /// The prefix, if any.
        prefix: Option<&'static Prefix>,
        /// The atom.
        atom: &'static Atom,
    },
    /// A positive integer written in the expression (UCUM `<factor>`, e.g. the 4 of `4.s`).
    Number(BigUint),
    /// A bare annotation (UCUM `{rbc}`): unity.
    Unity,
}

/// One factor of a unit expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The unit, number or unity.
    pub unit: TermUnit,
    /// The exponent (rational; UCUM only writes integers).
    pub exponent: Ratio<i32>,
    /// The annotation, without braces (UCUM `{...}`), if any.
    pub annotation: Option<String>,
}

impl Term {
    /// A term of an atom with an optional prefix.
    pub fn atom(
        prefix: Option<&'static Prefix>,
        atom: &'static Atom,
        exponent: Ratio<i32>,
    ) -> Term {
        Term {
            unit: TermUnit::Atom { prefix, atom },
            exponent,
            annotation: None,
        }
    }
}

/// A unit expression: a product of terms, in the atoms of one notation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitExpr {
    /// The notation whose atoms the terms use.
    pub notation: Notation,
    /// The factors, in the order written. An empty list is unity.
    pub terms: Vec<Term>,
}

/// How a value on a special scale maps to coherent SI (present in a [`Canonical`] form only
/// when the expression is a single special term).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialScale {
    /// The function.
    pub function: SpecialFunction,
    /// The prefix factor applied to the value before the function (1 without prefix; 1/10 for
    /// `dB`).
    pub prefix: Factor,
    /// The value of the reference unit in coherent SI (1 for `Cel`, 5/9 for `[degF]`).
    pub reference: Factor,
}

/// The reduction of a unit expression to coherent SI.
///
/// For a ratio-scale expression, 1 of it equals `factor` times the coherent SI unit of
/// `dimension`. For a single special term (`Cel`, `dB[SPL]`), `special` describes the scale;
/// `factor` is then the prefix times the reference (for an affine unit: the size of one degree,
/// e.g. 5/9 for °F) and `dimension` that of the reference unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical {
    /// Exact factor.
    pub factor: Factor,
    /// Dimension.
    pub dimension: Dimension,
    /// Arbitrary units with their exponents, sorted by code (UCUM §24).
    pub arbitrary: Vec<(String, Ratio<i32>)>,
    /// The special scale, for a single special term.
    pub special: Option<SpecialScale>,
}

/// Why an expression has no canonical form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CanonicalError {
    /// A special unit not on an affine scale is combined with other terms or raised to a
    /// power (UCUM §21: these units cannot take part in products).
    #[error("the special unit '{0}' (on a non-ratio scale) cannot be multiplied, divided or raised to a power")]
    SpecialInProduct(String),
    /// Exact arithmetic overflowed the size limit.
    #[error("{0}")]
    Factor(#[from] FactorError),
    /// A dimension exponent overflowed.
    #[error("dimension exponent out of range")]
    Overflow,
}

impl UnitExpr {
    /// The unity expression (no terms) of a notation.
    pub fn unity(notation: Notation) -> UnitExpr {
        UnitExpr {
            notation,
            terms: Vec::new(),
        }
    }

    /// The product `self × other` (terms concatenated; the notation of `self` is kept, the
    /// atoms of `other` keep theirs).
    pub fn multiply(&self, other: &UnitExpr) -> UnitExpr {
        let mut terms = self.terms.clone();
        terms.extend(other.terms.iter().cloned());
        UnitExpr {
            notation: self.notation,
            terms,
        }
    }

    /// The quotient `self / other` (exponents of `other` negated).
    pub fn divide(&self, other: &UnitExpr) -> UnitExpr {
        let mut terms = self.terms.clone();
        terms.extend(other.terms.iter().map(|t| Term {
            exponent: -t.exponent,
            ..t.clone()
        }));
        UnitExpr {
            notation: self.notation,
            terms,
        }
    }

    /// The power `self^e`; `None` if an exponent overflows.
    pub fn pow(&self, e: Ratio<i32>) -> Option<UnitExpr> {
        let mut terms = Vec::with_capacity(self.terms.len());
        for t in &self.terms {
            terms.push(Term {
                exponent: num_traits::CheckedMul::checked_mul(&t.exponent, &e)?,
                ..t.clone()
            });
        }
        Some(UnitExpr {
            notation: self.notation,
            terms,
        })
    }

    /// Whether this expression is a single term of a special (non-ratio-scale) unit.
    pub fn single_special(&self) -> Option<(&Term, &'static Atom)> {
        let mut found = None;
        for t in &self.terms {
            match &t.unit {
                TermUnit::Unity => {}
                TermUnit::Atom { atom, .. } if found.is_none() && atom.special.is_some() => {
                    if t.exponent != Ratio::one() {
                        return None;
                    }
                    found = Some((t, *atom));
                }
                _ => return None,
            }
        }
        found
    }

    /// Reduces the expression to coherent SI: exact factor, dimension, arbitrary units and,
    /// for a single special term, its scale.
    ///
    /// Affine units (°C, °F) inside a product or with an exponent stand for their interval
    /// (1 °C = 1 K, 1 °F = 5/9 K), as in SI Brochure §2.3.1 and as QUDT does (`W/(m·°C)`);
    /// other special units in products are refused.
    pub fn canonical(&self) -> Result<Canonical, CanonicalError> {
        if let Some((term, atom)) = self.single_special() {
            let prefix = match &term.unit {
                TermUnit::Atom {
                    prefix: Some(p), ..
                } => p.factor.clone(),
                _ => Factor::one(),
            };
            let special = atom
                .special
                .as_ref()
                .map(|s| s.function.clone())
                .ok_or(CanonicalError::Overflow)?;
            return Ok(Canonical {
                factor: prefix.checked_mul(&atom.value)?,
                dimension: atom.dimension,
                arbitrary: Vec::new(),
                special: Some(SpecialScale {
                    function: special,
                    prefix,
                    reference: atom.value.clone(),
                }),
            });
        }
        let mut factor = Factor::one();
        let mut dimension = Dimension::ONE;
        let mut arbitrary: Vec<(String, Ratio<i32>)> = Vec::new();
        for t in &self.terms {
            match &t.unit {
                TermUnit::Unity => {}
                TermUnit::Number(n) => {
                    let f = Factor::from_biguint(n)?.checked_pow(t.exponent)?;
                    factor = factor.checked_mul(&f)?;
                }
                TermUnit::Atom { prefix, atom } => {
                    if let Some(s) = &atom.special {
                        if !s.function.is_affine() {
                            let mut code = prefix.map(|p| p.code.clone()).unwrap_or_default();
                            code.push_str(&atom.code);
                            return Err(CanonicalError::SpecialInProduct(code));
                        }
                    }
                    let mut f = atom.value.clone();
                    if let Some(p) = prefix {
                        f = f.checked_mul(&p.factor)?;
                    }
                    factor = factor.checked_mul(&f.checked_pow(t.exponent)?)?;
                    let d = atom
                        .dimension
                        .checked_pow(t.exponent)
                        .ok_or(CanonicalError::Overflow)?;
                    dimension = dimension.checked_mul(&d).ok_or(CanonicalError::Overflow)?;
                    if let Some(code) = &atom.arbitrary {
                        match arbitrary.iter_mut().find(|(c, _)| c == code) {
                            Some((_, e)) => {
                                *e = num_traits::CheckedAdd::checked_add(e, &t.exponent)
                                    .ok_or(CanonicalError::Overflow)?;
                            }
                            None => arbitrary.push((code.clone(), t.exponent)),
                        }
                    }
                }
            }
        }
        arbitrary.retain(|(_, e)| !e.is_zero());
        arbitrary.sort();
        Ok(Canonical {
            factor,
            dimension,
            arbitrary,
            special: None,
        })
    }
}

impl fmt::Display for UnitExpr {
    /// Prints in the expression's own notation; see [`crate::notation::print`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match crate::notation::print(self.notation, self) {
            Ok(s) => f.write_str(&s),
            Err(e) => write!(f, "<{e}>"),
        }
    }
}
