//! The CMC registry over HTTP, without a socket (`router` driven with `oneshot`): the synthetic
//! registry loaded at first start, reference data (the domains checked against the body the real
//! KCDB 2.0 API returns, `../shared/testdata/kcdb/api/`), the unit-aware search checked CMC by
//! CMC against the library's own evaluation, exports read back, imports (administrators only,
//! audited), two servers on one database, and bad input as problem+json naming the field.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sevres_cmc::{import_csv, import_json, Quantity};
use sevres_server::{create_account, load_reference_data, router, AppState};
use sevres_store::{SqliteStore, Store};
use tower::ServiceExt;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/testdata/kcdb");

struct Reply {
    status: StatusCode,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        assert!(self.status.is_success(), "{}: {}", self.status, self.body);
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// Asserts a problem+json answer with this status whose detail contains `words`.
    fn problem(&self, status: StatusCode, words: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.content_type, "application/problem+json");
        let doc: Value = serde_json::from_str(&self.body).unwrap();
        let detail = doc["detail"].as_str().unwrap();
        assert!(detail.contains(words), "{detail:?} lacks {words:?}");
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        content_type,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &Router, uri: &str, token: Option<&str>, ct: &str, body: String) -> Reply {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, ct);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, r.body(Body::from(body)).unwrap()).await
}

/// Percent-encodes a query value.
fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn app() -> (Router, Arc<SqliteStore>) {
    let store = Arc::new(SqliteStore::in_memory().await.unwrap());
    load_reference_data(store.as_ref()).await.unwrap();
    (router(AppState::new(store.clone())), store)
}

fn codes(doc: &Value) -> BTreeSet<String> {
    doc["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kcdbCode"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_synthetic_registry_is_there_from_the_start_and_labelled() {
    let (app, store) = app().await;
    let overview = get(&app, "/api/v1/cmc").await.json();
    assert_eq!(overview["total"], 20_000);
    assert_eq!(overview["synthetic"], 20_000);
    assert!(overview["notice"].as_str().unwrap().contains("SYNTHETIC"));
    assert_eq!(overview["imports"][0]["synthetic"], true);
    assert_eq!(overview["generation"], 1);
    // Loading again (the next start) adds nothing.
    load_reference_data(store.as_ref()).await.unwrap();
    assert_eq!(store.cmc_generation().await.unwrap(), 1);

    // The domains are exactly what KCDB 2.0's /referenceData/domain returns.
    let real: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{SHARED}/api/referenceData_domain.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        get(&app, "/api/v1/cmc/referenceData/domain").await.json(),
        real
    );

    // Metrology areas with names, domains and counts that add up.
    let areas = get(&app, "/api/v1/cmc/referenceData/metrologyArea")
        .await
        .json();
    let list = areas["referenceData"].as_array().unwrap();
    assert_eq!(list.len(), 9, "{areas}");
    let total: u64 = list.iter().map(|a| a["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 20_000);
    let em = list.iter().find(|a| a["label"] == "EM").unwrap();
    assert_eq!(em["value"], "Electricity and Magnetism");
    assert_eq!(em["domainCode"], "PHYSICS");
    let physics = get(
        &app,
        "/api/v1/cmc/referenceData/metrologyArea?domainCode=PHYSICS",
    )
    .await
    .json();
    assert_eq!(physics["referenceData"].as_array().unwrap().len(), 7);
    // Branches of one area only; countries by ISO code; institutes with their names.
    let branches = get(&app, "/api/v1/cmc/referenceData/branch?area=EM")
        .await
        .json();
    let em_count: u64 = branches["referenceData"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(em_count, em["count"].as_u64().unwrap());
    let countries = get(&app, "/api/v1/cmc/referenceData/country").await.json();
    assert!(countries["referenceData"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["label"] == "DE" && c["value"] == "Germany"));
    let institutes = get(&app, "/api/v1/cmc/referenceData/institute?country=DE")
        .await
        .json();
    assert!(institutes["referenceData"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["label"] == "PTB" && i["value"] == "Physikalisch-Technische Bundesanstalt"));
    get(&app, "/api/v1/cmc/referenceData/colour")
        .await
        .problem(StatusCode::NOT_FOUND, "colour");
    get(
        &app,
        "/api/v1/cmc/referenceData/metrologyArea?domainCode=MAGIC",
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "domainCode");

    // The OpenAPI document describes the endpoints.
    let doc = get(&app, "/api/v1/openapi.json").await.json();
    for path in [
        "/api/v1/cmc",
        "/api/v1/cmc/referenceData/domain",
        "/api/v1/cmc/referenceData/{kind}",
        "/api/v1/cmc/search",
        "/api/v1/cmc/export",
        "/api/v1/cmc/import",
        "/api/v1/cmc/{code}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} not documented");
    }
    assert!(doc["paths"]["/api/v1/cmc/search"]["post"].is_object());
}

#[tokio::test]
async fn the_dc_voltage_question_is_answered_exactly_in_any_unit() {
    let (app, _) = app().await;
    let question = format!(
        "/api/v1/cmc/search?quantity={}&at={}&maxUncertainty={}",
        enc("DC voltage"),
        enc("10 V"),
        enc("1 µV/V")
    );
    let answer = get(&app, &format!("{question}&pageSize=1000")).await.json();
    let found = codes(&answer);
    assert!(!found.is_empty(), "{answer}");
    assert_eq!(
        answer["totalElements"].as_u64().unwrap() as usize,
        found.len()
    );
    assert!(answer["notice"].as_str().unwrap().contains("SYNTHETIC"));
    for hit in answer["data"].as_array().unwrap() {
        assert_eq!(hit["record"]["quantityValue"], "DC voltage");
        assert_eq!(hit["synthetic"], true);
        let u = &hit["uncertainty"];
        assert_eq!(u["unit"], "V");
        let bound = if hit["grade"] == "meets" {
            "high"
        } else {
            "low"
        };
        assert!(u[bound].as_f64().unwrap() <= 1e-5 * (1.0 + 1e-9), "{hit}");
    }

    // Every DC-voltage CMC, evaluated one by one by the library: the answer is exactly those
    // whose expanded uncertainty at 10 V is (or may be) within 10 µV.
    let export = get(
        &app,
        &format!(
            "/api/v1/cmc/export?quantity={}&format=json",
            enc("DC voltage")
        ),
    )
    .await;
    assert_eq!(export.content_type, "application/json");
    let all = import_json(&export.body).unwrap().cmcs;
    assert!(all.len() > found.len());
    let at = Quantity::parse("10 V").unwrap();
    let limit = 1e-5 * (1.0 + 1e-12);
    let expected: BTreeSet<String> = all
        .iter()
        .filter(|c| {
            c.capability()
                .uncertainty_at(&at)
                .is_some_and(|u| u.low <= limit)
        })
        .map(|c| c.kcdb_code.as_str().to_string())
        .collect();
    assert_eq!(found, expected);

    // The same question in other units, and as a JSON body.
    let kilovolts = get(
        &app,
        &format!(
            "/api/v1/cmc/search?quantity={}&at={}&maxUncertainty={}&pageSize=1000",
            enc("DC voltage"),
            enc("0.01 kV"),
            enc("10 µV")
        ),
    )
    .await
    .json();
    assert_eq!(codes(&kilovolts), found);
    let body = json!({
        "facets": {"quantity": ["DC voltage"]},
        "at": {"value": 10000, "unit": "mV"},
        "maxUncertainty": "1e-6",
        "pageSize": 1000,
        "facetCounts": true
    });
    let posted = post(
        &app,
        "/api/v1/cmc/search",
        None,
        "application/json",
        body.to_string(),
    )
    .await
    .json();
    assert_eq!(codes(&posted), found);
    assert_eq!(posted["facets"]["quantity"][0]["value"], "DC voltage");
    // Known to meet only: a subset.
    let guaranteed = get(
        &app,
        &format!("{question}&guaranteedOnly=true&pageSize=1000"),
    )
    .await
    .json();
    assert!(codes(&guaranteed).is_subset(&found));
    // Paging.
    let page = get(&app, &format!("{question}&pageSize=2&page=1"))
        .await
        .json();
    assert_eq!(page["pageNumber"], 1);
    assert!(page["data"].as_array().unwrap().len() <= 2);

    // Text and facets alone.
    let words = get(&app, "/api/v1/cmc/search?text=voltage&area=EM&facets=true")
        .await
        .json();
    assert!(words["totalElements"].as_u64().unwrap() > 0);
    assert_eq!(words["data"][0]["grade"], "unassessed");
}

#[tokio::test]
async fn bad_questions_name_the_field() {
    let (app, _) = app().await;
    let cases = [
        ("at=10%20Vxx", StatusCode::BAD_REQUEST, "at:"),
        ("at=ten", StatusCode::BAD_REQUEST, "at:"),
        (
            "maxUncertainty=1e-6",
            StatusCode::BAD_REQUEST,
            "maxUncertainty",
        ),
        (
            "at=10%20V&maxUncertainty=1%20kg",
            StatusCode::UNPROCESSABLE_ENTITY,
            "maxUncertainty",
        ),
        (
            "at=10%20V&maxUncertainty=1e-6&coverageFactor=-1",
            StatusCode::BAD_REQUEST,
            "coverageFactor",
        ),
        ("pageSize=5000", StatusCode::BAD_REQUEST, "pageSize"),
        ("page=900", StatusCode::BAD_REQUEST, "page"),
        ("maxUncertanty=1", StatusCode::BAD_REQUEST, "maxUncertanty"),
    ];
    for (q, status, words) in cases {
        get(&app, &format!("/api/v1/cmc/search?{q}"))
            .await
            .problem(status, words);
    }
    post(
        &app,
        "/api/v1/cmc/search",
        None,
        "application/json",
        json!({"facets": {"colour": ["red"]}}).to_string(),
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "facets.colour");
    post(
        &app,
        "/api/v1/cmc/search",
        None,
        "application/json",
        "{\"at\": 10}".into(),
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "at");
    get(&app, "/api/v1/cmc/EURAMET-EM-DE-ZZZZZZZZ-1")
        .await
        .problem(StatusCode::NOT_FOUND, "EURAMET-EM-DE-ZZZZZZZZ-1");
    get(&app, "/api/v1/cmc/export?format=xml")
        .await
        .problem(StatusCode::BAD_REQUEST, "format");
}

#[tokio::test]
async fn one_cmc_and_exports_in_every_format() {
    let (app, _) = app().await;
    let first = get(
        &app,
        &format!(
            "/api/v1/cmc/search?quantity={}&at={}",
            enc("DC voltage"),
            enc("10 V")
        ),
    )
    .await
    .json();
    let code = first["data"][0]["kcdbCode"].as_str().unwrap().to_string();
    let one = get(&app, &format!("/api/v1/cmc/{code}?at={}", enc("10 V")))
        .await
        .json();
    assert_eq!(one["kcdbCode"], code.as_str());
    assert_eq!(one["synthetic"], true);
    assert_eq!(one["record"]["kcdbCode"], code.as_str());
    // The SI unit of the kind, in base units (V = kg m² s⁻³ A⁻¹).
    assert_eq!(one["capability"]["siUnit"], "kg m^2 s^-3 A^-1");
    assert!(one["capability"]["uncertaintyAt"]["high"].as_f64().unwrap() > 0.0);
    let jsonld = get(&app, &format!("/api/v1/cmc/{code}?format=jsonld")).await;
    assert_eq!(jsonld.content_type, "application/ld+json");
    assert_eq!(jsonld.json()["@graph"][0]["identifier"], code.as_str());
    let csv = send(
        &app,
        Request::get(format!("/api/v1/cmc/{code}"))
            .header(header::ACCEPT, "text/csv")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(csv.content_type.starts_with("text/csv"));
    assert_eq!(
        import_csv(&csv.body).unwrap().cmcs[0].kcdb_code.as_str(),
        code
    );

    // An export of a search, as CSV and JSON-LD, holds every match.
    let area = get(&app, "/api/v1/cmc/search?area=TF").await.json();
    let n = area["totalElements"].as_u64().unwrap() as usize;
    let csv = get(&app, "/api/v1/cmc/export?area=TF&format=csv").await;
    assert_eq!(import_csv(&csv.body).unwrap().cmcs.len(), n);
    let ld = get(&app, "/api/v1/cmc/export?area=TF&format=jsonld")
        .await
        .json();
    assert_eq!(ld["@graph"].as_array().unwrap().len(), n);
}

#[tokio::test]
async fn imports_need_an_administrator_are_audited_and_reach_every_server() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path()).await.unwrap());
    load_reference_data(store.as_ref()).await.unwrap();
    let admin = create_account(store.as_ref(), "KCDB office", "administrator", None, None)
        .await
        .unwrap()
        .token;
    let lab = create_account(store.as_ref(), "PTB", "participant", Some("PTB"), None)
        .await
        .unwrap()
        .token;
    // Two servers on one database.
    let a = router(AppState::new(store.clone()));
    let other = Arc::new(SqliteStore::open(dir.path()).await.unwrap());
    let b = router(AppState::new(other));
    assert_eq!(get(&b, "/api/v1/cmc").await.json()["total"], 20_000);

    // Real KCDB codes from the shared test data, with a range and an uncertainty added.
    let csv = "kcdbCode,nmiCode,countryValue,quantityValue,cmcLowerLimit,cmcUpperLimit,cmcUnit,\
               uncertaintyLowerLimit,uncertaintyUpperLimit,uncertaintyUnit,coverageFactor\n\
               COOMET-PR-BY-000007P6-1,BelGIM,Belarus,Fibre optic power (imported),1e-6,1e-3,W,1,1,%,2\n\
               SIM-PR-MX-00000GET-1,CENAM,Mexico,Fibre optic power (imported),1e-6,1e-3,W,0.5,0.5,%,2\n\
               not-a-code,X,,,,,,,,,\n";
    let uri = "/api/v1/cmc/import?source=fibre.csv";
    post(&a, uri, None, "text/csv", csv.into())
        .await
        .problem(StatusCode::UNAUTHORIZED, "Bearer");
    post(&a, uri, Some(&lab), "text/csv", csv.into())
        .await
        .problem(StatusCode::FORBIDDEN, "administrators");
    let done = post(&a, uri, Some(&admin), "text/csv", csv.into()).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    let done: Value = serde_json::from_str(&done.body).unwrap();
    assert_eq!(done["import"]["added"], 2);
    assert_eq!(done["import"]["synthetic"], false);
    assert_eq!(done["import"]["source"], "fibre.csv");
    assert_eq!(done["rejectedCount"], 1);

    // The other server answers from the new generation at once.
    let question = format!(
        "/api/v1/cmc/search?quantity={}&at={}&maxUncertainty={}",
        enc("Fibre optic power (imported)"),
        enc("100 µW"),
        enc("0.6 %")
    );
    let answer = get(&b, &question).await.json();
    assert_eq!(
        codes(&answer),
        BTreeSet::from(["SIM-PR-MX-00000GET-1".to_string()])
    );
    assert_eq!(answer["data"][0]["synthetic"], false);
    assert!(answer["notice"].is_null());
    let overview = get(&b, "/api/v1/cmc").await.json();
    assert_eq!(
        (overview["total"].as_u64(), overview["generation"].as_u64()),
        (Some(20_002), Some(2))
    );

    // KCDB 2.0 API JSON (a result page) replaces a code it repeats.
    let page = json!({"data": [{"kcdbCode": "SIM-PR-MX-00000GET-1", "nmiCode": "CENAM",
        "quantityValue": "Fibre optic power (imported)", "cmc": {"lowerLimit": 1e-6, "upperLimit": 1e-3, "unit": "W"},
        "cmcUncertainty": {"lowerLimit": 2, "upperLimit": 2, "unit": "%"}, "coverageFactor": 2}],
        "totalElements": 1});
    let replaced = post(
        &b,
        "/api/v1/cmc/import",
        Some(&admin),
        "application/json",
        page.to_string(),
    )
    .await;
    assert_eq!(replaced.status, StatusCode::CREATED, "{}", replaced.body);
    assert!(replaced.body.contains("\"replaced\":1"));
    assert!(codes(&get(&a, &question).await.json()).is_empty());
    post(
        &a,
        "/api/v1/cmc/import",
        Some(&admin),
        "application/json",
        "{\"data\": [".into(),
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "body");
    post(
        &a,
        "/api/v1/cmc/import",
        Some(&admin),
        "text/csv",
        "kcdbCode\nnope\n".into(),
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "no CMC");

    // Audited: the first start and the two uploads.
    let log = store.audit_log(Some("cmc/import/")).await.unwrap();
    let actors: Vec<&str> = log.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(
        actors,
        [
            "system: reference data",
            "account 1 (KCDB office)",
            "account 1 (KCDB office)"
        ]
    );
}
