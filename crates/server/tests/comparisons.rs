//! The Key Comparison Database over HTTP, without a socket (`router` driven with `oneshot`, on an
//! in-memory database): the reference comparisons loaded at start, the lifecycle of a comparison
//! from registration to publication, the whole access matrix, bad input, tokens and the pages.
//!
//! Expected figures are read at run time from the shared test data (`../shared/testdata/`):
//! the BIPM FAIR files and the comparison data sets, never typed in here.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sevres_server::{create_account, load_reference_data, router, AppState};
use sevres_store::{SqliteStore, Store};
use tower::ServiceExt;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/testdata");

fn shared(path: &str) -> String {
    std::fs::read_to_string(format!("{SHARED}/{path}"))
        .unwrap_or_else(|e| panic!("shared test data {path}: {e}"))
}

struct App {
    router: Router,
    store: Arc<SqliteStore>,
    admin: String,
}

async fn app() -> App {
    let store = Arc::new(SqliteStore::in_memory().await.unwrap());
    load_reference_data(store.as_ref()).await.unwrap();
    let admin = create_account(store.as_ref(), "KCDB office", "administrator", None, None)
        .await
        .unwrap()
        .token;
    App {
        router: router(AppState::new(store.clone())),
        store,
        admin,
    }
}

struct Reply {
    status: StatusCode,
    content_type: String,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// Asserts a problem+json answer with this status whose detail contains `words`.
    fn problem(&self, status: StatusCode, words: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(
            self.content_type, "application/problem+json",
            "{}",
            self.body
        );
        let detail = self.json()["detail"].as_str().unwrap().to_string();
        assert!(detail.contains(words), "{detail:?} lacks {words:?}");
    }
}

impl App {
    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            content_type,
            headers,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        let mut request = Request::get(uri);
        if let Some(t) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn post(&self, uri: &str, token: Option<&str>, body: Value) -> Reply {
        let mut request = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    async fn post_raw(&self, uri: &str, content_type: &str, body: &str) -> Reply {
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body.to_owned()))
                .unwrap(),
        )
        .await
    }

    /// Creates an account through the API (as the administrator) and returns its token.
    async fn account(
        &self,
        name: &str,
        role: &str,
        institute: &str,
        comparison: Option<&str>,
    ) -> String {
        let reply = self
            .post(
                "/api/v1/accounts",
                Some(&self.admin),
                json!({"name": name, "role": role, "institute": institute, "comparison": comparison}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.json()["token"].as_str().unwrap().to_string()
    }
}

/// `/api/v1/comparisons/<id>` with the identifier percent-encoded where needed.
fn url(id: &str) -> String {
    let encoded: String = id
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~()".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("/api/v1/comparisons/{encoded}")
}

// ---------------------------------------------------------------------------------------------
// The reference comparisons

/// What the last `<release>` of a FAIR file says, read naively.
struct FileRelease {
    code: String,
    kcrv: f64,
    u: f64,
    does: Vec<(String, f64, f64)>,
}

fn last_release(file: &str) -> FileRelease {
    let xml = shared(&format!("kcdb/comparisons_bipm_ri_ii/{file}"));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let named = |n: roxmltree::Node, name: &str| {
        n.descendants()
            .find(|d| d.is_element() && d.tag_name().name() == name)
            .and_then(|d| d.text())
            .map(|t| t.trim().to_string())
    };
    let code = named(doc.root_element(), "comparisonCode").unwrap();
    let release = doc
        .descendants()
        .rfind(|d| d.tag_name().name() == "release")
        .unwrap();
    let kcrv = release
        .children()
        .find(|c| c.tag_name().name() == "kcrv")
        .unwrap();
    let number = |n, name| named(n, name).unwrap().parse::<f64>().unwrap();
    let u = named(kcrv, "valueStandardMU")
        .or_else(|| named(kcrv, "uncertainty"))
        .unwrap()
        .parse()
        .unwrap();
    let does = release
        .descendants()
        .filter(|d| d.tag_name().name() == "degreeOfEquivalence")
        .map(|d| {
            let result = d
                .children()
                .find(|c| c.tag_name().name() == "result")
                .unwrap();
            (
                named(d, "acronym").unwrap_or_default(),
                number(result, "value"),
                number(result, "valueExpandedMU"),
            )
        })
        .collect();
    FileRelease {
        code,
        kcrv: number(kcrv, "value"),
        u,
        does,
    }
}

#[tokio::test]
async fn the_published_bipm_comparisons_are_there_from_the_start() {
    let app = app().await;
    let list = app.get("/api/v1/comparisons?q=RI(II)-K1", None).await;
    assert_eq!(list.status, StatusCode::OK);
    let ids: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.contains(&"BIPM.RI(II)-K1.Co-60".to_string()), "{ids:?}");

    // Co-60: the KCRV of the file's last release, as the independent data set also gives it.
    let co60 = app.get(&url("BIPM.RI(II)-K1.Co-60"), None).await.json();
    assert_eq!(co60["status"], "published");
    assert_eq!(co60["kind"], "key");
    assert_eq!(co60["scope"], "CIPM");
    assert_eq!(co60["pilot"]["code"], "BIPM");
    let nmid = shared("kcdb/comparisons_bipm_ri_ii/NMId.csv");
    let bipm_name = nmid
        .lines()
        .find_map(|l| l.strip_prefix("BIPM;"))
        .and_then(|rest| rest.split(';').next())
        .unwrap();
    assert_eq!(co60["pilot"]["name"], bipm_name);
    let published = &co60["published"][0];
    let file = last_release("Co-60_database_FAIR.xml");
    assert_eq!(co60["id"], file.code);
    assert_eq!(published["kcrv"].as_f64().unwrap(), file.kcrv);
    assert_eq!(published["u_kcrv"].as_f64().unwrap(), file.u);
    assert_eq!(published["unit"], "kBq");
    let data: Value = serde_json::from_str(&shared("comparisons/bipm_ri_ii_k1_co60.json")).unwrap();
    assert_eq!(published["kcrv"], data["published"]["kcrv"]);
    let u = data["published"]["u_kcrv"].as_f64().unwrap();
    assert!((published["u_kcrv"].as_f64().unwrap() - u).abs() < 1e-12 * u);
    assert_eq!(published["unit"], data["published"]["kcrv_unit"]);
    // The Co-60 file publishes no degrees of equivalence: no chart.
    assert!(published["doe"].as_array().unwrap().is_empty());
    app.get(&format!("{}/doe.svg", url("BIPM.RI(II)-K1.Co-60")), None)
        .await
        .problem(StatusCode::NOT_FOUND, "no degrees of equivalence");

    // Cs-137 and Ga-67: the DoE of the last release, in the file's unit, and their chart.
    for name in ["Cs-137_database_FAIR.xml", "Ga-67_database_FAIR.xml"] {
        let file = last_release(name);
        let c = app.get(&url(&file.code), None).await.json();
        let published = &c["published"][0];
        assert_eq!(published["kcrv"].as_f64().unwrap(), file.kcrv, "{name}");
        assert_eq!(published["u_kcrv"].as_f64().unwrap(), file.u, "{name}");
        assert_eq!(published["doe_unit"], "MBq", "{name}");
        let does = published["doe"].as_array().unwrap();
        assert_eq!(does.len(), file.does.len(), "{name}");
        for (lab, d, expanded) in &file.does {
            let found = does.iter().any(|x| {
                (lab.is_empty() || x["lab"] == *lab.as_str())
                    && x["d"].as_f64() == Some(*d)
                    && x["U"].as_f64() == Some(*expanded)
            });
            assert!(found, "{name}: {lab} {d} {expanded} not in {does:?}");
        }
        let svg = app.get(&format!("{}/doe.svg", url(&file.code)), None).await;
        assert_eq!(svg.status, StatusCode::OK, "{}", svg.body);
        assert_eq!(svg.content_type, "image/svg+xml");
        assert_eq!(svg.body.matches("<circle").count(), file.does.len());
        let csv = app
            .get(&format!("{}/doe?format=csv", url(&file.code)), None)
            .await;
        assert!(csv.content_type.starts_with("text/csv"));
        assert_eq!(csv.body.lines().count(), 1 + file.does.len());
        let jsonld = app
            .send(
                Request::get(url(&file.code))
                    .header(header::ACCEPT, "application/ld+json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(jsonld.content_type, "application/ld+json");
        let doc = jsonld.json();
        assert_eq!(doc["identifier"], file.code);
        assert_eq!(
            doc["kcdb:publishedReference"][0]["kcdb:kcrv"]["value"]
                .as_f64()
                .unwrap(),
            file.kcrv
        );
    }

    // The institutes of NMId.csv are in the directory.
    let institutes = app.get("/api/v1/institutes", None).await.json();
    let table = sevres_kcdb::import_nmid(&nmid).unwrap();
    assert_eq!(institutes.as_array().unwrap().len(), table.institutes.len());
    assert!(table.institutes.len() > 40);

    // Loading again changes nothing and writes nothing.
    let before = app.store.audit_log(None).await.unwrap().len();
    load_reference_data(app.store.as_ref()).await.unwrap();
    assert_eq!(app.store.audit_log(None).await.unwrap().len(), before);
    let again = app
        .get("/api/v1/comparisons?q=RI(II)-K1", None)
        .await
        .json();
    assert_eq!(again.as_array().unwrap().len(), ids.len());
}

#[test]
fn the_built_in_files_are_the_published_ones() {
    for name in [
        "Co-60_database_FAIR.xml",
        "Cs-137_database_FAIR.xml",
        "Ga-67_database_FAIR.xml",
        "NMId.csv",
        "LICENSE",
    ] {
        let ours =
            std::fs::read(format!("{}/data/kcdb/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let theirs = std::fs::read(format!("{SHARED}/kcdb/comparisons_bipm_ri_ii/{name}")).unwrap();
        assert!(ours == theirs, "{name} differs from the shared copy");
    }
}

#[tokio::test]
async fn the_list_filters() {
    let app = app().await;
    let count = |reply: Reply| reply.json().as_array().unwrap().len();
    let all = count(app.get("/api/v1/comparisons", None).await);
    assert!(all >= 3);
    assert_eq!(
        count(
            app.get(
                "/api/v1/comparisons?committee=CCRI&status=published&kind=key",
                None
            )
            .await
        ),
        all
    );
    assert_eq!(
        count(app.get("/api/v1/comparisons?committee=CCM", None).await),
        0
    );
    assert_eq!(
        count(app.get("/api/v1/comparisons?q=cs-137", None).await),
        1
    );
    assert_eq!(
        count(app.get("/api/v1/comparisons?limit=1&offset=1", None).await),
        1
    );
    app.get("/api/v1/comparisons?status=finished", None)
        .await
        .problem(StatusCode::BAD_REQUEST, "unknown status");
    app.get("/api/v1/comparisons?committee=CCX", None)
        .await
        .problem(StatusCode::BAD_REQUEST, "consultative committee");
    app.get(&url("CCM.M-K99"), None)
        .await
        .problem(StatusCode::NOT_FOUND, "no comparison");
    app.get("/api/v1/comparisons/not%20an%20id", None)
        .await
        .problem(StatusCode::BAD_REQUEST, "comparison");
}

#[tokio::test]
async fn the_openapi_document_describes_the_comparison_endpoints() {
    let app = app().await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    for path in [
        "/api/v1/comparisons",
        "/api/v1/comparisons/analyse",
        "/api/v1/comparisons/{id}",
        "/api/v1/comparisons/{id}/participants",
        "/api/v1/comparisons/{id}/status",
        "/api/v1/comparisons/{id}/results",
        "/api/v1/comparisons/{id}/analyses",
        "/api/v1/comparisons/{id}/analyses/{analysis}",
        "/api/v1/comparisons/{id}/doe",
        "/api/v1/comparisons/{id}/doe.svg",
        "/api/v1/accounts",
        "/api/v1/accounts/me",
        "/api/v1/institutes",
        "/api/v1/institutes/{code}",
        "/api/v1/audit",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from OpenAPI"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["paths"]["/api/v1/comparisons"]["post"]["security"].is_array());
}

// ---------------------------------------------------------------------------------------------
// A comparison from registration to publication, with the CCQM-K30 data set

#[tokio::test]
async fn a_comparison_goes_from_registration_to_publication() {
    let app = app().await;
    let data: Value = serde_json::from_str(&shared("comparisons/ccqm_k30_pb_wine.json")).unwrap();
    let participants = data["participants"].as_array().unwrap();
    let labs: Vec<&str> = participants
        .iter()
        .map(|p| p["lab"].as_str().unwrap())
        .collect();
    // The test lets the first laboratory of the reference set pilot.
    let pilot = participants
        .iter()
        .find(|p| p["in_reference"] == true)
        .unwrap()["lab"]
        .as_str()
        .unwrap();
    let id = data["id"].as_str().unwrap();
    let unit = data["unit"].as_str().unwrap();
    let c = url(id);

    let registered = app
        .post(
            "/api/v1/comparisons",
            Some(&app.admin),
            json!({
                "id": id,
                "title": "Lead in wine",
                "pilot": pilot,
                "measurands": [{"id": "Pb", "quantity": data["measurand"], "unit": unit}],
                "participants": labs[..2],
            }),
        )
        .await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.body
    );
    assert_eq!(registered.headers[header::LOCATION], c.as_str());
    assert_eq!(registered.json()["status"], "registered");
    assert_eq!(registered.json()["committee"], "CCQM");
    app.post("/api/v1/comparisons", Some(&app.admin), json!({"id": id, "title": "again", "pilot": pilot, "measurands": [{"id": "Pb", "quantity": "q", "unit": unit}]}))
        .await
        .problem(StatusCode::CONFLICT, "already registered");

    let pilot_token = app.account("pilot", "pilot", pilot, Some(id)).await;
    let added = app
        .post(
            &format!("{c}/participants"),
            Some(&pilot_token),
            json!({"institutes": labs}),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert_eq!(
        added.json()["participants"].as_array().unwrap().len(),
        labs.len()
    );
    let moved = app
        .post(
            &format!("{c}/status"),
            Some(&pilot_token),
            json!({"status": "measurements"}),
        )
        .await;
    assert_eq!(moved.json()["status"], "measurements", "{}", moved.body);

    // Every participant submits its own result; one in µg/g, one in g/kg (converted).
    for (i, p) in participants.iter().enumerate() {
        let lab = p["lab"].as_str().unwrap();
        let token = app.account(lab, "participant", lab, None).await;
        let (value, u, unit) = match i {
            1 => (p["x"].as_f64().unwrap(), p["u"].as_f64().unwrap(), "µg/g"),
            2 => (
                p["x"].as_f64().unwrap() / 1000.0,
                p["u"].as_f64().unwrap() / 1000.0,
                "g/kg",
            ),
            _ => (p["x"].as_f64().unwrap(), p["u"].as_f64().unwrap(), unit),
        };
        let reply = app
            .post(
                &format!("{c}/results"),
                Some(&token),
                json!({"results": [{"institute": lab, "value": value, "u": u, "unit": unit,
                    "in_reference": p["in_reference"], "date": "2004-06-01"}]}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{lab}: {}", reply.body);
        // Before publication a participant sees its own result only.
        let seen = reply.json();
        assert_eq!(seen.as_array().unwrap().len(), 1, "{lab}");
        assert_eq!(seen[0]["institute"], lab);
        let x = seen[0]["value"].as_f64().unwrap();
        assert!((x - p["x"].as_f64().unwrap()).abs() < 1e-12, "{lab}: {x}");
        // And not another's.
        let other = labs.iter().find(|l| **l != lab).unwrap();
        app.post(
            &format!("{c}/results"),
            Some(&token),
            json!({"results": [{"institute": other, "value": 1.0, "u": 0.1}]}),
        )
        .await
        .problem(StatusCode::FORBIDDEN, "may not submit");
    }
    let public = app.get(&format!("{c}/results"), None).await.json();
    assert!(public.as_array().unwrap().is_empty());

    // The pilot analyses; the arithmetic mean of the reference set is the published KCRV.
    let run = app
        .post(
            &format!("{c}/analyses"),
            Some(&pilot_token),
            json!({"method": "mean"}),
        )
        .await;
    assert_eq!(run.status, StatusCode::CREATED, "{}", run.body);
    let analysis = run.json();
    let kcrv = analysis["result"]["kcrv"].as_f64().unwrap();
    let published_kcrv = data["published"]["kcrv"].as_f64().unwrap();
    assert!((kcrv - published_kcrv).abs() < 5e-3, "{kcrv}");
    assert_eq!(analysis["software_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(analysis["options"]["draws"], 1_000_000);
    assert_eq!(analysis["input"].as_array().unwrap().len(), labs.len());
    let n = analysis["id"].as_i64().unwrap();
    app.get(&format!("{c}/analyses"), None)
        .await
        .problem(StatusCode::FORBIDDEN, "confidential");
    app.get(&format!("{c}/doe.svg"), None)
        .await
        .problem(StatusCode::FORBIDDEN, "confidential");
    let pilot_chart = app.get(&format!("{c}/doe.svg"), Some(&pilot_token)).await;
    assert_eq!(pilot_chart.status, StatusCode::OK);
    assert_eq!(pilot_chart.body.matches("<circle").count(), labs.len());

    // Draft A, Draft B by the pilot; approval and publication are the administrators'.
    for status in ["draft-a", "draft-b"] {
        let r = app
            .post(
                &format!("{c}/status"),
                Some(&pilot_token),
                json!({"status": status}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    app.post(
        &format!("{c}/status"),
        Some(&pilot_token),
        json!({"status": "approved"}),
    )
    .await
    .problem(StatusCode::FORBIDDEN, "may not move");
    app.post(
        &format!("{c}/status"),
        Some(&app.admin),
        json!({"status": "approved"}),
    )
    .await;
    let published = app
        .post(
            &format!("{c}/status"),
            Some(&app.admin),
            json!({"status": "published", "analysis": n}),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);

    // Now everything is public: results, analyses, published figures, chart, exports.
    let public = app.get(&c, None).await.json();
    assert_eq!(public["results"].as_array().unwrap().len(), labs.len());
    assert_eq!(public["results_withheld"], false);
    assert_eq!(public["published"][0]["kcrv"].as_f64().unwrap(), kcrv);
    assert_eq!(public["published"][0]["analysis"], n);
    let analyses = app.get(&format!("{c}/analyses"), None).await.json();
    assert_eq!(analyses[0]["id"], n);
    let one = app.get(&format!("{c}/analyses/{n}"), None).await.json();
    assert_eq!(one["result"]["kcrv"].as_f64().unwrap(), kcrv);
    let chart = app.get(&format!("{c}/doe.svg"), None).await;
    assert_eq!(chart.body.matches("<circle").count(), labs.len());
    let csv = app.get(&format!("{c}/results?format=csv"), None).await;
    assert!(csv
        .body
        .starts_with("comparison,measurand,institute,x,unit"));
    assert_eq!(csv.body.lines().count(), 1 + labs.len());
    let doc = app.get(&format!("{c}?format=jsonld"), None).await.json();
    assert_eq!(doc["kcdb:analysis"]["kcdb:method"], "mean");
    assert_eq!(
        doc["kcdb:analysis"]["kcdb:kcrv"]["value"].as_f64().unwrap(),
        kcrv
    );
    assert_eq!(doc["kcdb:result"].as_array().unwrap().len(), labs.len());

    // The audit log has every step, with who did it.
    let log = app
        .get(
            &format!("/api/v1/audit?entity=comparison/{id}"),
            Some(&app.admin),
        )
        .await
        .json();
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "comparison.create",
            "comparison.participants",
            "comparison.status",
            "comparison.status",
            "comparison.status",
            "comparison.status",
            "comparison.status"
        ]
    );
    assert!(log[1]["actor"].as_str().unwrap().contains("pilot"));
    let results_log = app
        .get(
            &format!("/api/v1/audit?entity=result/{id}/"),
            Some(&app.admin),
        )
        .await
        .json();
    assert_eq!(results_log.as_array().unwrap().len(), labs.len());
    app.get("/api/v1/audit", Some(&pilot_token))
        .await
        .problem(StatusCode::FORBIDDEN, "administrators");
}

// ---------------------------------------------------------------------------------------------
// The access matrix: every role × every status × the read and write endpoints

/// The roles of the matrix, in the order of the expectation strings.
const ROLES: [&str; 5] = [
    "administrator",
    "pilot",
    "participant",
    "outsider",
    "public",
];

/// One character per status (registered, measurements, draft A, draft B, approved, published):
/// `T` allowed, `F` refused (403, or 401 for the public's writes). `-` not applicable.
struct Expect {
    what: &'static str,
    by_role: [&'static str; 5],
}

#[rustfmt::skip]
const EXPECT: &[Expect] = &[
    // Reads; "see" counts results: A all three, O own one, N none.
    Expect { what: "results",          by_role: ["AAAAAA", "AAAAAA", "OOOOOA", "NNNNNA", "NNNNNA"] },
    Expect { what: "analyses",         by_role: ["TTTTTT", "TTTTTT", "FFFFFT", "FFFFFT", "FFFFFT"] },
    Expect { what: "doe.svg",          by_role: ["-TTTTT", "-TTTTT", "-FFFFT", "-FFFFT", "-FFFFT"] },
    Expect { what: "doe",              by_role: ["-TTTTT", "-TTTTT", "-FFFFT", "-FFFFT", "-FFFFT"] },
    Expect { what: "one analysis",     by_role: ["-TTTTT", "-TTTTT", "-FFFFT", "-FFFFT", "-FFFFT"] },
    // Writes.
    Expect { what: "submit NIST",      by_role: ["FTTFFF", "FTTFFF", "FTFFFF", "FFFFFF", "FFFFFF"] },
    Expect { what: "submit LNE",       by_role: ["FTTFFF", "FTTFFF", "FFFFFF", "FFFFFF", "FFFFFF"] },
    Expect { what: "run analysis",     by_role: ["FTTTTT", "FTTTTT", "FFFFFT", "FFFFFT", "FFFFFF"] },
    Expect { what: "next status",      by_role: ["TTTTT-", "TTTFF-", "FFFFF-", "FFFFF-", "FFFFF-"] },
    Expect { what: "add participant",  by_role: ["TTTTTF", "TTFFFF", "FFFFFF", "FFFFFF", "FFFFFF"] },
];

const STATUSES: [&str; 6] = [
    "registered",
    "measurements",
    "draft-a",
    "draft-b",
    "approved",
    "published",
];

/// Registers `id` (pilot PTB; participants PTB, NIST, LNE), gives it results and an analysis
/// when it gets that far, and brings it to `status` as the administrator.
async fn prepare(app: &App, id: &str, status: &str) {
    let c = url(id);
    let r = app
        .post(
            "/api/v1/comparisons",
            Some(&app.admin),
            json!({"id": id, "title": "Mass", "pilot": "PTB",
                "measurands": [{"id": "1 kg", "quantity": "mass", "unit": "mg"}],
                "participants": ["PTB", "NIST", "LNE"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    if status == "registered" {
        return;
    }
    let to = |s: &str| json!({ "status": s });
    app.post(&format!("{c}/status"), Some(&app.admin), to("measurements"))
        .await;
    let results: Vec<Value> = [("PTB", 0.01), ("NIST", 0.03), ("LNE", -0.02)]
        .iter()
        .map(|(lab, x)| json!({"institute": lab, "value": x, "u": 0.02}))
        .collect();
    let r = app
        .post(
            &format!("{c}/results"),
            Some(&app.admin),
            json!({ "results": results }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .post(
            &format!("{c}/analyses"),
            Some(&app.admin),
            json!({"method": "weighted-mean"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    if status == "measurements" {
        return;
    }
    if status == "published" {
        app.post(&format!("{c}/status"), Some(&app.admin), to("approved"))
            .await;
        let n = r.json()["id"].clone();
        let r = app
            .post(
                &format!("{c}/status"),
                Some(&app.admin),
                json!({"status": "published", "analysis": n}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    } else {
        let r = app
            .post(&format!("{c}/status"), Some(&app.admin), to(status))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
}

#[tokio::test]
async fn the_whole_access_matrix_over_http() {
    let app = app().await;
    let mut checked = 0;
    for (s, status) in STATUSES.iter().enumerate() {
        let id = format!("CCM.M-K{}", s + 1);
        prepare(&app, &id, status).await;
        let c = url(&id);
        let tokens = [
            Some(app.admin.clone()),
            Some(app.account("PTB pilot", "pilot", "PTB", Some(&id)).await),
            Some(app.account("NIST", "participant", "NIST", None).await),
            Some(app.account("KRISS", "participant", "KRISS", None).await),
            None,
        ];
        for (r, role) in ROLES.iter().enumerate() {
            let token = tokens[r].as_deref();
            for e in EXPECT {
                let flag = e.by_role[r].as_bytes()[s];
                if flag == b'-' {
                    continue;
                }
                let ctx = format!("{role} / {status} / {}", e.what);
                let reply = match e.what {
                    "results" => app.get(&format!("{c}/results"), token).await,
                    "analyses" => app.get(&format!("{c}/analyses"), token).await,
                    "doe.svg" => app.get(&format!("{c}/doe.svg"), token).await,
                    "doe" => app.get(&format!("{c}/doe?format=csv"), token).await,
                    "one analysis" => {
                        let all = app.get(&format!("{c}/analyses"), Some(&app.admin)).await;
                        let n = all.json()[0]["id"].as_i64().unwrap();
                        app.get(&format!("{c}/analyses/{n}"), token).await
                    }
                    "submit NIST" | "submit LNE" => {
                        let lab = &e.what[7..];
                        app.post(
                            &format!("{c}/results"),
                            token,
                            json!({"results": [{"institute": lab, "value": 0.03, "u": 0.02}]}),
                        )
                        .await
                    }
                    "run analysis" => {
                        app.post(&format!("{c}/analyses"), token, json!({"method": "mean"}))
                            .await
                    }
                    "next status" => {
                        // On a fresh copy, so that the matrix keeps its status.
                        let fresh = format!("CCM.M-K{}{}{}", s + 1, r, 0);
                        prepare(&app, &fresh, status).await;
                        let pilot = if *role == "pilot" {
                            Some(app.account("PTB pilot", "pilot", "PTB", Some(&fresh)).await)
                        } else {
                            tokens[r].clone()
                        };
                        app.post(
                            &format!("{}/status", url(&fresh)),
                            pilot.as_deref(),
                            json!({"status": STATUSES[s + 1]}),
                        )
                        .await
                    }
                    "add participant" => {
                        app.post(
                            &format!("{c}/participants"),
                            token,
                            json!({"institutes": ["NMIJ"]}),
                        )
                        .await
                    }
                    other => unreachable!("{other}"),
                };
                match flag {
                    b'T' => assert!(
                        reply.status.is_success(),
                        "{ctx}: {} {}",
                        reply.status,
                        reply.body
                    ),
                    b'F' if token.is_none()
                        && !matches!(
                            e.what,
                            "results" | "analyses" | "doe.svg" | "doe" | "one analysis"
                        ) =>
                    {
                        reply.problem(StatusCode::UNAUTHORIZED, "Bearer")
                    }
                    b'F' => reply.problem(StatusCode::FORBIDDEN, ""),
                    b'A' | b'O' | b'N' => {
                        assert_eq!(reply.status, StatusCode::OK, "{ctx}");
                        let seen = reply.json();
                        let labs: Vec<&str> = seen
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|r| r["institute"].as_str().unwrap())
                            .collect();
                        let expected: &[&str] = match (flag, s) {
                            (_, 0) => &[],
                            (b'A', _) => &["PTB", "NIST", "LNE"],
                            (b'O', _) => &["NIST"],
                            _ => &[],
                        };
                        assert_eq!(labs, expected, "{ctx}");
                        // The comparison resource shows the same results.
                        let one = app.get(&c, token).await.json();
                        assert_eq!(
                            one["results"].as_array().unwrap().len(),
                            expected.len(),
                            "{ctx}"
                        );
                        assert_eq!(
                            one["published"].as_array().unwrap().is_empty(),
                            s != 5,
                            "{ctx}"
                        );
                    }
                    other => unreachable!("{}", other as char),
                }
                checked += 1;
            }
        }
    }
    // 6 statuses × 5 roles × 10 rows, less the 20 that do not apply.
    assert_eq!(checked, 6 * 5 * 10 - 20);
}

#[tokio::test]
async fn registration_and_accounts_are_for_administrators() {
    let app = app().await;
    let body = json!({"id": "CCT-K9", "title": "Temperature", "pilot": "NIST",
        "measurands": [{"id": "Ga", "quantity": "temperature", "unit": "K"}]});
    let nist = app.account("NIST", "participant", "NIST", None).await;
    app.post("/api/v1/comparisons", None, body.clone())
        .await
        .problem(StatusCode::UNAUTHORIZED, "Bearer");
    app.post("/api/v1/comparisons", Some(&nist), body.clone())
        .await
        .problem(StatusCode::FORBIDDEN, "administrators");
    let ok = app
        .post("/api/v1/comparisons", Some(&app.admin), body)
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    app.post(
        "/api/v1/accounts",
        Some(&nist),
        json!({"name": "x", "role": "administrator"}),
    )
    .await
    .problem(StatusCode::FORBIDDEN, "administrators");
    // A pilot account belongs to the comparison's pilot institute.
    app.post(
        "/api/v1/accounts",
        Some(&app.admin),
        json!({"name": "x", "role": "pilot", "institute": "PTB", "comparison": "CCT-K9"}),
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "piloted by NIST");
    app.post(
        "/api/v1/accounts",
        Some(&app.admin),
        json!({"name": "x", "role": "pilot", "institute": "NIST", "comparison": "CCT-K99"}),
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "not registered");
    app.post(
        "/api/v1/accounts",
        Some(&app.admin),
        json!({"name": "x", "role": "pilot"}),
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "needs the institute");
    let me = app.get("/api/v1/accounts/me", Some(&nist)).await.json();
    assert_eq!(
        (me["role"].as_str(), me["institute"].as_str()),
        (Some("participant"), Some("NIST"))
    );
    // Institutes: the directory is public, its upkeep the administrators'.
    let institute = json!({"name": "National Institute of Standards and Technology", "country": "United States", "rmo": "SIM"});
    let put =
        Request::put("/api/v1/institutes/NIST").header(header::CONTENT_TYPE, "application/json");
    let reply = app
        .send(
            put.header(header::AUTHORIZATION, format!("Bearer {nist}"))
                .body(Body::from(institute.to_string()))
                .unwrap(),
        )
        .await;
    reply.problem(StatusCode::FORBIDDEN, "administrators");
    let reply = app
        .send(
            Request::put("/api/v1/institutes/NIST")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {}", app.admin))
                .body(Body::from(institute.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["rmo"], "SIM");
}

#[tokio::test]
async fn tokens_are_checked() {
    let app = app().await;
    let created = create_account(app.store.as_ref(), "ops", "participant", Some("PTB"), None)
        .await
        .unwrap();
    assert!(created.token.starts_with("sevres_"));
    let me = app.get("/api/v1/accounts/me", Some(&created.token)).await;
    assert_eq!(me.json()["name"], "ops");
    let reply = app.get("/api/v1/accounts/me", None).await;
    reply.problem(StatusCode::UNAUTHORIZED, "Bearer");
    assert!(reply.headers[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    // A wrong token is refused, also for reads, rather than served as the public.
    let wrong = format!("{}0", created.token);
    app.get("/api/v1/comparisons/CCQM-K30", Some(&wrong))
        .await
        .problem(StatusCode::UNAUTHORIZED, "not valid");
    let basic = app
        .send(
            Request::get("/api/v1/accounts/me")
                .header(header::AUTHORIZATION, "Basic dXNlcjpwYXNz")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    basic.problem(StatusCode::UNAUTHORIZED, "Bearer");
    // The token is stored only as its digest, and never written to the audit log.
    let log = app.store.audit_log(Some("account/")).await.unwrap();
    assert!(log.iter().all(|e| !e
        .after
        .as_ref()
        .unwrap()
        .to_string()
        .contains(&created.token)));
    assert!(
        create_account(app.store.as_ref(), "", "administrator", None, None)
            .await
            .is_err()
    );
    assert!(create_account(app.store.as_ref(), "x", "root", None, None)
        .await
        .is_err());
}

// ---------------------------------------------------------------------------------------------
// Bad input

#[tokio::test]
async fn bad_data_sets_give_clear_problems() {
    let app = app().await;
    let analyse = "/api/v1/comparisons/analyse?method=weighted-mean";
    let cases = [
        (
            "lab,x,u\nA,1.0,0.1\nB,nan,0.1\n",
            StatusCode::UNPROCESSABLE_ENTITY,
            "not a finite number",
        ),
        (
            "lab,x,u\nA,1.0,0.1\nB,inf,0.1\n",
            StatusCode::UNPROCESSABLE_ENTITY,
            "not a finite number",
        ),
        (
            "lab,x,u\nA,1.0,0.1\nB,1.1,0\n",
            StatusCode::UNPROCESSABLE_ENTITY,
            "must be positive",
        ),
        (
            "lab,x,u\nA,1.0,0.1\nB,1.1,-0.2\n",
            StatusCode::UNPROCESSABLE_ENTITY,
            "must be positive",
        ),
        (
            "lab,x,u\nA,1.0,0.1\n",
            StatusCode::UNPROCESSABLE_ENTITY,
            "at least two",
        ),
        (
            "lab,x,u,unit\nA,1.0,0.1,kBq\nB,1.1,0.1,mol\n",
            StatusCode::UNPROCESSABLE_ENTITY,
            "unit",
        ),
        (
            "no header here\n1,2\n",
            StatusCode::UNPROCESSABLE_ENTITY,
            "header",
        ),
    ];
    for (csv, status, words) in cases {
        app.post_raw(analyse, "text/csv", csv)
            .await
            .problem(status, words);
    }
    // A correlation matrix that is not positive definite.
    let json_data = json!({"unit": "kBq", "participants": [
        {"lab": "A", "x": 1.0, "u": 0.1}, {"lab": "B", "x": 1.1, "u": 0.1}, {"lab": "C", "x": 1.2, "u": 0.1}],
        "correlations": [[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]});
    app.post_raw(analyse, "application/json", &json_data.to_string())
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "positive definite");
    app.post_raw(analyse, "application/json", "{\"participants\": [")
        .await
        .problem(StatusCode::BAD_REQUEST, "JSON");
    app.post_raw(
        "/api/v1/comparisons/analyse?method=best",
        "text/csv",
        "lab,x,u\nA,1,1\nB,2,1\n",
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "best");
    app.post_raw(
        "/api/v1/comparisons/analyse?method=procedure-b&draws=100000000",
        "text/csv",
        "lab,x,u\nA,1,1\nB,2,1\n",
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "draws");
    // A good data set: the CCQM-K30 file, analysed without an account.
    let data = shared("comparisons/ccqm_k30_pb_wine.json");
    let ok = app
        .post_raw(
            "/api/v1/comparisons/analyse?method=mean",
            "application/json",
            &data,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let expected: Value = serde_json::from_str(&data).unwrap();
    let kcrv = ok.json()["result"]["kcrv"].as_f64().unwrap();
    assert!((kcrv - expected["published"]["kcrv"].as_f64().unwrap()).abs() < 5e-3);
}

#[tokio::test]
async fn bad_results_and_analyses_give_clear_problems() {
    let app = app().await;
    prepare(&app, "CCM.M-K2", "measurements").await;
    let c = url("CCM.M-K2");
    let submit = |result: Value| {
        let app = &app;
        let c = c.clone();
        async move {
            app.post(
                &format!("{c}/results"),
                Some(&app.admin),
                json!({ "results": [result] }),
            )
            .await
        }
    };
    submit(json!({"institute": "NIST", "value": 1.0, "u": 0.0}))
        .await
        .problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "standard uncertainty must be positive",
        );
    submit(json!({"institute": "NIST", "value": 1.0, "u": -0.1}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "results[0] (NIST");
    submit(json!({"institute": "NIST", "value": 1.0, "u": 0.1, "unit": "mol"}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "not commensurable");
    submit(json!({"institute": "NIST", "value": 1.0, "u": 0.1, "unit": "furlongs"}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "unit");
    submit(json!({"institute": "KRISS", "value": 1.0, "u": 0.1}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "does not take part");
    submit(json!({"institute": "NIST", "measurand": "2 kg", "value": 1.0, "u": 0.1}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "no measurand");
    submit(json!({"institute": "NIST", "value": 1.0, "uncertainty": 0.1}))
        .await
        .problem(StatusCode::BAD_REQUEST, "uncertainty");
    // JSON has no NaN or infinity: an overflowing number is refused as malformed.
    app.post_raw(&format!("{c}/results"), "application/json", "{}")
        .await
        .problem(StatusCode::UNAUTHORIZED, "Bearer");
    let overflow = app
        .send(
            Request::post(format!("{c}/results"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {}", app.admin))
                .body(Body::from(
                    r#"{"results": [{"institute": "NIST", "value": 1e999, "u": 0.1}]}"#,
                ))
                .unwrap(),
        )
        .await;
    overflow.problem(StatusCode::BAD_REQUEST, "");
    // Units convert: 30 µg is 0.03 mg.
    let converted =
        submit(json!({"institute": "NIST", "value": 30.0, "u": 20.0, "unit": "µg"})).await;
    assert_eq!(converted.status, StatusCode::OK, "{}", converted.body);
    let nist = converted
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["institute"] == "NIST")
        .unwrap()
        .clone();
    assert!((nist["value"].as_f64().unwrap() - 0.03).abs() < 1e-15);
    assert!((nist["u"].as_f64().unwrap() - 0.02).abs() < 1e-15);
    assert_eq!(nist["unit"], "mg");

    // Analyses: a correlation that is not positive definite, a matrix for the wrong labs, too few.
    let run = |body: Value| {
        let app = &app;
        let c = c.clone();
        async move {
            app.post(&format!("{c}/analyses"), Some(&app.admin), body)
                .await
        }
    };
    run(
        json!({"method": "weighted-mean", "dependence": {"kind": "correlation",
        "labs": ["PTB", "NIST", "LNE"],
        "matrix": [[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]}}),
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "positive definite");
    run(
        json!({"method": "weighted-mean", "dependence": {"kind": "correlation",
        "labs": ["PTB", "NIST", "KRISS"],
        "matrix": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]}}),
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "labs must list LNE");
    let correlated = run(
        json!({"method": "weighted-mean", "dependence": {"kind": "correlation",
        "labs": ["LNE", "NIST", "PTB"],
        "matrix": [[1.0, 0.0, 0.5], [0.0, 1.0, 0.0], [0.5, 0.0, 1.0]]}}),
    )
    .await;
    assert_eq!(
        correlated.status,
        StatusCode::CREATED,
        "{}",
        correlated.body
    );
    // The stored input is in result order (PTB, NIST, LNE): the PTB–LNE correlation moved.
    let m = &correlated.json()["dependence"]["matrix"];
    assert_eq!(m[0][2], 0.5);
    assert_eq!(m[2][0], 0.5);
    assert_eq!(m[0][1], 0.0);
    run(json!({"method": "median", "options": {"draws": 10}}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "draws");
    prepare(&app, "CCM.M-K3", "registered").await;
    app.post(
        &format!("{}/status", url("CCM.M-K3")),
        Some(&app.admin),
        json!({"status": "measurements"}),
    )
    .await;
    app.post(
        &format!("{}/results", url("CCM.M-K3")),
        Some(&app.admin),
        json!({"results": [{"institute": "PTB", "value": 1.0, "u": 0.1}]}),
    )
    .await;
    app.post(
        &format!("{}/analyses", url("CCM.M-K3")),
        Some(&app.admin),
        json!({"method": "mean"}),
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "at least 2");
}

// ---------------------------------------------------------------------------------------------
// The pages (HTML as served; tests/browser.rs renders them in Chromium)

#[tokio::test]
async fn the_pages_show_the_comparisons_and_analyse_data() {
    let app = app().await;
    let home = app.get("/", None).await;
    assert!(home.body.contains("href=\"/comparisons\""));
    let list = app.get("/comparisons?q=co-60", None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("BIPM.RI(II)-K1.Co-60"), "{}", list.body);
    assert!(!list.body.contains("Cs-137"));
    let file = last_release("Ga-67_database_FAIR.xml");
    let page = app.get(&format!("/comparisons/{}", file.code), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&file.kcrv.to_string()), "{}", page.body);
    assert_eq!(page.body.matches("<circle").count(), file.does.len());
    let missing = app.get("/comparisons/CCM.M-K404", None).await;
    assert!(missing.body.contains("no comparison"));

    // The analysis page, as a form submission with pasted data.
    let csv = "lab,x,u,unit\nA,10.0,0.1,kBq\nB,10.2,0.2,kBq\nC,9.9,0.1,kBq\n";
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{csv}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"method\"\r\n\r\nweighted-mean\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n\r\n--{boundary}--\r\n"
    );
    let reply = app
        .send(
            Request::post("/comparisons/analyse")
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("id=\"kcrv\""), "{}", reply.body);
    assert_eq!(reply.body.matches("<circle").count(), 3);
    // An uploaded file (the CCQM-K30 data set) and a bad one.
    let data = shared("comparisons/ccqm_k30_pb_wine.json");
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"k30.json\"\r\n\
         Content-Type: application/json\r\n\r\n{data}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"method\"\r\n\r\nmedian\r\n--{boundary}--\r\n"
    );
    let reply = app
        .send(
            Request::post("/comparisons/analyse")
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert!(reply.body.contains("CCQM-K30"), "{}", reply.body);
    assert!(reply.body.contains("median"));
    let bad = app
        .get(
            "/comparisons/analyse?data=lab%2Cx%2Cu%0AA%2C1%2C0%0AB%2C2%2C1%0A",
            None,
        )
        .await;
    assert!(bad.body.contains("role=\"alert\""), "{}", bad.body);
    assert!(bad.body.contains("must be positive"));
}
