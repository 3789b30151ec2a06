//! Conformance tests of the [`Store`] interface, written once against the trait so that every
//! implementation runs the same suite.

use sevres_store::{SqliteStore, Store, StoreError};

async fn check_si_releases(store: &dyn Store) {
    store.ping().await.unwrap();
    assert!(store.si_releases().await.unwrap().is_empty());
    store.put_si_release("v1", "d1", "{}").await.unwrap();
    // Idempotent for the same content.
    store.put_si_release("v1", "d1", "{}").await.unwrap();
    // A different digest under the same version is refused and changes nothing.
    let err = store.put_si_release("v1", "d2", "{ }").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    store.put_si_release("v2", "d2", "[]").await.unwrap();
    let one = store.si_release("v1").await.unwrap().unwrap();
    assert_eq!((one.digest.as_str(), one.dump.as_str()), ("d1", "{}"));
    assert!(store.si_release("v9").await.unwrap().is_none());
    let all = store.si_releases().await.unwrap();
    let mut versions: Vec<_> = all.iter().map(|r| r.version.as_str()).collect();
    versions.sort_unstable();
    assert_eq!(versions, ["v1", "v2"]);
}

#[tokio::test]
async fn sqlite_in_memory_conforms() {
    let store = SqliteStore::in_memory().await.unwrap();
    check_si_releases(&store).await;
}

#[tokio::test]
async fn sqlite_file_conforms_and_persists_acknowledged_writes() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).await.unwrap();
        check_si_releases(&store).await;
    }
    // Reopening (a new process would do the same) finds every acknowledged write.
    let store = SqliteStore::open(dir.path()).await.unwrap();
    assert_eq!(store.si_releases().await.unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// KCDB: comparisons, results, analyses, publications, accounts and the audit log.

mod kcdb {
    use sevres_comparison::{analyse, ComparisonInput, Method, Options, Participant};
    use sevres_kcdb::{
        Comparison, ComparisonId, ComparisonKind, ConsultativeCommittee, Date, Institute,
        InstituteCode, Measurand, PublishedReference, ResultEntry, Status, Unit,
    };
    use sevres_store::{
        AccountRole, Actor, ComparisonFilter, NewAnalysis, SqliteStore, Store, StoreError,
    };

    fn code(s: &str) -> InstituteCode {
        InstituteCode::parse(s).unwrap()
    }

    fn id(s: &str) -> ComparisonId {
        ComparisonId::parse(s).unwrap()
    }

    fn admin() -> Actor {
        Actor::Account {
            id: 1,
            name: "KCDB office".into(),
        }
    }

    fn mass_comparison() -> Comparison {
        let mut c = Comparison::new(id("CCM.M-K8.2021"), "Mass standards of 1 kg", code("PTB"));
        c.measurands.push(
            Measurand::new("1 kg", "mass", Unit::normalise("mg").unwrap().0, Some(1e6)).unwrap(),
        );
        c.participants = vec![code("PTB"), code("NIST")];
        c
    }

    fn result(lab: &str, value: f64) -> ResultEntry {
        ResultEntry {
            comparison: id("CCM.M-K8.2021"),
            measurand: "1 kg".into(),
            institute: code(lab),
            value,
            standard_uncertainty: 0.02,
            coverage_factor: Some(2.0),
            expanded_uncertainty: Some(0.04),
            dof: None,
            in_reference: true,
            submitted_by: admin().label(),
            date: Date::parse("2024-05-01").unwrap(),
        }
    }

    pub(super) async fn check(store: &dyn Store) {
        // Institutes: idempotent upsert, audited only when something changes.
        let ptb = Institute {
            code: code("PTB"),
            name: "Physikalisch-Technische Bundesanstalt".into(),
            country: Some("Germany".into()),
            rmo: Some(sevres_kcdb::Rmo::Euramet),
            ror: Some(sevres_kcdb::Ror::parse("https://ror.org/05r3f7h03").unwrap()),
            former_codes: vec![],
            address: None,
        };
        assert_eq!(
            store
                .put_institutes(&admin(), std::slice::from_ref(&ptb))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .put_institutes(&admin(), std::slice::from_ref(&ptb))
                .await
                .unwrap(),
            0
        );
        assert_eq!(store.institutes().await.unwrap(), vec![ptb]);

        // Comparisons: registered once, read back equal, listed by filter.
        let c = mass_comparison();
        store.create_comparison(&admin(), &c, &[]).await.unwrap();
        let err = store
            .create_comparison(&admin(), &c, &[])
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(store.comparison(&c.id).await.unwrap().as_ref(), Some(&c));
        let mut supp = Comparison::new(id("EURAMET.EM-S42"), "Resistance", code("NPL"));
        supp.participants.push(code("NPL"));
        store.create_comparison(&admin(), &supp, &[]).await.unwrap();
        let all = store
            .comparisons(&ComparisonFilter::default())
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        let by = |f: ComparisonFilter| async move {
            store
                .comparisons(&f)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.id.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            by(ComparisonFilter {
                text: Some("KG".into()),
                ..Default::default()
            })
            .await,
            ["CCM.M-K8.2021"]
        );
        assert_eq!(
            by(ComparisonFilter {
                text: Some("m-k8".into()),
                ..Default::default()
            })
            .await,
            ["CCM.M-K8.2021"]
        );
        assert_eq!(
            by(ComparisonFilter {
                kind: Some(ComparisonKind::Supplementary),
                ..Default::default()
            })
            .await,
            ["EURAMET.EM-S42"]
        );
        assert_eq!(
            by(ComparisonFilter {
                committee: Some(ConsultativeCommittee::Ccm),
                status: Some(Status::Registered),
                ..Default::default()
            })
            .await,
            ["CCM.M-K8.2021"]
        );
        assert!(by(ComparisonFilter {
            status: Some(Status::Published),
            ..Default::default()
        })
        .await
        .is_empty());
        assert_eq!(
            by(ComparisonFilter {
                limit: 1,
                offset: 1,
                ..Default::default()
            })
            .await,
            ["EURAMET.EM-S42"]
        );

        // Participants: only in the status the caller saw.
        let err = store
            .add_participants(&admin(), &c.id, Status::Measurements, &[code("LNE")])
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        let updated = store
            .add_participants(
                &admin(),
                &c.id,
                Status::Registered,
                &[code("LNE"), code("PTB")],
            )
            .await
            .unwrap();
        assert_eq!(
            updated.participants,
            [code("PTB"), code("NIST"), code("LNE")]
        );

        // Results: status-guarded, validated, upserted, all or nothing.
        let c = store
            .set_status(
                &admin(),
                &c.id,
                Status::Registered,
                Status::Measurements,
                &[],
            )
            .await
            .unwrap();
        assert_eq!(c.status, Status::Measurements);
        let err = store
            .set_status(
                &admin(),
                &c.id,
                Status::Registered,
                Status::Measurements,
                &[],
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        store
            .put_results(
                &admin(),
                &c.id,
                Status::Measurements,
                &[result("PTB", 0.10), result("NIST", 0.20)],
            )
            .await
            .unwrap();
        store
            .put_results(
                &admin(),
                &c.id,
                Status::Measurements,
                &[result("NIST", 0.25)],
            )
            .await
            .unwrap();
        let mut outsider = result("KRISS", 0.1);
        let mut bad = result("LNE", f64::NAN);
        for (entries, what) in [
            (vec![result("LNE", 0.3), outsider.clone()], "outsider"),
            (vec![bad.clone()], "non-finite"),
        ] {
            let err = store
                .put_results(&admin(), &c.id, Status::Measurements, &entries)
                .await
                .unwrap_err();
            assert!(matches!(err, StoreError::Invalid(_)), "{what}: {err}");
        }
        outsider.institute = code("LNE");
        outsider.measurand = "2 kg".into();
        bad.value = 1.0;
        bad.standard_uncertainty = 0.0;
        for entries in [vec![outsider], vec![bad]] {
            assert!(store
                .put_results(&admin(), &c.id, Status::Measurements, &entries)
                .await
                .is_err());
        }
        let results = store.results(&c.id).await.unwrap();
        let values: Vec<_> = results
            .iter()
            .map(|r| (r.institute.as_str(), r.value))
            .collect();
        assert_eq!(values, [("PTB", 0.10), ("NIST", 0.25)]);
        assert_eq!(results[0], result("PTB", 0.10));

        // Analyses: stored with inputs, options and version; read back equal.
        let input = ComparisonInput::new(
            results
                .iter()
                .map(|r| Participant::new(r.institute.as_str(), r.value, r.standard_uncertainty))
                .collect(),
        );
        let options = Options {
            draws: 1000,
            seed: 7,
            ..Options::default()
        };
        let analysis = analyse(&input, Method::ProcedureB, &options).unwrap();
        let new = NewAnalysis {
            comparison: c.id.clone(),
            measurand: "1 kg".into(),
            unit: c.measurands[0].unit.clone(),
            input,
            options,
            result: analysis.clone(),
            software_version: "0.1.0".into(),
        };
        let stored = store.put_analysis(&admin(), &new).await.unwrap();
        assert_eq!(stored.analysis, new);
        assert_eq!(stored.created_by, admin().label());
        assert_eq!(
            store.analysis(&c.id, stored.id).await.unwrap().as_ref(),
            Some(&stored)
        );
        assert!(store.analysis(&supp.id, stored.id).await.unwrap().is_none());
        assert_eq!(store.analyses(&c.id).await.unwrap(), vec![stored.clone()]);
        let mut nan = new.clone();
        nan.result.p_value = f64::NAN;
        let err = store.put_analysis(&admin(), &nan).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err}");

        // Publication with the figures of the analysis.
        let published = PublishedReference::from_analysis(
            "1 kg",
            stored.id,
            &c.measurands[0].unit,
            &analysis,
            &new.options,
        );
        store
            .set_status(
                &admin(),
                &c.id,
                Status::Measurements,
                Status::Published,
                std::slice::from_ref(&published),
            )
            .await
            .unwrap();
        assert_eq!(store.published(&c.id).await.unwrap(), vec![published]);
        assert!(store.published(&supp.id).await.unwrap().is_empty());
        // A comparison registered as already published keeps its figures.
        let mut old = Comparison::new(id("CCQM-K30"), "Lead in wine", code("LGC"));
        old.status = Status::Published;
        old.measurands.push(
            Measurand::new(
                "Pb",
                "mass fraction",
                Unit::normalise("mg/kg").unwrap().0,
                None,
            )
            .unwrap(),
        );
        let mut figures = PublishedReference::from_analysis(
            "Pb",
            0,
            &old.measurands[0].unit,
            &analysis,
            &new.options,
        );
        figures.analysis = None;
        figures.source = "report".into();
        store
            .create_comparison(&admin(), &old, std::slice::from_ref(&figures))
            .await
            .unwrap();
        assert_eq!(
            store.published(&old.id).await.unwrap(),
            vec![figures.clone()]
        );
        figures.measurand = "Cd".into();
        let mut other = old.clone();
        other.id = id("CCQM-K31");
        let err = store
            .create_comparison(&admin(), &other, &[figures])
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err}");
        assert!(store.comparison(&other.id).await.unwrap().is_none());

        // Accounts: found by token digest only.
        let role = AccountRole::Pilot {
            comparison: c.id.clone(),
            institute: code("PTB"),
        };
        let account = store
            .create_account(&admin(), "PTB pilot", &role, "ab12")
            .await
            .unwrap();
        assert_eq!(account.role, role);
        assert_eq!(
            store.account_by_token("ab12").await.unwrap(),
            Some(account.clone())
        );
        assert!(store.account_by_token("ab13").await.unwrap().is_none());
        let err = store
            .create_account(&admin(), "again", &AccountRole::Administrator, "ab12")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");

        // The audit log: one entry per write, before and after, nothing for refused writes.
        let log = store
            .audit_log(Some("comparison/CCM.M-K8.2021"))
            .await
            .unwrap();
        let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "comparison.create",
                "comparison.participants",
                "comparison.status",
                "comparison.status"
            ]
        );
        assert!(log
            .iter()
            .all(|e| e.actor == admin().label() && e.account == Some(1)));
        assert_eq!(log[2].before.as_ref().unwrap()["status"], "registered");
        assert_eq!(log[2].after.as_ref().unwrap()["status"], "measurements");
        let results_log = store.audit_log(Some("result/")).await.unwrap();
        let actions: Vec<_> = results_log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["result.create", "result.create", "result.update"]);
        assert_eq!(results_log[2].before.as_ref().unwrap()["value"], 0.2);
        assert_eq!(results_log[2].after.as_ref().unwrap()["value"], 0.25);
        let account_log = store.audit_log(Some("account/")).await.unwrap();
        assert_eq!(account_log.len(), 1);
        assert!(!account_log[0]
            .after
            .as_ref()
            .unwrap()
            .to_string()
            .contains("ab12"));
        assert_eq!(store.audit_log(Some("analysis/")).await.unwrap().len(), 1);
        assert_eq!(store.audit_log(Some("published/")).await.unwrap().len(), 2);
        assert!(store
            .audit_log(Some("comparison/CCQM-K31"))
            .await
            .unwrap()
            .is_empty());
        let all = store.audit_log(None).await.unwrap();
        assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    }

    #[tokio::test]
    async fn sqlite_in_memory_conforms() {
        let store = SqliteStore::in_memory().await.unwrap();
        check(&store).await;
    }

    #[tokio::test]
    async fn sqlite_file_persists_and_the_audit_log_is_append_only() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = SqliteStore::open(dir.path()).await.unwrap();
            check(&store).await;
        }
        let store = SqliteStore::open(dir.path()).await.unwrap();
        let c = store
            .comparison(&id("CCM.M-K8.2021"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.status, Status::Published);
        assert_eq!(store.results(&c.id).await.unwrap().len(), 2);
        assert_eq!(store.analyses(&c.id).await.unwrap().len(), 1);
        let before = store.audit_log(None).await.unwrap().len();
        assert!(before > 10);
        // Even a direct SQL statement cannot rewrite history.
        let db = dir.path().join("sevres.db");
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        for statement in ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"] {
            let err = sqlx::query(statement).execute(&pool).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{err}");
        }
        pool.close().await;
        assert_eq!(store.audit_log(None).await.unwrap().len(), before);
    }
}

// ---------------------------------------------------------------------------------------------
// Time: laboratories, computed months (Circular T) and clock characteristics.

mod time {
    use sevres_store::{
        Actor, ClockMonth, ClockStatus, Estimate, LabMonth, Phase, SqliteStore, Store, StoreError,
        TimeFrequency, TimeLab, TimeMonth, YearMonth,
    };

    fn system() -> Actor {
        Actor::System("reference data".into())
    }

    fn lab(code: &str) -> TimeLab {
        TimeLab {
            code: code.into(),
            name: format!("Simulated laboratory {code}"),
            location: Some("simulated".into()),
            simulated: true,
        }
    }

    fn line(lab: &str, values: [Option<f64>; 3]) -> LabMonth {
        LabMonth {
            lab: lab.into(),
            values_ns: values.to_vec(),
            ua_ns: Some(0.3),
            ub_ns: Some(2.5),
            u_ns: Some(0.3f64.hypot(2.5)),
            note: None,
            clocks: 2,
            weight: 0.5,
        }
    }

    fn clock(lab: &str, name: &str, status: ClockStatus, weight: f64) -> ClockMonth {
        ClockMonth {
            lab: lab.into(),
            clock: name.into(),
            status,
            weight,
            capped: false,
            phase: Some(Phase {
                mjd: 60_319,
                x_ns: -12.25,
            }),
            frequency: Some(1.5e-14),
            drift_per_day: -2e-17,
            sigma: (weight > 0.0).then_some(3e-15),
            prediction_error: None,
        }
    }

    fn month(m: u32) -> TimeMonth {
        let first = 60_309 + 30 * i64::from(m - 1);
        TimeMonth {
            period: YearMonth::new(2024, m).unwrap(),
            simulated: true,
            tai_minus_utc_s: 37,
            tai_minus_utc_note: "From 2017 January 1, 0h UTC, TAI-UTC = 37 s".into(),
            mjds: vec![first, first + 5, first + 10],
            pivot: "SIM-A".into(),
            tai_minus_eal_ns: vec![0.0, -0.125, -0.25],
            frequency: TimeFrequency {
                eal_minus_tai: 1e-15,
                eal_minus_tai_next: 1.1e-15,
                y_eal_month: Some(Estimate {
                    value: 1.2e-15,
                    u: 3e-16,
                }),
                y_eal: None,
                d: Some(Estimate {
                    value: -2e-16,
                    u: 4e-16,
                }),
                birge_ratio: Some(0.9),
                weighted_clocks: 3,
                max_relative_weight: 0.4,
            },
            labs: vec![
                line("SIM-B", [Some(1.5), None, Some(-0.7)]),
                line("SIM-A", [Some(0.0), Some(0.1), Some(0.2)]),
            ],
            clocks: vec![
                clock("SIM-A", "H01", ClockStatus::Weighted, 0.6),
                clock("SIM-B", "Cs01", ClockStatus::Probation, 0.0),
                clock("SIM-B", "H01", ClockStatus::Weighted, 0.4),
            ],
            circular_t: "1 - Coordinated Universal Time UTC …\n".into(),
            software_version: "0.1.0".into(),
        }
    }

    async fn check(store: &dyn Store) {
        // Laboratories: added, left alone when unchanged, updated when changed.
        assert_eq!(
            store
                .put_time_labs(&system(), &[lab("SIM-B"), lab("SIM-A")])
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .put_time_labs(&system(), &[lab("SIM-A")])
                .await
                .unwrap(),
            0
        );
        let renamed = TimeLab {
            name: "Renamed".into(),
            ..lab("SIM-A")
        };
        assert_eq!(
            store
                .put_time_labs(&system(), std::slice::from_ref(&renamed))
                .await
                .unwrap(),
            1
        );
        let labs = store.time_labs().await.unwrap();
        assert_eq!(labs, [renamed, lab("SIM-B")]);
        let err = store
            .put_time_labs(&system(), &[lab(" X")])
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err}");

        // A month reads back exactly: section 1 in published order, no-value dates kept.
        assert!(store.time_months().await.unwrap().is_empty());
        let jan = month(1);
        store.put_time_month(&system(), &jan).await.unwrap();
        let stored = store.time_month(jan.period).await.unwrap().unwrap();
        assert_eq!(stored.month, jan);
        assert_eq!(stored.computed_by, "system: reference data");
        assert!(store
            .time_month(YearMonth::new(2023, 1).unwrap())
            .await
            .unwrap()
            .is_none());

        // A month is written once.
        let err = store.put_time_month(&system(), &jan).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");

        // Refused, with nothing written: an unknown laboratory, non-finite numbers, values that
        // do not follow the dates, a clock twice.
        let mut bad = month(2);
        bad.clocks
            .push(clock("SIM-Z", "H01", ClockStatus::Weighted, 0.1));
        let mut nan = month(2);
        nan.labs[0].values_ns[1] = Some(f64::NAN);
        let mut short = month(2);
        short.labs[1].values_ns.pop();
        let mut twice = month(2);
        twice.clocks.push(twice.clocks[0].clone());
        let mut negative = month(2);
        negative.clocks[0].weight = -0.1;
        for (m, words) in [
            (bad, "SIM-Z"),
            (nan, "SIM-B"),
            (short, "2 values for 3 dates"),
            (twice, "twice"),
            (negative, "weight"),
        ] {
            let err = store.put_time_month(&system(), &m).await.unwrap_err();
            assert!(
                matches!(&err, StoreError::Invalid(t) if t.contains(words)),
                "{err}"
            );
        }
        assert!(store
            .time_month(YearMonth::new(2024, 2).unwrap())
            .await
            .unwrap()
            .is_none());
        store.put_time_month(&system(), &month(2)).await.unwrap();

        // The list: oldest first, without the bulky parts.
        let months = store.time_months().await.unwrap();
        let periods: Vec<String> = months.iter().map(|m| m.month.period.to_string()).collect();
        assert_eq!(periods, ["2024-01", "2024-02"]);
        assert!(months[0].month.labs.is_empty() && months[0].month.circular_t.is_empty());
        assert_eq!(months[1].month.frequency, month(2).frequency);

        // A laboratory's lines across months, with each month's dates.
        let series = store.time_lab_months("SIM-B").await.unwrap();
        assert_eq!(series.len(), 2);
        assert_eq!(series[1].mjds, month(2).mjds);
        assert_eq!(series[1].line, month(2).labs[0]);
        assert!(store.time_lab_months("SIM-Q").await.unwrap().is_empty());

        // Clock characteristics, filtered.
        let all = store.time_clocks(None, None).await.unwrap();
        assert_eq!(all.len(), 6);
        let b = store.time_clocks(Some("SIM-B"), None).await.unwrap();
        assert_eq!(b.len(), 4);
        assert!(b.iter().all(|c| c.clock.lab == "SIM-B"));
        let feb = store
            .time_clocks(Some("SIM-B"), Some(YearMonth::new(2024, 2).unwrap()))
            .await
            .unwrap();
        let names: Vec<&str> = feb.iter().map(|c| c.clock.clock.as_str()).collect();
        assert_eq!(names, ["Cs01", "H01"]);
        assert_eq!(feb[0].clock, month(2).clocks[1]);

        // The audit log: the laboratories and each stored month, nothing for refused writes.
        let log = store.audit_log(Some("time/")).await.unwrap();
        let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "time.lab.create",
                "time.lab.create",
                "time.lab.update",
                "time.month.create",
                "time.month.create"
            ]
        );
        assert_eq!(log[3].entity, "time/month/2024-01");
        assert_eq!(log[3].after.as_ref().unwrap()["clocks"], 3);
    }

    #[tokio::test]
    async fn sqlite_in_memory_conforms() {
        check(&SqliteStore::in_memory().await.unwrap()).await;
    }

    #[tokio::test]
    async fn sqlite_file_persists_months() {
        let dir = tempfile::tempdir().unwrap();
        {
            check(&SqliteStore::open(dir.path()).await.unwrap()).await;
        }
        let store = SqliteStore::open(dir.path()).await.unwrap();
        let jan = store
            .time_month(YearMonth::new(2024, 1).unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(jan.month, month(1));
    }
}

// ---------------------------------------------------------------------------------------------
// CMCs: imports, the generation, reading back, the audit entry and the search index.

mod cmc {
    use sevres_cmc::generate::generate;
    use sevres_cmc::{Cmc, Facet, Query};
    use sevres_store::{load_cmc_index, Actor, CmcSource, SqliteStore, Store, StoreError};

    fn admin() -> Actor {
        Actor::Account {
            id: 1,
            name: "KCDB office".into(),
        }
    }

    fn synthetic(description: &str) -> CmcSource {
        CmcSource {
            description: description.into(),
            synthetic: true,
        }
    }

    fn sorted(mut cmcs: Vec<Cmc>) -> Vec<Cmc> {
        cmcs.sort_by(|a, b| a.kcdb_code.cmp(&b.kcdb_code));
        cmcs
    }

    async fn check(store: &dyn Store) {
        assert_eq!(store.cmc_generation().await.unwrap(), 0);
        assert!(store.cmcs().await.unwrap().cmcs.is_empty());
        assert!(store
            .cmc("EURAMET-EM-DE-00000001-1")
            .await
            .unwrap()
            .is_none());

        // A first import: every CMC reads back equal, by code.
        let first = generate(11, 300);
        let import = store
            .put_cmcs(&admin(), &synthetic("generator, seed 11"), &first)
            .await
            .unwrap();
        assert_eq!(
            (
                import.count,
                import.added,
                import.replaced,
                import.generation
            ),
            (300, 300, 0, 1)
        );
        assert!(import.synthetic);
        assert_eq!(import.imported_by, "account 1 (KCDB office)");
        assert_eq!(store.cmc_generation().await.unwrap(), 1);
        let set = store.cmcs().await.unwrap();
        assert_eq!(set.generation, 1);
        assert_eq!(set.cmcs, sorted(first.clone()));
        assert!(set.synthetic.iter().all(|&s| s));
        let one = store
            .cmc(first[7].kcdb_code.as_str())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(one.cmc, first[7]);
        assert_eq!((one.synthetic, one.import), (true, import.id));

        // A second import replaces the codes it repeats and adds the others.
        let mut changed: Vec<Cmc> = first[..5].to_vec();
        for c in &mut changed {
            c.comments = "corrected".into();
        }
        let known: std::collections::HashSet<String> = first
            .iter()
            .map(|c| c.kcdb_code.as_str().to_string())
            .collect();
        let fresh: Vec<Cmc> = generate(12, 400)
            .into_iter()
            .filter(|c| !known.contains(c.kcdb_code.as_str()))
            .take(3)
            .collect();
        assert_eq!(fresh.len(), 3);
        changed.extend(fresh);
        let real = CmcSource {
            description: "kcdb.json".into(),
            synthetic: false,
        };
        let second = store.put_cmcs(&admin(), &real, &changed).await.unwrap();
        assert_eq!(
            (
                second.count,
                second.added,
                second.replaced,
                second.generation
            ),
            (8, 3, 5, 2)
        );
        let corrected = store
            .cmc(first[0].kcdb_code.as_str())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(corrected.cmc.comments, "corrected");
        assert_eq!((corrected.synthetic, corrected.import), (false, second.id));
        assert_eq!(store.cmcs().await.unwrap().cmcs.len(), 303);

        // Refused imports change nothing.
        let twice = vec![first[0].clone(), first[0].clone()];
        let err = store.put_cmcs(&admin(), &real, &twice).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref m) if m.contains("twice")),
            "{err}"
        );
        let err = store.put_cmcs(&admin(), &real, &[]).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err}");
        assert_eq!(store.cmc_generation().await.unwrap(), 2);

        // The imports and their audit entries.
        let imports = store.cmc_imports().await.unwrap();
        assert_eq!(imports, vec![import.clone(), second.clone()]);
        let log = store.audit_log(Some("cmc/")).await.unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].action, "cmc.import");
        assert_eq!(log[0].entity, format!("cmc/import/{}", import.id));
        let after = log[1].after.as_ref().unwrap();
        assert_eq!(
            (&after["added"], &after["replaced"], &after["synthetic"]),
            (&3.into(), &5.into(), &false.into())
        );

        // The search index over the stored CMCs.
        let index = load_cmc_index(store).await.unwrap();
        assert_eq!((index.generation, index.registry.len()), (2, 303));
        let at = index
            .registry
            .find_code(first[0].kcdb_code.as_str())
            .unwrap();
        assert!(!index.is_synthetic(at));
        let quantity = first[1].quantity.clone();
        let answer = index
            .registry
            .search(&Query::new().facet(Facet::Quantity, &quantity).limit(1000))
            .unwrap();
        assert_eq!(
            answer.total,
            index
                .registry
                .cmcs()
                .iter()
                .filter(|c| c.quantity == quantity)
                .count()
        );
    }

    #[tokio::test]
    async fn sqlite_in_memory_conforms() {
        check(&SqliteStore::in_memory().await.unwrap()).await;
    }

    #[tokio::test]
    async fn sqlite_file_persists_cmcs() {
        let dir = tempfile::tempdir().unwrap();
        {
            check(&SqliteStore::open(dir.path()).await.unwrap()).await;
        }
        // Reopened by its file, as `--cmcs DB` does.
        let store = SqliteStore::open_file(&dir.path().join("sevres.db"))
            .await
            .unwrap();
        assert_eq!(store.cmc_generation().await.unwrap(), 2);
        assert_eq!(store.cmcs().await.unwrap().cmcs.len(), 303);
    }
}
