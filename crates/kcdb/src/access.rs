//! The confidentiality policy, as pure functions of who asks and what the comparison is.
//!
//! Rules (the issue's, grounded in CIPM MRA-G-11 §6: results are confidential to the
//! participants until the report is approved, and the KCDB publishes them):
//!
//! * Until a comparison is [`Status::Published`], a participant sees only its own institute's
//!   results, the pilot and administrators see all, the public sees none. Once published,
//!   everyone sees everything. (MRA-G-11 lets the pilot circulate the Draft A report to all
//!   participants; that report travels outside this platform, whose rule is the stricter one.)
//! * Analyses of an unpublished comparison are seen only by the pilot and administrators; once
//!   published, by everyone. Running an analysis follows the same rule (it needs all results).
//! * Results are submitted during [`Status::Measurements`]: a participant for its own institute
//!   only; the pilot (and administrators) for any institute of the comparison, also during
//!   [`Status::DraftA`], when MRA-G-11 §6.2 allows corrections of errors found in Draft A. From
//!   Draft B on, results are frozen.
//! * Status: the pilot advances the comparison one stage at a time ([`Status::can_move_to`]) up
//!   to [`Status::DraftB`]; the move to [`Status::Approved`] records the approval by the
//!   consultative committee (or RMO TC and JCRB) and is an administrator's, as is publication
//!   ([`can_publish`]: only an approved comparison). Administrators may set any other stage, also
//!   backwards (to correct a mistake or withdraw a publication); the server is expected to log it.
//! * Only administrators (the KCDB office) register comparisons. Participants are added by an
//!   administrator before publication, or by the pilot while the comparison is registered or
//!   measuring ([`can_manage_participants`]): once Draft A circulates, the list of participants
//!   is that of the report.
//!
//! A [`Viewer`] is an account; its [`Role`] is relative to one comparison ([`role`]): a pilot
//! account is the pilot only of its own comparison and an ordinary participant elsewhere; a
//! participant account whose institute takes no part in the comparison has the public's rights.

use crate::id::{ComparisonId, InstituteCode};
use crate::model::{Comparison, Status};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Viewer {
    /// Anonymous.
    Public,
    /// An account of a participating institute.
    Participant(InstituteCode),
    /// The pilot account of one comparison (belonging to an institute).
    Pilot {
        /// The comparison it pilots.
        comparison: ComparisonId,
        /// Its institute.
        institute: InstituteCode,
    },
    /// An administrator (KCDB office).
    Administrator,
}

impl Viewer {
    /// The viewer's institute, if any.
    pub fn institute(&self) -> Option<&InstituteCode> {
        match self {
            Viewer::Participant(i) | Viewer::Pilot { institute: i, .. } => Some(i),
            Viewer::Public | Viewer::Administrator => None,
        }
    }
}

/// A viewer's role in one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Administrator.
    Administrator,
    /// Pilot of this comparison.
    Pilot,
    /// An institute that takes part in this comparison.
    Participant,
    /// Anyone else.
    Public,
}

/// The role of `viewer` in `comparison`.
pub fn role(viewer: &Viewer, comparison: &Comparison) -> Role {
    match viewer {
        Viewer::Administrator => Role::Administrator,
        Viewer::Pilot {
            comparison: id,
            institute,
        } => {
            if *id == comparison.id {
                Role::Pilot
            } else if comparison.involves(institute) {
                Role::Participant
            } else {
                Role::Public
            }
        }
        Viewer::Participant(institute) if comparison.involves(institute) => Role::Participant,
        Viewer::Participant(_) | Viewer::Public => Role::Public,
    }
}

fn is_manager(viewer: &Viewer, comparison: &Comparison) -> bool {
    matches!(role(viewer, comparison), Role::Administrator | Role::Pilot)
}

/// Whether `viewer` may see the result of `result_institute` in `comparison`.
pub fn can_see_result(
    viewer: &Viewer,
    comparison: &Comparison,
    result_institute: &InstituteCode,
) -> bool {
    if comparison.status == Status::Published {
        return true;
    }
    match role(viewer, comparison) {
        Role::Administrator | Role::Pilot => true,
        Role::Participant => viewer.institute() == Some(result_institute),
        Role::Public => false,
    }
}

/// Whether `viewer` may submit (or correct) the result of `result_institute` in `comparison`.
pub fn can_submit_result(
    viewer: &Viewer,
    comparison: &Comparison,
    result_institute: &InstituteCode,
) -> bool {
    if !comparison.involves(result_institute) {
        return false;
    }
    match role(viewer, comparison) {
        Role::Administrator | Role::Pilot => {
            matches!(comparison.status, Status::Measurements | Status::DraftA)
        }
        Role::Participant => {
            comparison.status == Status::Measurements
                && viewer.institute() == Some(result_institute)
        }
        Role::Public => false,
    }
}

/// Whether `viewer` may run an analysis of `comparison` (it uses every result).
pub fn can_run_analysis(viewer: &Viewer, comparison: &Comparison) -> bool {
    match comparison.status {
        Status::Registered => false,
        Status::Published => true,
        Status::Measurements | Status::DraftA | Status::DraftB | Status::Approved => {
            is_manager(viewer, comparison)
        }
    }
}

/// Whether `viewer` may see the stored analyses of `comparison`.
pub fn can_see_analysis(viewer: &Viewer, comparison: &Comparison) -> bool {
    comparison.status == Status::Published || is_manager(viewer, comparison)
}

/// Whether `viewer` may publish `comparison` (administrators, approved comparisons only).
pub fn can_publish(viewer: &Viewer, comparison: &Comparison) -> bool {
    *viewer == Viewer::Administrator && comparison.status == Status::Approved
}

/// Whether `viewer` may register a new comparison (administrators only).
pub fn can_register_comparison(viewer: &Viewer) -> bool {
    *viewer == Viewer::Administrator
}

/// Whether `viewer` may add participants to `comparison` (rules in the module documentation).
pub fn can_manage_participants(viewer: &Viewer, comparison: &Comparison) -> bool {
    match role(viewer, comparison) {
        Role::Administrator => comparison.status != Status::Published,
        Role::Pilot => matches!(comparison.status, Status::Registered | Status::Measurements),
        Role::Participant | Role::Public => false,
    }
}

/// Whether `viewer` may move `comparison` to `next` (rules in the module documentation).
pub fn can_change_status(viewer: &Viewer, comparison: &Comparison, next: Status) -> bool {
    match role(viewer, comparison) {
        Role::Administrator => next != comparison.status,
        Role::Pilot => comparison.status.can_move_to(next) && next <= Status::DraftB,
        Role::Participant | Role::Public => false,
    }
}

/// The results of `comparison` that `viewer` may see ([`can_see_result`]), in order.
pub fn visible_results<'a>(
    viewer: &Viewer,
    comparison: &Comparison,
    results: &'a [crate::model::ResultEntry],
) -> Vec<&'a crate::model::ResultEntry> {
    results
        .iter()
        .filter(|r| {
            r.comparison == comparison.id && can_see_result(viewer, comparison, &r.institute)
        })
        .collect()
}
