//! The web pages in a real headless Chromium: the server runs on a loopback port with a fresh
//! database, and Chromium renders the pages (`--dump-dom`), as a visitor's browser would.
//!
//! Chromium is Debian's package (`/usr/bin/chromium`). Without it the tests say so and pass,
//! unless `SEVRES_REQUIRE_BROWSER` is set, as CI does, in which case they fail.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use sevres_server::{load_reference_data, serve, AppState};
use sevres_store::SqliteStore;

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(name))
                    .find(|p| p.is_file())
            })
        });
    if found.is_none() {
        assert!(
            std::env::var_os("SEVRES_REQUIRE_BROWSER").is_none(),
            "SEVRES_REQUIRE_BROWSER is set but no chromium is installed"
        );
        eprintln!("no chromium on PATH: browser tests skipped (apt-get install chromium)");
    }
    found
}

/// Starts a server on a free loopback port; returns its base URL. The server lives as long as the
/// test's runtime.
async fn spawn_server(data: &std::path::Path) -> String {
    let store = SqliteStore::open(data).await.unwrap();
    load_reference_data(&store).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(
        AppState::new(Arc::new(store)),
        listener,
        std::future::pending(),
    ));
    format!("http://{addr}")
}

/// Renders `url` in headless Chromium and returns the DOM after scripts ran.
fn render(chromium: &std::path::Path, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let base = spawn_server(data.path()).await;

    let home = tokio::task::spawn_blocking({
        let (chromium, url) = (chromium.clone(), format!("{base}/"));
        move || render(&chromium, &url)
    })
    .await
    .unwrap();
    assert!(home.contains("SI Reference Point"), "{home}");

    let browser = tokio::task::spawn_blocking({
        let (chromium, url) = (chromium.clone(), format!("{base}/si"));
        move || render(&chromium, &url)
    })
    .await
    .unwrap();
    assert!(browser.contains("https://si-digital-framework.org/SI/units/metre"));
    assert!(browser.contains("quetta"));

    // The converter, as a visitor who typed 36 km/h → m/s and pressed Convert.
    let converted = tokio::task::spawn_blocking({
        let url = format!("{base}/si/convert?value=36&from=km%2Fh&to=m%2Fs&notation=si");
        move || render(&chromium, &url)
    })
    .await
    .unwrap();
    assert!(converted.contains("36 km/h = 10 m/s"), "{converted}");
}

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comparison_pages_render_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let base = spawn_server(data.path()).await;
    let render_at = |path: String| {
        let (chromium, url) = (chromium.clone(), format!("{base}{path}"));
        tokio::task::spawn_blocking(move || render(&chromium, &url))
    };

    // The list, searched as a visitor would with the form.
    let list = render_at("/comparisons?q=K1&committee=CCRI&status=published".into())
        .await
        .unwrap();
    for id in [
        "BIPM.RI(II)-K1.Co-60",
        "BIPM.RI(II)-K1.Cs-137",
        "BIPM.RI(II)-K1.Ga-67",
    ] {
        assert!(list.contains(id), "{id} not listed: {list}");
    }

    // A comparison page: its KCRV from the file, the chart and the DoE table.
    let page = render_at("/comparisons/BIPM.RI(II)-K1.Cs-137".into())
        .await
        .unwrap();
    assert!(page.contains("id=\"kcrv\""), "{page}");
    assert!(page.contains("<svg"), "{page}");
    assert!(page.contains("<circle"));
    assert!(page.contains("Degrees of equivalence") || page.contains("degrees of equivalence"));

    // The analysis page, with data pasted into the form (sent as the query of a GET).
    let csv = "lab,x,u,unit\nPTB,10.02,0.05,mg/kg\nNIST,10.11,0.08,mg/kg\nNPL,9.97,0.06,mg/kg\n";
    let analysed = render_at(format!(
        "/comparisons/analyse?method=weighted-mean&data={}",
        encode(csv)
    ))
    .await
    .unwrap();
    assert!(analysed.contains("id=\"kcrv\""), "{analysed}");
    assert!(analysed.contains("mg/kg"));
    assert_eq!(analysed.matches("<circle").count(), 3, "{analysed}");
    let empty = render_at("/comparisons/analyse".into()).await.unwrap();
    assert!(empty.contains("<textarea"), "{empty}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_pages_render_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let base = spawn_server(data.path()).await;
    let render_at = |path: String| {
        let (chromium, url) = (chromium.clone(), format!("{base}{path}"));
        tokio::task::spawn_blocking(move || render(&chromium, &url))
    };

    // The overview: the simulated-data notice, the latest Circular T, every month, the labs.
    let overview = render_at("/time".into()).await.unwrap();
    assert!(overview.contains("id=\"simulated\""), "{overview}");
    assert!(overview.contains("id=\"section1\""));
    assert!(overview.contains("December 2024"));
    assert!(overview.contains("/time/labs/SIM-O"));

    // A month: section 1 with its 15 laboratories, the frequency figures, the clocks.
    let month = render_at("/time/circular-t/2024-12".into()).await.unwrap();
    assert!(
        month.contains("Circular T: December 2024 (simulated)"),
        "{month}"
    );
    assert_eq!(month.matches("href=\"/time/labs/SIM-").count(), 15 + 60);
    assert!(month.contains("id=\"frequency\""));

    // A laboratory: the chart (one marker per date of the year) and its Circular T lines.
    let lab = render_at("/time/labs/SIM-B".into()).await.unwrap();
    assert!(lab.contains("<svg"), "{lab}");
    assert_eq!(lab.matches("<circle").count(), 74);
    assert!(lab.contains("id=\"lines\""));

    // The stability page, with data sent as a query (the form posts the same fields).
    let data = "0\n103.11111\n123.22222\n157.33333\n166.44444\n48.55555\n-96.33333\n-2.22222\n111.88889\n0\n";
    let stability = render_at(format!(
        "/time/stability?kind=adev&data_type=phase&tau0=1&af=1%2C2&data={}",
        encode(data)
    ))
    .await
    .unwrap();
    assert!(stability.contains("id=\"stability\""), "{stability}");
    assert!(stability.contains("9.1229e+01"), "{stability}");
    let empty = render_at("/time/stability".into()).await.unwrap();
    assert!(empty.contains("<textarea"), "{empty}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cmc_search_page_answers_the_dc_voltage_question_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let base = spawn_server(data.path()).await;
    let render_at = |path: String| {
        let (chromium, url) = (chromium.clone(), format!("{base}{path}"));
        tokio::task::spawn_blocking(move || render(&chromium, &url))
    };

    // The empty page: the form with the fields the question fills in, the synthetic-data
    // notice, and the link in the navigation.
    let empty = render_at("/cmc".into()).await.unwrap();
    for field in [
        "name=\"text\"",
        "name=\"area\"",
        "name=\"quantity\"",
        "name=\"at\"",
        "name=\"maxUncertainty\"",
    ] {
        assert!(empty.contains(field), "{field} missing: {empty}");
    }
    assert!(empty.contains("id=\"synthetic\""));
    assert!(empty.contains("href=\"/cmc\""));

    // The form submitted (method GET) with "DC voltage", "10 V" and "1 µV/V".
    let answered = render_at(format!(
        "/cmc?text=&area=&quantity={}&country=&institute=&at={}&maxUncertainty={}",
        encode("DC voltage"),
        encode("10 V"),
        encode("1 µV/V")
    ))
    .await
    .unwrap();
    assert!(answered.contains("id=\"results\""), "{answered}");
    assert!(answered.contains("U at the value (V)"));
    let rows = answered.matches("href=\"/cmc/").count();
    assert!(rows > 0, "{answered}");
    assert!(!answered.contains("id=\"error\""));

    // The first CMC's page, with its uncertainty at 10 V.
    let at = answered.find("href=\"/cmc/").unwrap() + "href=\"".len();
    let href = &answered[at..at + answered[at..].find('"').unwrap()];
    let one = render_at(format!("{href}?at=10%20V")).await.unwrap();
    assert!(one.contains("id=\"record\""), "{one}");
    assert!(one.contains("DC voltage"));
    assert!(one.contains("id=\"at\""), "{one}");
    assert!(one.contains("id=\"synthetic\""));

    // A question that cannot be asked says why.
    let wrong = render_at(format!(
        "/cmc?at={}&maxUncertainty={}",
        encode("10 V"),
        encode("1 kg")
    ))
    .await
    .unwrap();
    assert!(wrong.contains("id=\"error\""), "{wrong}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dcc_page_checks_an_uploaded_certificate_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let base = spawn_server(data.path()).await;
    let render_at = |url: String| {
        let chromium = chromium.clone();
        tokio::task::spawn_blocking(move || render(&chromium, &url))
    };

    // The empty page: the upload form, and the link in the navigation.
    let empty = render_at(format!("{base}/dcc")).await.unwrap();
    assert!(empty.contains("enctype=\"multipart/form-data\""), "{empty}");
    assert!(empty.contains("name=\"file\"") && empty.contains("name=\"lang\""));
    assert!(empty.contains("href=\"/dcc\""));

    // A visitor who chose the Good Practice DCC and English and pressed the button: a local
    // page puts the file into the form's file input (as a file chooser would) and submits it,
    // so Chromium encodes the upload itself.
    let name = "dcc_gp_temperature_typical_v12.xml";
    let xml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/dcc/examples/valid/dcc_gp_temperature_typical_v12.xml"
    ))
    .unwrap();
    let text = serde_json::to_string(&xml).unwrap().replace("</", "<\\/");
    let launcher = data.path().join("upload.html");
    std::fs::write(
        &launcher,
        format!(
            "<!DOCTYPE html><html><body>\
             <form id=\"f\" method=\"post\" action=\"{base}/dcc\" enctype=\"multipart/form-data\">\
             <input type=\"file\" name=\"file\"><input name=\"lang\" value=\"en\"></form>\
             <script>\
             const chosen = new DataTransfer();\
             chosen.items.add(new File([{text}], \"{name}\", {{type: \"text/xml\"}}));\
             const form = document.getElementById(\"f\");\
             form.file.files = chosen.files;\
             form.submit();\
             </script></body></html>"
        ),
    )
    .unwrap();
    let page = render_at(format!("file://{}", launcher.display()))
        .await
        .unwrap();
    assert!(page.contains("id=\"verdict\""), "{page}");
    assert!(
        page.contains(&format!("{name}: <strong>valid</strong>")),
        "{page}"
    );
    assert!(page.contains("data-status=\"none\""));
    assert!(page.contains("id=\"warnings\""));
    assert!(page.contains("id=\"traceability\""));
    // The certificate, rendered in English first, each language in a sandboxed frame.
    let en = page
        .find("id=\"rendering-en\"")
        .expect("an English rendering");
    let de = page
        .find("id=\"rendering-de\"")
        .expect("a German rendering");
    assert!(en < de);
    assert_eq!(page.matches("<iframe").count(), 2);
    assert_eq!(page.matches("sandbox=\"\"").count(), 2);
    let frame = &page[page[..en].rfind("<iframe").unwrap()..de];
    assert!(frame.contains("srcdoc="), "{frame}");
    assert!(frame.contains("Temperature sensor"), "{frame}");
    assert!(frame.contains("0.072 ± 0.061 (k = 2, p = 0.95)"), "{frame}");
}
