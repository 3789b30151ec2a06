//! Dimensions of quantities in the SI.
//!
//! A [`Dimension`] is the vector of the seven rational exponents of the base quantities, in the
//! order of the SI Brochure (9th edition) §2.3.3: dim Q = T^α L^β M^γ I^δ Θ^ε N^ζ J^η (time,
//! length, mass, electric current, thermodynamic temperature, amount of substance, luminous
//! intensity). Exponents are rational because unit expressions may carry rational exponents
//! (D-SI `\tothe{0.5}`, the UCUM unit `[m/s2/Hz^(1/2)]`). Plane and solid angle are
//! dimensionless, as in the SI (the radian is 1 m/m, SI Brochure Table 4).
//!
//! Arithmetic is checked (`Option` results) so that no input expression can overflow and panic.

use std::fmt;

use num_rational::Ratio;
use num_traits::{CheckedAdd, CheckedMul, CheckedSub, Zero};

use crate::reference::DIMENSION_ORDER;

/// Index of time in the exponent vector.
pub const T: usize = 0;
/// Index of length.
pub const L: usize = 1;
/// Index of mass.
pub const M: usize = 2;
/// Index of electric current.
pub const I: usize = 3;
/// Index of thermodynamic temperature.
pub const THETA: usize = 4;
/// Index of amount of substance.
pub const N: usize = 5;
/// Index of luminous intensity.
pub const J: usize = 6;

/// The dimension of a quantity: seven rational exponents in SI Brochure §2.3.3 order
/// T, L, M, I, Θ, N, J.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dimension(pub [Ratio<i32>; 7]);

impl Dimension {
    /// The dimension one (all exponents zero).
    pub const ONE: Dimension = Dimension([Ratio::new_raw(0, 1); 7]);

    /// A dimension from integer exponents in T, L, M, I, Θ, N, J order (the layout of
    /// `crate::reference` tables).
    pub fn from_integers(e: [i8; 7]) -> Dimension {
        Dimension(e.map(|x| Ratio::from_integer(i32::from(x))))
    }

    /// The dimension of one base quantity (`index` is one of [`T`], [`L`], ... [`J`]), raised
    /// to `exponent`. Out-of-range indices give [`Dimension::ONE`].
    pub fn base(index: usize, exponent: i32) -> Dimension {
        let mut d = Dimension::ONE;
        if let Some(slot) = d.0.get_mut(index) {
            *slot = Ratio::from_integer(exponent);
        }
        d
    }

    /// The exponents, in T, L, M, I, Θ, N, J order.
    pub fn exponents(&self) -> &[Ratio<i32>; 7] {
        &self.0
    }

    /// Whether every exponent is zero.
    pub fn is_dimensionless(&self) -> bool {
        self.0.iter().all(Zero::is_zero)
    }

    /// The product of two dimensions (exponents added); `None` on overflow.
    pub fn checked_mul(&self, other: &Dimension) -> Option<Dimension> {
        let mut out = Dimension::ONE;
        for ((o, a), b) in out.0.iter_mut().zip(&self.0).zip(&other.0) {
            *o = a.checked_add(b)?;
        }
        Some(out)
    }

    /// The quotient of two dimensions (exponents subtracted); `None` on overflow.
    pub fn checked_div(&self, other: &Dimension) -> Option<Dimension> {
        let mut out = Dimension::ONE;
        for ((o, a), b) in out.0.iter_mut().zip(&self.0).zip(&other.0) {
            *o = a.checked_sub(b)?;
        }
        Some(out)
    }

    /// This dimension raised to a rational power; `None` on overflow.
    pub fn checked_pow(&self, e: Ratio<i32>) -> Option<Dimension> {
        let mut out = Dimension::ONE;
        for (o, a) in out.0.iter_mut().zip(&self.0) {
            *o = a.checked_mul(&e)?;
        }
        Some(out)
    }

    /// The exponents as integers when they all are, in T, L, M, I, Θ, N, J order.
    pub fn to_integers(&self) -> Option<[i32; 7]> {
        let mut out = [0; 7];
        for (o, e) in out.iter_mut().zip(&self.0) {
            if !e.is_integer() {
                return None;
            }
            *o = *e.numer();
        }
        Some(out)
    }
}

impl fmt::Display for Dimension {
    /// `T^-2 L M`: the base symbols of SI Brochure §2.3.3 with nonzero exponents, in its order,
    /// exponent 1 omitted, rational exponents as `L^1/2`; `1` for a dimensionless quantity.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_dimensionless() {
            return f.write_str("1");
        }
        let mut first = true;
        for (sym, e) in DIMENSION_ORDER.iter().zip(&self.0) {
            if e.is_zero() {
                continue;
            }
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            f.write_str(sym)?;
            if *e != Ratio::from_integer(1) {
                if e.is_integer() {
                    write!(f, "^{}", e.numer())?;
                } else {
                    write!(f, "^{}/{}", e.numer(), e.denom())?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display() {
        let force = Dimension::from_integers([-2, 1, 1, 0, 0, 0, 0]);
        assert_eq!(force.to_string(), "T^-2 L M");
        assert_eq!(Dimension::ONE.to_string(), "1");
        let half = Dimension::base(L, 1).checked_pow(Ratio::new(1, 2)).unwrap();
        assert_eq!(half.to_string(), "L^1/2");
        assert!(force.checked_div(&force).unwrap().is_dimensionless());
    }
}
