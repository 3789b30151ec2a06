//! The API without a socket: `router(state)` driven with `oneshot`, on an in-memory database.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use sevres_server::{load_reference_data, router, AppState};
use sevres_store::SqliteStore;
use tower::ServiceExt;

async fn app() -> Router {
    let store = SqliteStore::in_memory().await.unwrap();
    load_reference_data(&store).await.unwrap();
    router(AppState::new(Arc::new(store)))
}

struct Reply {
    status: StatusCode,
    content_type: String,
    etag: Option<String>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let header = |name| {
        response
            .headers()
            .get(name)
            .map(|v: &header::HeaderValue| v.to_str().unwrap().to_owned())
    };
    let content_type = header(header::CONTENT_TYPE).unwrap_or_default();
    let etag = header(header::ETAG);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        content_type,
        etag,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn health_answers() {
    let app = app().await;
    let reply = get(&app, "/api/v1/health").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["status"], "ok");
}

#[tokio::test]
async fn openapi_document_lists_every_route() {
    let app = app().await;
    let doc = get(&app, "/api/v1/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/health",
        "/api/v1/si/units",
        "/api/v1/si/units/{id}",
        "/api/v1/si/prefixes",
        "/api/v1/si/constants",
        "/api/v1/si/quantities",
        "/api/v1/si/convert",
        "/api/v1/si/parse",
        "/api/v1/si/translate",
        "/api/v1/si/releases/{version}",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from OpenAPI"
        );
    }
}

#[tokio::test]
async fn unknown_paths_are_problem_json() {
    let app = app().await;
    let reply = get(&app, "/api/v1/nothing").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.content_type, "application/problem+json");
    assert_eq!(reply.json()["status"], 404);
}

#[tokio::test]
async fn units_have_pids_labels_and_own_urls() {
    let app = app().await;
    let metre = get(&app, "/api/v1/si/units/metre").await;
    assert_eq!(metre.status, StatusCode::OK);
    let metre = metre.json();
    assert_eq!(
        metre["pid"],
        "https://si-digital-framework.org/SI/units/metre"
    );
    assert_eq!(metre["url"], "/api/v1/si/units/metre");
    assert_eq!(metre["label"]["fr"], "mètre");
    assert_eq!(metre["dimension"], "L");
    let all = get(&app, "/api/v1/si/units").await.json();
    assert!(all.as_array().unwrap().len() >= 7 + 22);
    let prefixes = get(&app, "/api/v1/si/prefixes").await.json();
    assert_eq!(prefixes.as_array().unwrap().len(), 24);
    let constants = get(&app, "/api/v1/si/constants").await.json();
    assert_eq!(constants.as_array().unwrap().len(), 7);
    let missing = get(&app, "/api/v1/si/units/furlong").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.content_type, "application/problem+json");
}

#[tokio::test]
async fn content_negotiation_and_etags() {
    let app = app().await;
    let jsonld = send(
        &app,
        Request::get("/api/v1/si/units/second")
            .header(header::ACCEPT, "application/ld+json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(jsonld.content_type, "application/ld+json");
    let doc = jsonld.json();
    assert_eq!(doc["@context"]["pid"], "@id", "{doc}");
    assert_eq!(
        doc["pid"],
        "https://si-digital-framework.org/SI/units/second"
    );

    let turtle = get(&app, "/api/v1/si?format=turtle").await;
    assert!(turtle.content_type.starts_with("text/turtle"));
    assert!(turtle
        .body
        .contains("<https://si-digital-framework.org/SI/units/>"));
    assert!(turtle.body.contains("units:kelvin"));

    let first = get(&app, "/api/v1/si/prefixes").await;
    let etag = first.etag.expect("an ETag");
    let again = send(
        &app,
        Request::get("/api/v1/si/prefixes")
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    let bad = get(&app, "/api/v1/si/units?format=xml").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn releases_are_retrievable_and_verifiable() {
    let app = app().await;
    let list = get(&app, "/api/v1/si/releases").await.json();
    let current = &list.as_array().unwrap()[0];
    assert_eq!(current["current"], true);
    let url = current["url"].as_str().unwrap();
    let dump = get(&app, url).await;
    assert_eq!(dump.status, StatusCode::OK);
    let digest = current["digest"].as_str().unwrap();
    assert_eq!(
        sevres_si::reference::sha256_hex(dump.body.as_bytes()),
        digest
    );
}

#[tokio::test]
async fn convert_one_and_batch() {
    let app = app().await;
    let one = get(
        &app,
        "/api/v1/si/convert?value=1&from=km&to=m&notation=ucum",
    )
    .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert_eq!(one.json()["value"], 1000.0);

    let wrong = get(&app, "/api/v1/si/convert?value=1&from=km&to=s").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.content_type, "application/problem+json");

    let missing = get(&app, "/api/v1/si/convert?from=km&to=m").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.content_type, "application/problem+json");

    let batch = send(
        &app,
        Request::post("/api/v1/si/convert")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                r#"{"notation":"si","conversions":[{"value":36,"from":"km/h","to":"m/s"},{"value":1,"from":"kg","to":"m"}]}"#,
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(batch.status, StatusCode::OK, "{}", batch.body);
    let results = batch.json();
    assert!((results[0]["value"].as_f64().unwrap() - 10.0).abs() < 1e-12);
    assert!(results[1]["error"].is_string());

    let garbage = send(
        &app,
        Request::post("/api/v1/si/convert")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{not json"))
            .unwrap(),
    )
    .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    assert_eq!(garbage.content_type, "application/problem+json");
}

#[tokio::test]
async fn parse_and_translate() {
    let app = app().await;
    let parsed = get(&app, "/api/v1/si/parse?expr=N&notation=si").await;
    assert_eq!(parsed.status, StatusCode::OK, "{}", parsed.body);
    let parsed = parsed.json();
    assert_eq!(parsed["dimension"], "T^-2 L M");
    assert_eq!(parsed["factor"], 1.0);

    let bad = get(&app, "/api/v1/si/parse?expr=m/&notation=ucum").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // The message names the position (0-based character index) and the reason.
    let detail = bad.json()["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains("at 2") && detail.contains("not followed"),
        "{detail}"
    );

    let translated = get(&app, "/api/v1/si/translate?expr=km.h-1&from=sirp&to=ucum").await;
    assert_eq!(translated.status, StatusCode::OK, "{}", translated.body);
    assert_eq!(translated.json()["expr"], "km/h");
}

#[tokio::test]
async fn pages_render() {
    let app = app().await;
    for path in [
        "/",
        "/si",
        "/si/convert",
        "/si/convert?value=36&from=km/h&to=m/s&notation=si",
    ] {
        let page = get(&app, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.content_type.starts_with("text/html"), "{path}");
        // Everything a page loads is served by us: no external script or style sheet.
        for external in ["src=\"http", "src=\"//", "stylesheet\" href=\"http"] {
            assert!(!page.body.contains(external), "{path} loads {external}");
        }
    }
    let css = get(&app, "/assets/sevres.css").await;
    assert!(css.content_type.starts_with("text/css"));
}
