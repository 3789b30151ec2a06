//! Averaging-factor sets (which m, τ = m·τ0, to evaluate).
//!
//! Why: Stable32's "octave" and "decade" runs stop at a statistic-dependent
//! largest factor; reproducing its tables needs the same lists. The limits
//! below are those of Stable32 (Stable32 User Manual, "Run" dialog; checked
//! against the reference tables: e.g. PHASE.DAT, 1001 points, ends at
//! ADEV/HDEV 197 (N/5), OADEV/MDEV/OHDEV/TIE 247 (N/4), TOTDEV 499 (N/2)).

use std::str::FromStr;

use super::{Kind, StabilityError};

/// Which averaging factors to evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AveragingFactors {
    /// 1, 2, 4, 8, … up to the statistic's Stable32 limit
    /// (MTIE: 1, 3, 7, 15, … = 2^k − 1, Stable32's fast MTIE).
    Octave,
    /// 1, 2, 4, 10, 20, 40, 100, … up to the statistic's Stable32 limit.
    Decade,
    /// Every factor 1, 2, 3, … up to the statistic's Stable32 limit
    /// (Théo1: every even factor from 10).
    All,
    /// Exactly these factors, in this order; each must be valid for the
    /// statistic (checked against its mathematical limit).
    List(Vec<usize>),
}

impl FromStr for AveragingFactors {
    type Err = StabilityError;

    /// Accepts `octave`, `decade`, `all` or a list such as `1,2,5`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "octave" => Ok(Self::Octave),
            "decade" => Ok(Self::Decade),
            "all" => Ok(Self::All),
            _ => {
                let list: Result<Vec<usize>, _> =
                    t.split(',').map(|p| p.trim().parse::<usize>()).collect();
                match list {
                    Ok(v) if !v.is_empty() && v.iter().all(|&m| m > 0) => Ok(Self::List(v)),
                    _ => Err(StabilityError::InvalidFactorSet(s.to_string())),
                }
            }
        }
    }
}

/// Largest factor Stable32 lists in automatic runs for `n` phase samples
/// (M = n − 1 frequency intervals).
fn stable32_max(kind: Kind, n: usize) -> usize {
    let m_int = n.saturating_sub(1);
    match kind {
        // Strict: PHASE.DAT (M = 1000) stops at 197 < 200 = M/5.
        Kind::Adev | Kind::Hdev => m_int.saturating_sub(1) / 5,
        Kind::Oadev | Kind::Mdev | Kind::Tdev | Kind::Ohdev | Kind::TieRms => {
            m_int.saturating_sub(1) / 4
        }
        Kind::Totdev => m_int / 2,
        Kind::Mtotdev | Kind::Ttotdev | Kind::Htotdev => m_int / 3,
        Kind::Theo1 | Kind::Mtie => m_int,
    }
}

/// Mathematical limit: the largest m giving at least one term.
fn hard_max(kind: Kind, n: usize) -> usize {
    let m_int = n.saturating_sub(1);
    match kind {
        Kind::Adev | Kind::Oadev => m_int / 2,
        Kind::Mdev | Kind::Tdev | Kind::Mtotdev | Kind::Ttotdev => n / 3,
        Kind::Hdev | Kind::Ohdev | Kind::Htotdev => m_int / 3,
        Kind::Totdev => m_int / 2,
        Kind::Theo1 | Kind::TieRms | Kind::Mtie => m_int,
    }
}

/// Smallest m Stable32 uses for Théo1 (its tables start at AF 10).
const THEO1_MIN_AF: usize = 10;

impl AveragingFactors {
    /// The averaging factors this set denotes for `kind` on `n_phase` phase
    /// samples (for frequency data, `n_phase` = number of samples + 1).
    pub fn resolve(&self, kind: Kind, n_phase: usize) -> Result<Vec<usize>, StabilityError> {
        let max = stable32_max(kind, n_phase);
        let theo = kind == Kind::Theo1;
        let keep = |m: usize| m >= 1 && m <= max && (!theo || (m % 2 == 0 && m >= THEO1_MIN_AF));
        let list: Vec<usize> = match self {
            Self::Octave if kind == Kind::Mtie => (1..usize::BITS)
                .map(|k| (1usize << k) - 1)
                .take_while(|&m| m <= max)
                .collect(),
            Self::Octave => (0..usize::BITS)
                .map(|k| 1usize << k)
                .take_while(|&m| m <= max)
                .filter(|&m| keep(m))
                .collect(),
            Self::Decade => {
                // Stable32 decade MTIE stops at N/2 (5071A: 200000 of 556990).
                let max = if kind == Kind::Mtie { n_phase / 2 } else { max };
                let mut v = Vec::new();
                let mut decade = 1usize;
                'outer: loop {
                    for k in [1usize, 2, 4] {
                        let Some(m) = decade.checked_mul(k) else {
                            break 'outer;
                        };
                        if m > max {
                            break 'outer;
                        }
                        if !theo || keep(m) {
                            v.push(m);
                        }
                    }
                    match decade.checked_mul(10) {
                        Some(d) => decade = d,
                        None => break,
                    }
                }
                v
            }
            Self::All => (1..=max).filter(|&m| keep(m)).collect(),
            Self::List(v) => {
                let hard = hard_max(kind, n_phase);
                for &m in v {
                    let reason = if m == 0 {
                        Some("must be at least 1".to_string())
                    } else if m > hard {
                        Some(format!(
                            "largest usable factor for {n_phase} phase samples is {hard}"
                        ))
                    } else if theo && m % 2 != 0 {
                        Some("Théo1 needs an even factor".to_string())
                    } else {
                        None
                    };
                    if let Some(reason) = reason {
                        return Err(StabilityError::InvalidFactor { kind, m, reason });
                    }
                }
                v.clone()
            }
        };
        if list.is_empty() {
            return Err(StabilityError::TooFewPoints {
                kind,
                needed: min_points(kind),
                got: n_phase,
            });
        }
        Ok(list)
    }
}

/// Phase samples needed for the smallest automatic factor of `kind`.
pub(crate) fn min_points(kind: Kind) -> usize {
    (1..)
        .find(|&n| {
            let max = stable32_max(kind, n);
            if kind == Kind::Theo1 {
                max >= THEO1_MIN_AF
            } else {
                max >= 1
            }
        })
        .unwrap_or(usize::MAX)
}
