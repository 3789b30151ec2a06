//! What a CMC can answer: its measurand range in SI and its expanded uncertainty as a function of
//! the measured value, normalised to one coverage so that CMCs can be compared.
//!
//! # The coverage rule
//!
//! CMCs are stated as expanded uncertainties U = k·u_c (JCGM 100:2008 §6.2.1) "generally at a
//! level of confidence of approximately 95 %" (CIPM MRA-D-04 §1), but some state k = 1, k = 3 or
//! another level. Every uncertainty is brought to the reference coverage (k = 2, ≈95 %,
//! JCGM 100 §6.3.3) before comparison, by [`normalise_coverage`]:
//!
//! 1. a stated level of confidence between 94.5 % and 95.5 % (95 %, 95.45 %): U is taken as
//!    stated, whatever k — a k above 2 at 95 % reflects few effective degrees of freedom
//!    (JCGM 100 §G.4), and the stated U is then the ≈95 % interval the question asks about;
//! 2. otherwise a stated coverage factor k: U · 2/k (the standard uncertainty times 2);
//! 3. otherwise a stated level p: U · 2/k_p with k_p the normal quantile for p (JCGM 100
//!    Table G.1: 68.27 % → 1, 99 % → 2.576);
//! 4. nothing stated: U as stated (CIPM MRA-D-04), with [`Issue::CoverageAssumed`].
//!
//! A question's own limit is given at k = 2 unless it says otherwise, and is normalised the same
//! way ([`crate::search::UncertaintyLimit`]).
//!
//! # Equation, limits or table
//!
//! An equation that parses and fits the CMC's units gives the uncertainty exactly at every
//! measured value ([`UncertaintyModel::Equation`]). Otherwise the published lower and upper
//! limits bound it ([`UncertaintyModel::Bounds`]): they are the values at the two ends of the
//! range (KCDB `cmcUncertainty`), and between the ends the uncertainty is only known to lie
//! between them; relative limits are multiplied by the measured value. A table (matrix) is not
//! evaluated: its limits are used, with [`Issue::Table`].

use statrs::distribution::{ContinuousCDF, Normal};

use crate::equation::{Context, Equation, EquationError, Program};
use crate::model::{Cmc, Range, UncertaintyMode};
use crate::unit::{KcdbUnit, Quantity, Scale, UnitCache, UnitError};

/// The reference coverage factor of comparisons (JCGM 100 §6.3.3: k = 2, ≈95 %).
pub const REFERENCE_K: f64 = 2.0;

/// Relative slack of comparisons of measured values and uncertainties (float rounding: 10 V
/// stated in mV and asked in kV meet).
pub const REL_TOLERANCE: f64 = 1e-12;

/// How an uncertainty was brought to the reference coverage (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CoverageBasis {
    /// A level of confidence of ≈95 % was stated: taken as stated.
    Stated95,
    /// Rescaled from the stated coverage factor (the value of k).
    CoverageFactor(f64),
    /// Rescaled from the stated level of confidence in percent (the value of p).
    Level(f64),
    /// Nothing stated: taken as ≈95 %.
    Assumed,
}

/// The multiplier that brings an expanded uncertainty with coverage factor `k` and level of
/// confidence `level` (percent; a value ≤ 1 is read as a fraction) to the reference coverage
/// k = 2 (≈95 %), and the rule that was applied.
pub fn normalise_coverage(k: Option<f64>, level: Option<f64>) -> (f64, CoverageBasis) {
    let level = level
        .filter(|p| p.is_finite() && *p > 0.0)
        .map(|p| if p <= 1.0 { p * 100.0 } else { p })
        .filter(|p| *p < 100.0);
    let k = k.filter(|k| k.is_finite() && *k > 0.0);
    match (k, level) {
        (_, Some(p)) if (94.5..=95.5).contains(&p) => (1.0, CoverageBasis::Stated95),
        (Some(k), _) => (REFERENCE_K / k, CoverageBasis::CoverageFactor(k)),
        (None, Some(p)) => match normal_quantile(p) {
            Some(kp) => (REFERENCE_K / kp, CoverageBasis::Level(p)),
            None => (1.0, CoverageBasis::Assumed),
        },
        (None, None) => (1.0, CoverageBasis::Assumed),
    }
}

/// The coverage factor of a normal distribution for a two-sided level `p` in percent:
/// Φ⁻¹((1 + p/100) / 2) (JCGM 100 §G.1.3, Table G.1).
fn normal_quantile(p: f64) -> Option<f64> {
    let n = Normal::new(0.0, 1.0).ok()?;
    let k = n.inverse_cdf((1.0 + p / 100.0) / 2.0);
    (k.is_finite() && k > 0.0).then_some(k)
}

/// An expanded uncertainty at a measured value: exact when `low == high`, otherwise only known
/// to lie between the two (limits without an equation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UncertaintyAt {
    /// Least possible value.
    pub low: f64,
    /// Greatest possible value.
    pub high: f64,
}

impl UncertaintyAt {
    /// Whether the value is known exactly.
    pub fn is_exact(&self) -> bool {
        self.low == self.high
    }
}

/// The expanded uncertainty (at the reference coverage) as a function of the measured value,
/// both in the coherent SI unit of the measurand's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum UncertaintyModel {
    /// Nothing usable was published.
    Unknown,
    /// Bounded by the published limits (in SI, normalised); relative limits are multiplied by
    /// the magnitude of the measured value in SI.
    Bounds {
        /// Lesser limit.
        low: f64,
        /// Greater limit.
        high: f64,
        /// Whether the limits are relative to the measured value.
        relative: bool,
    },
    /// An equation, exact at every value.
    Equation(Program),
}

impl UncertaintyModel {
    /// The expanded uncertainty at the measured value `x` (SI).
    #[inline]
    pub fn at(&self, x: f64) -> Option<UncertaintyAt> {
        match self {
            UncertaintyModel::Unknown => None,
            UncertaintyModel::Bounds {
                low,
                high,
                relative,
            } => {
                let m = if *relative { x.abs() } else { 1.0 };
                let (low, high) = (low * m, high * m);
                (low.is_finite() && high.is_finite()).then_some(UncertaintyAt { low, high })
            }
            UncertaintyModel::Equation(p) => p.eval(x).map(|u| UncertaintyAt { low: u, high: u }),
        }
    }
}

/// Something about a CMC that limits what it can answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Issue {
    /// The measurand's unit cannot be read: text and facet questions only.
    #[error("measurand unit: {0}")]
    MeasurandUnit(UnitError),
    /// No measurand range or level was published.
    #[error("no measurand range")]
    NoRange,
    /// A limit is not a finite number.
    #[error("measurand range limit is not finite")]
    RangeNotFinite,
    /// The lower limit exceeds the upper; they were swapped.
    #[error("measurand range given upper limit first; swapped")]
    RangeSwapped,
    /// The uncertainty's unit cannot be read.
    #[error("uncertainty unit: {0}")]
    UncertaintyUnit(UnitError),
    /// The uncertainty's unit is neither of the measurand's kind nor dimensionless.
    #[error("uncertainty unit '{unit}' does not fit the measurand unit '{measurand}'")]
    UncertaintyKind {
        /// The uncertainty unit.
        unit: String,
        /// The measurand unit.
        measurand: String,
    },
    /// No uncertainty value was published.
    #[error("no uncertainty value")]
    NoUncertainty,
    /// The equation could not be read or does not fit; the limits are used instead.
    #[error("uncertainty equation {0}")]
    Equation(EquationError),
    /// The uncertainty is a table, not evaluated; the limits are used.
    #[error("uncertainty table not evaluated; limits used")]
    Table,
    /// Neither coverage factor nor level of confidence was stated.
    #[error("no coverage factor or level of confidence; ≈95 % assumed")]
    CoverageAssumed,
}

/// The measurand range in SI.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurandRange {
    /// The unit as read.
    pub unit: KcdbUnit,
    /// Least value, SI.
    pub min: f64,
    /// Greatest value, SI.
    pub max: f64,
}

/// What a CMC can answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Capability {
    /// The measurand range, when its unit and limits are readable.
    pub measurand: Option<MeasurandRange>,
    /// The expanded uncertainty at the reference coverage.
    pub uncertainty: UncertaintyModel,
    /// How the coverage was normalised.
    pub coverage: CoverageBasis,
    /// What limits the answers.
    pub issues: Vec<Issue>,
}

impl Capability {
    /// The expanded uncertainty (at k = 2) at `value`, in the unit of `value` (for `°C`, in
    /// kelvin-sized degrees): `None` when the value is of another kind, outside the range, or
    /// the uncertainty is unknown there.
    pub fn uncertainty_at(&self, value: &Quantity) -> Option<UncertaintyAt> {
        let m = self.measurand.as_ref()?;
        if m.unit.scale.key != value.unit.scale.key {
            return None;
        }
        let x = value.to_si();
        let tol = x.abs() * REL_TOLERANCE;
        if !(m.min <= x + tol && x - tol <= m.max) {
            return None;
        }
        let u = self.uncertainty.at(x)?;
        let f = value.unit.scale.factor;
        Some(UncertaintyAt {
            low: u.low / f,
            high: u.high / f,
        })
    }
}

fn measurand_range(
    r: &Range,
    units: &mut UnitCache,
    issues: &mut Vec<Issue>,
) -> Option<MeasurandRange> {
    let unit = match units.get(&r.unit) {
        Ok(u) => u.clone(),
        Err(e) => {
            issues.push(Issue::MeasurandUnit(e.clone()));
            return None;
        }
    };
    let (min, max) = match (r.min, r.max) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) | (None, Some(a)) => (a, a),
        (None, None) => {
            issues.push(Issue::NoRange);
            return None;
        }
    };
    if !min.is_finite() || !max.is_finite() {
        issues.push(Issue::RangeNotFinite);
        return None;
    }
    let (mut lo, mut hi) = (unit.scale.to_si(min), unit.scale.to_si(max));
    if lo > hi {
        issues.push(Issue::RangeSwapped);
        std::mem::swap(&mut lo, &mut hi);
    }
    Some(MeasurandRange {
        unit,
        min: lo,
        max: hi,
    })
}

/// Whether an uncertainty in `unit` is relative for a measurand on `measurand` (the rule of
/// [`crate::equation`]): `Some(true)` relative, `Some(false)` absolute, `None` incommensurable.
fn is_relative(unit: &KcdbUnit, measurand: &Scale, mode: Option<UncertaintyMode>) -> Option<bool> {
    if unit.is_ratio_one() {
        Some(
            !measurand.key.dimension.is_dimensionless()
                || measurand.key.level.is_some()
                || mode == Some(UncertaintyMode::Relative),
        )
    } else if unit.scale.key == measurand.key {
        Some(false)
    } else {
        None
    }
}

fn bounds(
    limits: &Range,
    unit: Result<&KcdbUnit, &UnitError>,
    measurand: &Scale,
    mode: Option<UncertaintyMode>,
    scale: f64,
    issues: &mut Vec<Issue>,
) -> UncertaintyModel {
    let unit = match unit {
        Ok(u) => u,
        Err(e) => {
            issues.push(Issue::UncertaintyUnit(e.clone()));
            return UncertaintyModel::Unknown;
        }
    };
    let (a, b) = match (limits.min, limits.max) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) | (None, Some(a)) => (a, a),
        (None, None) => {
            issues.push(Issue::NoUncertainty);
            return UncertaintyModel::Unknown;
        }
    };
    let Some(relative) = is_relative(unit, measurand, mode) else {
        issues.push(Issue::UncertaintyKind {
            unit: unit.text.clone(),
            measurand: measurand.key.to_string(),
        });
        return UncertaintyModel::Unknown;
    };
    let (a, b) = (
        unit.scale.interval_to_si(a) * scale,
        unit.scale.interval_to_si(b) * scale,
    );
    if !(a.is_finite() && b.is_finite() && a >= 0.0 && b >= 0.0) {
        issues.push(Issue::NoUncertainty);
        return UncertaintyModel::Unknown;
    }
    UncertaintyModel::Bounds {
        low: a.min(b),
        high: a.max(b),
        relative,
    }
}

impl Cmc {
    /// Reads the CMC's units, range, coverage and uncertainty into what it can answer.
    pub fn capability(&self) -> Capability {
        self.capability_with(&mut UnitCache::new())
    }

    /// [`Cmc::capability`], reading units through a shared cache.
    pub fn capability_with(&self, units: &mut UnitCache) -> Capability {
        let mut issues = Vec::new();
        let u = &self.uncertainty;
        let (scale, coverage) = normalise_coverage(u.coverage_factor, u.confidence_level);
        if coverage == CoverageBasis::Assumed {
            issues.push(Issue::CoverageAssumed);
        }
        let measurand = self
            .measurand
            .as_ref()
            .and_then(|r| measurand_range(r, units, &mut issues));
        if self.measurand.is_none() {
            issues.push(Issue::NoRange);
        }
        let uncertainty = match &measurand {
            None => UncertaintyModel::Unknown,
            Some(m) => {
                let limits_unit = u
                    .limits
                    .as_ref()
                    .map(|l| units.get(&l.unit).cloned().map_err(Clone::clone));
                let from_equation = u
                    .equation
                    .as_ref()
                    .filter(|e| !e.equation.trim().is_empty())
                    .map(|e| {
                        Equation::parse_with(&e.equation, units).and_then(|eq| {
                            eq.compile(&Context {
                                measurand: Some(&m.unit.scale),
                                uncertainty_unit: limits_unit
                                    .as_ref()
                                    .and_then(|r| r.as_ref().ok()),
                                mode: u.mode,
                                comment: &e.comment,
                            })
                        })
                    });
                match from_equation {
                    Some(Ok(p)) => UncertaintyModel::Equation(p.scaled(scale)),
                    other => {
                        if let Some(Err(e)) = other {
                            issues.push(Issue::Equation(e));
                        } else if u
                            .table
                            .as_ref()
                            .is_some_and(|t| t.rows > 0 || !t.name.is_empty())
                        {
                            issues.push(Issue::Table);
                        }
                        match (&u.limits, &limits_unit) {
                            (Some(l), Some(unit)) => {
                                bounds(l, unit.as_ref(), &m.unit.scale, u.mode, scale, &mut issues)
                            }
                            _ => {
                                issues.push(Issue::NoUncertainty);
                                UncertaintyModel::Unknown
                            }
                        }
                    }
                }
            }
        };
        Capability {
            measurand,
            uncertainty,
            coverage,
            issues,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_rule() {
        assert_eq!(normalise_coverage(Some(2.3), Some(95.0)).0, 1.0);
        assert_eq!(normalise_coverage(Some(1.0), None).0, 2.0);
        assert_eq!(normalise_coverage(Some(2.0), Some(0.9545)).0, 1.0);
        assert_eq!(normalise_coverage(None, None).1, CoverageBasis::Assumed);
        // JCGM 100 Table G.1: p = 99 % → k = 2.576.
        let (m, b) = normalise_coverage(None, Some(99.0));
        assert_eq!(b, CoverageBasis::Level(99.0));
        assert!((2.0 / m - 2.576).abs() < 5e-4);
        // p = 68.27 % → k = 1.
        let (m, _) = normalise_coverage(None, Some(68.27));
        assert!((m - 2.0).abs() < 1e-3);
    }

    #[test]
    fn uncertainty_in_the_unit_asked() {
        use crate::model::{EquationText, KcdbCode};
        let mut c = Cmc::new(KcdbCode::parse("EURAMET-EM-DE-00000001-1").unwrap());
        c.measurand = Some(Range {
            min: Some(1.0),
            max: Some(10.0),
            unit: "V".into(),
        });
        c.uncertainty.coverage_factor = Some(1.0);
        c.uncertainty.equation = Some(EquationText {
            equation: "Q[0.3 µV/V, 0.2 µV]".into(),
            comment: String::new(),
        });
        let cap = c.capability();
        // k = 1 is doubled; at 5 V = 5000 mV the result is in mV.
        let u = cap
            .uncertainty_at(&Quantity::parse("5000 mV").unwrap())
            .unwrap();
        let want = 2.0 * ((0.3e-6 * 5.0f64).powi(2) + 0.2e-6f64.powi(2)).sqrt() * 1e3;
        assert!((u.high - want).abs() < 1e-15 && u.is_exact());
        assert!(cap
            .uncertainty_at(&Quantity::parse("11 V").unwrap())
            .is_none());
        assert!(cap
            .uncertainty_at(&Quantity::parse("5 A").unwrap())
            .is_none());
    }
}
