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
