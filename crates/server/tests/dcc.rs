//! Digital Calibration Certificates over HTTP, without a socket (`router` driven with
//! `oneshot`): the real examples of `../shared/testdata/dcc/examples/` checked through
//! `POST /api/v1/dcc/check` (the same object the library and `sevres dcc check` give), the signed
//! example against the test chain the operator configures, hostile input (DOCTYPE, a 1 GB body
//! refused after reading no more than the limit), rendering in each declared language, and the
//! `/dcc` page with its form.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use futures_util::StreamExt;
use http_body_util::BodyExt;
use serde_json::Value;
use sevres_dcc::{Options, TrustAnchors};
use sevres_server::{load_reference_data, router, AppState};
use sevres_store::SqliteStore;
use tower::ServiceExt;

const EXAMPLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/dcc/examples"
);
const GP: &str = "valid/dcc_gp_temperature_typical_v12.xml";
const SIGNED: &str = "signed/dcc_gp_temperature_typical_v12_v3.2.0_signed.xml";
const MANIPULATED: &str = "signed/dcc_gp_temperature_typical_v12_v3.2.0_signed_manipulated.xml";
const TEMPLATE: &str = "invalid/dfm_template_temperature_v3.1.2.xml";

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<dcc:digitalCalibrationCertificate xmlns:dcc="https://ptb.de/dcc" schemaVersion="3.1.1">&lol3;</dcc:digitalCalibrationCertificate>"#;

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!("{EXAMPLES}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The public test chain that signed the 3.2.0 example (`signed/trusted_certs/`).
fn test_chain() -> TrustAnchors {
    let mut anchors = TrustAnchors::new();
    for name in ["root.crt", "sub.crt", "signer.crt"] {
        anchors
            .add_pem_or_der(&example(&format!("signed/trusted_certs/{name}")))
            .unwrap();
    }
    anchors
}

/// A server on an empty database (no CMC: traceability finds no institute).
async fn app() -> Router {
    let store = SqliteStore::in_memory().await.unwrap();
    router(AppState::new(Arc::new(store)))
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        assert_eq!(self.headers[header::CONTENT_TYPE], "application/json");
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// Asserts a problem+json answer with this status whose detail contains `words`.
    fn problem(&self, status: StatusCode, words: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(
            self.headers[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let doc: Value = serde_json::from_str(&self.body).unwrap();
        let detail = doc["detail"].as_str().unwrap();
        assert!(detail.contains(words), "{detail:?} lacks {words:?}");
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn post(app: &Router, uri: &str, content_type: &str, body: impl Into<Body>) -> Reply {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap();
    send(app, request).await
}

async fn check(app: &Router, name: &str) -> Value {
    post(
        app,
        &format!("/api/v1/dcc/check?file={name}"),
        "application/xml",
        example(name),
    )
    .await
    .json()
}

/// A `multipart/form-data` body with a DCC as its `file` part and the given text fields.
fn form(file_name: &str, xml: &[u8], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "sevres-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/xml\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(xml);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_valid_dcc_gives_the_report_the_command_line_prints() {
    let app = app().await;
    for name in [
        GP,
        "valid/dcc_gp_temperature_simplified_v12.xml",
        "valid/ptb_vacuumlab-CDG_v3.1.1.xml",
    ] {
        let doc = check(&app, name).await;
        assert_eq!(doc["valid"], true, "{name}: {doc}");
        assert_eq!(doc["file"], name);
        // The same object as the library's (which `sevres dcc check` prints), field for field.
        let expected = sevres_dcc::check_report(&example(name), &Options::default()).to_json(name);
        for field in [
            "schema_version",
            "valid",
            "xsd_valid",
            "errors",
            "warnings",
            "signature",
        ] {
            assert_eq!(doc[field], expected[field], "{name}: {field}");
        }
        assert!(doc["traceability"].is_array());
    }
    let doc = check(&app, GP).await;
    assert_eq!(doc["schema_version"], "3.1.1");
    assert_eq!(doc["signature"], "none");
    // No CMC in this database: nothing to call synthetic.
    assert!(doc.get("notice").is_none());

    // Without ?file= the report names the upload.
    let doc = post(&app, "/api/v1/dcc/check", "text/xml", example(GP))
        .await
        .json();
    assert_eq!(doc["file"], "upload.xml");
}

#[tokio::test]
async fn the_signed_dcc_is_valid_with_the_operators_trust_chain() {
    let trusted = router(
        AppState::new(Arc::new(SqliteStore::in_memory().await.unwrap()))
            .with_dcc_trust(test_chain()),
    );
    let doc = check(&trusted, SIGNED).await;
    assert_eq!(doc["signature"], "valid", "{doc}");
    assert_eq!(doc["valid"], true, "{doc}");
    assert_eq!(doc["schema_version"], "3.2.0");

    // Altered after signing: the digest no longer matches.
    let doc = check(&trusted, MANIPULATED).await;
    assert_eq!(doc["signature"], "invalid", "{doc}");
    assert_eq!(doc["valid"], false);
    let errors = doc["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["code"].as_str().unwrap().starts_with("SIG-") && e["line"].is_number()),
        "{doc}"
    );

    // A server without trust anchors: the signature verifies, but nobody vouches for it.
    let doc = check(&app().await, SIGNED).await;
    assert_eq!(doc["signature"], "untrusted");
    assert_eq!(doc["valid"], false);

    // Certificates must be valid at ?at= when given.
    let doc = post(
        &trusted,
        "/api/v1/dcc/check?at=2200-01-01T00:00:00Z",
        "application/xml",
        example(SIGNED),
    )
    .await
    .json();
    assert_ne!(doc["signature"], "valid", "{doc}");
    post(
        &trusted,
        "/api/v1/dcc/check?at=tomorrow",
        "application/xml",
        example(SIGNED),
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "xs:dateTime");
}

#[tokio::test]
async fn the_template_lists_every_error_with_its_line() {
    let app = app().await;
    let doc = check(&app, TEMPLATE).await;
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["xsd_valid"], false);
    let errors = doc["errors"].as_array().unwrap();
    assert!(errors.len() > 20, "every error, not only the first");
    assert!(
        errors
            .iter()
            .any(|e| e["line"] == 375 && e["code"].as_str().unwrap().starts_with("XSD")),
        "{doc}"
    );
    assert!(errors.iter().any(|e| e["code"] == "DSI-UNIT"));
    for e in errors {
        assert!(e["code"].is_string() && e["message"].is_string());
    }
}

#[tokio::test]
async fn hostile_input_is_refused() {
    let app = app().await;
    // Billion laughs: refused before any entity is expanded, with a report saying why.
    let doc = post(
        &app,
        "/api/v1/dcc/check?file=lol.xml",
        "application/xml",
        BILLION_LAUGHS,
    )
    .await
    .json();
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["errors"][0]["code"], "INPUT-DOCTYPE");
    assert_eq!(doc["errors"][0]["line"], 2);
    assert_eq!(doc["errors"].as_array().unwrap().len(), 1);
    // Rendering refuses it too.
    post(
        &app,
        "/api/v1/dcc/render",
        "application/xml",
        BILLION_LAUGHS,
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "INPUT-DOCTYPE");

    // Not XML at all.
    let doc = post(&app, "/api/v1/dcc/check", "application/xml", "{\"a\": 1}")
        .await
        .json();
    assert_eq!(doc["errors"][0]["code"], "INPUT-MALFORMED");

    // Media types other than XML and forms.
    post(&app, "/api/v1/dcc/check", "application/json", "{}")
        .await
        .problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "application/xml");
    let bare = Request::post("/api/v1/dcc/check")
        .body(Body::from(example(GP)))
        .unwrap();
    send(&app, bare)
        .await
        .problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "no Content-Type");
}

static MIB: [u8; 1 << 20] = [b' '; 1 << 20];

/// A 1 GB upload, streamed (no length announced): the server stops reading at the limit and
/// answers 413; the chunks it pulled prove the body was never buffered beyond the limit.
#[tokio::test]
async fn a_1_gb_upload_is_refused_after_reading_the_limit() {
    let app = app().await;
    for uri in ["/api/v1/dcc/check", "/api/v1/dcc/render", "/dcc"] {
        let pulled = Arc::new(AtomicUsize::new(0));
        let counter = pulled.clone();
        let chunks = futures_util::stream::iter(0..1024).map(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
            Ok::<_, std::io::Error>(Bytes::from_static(&MIB))
        });
        let (content_type, body) = if uri == "/dcc" {
            let (ct, head) = form("big.xml", b"", &[]);
            // The form's head, then the endless file part.
            let head = head[..head.len() - "\r\n--sevres-test-boundary-7d3f--\r\n".len()].to_vec();
            let stream =
                futures_util::stream::once(
                    async move { Ok::<_, std::io::Error>(Bytes::from(head)) },
                )
                .chain(chunks);
            (ct, Body::from_stream(stream))
        } else {
            ("application/xml".to_string(), Body::from_stream(chunks))
        };
        let reply = post(&app, uri, &content_type, body).await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{uri}: {}",
            reply.body
        );
        if uri != "/dcc" {
            reply.problem(StatusCode::PAYLOAD_TOO_LARGE, "64 MiB");
        }
        let read = pulled.load(Ordering::Relaxed);
        assert!(
            (64..=66).contains(&read),
            "{uri}: {read} MiB pulled for a 64 MiB limit"
        );
    }
}

#[tokio::test]
async fn renders_in_each_declared_language() {
    let app = app().await;
    let de = post(
        &app,
        "/api/v1/dcc/render?lang=de",
        "application/xml",
        example(GP),
    )
    .await;
    assert_eq!(de.status, StatusCode::OK, "{}", de.body);
    assert_eq!(de.headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    let csp = de.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("sandbox"),
        "{csp}"
    );
    assert!(!csp.contains("script-src"));
    assert!(de.body.starts_with("<!DOCTYPE html><html lang=\"de\">"));
    assert!(de.body.contains("Temperatur-Fühler"));

    let en = post(
        &app,
        "/api/v1/dcc/render?lang=en",
        "application/xml",
        example(GP),
    )
    .await;
    assert!(en.body.contains("lang=\"en\""));
    assert!(en.body.contains("Temperature sensor") && !en.body.contains("Temperatur-Fühler"));
    assert!(en.body.contains("0.072 ± 0.061 (k = 2, p = 0.95)"));

    // Default: the first declared language; the same as the library renders.
    let first = post(&app, "/api/v1/dcc/render", "application/xml", example(GP)).await;
    assert_eq!(first.body, de.body);
    let xml = example(GP);
    let dcc = sevres_dcc::parse(&xml, &sevres_dcc::Limits::default()).unwrap();
    assert_eq!(en.body, sevres_dcc::render_html(&dcc, "en"));

    // A language the DCC does not declare is refused, naming those it declares.
    post(
        &app,
        "/api/v1/dcc/render?lang=fr",
        "application/xml",
        example(GP),
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "de, en");

    // The same as a form upload.
    let (ct, body) = form("gp.xml", &example(GP), &[]);
    let en_form = post(&app, "/api/v1/dcc/render?lang=en", &ct, body).await;
    assert_eq!(en_form.body, en.body);
}

#[tokio::test]
async fn a_form_upload_is_checked_and_named_by_its_file() {
    let app = app().await;
    let (ct, body) = form("my-certificate.xml", &example(TEMPLATE), &[]);
    let doc = post(&app, "/api/v1/dcc/check", &ct, body).await.json();
    assert_eq!(doc["file"], "my-certificate.xml");
    assert_eq!(doc["valid"], false);
    let (ct, body) = form("x.xml", &example(GP), &[]);
    let doc = post(&app, "/api/v1/dcc/check?file=named.xml", &ct, body)
        .await
        .json();
    assert_eq!(doc["file"], "named.xml");
    assert_eq!(doc["valid"], true);
    // A form without a file part.
    let body = "--b\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nde\r\n--b--\r\n";
    post(
        &app,
        "/api/v1/dcc/check",
        "multipart/form-data; boundary=b",
        body,
    )
    .await
    .problem(StatusCode::BAD_REQUEST, "`file`");
}

#[tokio::test]
async fn traceability_uses_the_servers_cmc_registry_and_says_it_is_synthetic() {
    let store = Arc::new(SqliteStore::in_memory().await.unwrap());
    load_reference_data(store.as_ref()).await.unwrap();
    let app = router(AppState::new(store));
    let doc = check(&app, "valid/ptb_vacuumlab-CDG_v3.1.1.xml").await;
    let traces = doc["traceability"].as_array().unwrap();
    assert!(!traces.is_empty(), "{doc}");
    // The vacuum laboratory is PTB's, an institute of the (synthetic) registry.
    assert_eq!(traces[0]["institute"], "PTB", "{doc}");
    let cites_cmcs = traces
        .iter()
        .any(|t| !t["cmcs"].as_array().unwrap().is_empty());
    assert_eq!(doc.get("notice").is_some(), cites_cmcs, "{doc}");
    if cites_cmcs {
        assert!(doc["notice"].as_str().unwrap().contains("SYNTHETIC"));
    }
}

#[tokio::test]
async fn the_openapi_document_describes_both_endpoints() {
    let app = app().await;
    let reply = send(
        &app,
        Request::get("/api/v1/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let doc = reply.json();
    let check = &doc["paths"]["/api/v1/dcc/check"]["post"];
    let content = &check["requestBody"]["content"];
    assert!(content["application/xml"].is_object() && content["multipart/form-data"].is_object());
    for status in ["200", "400", "413", "415"] {
        assert!(check["responses"][status].is_object(), "{status}");
    }
    let report = &doc["components"]["schemas"]["DccReport"]["properties"];
    for field in [
        "file",
        "schema_version",
        "valid",
        "errors",
        "warnings",
        "signature",
        "traceability",
    ] {
        assert!(report[field].is_object(), "{field}");
    }
    let render = &doc["paths"]["/api/v1/dcc/render"]["post"];
    assert!(render["responses"]["200"]["content"]["text/html"].is_object());
    assert!(render["parameters"][0]["name"] == "lang");
}

#[tokio::test]
async fn the_page_shows_the_verdict_the_findings_and_the_certificate() {
    let app = app().await;
    let page = send(&app, Request::get("/dcc").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(page.body.contains("name=\"file\"") && page.body.contains("name=\"lang\""));

    // The template in German: invalid, its errors with lines, rendered in the three languages
    // it declares (en, de, da).
    let (ct, body) = form("template.xml", &example(TEMPLATE), &[("lang", "de")]);
    let page = post(&app, "/dcc", &ct, body).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("script"),
        "{csp}"
    );
    let html = &page.body;
    assert!(html.contains("id=\"verdict\""));
    assert!(
        html.contains("template.xml: <strong>invalid</strong>"),
        "{html}"
    );
    assert!(html.contains("id=\"errors\""));
    assert!(html.contains("<td class=\"num\">375</td>"));
    // Each declared language in a sandboxed frame, the chosen one first; the certificate's
    // markup is escaped into the attribute.
    let de = html.find("id=\"rendering-de\"").unwrap();
    let en = html.find("id=\"rendering-en\"").unwrap();
    let da = html.find("id=\"rendering-da\"").unwrap();
    assert!(de < en && en < da);
    assert_eq!(html.matches("sandbox=\"\"").count(), 3);
    assert!(html.contains("srcdoc=\"&lt;!DOCTYPE html&gt;&lt;html lang=&quot;de&quot;&gt;"));

    // A language the DCC does not declare: said, and the first declared shown first.
    let (ct, body) = form("gp.xml", &example(GP), &[("lang", "fr")]);
    let page = post(&app, "/dcc", &ct, body).await;
    assert!(page.body.contains("id=\"lang-note\""), "{}", page.body);
    assert!(page.body.contains("gp.xml: <strong>valid</strong>"));

    // Hostile input: the report, and nothing rendered.
    let (ct, body) = form("lol.xml", BILLION_LAUGHS.as_bytes(), &[]);
    let page = post(&app, "/dcc", &ct, body).await;
    assert!(page.body.contains("INPUT-DOCTYPE"));
    assert!(!page.body.contains("<iframe"));

    // No file chosen.
    let body = "--b\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nde\r\n--b--\r\n";
    let page = post(&app, "/dcc", "multipart/form-data; boundary=b", body).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("id=\"error\""));
}
