//! Measures the CMC registry through the HTTP API, on a real socket:
//!
//! 1. **First start**: `load_reference_data` on a fresh database (SI release, published
//!    comparisons, the simulated Circular T year and the 20 000 synthetic CMCs), then the first
//!    CMC request (which builds the search index).
//! 2. **Search latency at scale**: 1 000 000 generated CMCs imported in one transaction, a server
//!    on a loopback port, the index built by a first request, then the generator's questions
//!    (a value in one of the template's units, 60 % with an uncertainty limit, some facets and
//!    words) and the DC-voltage question ("who can calibrate DC voltage at 10 V with U ≤ 1 µV/V?")
//!    sent one at a time over one keep-alive connection; prints percentiles as one JSON object.
//!
//! `cargo run --release -p sevres-server --example cmc_latency` (`CMC_LATENCY_SIZE` changes the
//! registry size, `CMC_LATENCY_QUERIES` the number of questions).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use sevres_cmc::generate::{generate, Generator};
use sevres_cmc::Query;
use sevres_server::{load_reference_data, serve, AppState};
use sevres_store::{Actor, CmcSource, SqliteStore, Store};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
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

/// The API URL of a generated question.
fn url(q: &Query) -> String {
    let mut u = String::from("/api/v1/cmc/search?pageSize=20");
    if let Some(t) = &q.text {
        u.push_str(&format!("&text={}", enc(t)));
    }
    for (f, v) in &q.facets {
        u.push_str(&format!("&{}={}", f.name(), enc(v)));
    }
    if let Some(m) = &q.measurand {
        u.push_str(&format!(
            "&at={}",
            enc(&format!("{} {}", m.value, m.unit.text))
        ));
    }
    if let Some(l) = &q.uncertainty {
        let a = &l.amount;
        u.push_str(&format!(
            "&maxUncertainty={}",
            enc(&format!("{} {}", a.value, a.unit.text))
        ));
    }
    u
}

/// One GET on a keep-alive HTTP/1.1 connection: status and body length.
async fn get(conn: &mut BufReader<TcpStream>, path: &str) -> (u16, usize) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    conn.get_mut()
        .write_all(request.as_bytes())
        .await
        .expect("request sent");
    let mut line = String::new();
    conn.read_line(&mut line).await.expect("status line");
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let mut length = 0;
    loop {
        line.clear();
        conn.read_line(&mut line).await.expect("header");
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().expect("a length");
            }
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).await.expect("body");
    (status, length)
}

fn percentiles(mut times: Vec<Duration>) -> serde_json::Value {
    times.sort_unstable();
    let at = |p: f64| {
        let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
        times[i].as_secs_f64() * 1e3
    };
    json!({"n": times.len(), "p50_ms": at(0.5), "p95_ms": at(0.95), "p99_ms": at(0.99),
           "max_ms": at(1.0)})
}

async fn spawn(store: Arc<SqliteStore>) -> BufReader<TcpStream> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(serve(
        AppState::new(store),
        listener,
        std::future::pending(),
    ));
    BufReader::new(TcpStream::connect(addr).await.expect("connected"))
}

#[tokio::main]
async fn main() {
    let size = env("CMC_LATENCY_SIZE", 1_000_000);
    let queries = env("CMC_LATENCY_QUERIES", 2000);

    // 1. First start.
    let fresh = tempfile::tempdir().expect("a folder");
    let store = Arc::new(SqliteStore::open(fresh.path()).await.expect("a database"));
    let started = Instant::now();
    load_reference_data(store.as_ref())
        .await
        .expect("reference data");
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut conn = spawn(store).await;
    let started = Instant::now();
    let (status, _) = get(&mut conn, "/api/v1/cmc").await;
    assert_eq!(status, 200);
    let first_request_ms = started.elapsed().as_secs_f64() * 1e3;
    drop(conn);

    // 2. Search latency over `size` CMCs.
    let dir = tempfile::tempdir().expect("a folder");
    let store = Arc::new(SqliteStore::open(dir.path()).await.expect("a database"));
    let started = Instant::now();
    let cmcs = generate(42, size);
    let generate_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let source = CmcSource {
        description: format!("synthetic: generate(42, {size})"),
        synthetic: true,
    };
    store
        .put_cmcs(&Actor::System("benchmark".into()), &source, &cmcs)
        .await
        .expect("imported");
    let import_s = started.elapsed().as_secs_f64();
    drop(cmcs);
    let mut conn = spawn(store).await;
    let started = Instant::now();
    let (status, _) = get(&mut conn, "/api/v1/cmc").await;
    assert_eq!(status, 200);
    let index_s = started.elapsed().as_secs_f64();

    let mut g = Generator::new(7);
    let urls: Vec<String> = (0..queries).map(|_| url(&g.query())).collect();
    // Warm the connection and the caches.
    for u in urls.iter().take(50) {
        get(&mut conn, u).await;
    }
    let mut mixed = Vec::with_capacity(urls.len());
    let mut answered = 0;
    for u in &urls {
        let started = Instant::now();
        let (status, _) = get(&mut conn, u).await;
        mixed.push(started.elapsed());
        assert!(status == 200 || status == 422, "{status} for {u}");
        answered += usize::from(status == 200);
    }
    let dc = "/api/v1/cmc/search?quantity=DC%20voltage&at=10%20V&maxUncertainty=1%20%C2%B5V%2FV&pageSize=20";
    let mut dc_times = Vec::new();
    let mut dc_bytes = 0;
    for _ in 0..500 {
        let started = Instant::now();
        let (status, bytes) = get(&mut conn, dc).await;
        dc_times.push(started.elapsed());
        assert_eq!(status, 200);
        dc_bytes = bytes;
    }
    println!(
        "{}",
        json!({
            "first_start": {
                "load_reference_data_ms": load_ms,
                "first_cmc_request_ms": first_request_ms,
            },
            "registry": {
                "cmcs": size,
                "generate_s": generate_s,
                "import_s": import_s,
                "index_from_database_s": index_s,
            },
            "search_http": {
                "mixed": percentiles(mixed),
                "mixed_answered_200": answered,
                "dc_voltage_10V_1uV_per_V": percentiles(dc_times),
                "dc_voltage_response_bytes": dc_bytes,
            }
        })
    );
}
