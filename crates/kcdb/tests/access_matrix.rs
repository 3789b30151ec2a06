//! The whole access matrix, table-driven: every kind of viewer × every status × own or other
//! institute's result, for every permission of `sevres_kcdb::access`. The expected values are
//! written out by hand from the policy (module docs of `access`), one character per status in
//! lifecycle order: registered, measurements, draft A, draft B, approved, published.

use sevres_kcdb::access::{
    can_change_status, can_manage_participants, can_publish, can_register_comparison,
    can_run_analysis, can_see_analysis, can_see_result, can_submit_result, role, visible_results,
    Role, Viewer,
};
use sevres_kcdb::{Comparison, ComparisonId, Date, InstituteCode, ResultEntry, Status};

fn code(s: &str) -> InstituteCode {
    InstituteCode::parse(s).unwrap()
}

/// CCM.M-K8.2021, piloted by PTB, with participants PTB, NIST and LNE.
fn comparison(status: Status) -> Comparison {
    let mut c = Comparison::new(
        ComparisonId::parse("CCM.M-K8.2021").unwrap(),
        "Mass standards",
        code("PTB"),
    );
    c.participants = vec![code("PTB"), code("NIST"), code("LNE")];
    c.status = status;
    c
}

/// The viewers, with the institute whose result counts as "own" (for viewers without an
/// institute, a participant's) and the one that counts as "other".
fn viewers() -> Vec<(&'static str, Viewer, InstituteCode, InstituteCode)> {
    vec![
        (
            "administrator",
            Viewer::Administrator,
            code("NIST"),
            code("LNE"),
        ),
        (
            "pilot",
            Viewer::Pilot {
                comparison: ComparisonId::parse("CCM.M-K8.2021").unwrap(),
                institute: code("PTB"),
            },
            code("PTB"),
            code("LNE"),
        ),
        (
            "pilot of another comparison, participant here",
            Viewer::Pilot {
                comparison: ComparisonId::parse("CCQM-K30").unwrap(),
                institute: code("NIST"),
            },
            code("NIST"),
            code("LNE"),
        ),
        (
            "participant",
            Viewer::Participant(code("NIST")),
            code("NIST"),
            code("LNE"),
        ),
        (
            "institute not taking part",
            Viewer::Participant(code("KRISS")),
            code("KRISS"),
            code("LNE"),
        ),
        ("public", Viewer::Public, code("NIST"), code("LNE")),
    ]
}

fn flags(s: &str) -> Vec<bool> {
    assert_eq!(s.len(), 6, "{s}");
    s.chars().map(|c| c == 'T').collect()
}

/// One row of the matrix.
type Row = (
    &'static str,
    Role,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
/// (viewer, role, see own, see other, submit own, submit other, run analysis, see analysis, publish)
const TABLE: &[Row] = &[
    ("administrator", Role::Administrator, "TTTTTT", "TTTTTT", "FTTFFF", "FTTFFF", "FTTTTT", "TTTTTT", "FFFFTF"),
    ("pilot", Role::Pilot, "TTTTTT", "TTTTTT", "FTTFFF", "FTTFFF", "FTTTTT", "TTTTTT", "FFFFFF"),
    ("pilot of another comparison, participant here", Role::Participant, "TTTTTT", "FFFFFT", "FTFFFF", "FFFFFF", "FFFFFT", "FFFFFT", "FFFFFF"),
    ("participant", Role::Participant, "TTTTTT", "FFFFFT", "FTFFFF", "FFFFFF", "FFFFFT", "FFFFFT", "FFFFFF"),
    ("institute not taking part", Role::Public, "FFFFFT", "FFFFFT", "FFFFFF", "FFFFFF", "FFFFFT", "FFFFFT", "FFFFFF"),
    ("public", Role::Public, "FFFFFT", "FFFFFT", "FFFFFF", "FFFFFF", "FFFFFT", "FFFFFT", "FFFFFF"),
];

#[test]
fn access_matrix() {
    let viewers = viewers();
    assert_eq!(viewers.len(), TABLE.len());
    let mut checked = 0;
    for (name, expected_role, see_own, see_other, sub_own, sub_other, run, see_an, publish) in TABLE
    {
        let (_, viewer, own, other) = viewers.iter().find(|v| v.0 == *name).unwrap();
        for (i, status) in Status::ALL.into_iter().enumerate() {
            let c = comparison(status);
            let ctx = format!("{name} / {status}");
            assert_eq!(role(viewer, &c), *expected_role, "{ctx}");
            assert_eq!(
                can_see_result(viewer, &c, own),
                flags(see_own)[i],
                "see own: {ctx}"
            );
            assert_eq!(
                can_see_result(viewer, &c, other),
                flags(see_other)[i],
                "see other: {ctx}"
            );
            assert_eq!(
                can_submit_result(viewer, &c, own),
                flags(sub_own)[i],
                "submit own: {ctx}"
            );
            assert_eq!(
                can_submit_result(viewer, &c, other),
                flags(sub_other)[i],
                "submit other: {ctx}"
            );
            assert_eq!(
                can_run_analysis(viewer, &c),
                flags(run)[i],
                "run analysis: {ctx}"
            );
            assert_eq!(
                can_see_analysis(viewer, &c),
                flags(see_an)[i],
                "see analysis: {ctx}"
            );
            assert_eq!(can_publish(viewer, &c), flags(publish)[i], "publish: {ctx}");
            checked += 7;
        }
    }
    assert_eq!(checked, 6 * 6 * 7);
}

#[test]
fn status_changes() {
    // Allowed (from, to) moves per viewer; every other pair of the 6 × 6 is refused.
    use Status::*;
    let pilot_moves = [
        (Registered, Measurements),
        (Measurements, DraftA),
        (DraftA, DraftB),
    ];
    for (name, viewer, _, _) in viewers() {
        for from in Status::ALL {
            for to in Status::ALL {
                let expected = match name {
                    "administrator" => from != to,
                    "pilot" => pilot_moves.contains(&(from, to)),
                    _ => false,
                };
                assert_eq!(
                    can_change_status(&viewer, &comparison(from), to),
                    expected,
                    "{name}: {from} -> {to}"
                );
            }
        }
    }
}

#[test]
fn participants_are_managed_by_administrators_and_the_early_pilot() {
    for (name, viewer, _, _) in viewers() {
        let expected = match name {
            "administrator" => "TTTTTF",
            "pilot" => "TTFFFF",
            _ => "FFFFFF",
        };
        for (i, status) in Status::ALL.into_iter().enumerate() {
            assert_eq!(
                can_manage_participants(&viewer, &comparison(status)),
                flags(expected)[i],
                "{name} / {status}"
            );
        }
    }
}

#[test]
fn registration_is_for_administrators() {
    for (name, viewer, _, _) in viewers() {
        assert_eq!(
            can_register_comparison(&viewer),
            name == "administrator",
            "{name}"
        );
    }
}

#[test]
fn visible_results_filters_by_the_same_rule() {
    let result = |lab: &str| ResultEntry {
        comparison: ComparisonId::parse("CCM.M-K8.2021").unwrap(),
        measurand: "1 kg".into(),
        institute: code(lab),
        value: 1.0,
        standard_uncertainty: 0.1,
        coverage_factor: None,
        expanded_uncertainty: None,
        dof: None,
        in_reference: true,
        submitted_by: "someone".into(),
        date: Date::parse("2021-05-04").unwrap(),
    };
    let results = vec![result("PTB"), result("NIST"), result("LNE")];
    let nist = Viewer::Participant(code("NIST"));
    let seen = visible_results(&nist, &comparison(Status::DraftB), &results);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].institute.as_str(), "NIST");
    assert_eq!(
        visible_results(&Viewer::Public, &comparison(Status::DraftB), &results).len(),
        0
    );
    assert_eq!(
        visible_results(&Viewer::Public, &comparison(Status::Published), &results).len(),
        3
    );
    // Results of another comparison are never returned.
    let mut elsewhere = result("NIST");
    elsewhere.comparison = ComparisonId::parse("CCQM-K30").unwrap();
    assert!(visible_results(&nist, &comparison(Status::Published), &[elsewhere]).is_empty());
}
