//! The time services over HTTP, without a socket (`router` driven with `oneshot`, on an in-memory
//! database): the simulated year loaded at start, Circular T in JSON, text and CSV, laboratories
//! and their series, clock characteristics, leap seconds, frequency stability, CGGTTS checks,
//! bad input as problem+json, and the pages.
//!
//! Reference figures (leap seconds, NBS14 deviations, CGGTTS files) are read at run time from the
//! shared test data (`../shared/testdata/time/`).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sevres_server::{load_reference_data, router, AppState};
use sevres_store::{SqliteStore, Store};
use sevres_timescale::calendar::Date;
use sevres_timescale::circular_t::Section1;
use tower::ServiceExt;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/testdata/time");

fn shared(path: &str) -> Vec<u8> {
    std::fs::read(format!("{SHARED}/{path}"))
        .unwrap_or_else(|e| panic!("shared test data {path}: {e}"))
}

struct Reply {
    status: StatusCode,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
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
        let doc: Value = serde_json::from_str(&self.body).unwrap();
        let detail = doc["detail"].as_str().unwrap();
        assert!(detail.contains(words), "{detail:?} lacks {words:?}");
    }
}

async fn app() -> (Router, Arc<SqliteStore>) {
    let store = Arc::new(SqliteStore::in_memory().await.unwrap());
    load_reference_data(store.as_ref()).await.unwrap();
    (router(AppState::new(store.clone())), store)
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

async fn post(app: &Router, uri: &str, content_type: &str, body: impl Into<Body>) -> Reply {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap();
    send(app, request).await
}

async fn post_json(app: &Router, uri: &str, body: &Value) -> Reply {
    post(app, uri, "application/json", body.to_string()).await
}

const NOTICE: &str = "SIMULATED DATA";

#[tokio::test]
async fn a_simulated_year_is_there_from_the_start_and_loaded_once() {
    let (app, store) = app().await;
    let months = get(&app, "/api/v1/time/circular-t").await.json();
    let months = months.as_array().unwrap();
    let names: Vec<&str> = months
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (1..=12).map(|m| format!("2024-{m:02}")).collect();
    assert_eq!(names, expected);
    for m in months {
        assert_eq!(m["simulated"], true);
        assert!(m["notice"].as_str().unwrap().starts_with(NOTICE));
        assert_eq!(m["tai_minus_utc_s"], 37);
        assert_eq!(
            m["url"],
            format!("/api/v1/time/circular-t/{}", m["month"].as_str().unwrap())
        );
    }
    // The sections of consecutive months share their boundary date.
    for w in months.windows(2) {
        assert_eq!(w[0]["last_mjd"], w[1]["first_mjd"]);
    }
    assert_eq!(months[0]["first_mjd"], 60309);
    assert_eq!(months[11]["last_mjd"], 60674);

    let labs = get(&app, "/api/v1/time/labs").await.json();
    let codes: Vec<&str> = labs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = ('A'..='O').map(|c| format!("SIM-{c}")).collect();
    assert_eq!(codes, expected);
    assert!(labs
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["simulated"] == true));

    // A second start finds everything and stores nothing again.
    let before = store.audit_log(Some("time/")).await.unwrap().len();
    assert_eq!(before, 15 + 12);
    let started = std::time::Instant::now();
    load_reference_data(store.as_ref()).await.unwrap();
    assert!(
        started.elapsed().as_secs_f64() < 2.0,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(store.audit_log(Some("time/")).await.unwrap().len(), before);
}

#[tokio::test]
async fn circular_t_json_has_section_1_with_uncertainties_and_the_frequency() {
    let (app, _) = app().await;
    let doc = get(&app, "/api/v1/time/circular-t/2024-06").await.json();
    assert_eq!(doc["month"], "2024-06");
    assert_eq!(doc["simulated"], true);
    assert!(doc["notice"].as_str().unwrap().starts_with(NOTICE));
    assert_eq!(doc["pivot"], "SIM-A");
    let mjds: Vec<i64> = doc["mjd"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    // The 5-day grid MJD ≡ 4 (mod 5), from the last date of May to the last date of June.
    assert!(mjds.iter().all(|m| m % 5 == 4));
    assert_eq!(mjds.first(), Some(&60459));
    assert_eq!(doc["dates"][0], "2024-05-29");
    let lines = doc["section1"].as_array().unwrap();
    assert_eq!(lines.len(), 15);
    for line in lines {
        let values = line["utc_minus_utck_ns"].as_array().unwrap();
        assert_eq!(values.len(), mjds.len());
        // Once TAI is steered to the fountains, the steered laboratories stay within a few ns
        // of UTC, as in real Circular T.
        assert!(
            values.iter().all(|v| v.as_f64().unwrap().abs() < 15.0),
            "{line}"
        );
        let (ua, ub, u) = (
            line["ua_ns"].as_f64().unwrap(),
            line["ub_ns"].as_f64().unwrap(),
            line["u_ns"].as_f64().unwrap(),
        );
        assert!((u - ua.hypot(ub)).abs() < 1e-9, "{line}");
        assert_eq!(line["location"], "simulated");
        assert_eq!(
            line["url"],
            format!("/api/v1/time/labs/{}", line["lab"].as_str().unwrap())
        );
    }
    let f = &doc["frequency"];
    assert!(f["eal_minus_tai"].as_f64().unwrap().is_finite());
    assert!(f["d"]["u"].as_f64().unwrap() > 0.0);
    assert_eq!(f["weighted_clocks"].as_u64().unwrap() as usize, 60);
    assert_eq!(
        doc["text_url"],
        "/api/v1/time/circular-t/2024-06?format=text"
    );
}

#[tokio::test]
async fn circular_t_text_and_csv_are_the_engine_layouts() {
    let (app, _) = app().await;
    let text = get(&app, "/api/v1/time/circular-t/2024-01?format=text").await;
    assert_eq!(text.status, StatusCode::OK);
    assert_eq!(text.content_type, "text/plain; charset=utf-8");
    let csv = get(&app, "/api/v1/time/circular-t/2024-01?format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    assert!(csv.body.starts_with("# SIMULATED DATA"), "{}", csv.body);
    assert!(
        csv.body.contains("\nlab,location,mjd_60309,mjd_60314,"),
        "{}",
        csv.body
    );

    // The text: the notice, then section 1 exactly as the engine renders it from the same
    // figures, then the frequency sections.
    let (notice, engine) = text.body.split_once("\n\n").unwrap();
    assert!(notice.starts_with(NOTICE), "{notice}");
    let section1 = Section1::parse_csv("csv", &csv.body).unwrap();
    assert_eq!(section1.rows.len(), 15);
    assert_eq!(section1.tai_minus_utc_s, 37);
    assert!(engine.starts_with(&section1.render_text()), "{engine}");
    assert!(engine.contains("SIM-A (simulated)"));
    assert!(engine.contains("2 - Difference between the normalized frequencies of EAL and TAI"));

    // Accept chooses too; ?format= wins.
    let by_accept = send(
        &app,
        Request::get("/api/v1/time/circular-t/2024-01")
            .header(header::ACCEPT, "text/csv")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(by_accept.body, csv.body);

    // Bad input.
    get(&app, "/api/v1/time/circular-t/2024-01?format=pdf")
        .await
        .problem(StatusCode::BAD_REQUEST, "pdf");
    get(&app, "/api/v1/time/circular-t/2024-13")
        .await
        .problem(StatusCode::BAD_REQUEST, "YYYY-MM");
    get(&app, "/api/v1/time/circular-t/January")
        .await
        .problem(StatusCode::BAD_REQUEST, "January");
    get(&app, "/api/v1/time/circular-t/2025-01")
        .await
        .problem(StatusCode::NOT_FOUND, "2024-01 to 2024-12");
}

#[tokio::test]
async fn a_laboratory_has_its_series_with_uncertainties() {
    let (app, _) = app().await;
    let lab = get(&app, "/api/v1/time/labs/SIM-B").await.json();
    assert_eq!(lab["code"], "SIM-B");
    assert_eq!(lab["name"], "Simulated laboratory B");
    assert_eq!(lab["simulated"], true);
    assert!(lab["notice"].as_str().unwrap().starts_with(NOTICE));
    let series = lab["series"].as_array().unwrap();
    // Every 5-day date of the year once: MJD 60309 to 60674.
    assert_eq!(series.len(), 74);
    assert_eq!(series[0]["mjd"], 60309);
    assert_eq!(series[0]["date"], "2023-12-31");
    assert_eq!(series[73]["mjd"], 60674);
    assert!(series
        .windows(2)
        .all(|w| w[1]["mjd"].as_i64() == w[0]["mjd"].as_i64().map(|m| m + 5)));
    assert!(series.iter().all(|p| p["u_ns"].as_f64().unwrap() > 0.0));
    // A date shared by two months comes from the earlier Circular T.
    assert_eq!(series[6]["mjd"], 60339);
    assert_eq!(series[6]["month"], "2024-01");
    assert_eq!(series[7]["month"], "2024-02");
    assert_eq!(lab["clocks_url"], "/api/v1/time/clocks?lab=SIM-B");

    get(&app, "/api/v1/time/labs/PTB")
        .await
        .problem(StatusCode::NOT_FOUND, "PTB");
}

#[tokio::test]
async fn clock_characteristics_of_every_clock_every_month() {
    let (app, _) = app().await;
    let all = get(&app, "/api/v1/time/clocks").await.json();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 12 * 60);
    for month in 1..=12 {
        let name = format!("2024-{month:02}");
        let clocks: Vec<&Value> = all.iter().filter(|c| c["month"] == name.as_str()).collect();
        assert_eq!(clocks.len(), 60);
        let total: f64 = clocks.iter().map(|c| c["weight"].as_f64().unwrap()).sum();
        assert!((total - 1.0).abs() < 1e-9, "{name}: weights sum to {total}");
    }
    for c in all {
        assert_eq!(c["simulated"], true);
        assert!([
            "weighted",
            "probation",
            "abnormal",
            "reentry",
            "incomplete",
            "jump"
        ]
        .contains(&c["status"].as_str().unwrap()));
        assert!(c["phase_ns"].as_f64().unwrap().is_finite());
        assert!(c["frequency"].as_f64().unwrap().abs() < 1e-12);
        assert!(c["drift_per_day"].as_f64().unwrap().is_finite());
    }
    let some = get(&app, "/api/v1/time/clocks?lab=SIM-B&month=2024-03")
        .await
        .json();
    let names: Vec<&str> = some
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["clock"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Cs1", "Cs2", "H1", "H2"]);
    assert!(some
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["lab"] == "SIM-B" && c["month"] == "2024-03"));
    assert_eq!(
        get(&app, "/api/v1/time/clocks?lab=SIM-B")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        48
    );

    get(&app, "/api/v1/time/clocks?month=2024-3")
        .await
        .problem(StatusCode::BAD_REQUEST, "2024-3");
    get(&app, "/api/v1/time/clocks?lab=NPL")
        .await
        .problem(StatusCode::NOT_FOUND, "NPL");
    get(&app, "/api/v1/time/clocks?month=2023-12")
        .await
        .problem(StatusCode::NOT_FOUND, "2023-12");
}

#[tokio::test]
async fn tai_minus_utc_from_the_built_in_table() {
    let (app, _) = app().await;
    // Every entry of the IERS table: its value from 0h UTC of its day, and the previous value
    // during the leap second that precedes it (leap-seconds.list: MJD = NTP seconds / 86400 +
    // 15020).
    let table = String::from_utf8(shared("leapseconds/leap-seconds.list")).unwrap();
    let entries: Vec<(i64, i64)> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split_whitespace();
            let ntp: i64 = f.next().unwrap().parse().unwrap();
            (ntp / 86_400 + 15_020, f.next().unwrap().parse().unwrap())
        })
        .collect();
    assert_eq!(entries.len(), 28);
    let utc = |mjd: i64, time: &str| format!("{}T{time}", Date::from_mjd(mjd));
    for (k, &(mjd, dat)) in entries.iter().enumerate() {
        let doc = get(
            &app,
            &format!("/api/v1/time/leap?utc={}", utc(mjd, "00:00:00")),
        )
        .await
        .json();
        assert_eq!(doc, json!({ "tai_minus_utc": dat }), "MJD {mjd}");
        if k > 0 {
            let leap = utc(mjd - 1, "23:59:60");
            let doc = get(&app, &format!("/api/v1/time/leap?utc={leap}"))
                .await
                .json();
            assert_eq!(doc["tai_minus_utc"], entries[k - 1].1, "{leap}");
        }
    }
    let doc = get(&app, "/api/v1/time/leap?utc=2024-06-15T12:00:00.5Z")
        .await
        .json();
    assert_eq!(doc["tai_minus_utc"], entries.last().unwrap().1);

    get(&app, "/api/v1/time/leap?utc=2015-12-31T23:59:60")
        .await
        .problem(StatusCode::BAD_REQUEST, "23:59:60");
    get(&app, "/api/v1/time/leap?utc=yesterday")
        .await
        .problem(StatusCode::BAD_REQUEST, "yesterday");
    get(&app, "/api/v1/time/leap?utc=1960-01-01T00:00:00")
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "before");
    get(&app, "/api/v1/time/leap?utc=2040-01-01T00:00:00")
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "expir");
    get(&app, "/api/v1/time/leap")
        .await
        .problem(StatusCode::BAD_REQUEST, "utc");
}

/// The NBS14 10-point phase set of the shared test data.
fn nbs14_phase() -> Vec<f64> {
    let text = String::from_utf8(shared("stability/nbs14/nbs14_10pt.txt")).unwrap();
    text.lines()
        .skip_while(|l| !l.contains("section: phase"))
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .map(|l| l.trim().parse().unwrap())
        .collect()
}

/// `nbs14_10pt,adev,2,115.8082` from the reference file.
fn nbs14_reference(statistic: &str, tau: &str) -> f64 {
    let text = String::from_utf8(shared("stability/nbs14/nbs14_reference.csv")).unwrap();
    text.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f.len() >= 4 && f[0] == "nbs14_10pt" && f[1] == statistic && f[2] == tau)
        .unwrap_or_else(|| panic!("no reference {statistic} {tau}"))[3]
        .parse()
        .unwrap()
}

#[tokio::test]
async fn stability_of_a_posted_series() {
    let (app, _) = app().await;
    let values = nbs14_phase();
    assert_eq!(values.len(), 10);
    for statistic in ["adev", "oadev", "mdev", "hdev", "tdev", "totdev"] {
        let body = json!({ "values": values, "kind": statistic, "data": "phase", "tau0": 1.0, "af": "1,2" });
        let rows = post_json(&app, "/api/v1/time/stability", &body)
            .await
            .json();
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 2, "{statistic}");
        for (row, tau) in rows.iter().zip(["1", "2"]) {
            // The same fields as `sevres time stability`.
            let mut keys: Vec<&str> = row
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort_unstable();
            assert_eq!(keys, ["ci_high", "ci_low", "dev", "n", "tau"]);
            let expected = nbs14_reference(statistic, tau);
            let dev = row["dev"].as_f64().unwrap();
            assert!(
                (dev / expected - 1.0).abs() < 1e-6,
                "{statistic} τ={tau}: {dev} vs {expected}"
            );
        }
    }
    // Gaps as null; the default factors are octave.
    let mut gappy: Vec<Value> = values.iter().map(|v| json!(v)).collect();
    gappy[4] = Value::Null;
    let rows = post_json(
        &app,
        "/api/v1/time/stability",
        &json!({ "values": gappy, "kind": "adev", "data": "phase", "tau0": 1 }),
    )
    .await
    .json();
    assert!(!rows.as_array().unwrap().is_empty());

    // Bad input.
    let bad = |body: Value| {
        let app = app.clone();
        async move { post_json(&app, "/api/v1/time/stability", &body).await }
    };
    bad(json!({ "values": values, "kind": "allan", "data": "phase", "tau0": 1 }))
        .await
        .problem(StatusCode::BAD_REQUEST, "allan");
    bad(json!({ "values": values, "kind": "adev", "data": "time", "tau0": 1 }))
        .await
        .problem(StatusCode::BAD_REQUEST, "time");
    bad(json!({ "values": values, "kind": "adev", "data": "phase", "tau0": 1, "af": "1,x" }))
        .await
        .problem(StatusCode::BAD_REQUEST, "1,x");
    bad(json!({ "values": values, "kind": "adev", "data": "phase", "tau0": 1, "colour": "red" }))
        .await
        .problem(StatusCode::BAD_REQUEST, "colour");
    bad(json!({ "values": [1.0, 2.0], "kind": "adev", "data": "phase", "tau0": 1 }))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "needs at least");
    bad(json!({ "values": values, "kind": "adev", "data": "phase", "tau0": -1 }))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "tau0");
    bad(json!({ "values": values, "kind": "adev", "data": "phase", "tau0": 1, "af": "50" }))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "50");
    let many = vec![0.0; 100_000];
    bad(json!({ "values": many, "kind": "mtotdev", "data": "phase", "tau0": 1, "af": "all" }))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "octave or decade");
    post(
        &app,
        "/api/v1/time/stability",
        "application/json",
        "{\"values\": [1,",
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "");
}

#[tokio::test]
async fn cggtts_files_are_checked() {
    let (app, _) = app().await;
    let good = post(
        &app,
        "/api/v1/time/cggtts/check",
        "text/plain",
        shared("cggtts/EZGTR60.258"),
    )
    .await
    .json();
    assert_eq!(good["valid"], true, "{good}");
    assert_eq!(good["tracks"], 2236);
    assert_eq!(good["header_checksum"], "ExcludingLineEnds");
    assert_eq!(good["errors"], json!([]));

    // One corrupted track in a Gorgy file: reported with its line, the others read.
    let one_bad = post(
        &app,
        "/api/v1/time/cggtts/check",
        "text/plain",
        shared("cggtts/GZSY8259.506"),
    )
    .await
    .json();
    assert_eq!(one_bad["valid"], false);
    assert_eq!(one_bad["tracks"], 81);
    assert_eq!(one_bad["header_checksum"], "IncludingLineFeeds");
    assert!(one_bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["message"].as_str().unwrap().contains("checksum")));

    // Collapsed columns: the header checksum fails; the report names the line.
    let broken = post(
        &app,
        "/api/v1/time/cggtts/check",
        "text/plain",
        shared("cggtts/RZSY8257.000"),
    )
    .await
    .json();
    assert_eq!(broken["valid"], false);
    assert_eq!(broken["tracks"], 0);
    assert!(broken["errors"][0]["line"].as_u64().unwrap() > 0);

    post(&app, "/api/v1/time/cggtts/check", "text/plain", Vec::new())
        .await
        .problem(StatusCode::BAD_REQUEST, "empty");
    post(
        &app,
        "/api/v1/time/cggtts/check",
        "text/plain",
        vec![0x43, 0xff, 0xfe],
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "offset 1");
}

#[tokio::test]
async fn the_openapi_document_lists_the_time_routes() {
    let (app, _) = app().await;
    let doc = get(&app, "/api/v1/openapi.json").await.json();
    for path in [
        "/api/v1/time/circular-t",
        "/api/v1/time/circular-t/{month}",
        "/api/v1/time/labs",
        "/api/v1/time/labs/{lab}",
        "/api/v1/time/clocks",
        "/api/v1/time/leap",
        "/api/v1/time/stability",
        "/api/v1/time/cggtts/check",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[tokio::test]
async fn the_time_pages() {
    let (app, _) = app().await;
    let home = get(&app, "/").await;
    assert!(home.body.contains("href=\"/time\""));

    let overview = get(&app, "/time").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.body.contains("id=\"simulated\""));
    assert!(overview.body.contains("href=\"/time/circular-t/2024-12\""));
    assert!(overview.body.contains("href=\"/time/labs/SIM-O\""));
    assert_eq!(
        overview.body.matches("href=\"/time/circular-t/").count(),
        13
    );

    let month = get(&app, "/time/circular-t/2024-03").await;
    assert!(
        month.body.contains("Circular T: March 2024 (simulated)"),
        "{}",
        month.body
    );
    assert!(month.body.contains("id=\"section1\""));
    assert!(month.body.contains("rel=\"prev\"") && month.body.contains("rel=\"next\""));
    assert!(month.body.contains("?format=text"));
    let missing = get(&app, "/time/circular-t/2030-01").await;
    assert!(missing.body.contains("id=\"error\"") && missing.body.contains("2030-01"));

    let lab = get(&app, "/time/labs/SIM-C").await;
    assert!(lab.body.contains("<svg"));
    assert_eq!(lab.body.matches("<circle").count(), 74);
    assert!(lab.body.contains("id=\"lines\""));
    assert!(get(&app, "/time/labs/XYZ")
        .await
        .body
        .contains("id=\"error\""));

    let form = get(&app, "/time/stability").await;
    assert!(form.body.contains("<textarea") && !form.body.contains("id=\"result\""));
    let data: String = nbs14_phase().iter().map(|v| format!("{v}\n")).collect();
    let encoded: String = url_encode(&data);
    let result = post(
        &app,
        "/time/stability",
        "application/x-www-form-urlencoded",
        format!("kind=adev&data_type=phase&tau0=1&af=1%2C2&data={encoded}"),
    )
    .await;
    assert!(result.body.contains("id=\"stability\""), "{}", result.body);
    assert!(result.body.contains("9.1229e+01"), "{}", result.body);
    let bad = post(
        &app,
        "/time/stability",
        "application/x-www-form-urlencoded",
        "kind=adev&data=1%0Atwo%0A",
    )
    .await;
    assert!(bad.body.contains("line 2"), "{}", bad.body);
}

fn url_encode(text: &str) -> String {
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

#[tokio::test]
async fn an_operator_supplied_leap_table_answers_after_the_built_in_one_expires() {
    // The IERS entries, rewritten as a tzdata `leapseconds` file with a later expiry, as an
    // operator would pass with `sevres serve --leap FILE`.
    let iers = String::from_utf8(shared("leapseconds/leap-seconds.list")).unwrap();
    let entries: Vec<(i64, i64)> = iers
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split_whitespace();
            let ntp: i64 = f.next().unwrap().parse().unwrap();
            (ntp / 86_400 + 15_020, f.next().unwrap().parse().unwrap())
        })
        .collect();
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut tzdata = String::from("#expires 1893456000\n"); // 2030-01-01
    for &(mjd, _) in &entries[1..] {
        let day = Date::from_mjd(mjd - 1);
        tzdata += &format!(
            "Leap\t{}\t{}\t{}\t23:59:60\t+\tS\n",
            day.year,
            MONTHS[day.month as usize - 1],
            day.day
        );
    }
    let table = sevres_timescale::leap::LeapTable::parse(&tzdata).unwrap();
    let store = Arc::new(SqliteStore::in_memory().await.unwrap());
    load_reference_data(store.as_ref()).await.unwrap();
    let built_in = router(AppState::new(store.clone()));
    let operator = router(AppState::new(store).with_leap_table(table));
    // Beyond the built-in table's expiry (2026-06-28 for the file of this repository).
    let later = "/api/v1/time/leap?utc=2029-06-01T12:00:00";
    get(&built_in, later)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "expiry");
    let doc = get(&operator, later).await.json();
    assert_eq!(doc["tai_minus_utc"], entries.last().unwrap().1);
}
