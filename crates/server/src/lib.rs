//! The Sevres HTTP server: the JSON API under `/api/v1` (with its OpenAPI 3 document generated from
//! the handlers), and the web pages, all served by one binary with no external resources.
//!
//! This crate is a thin shell: it translates HTTP into calls to the library crates and the
//! [`Store`], and their answers into JSON, JSON-LD, Turtle or HTML. Domain logic lives in the
//! libraries; wire formats (DTOs) live here, converted by hand, so that renaming a Rust field never
//! silently changes the API.

mod api;
mod auth;
mod cmc;
mod cmc_data;
mod comparisons;
mod dcc;
mod kcdb_data;
mod time;
mod time_chart;
mod time_data;
mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use sevres_dcc::TrustAnchors;
use sevres_store::Store;
use sevres_timescale::leap::LeapTable;
use tower_http::trace::TraceLayer;

pub use api::ApiDoc;
pub use auth::{create_account, parse_role, AccountError, CreatedAccount};
pub use kcdb_data::ReferenceDataError;

/// What every request handler shares: only handles, no per-request state (servers are stateless;
/// everything lives in the database).
#[derive(Clone)]
pub struct AppState {
    /// The storage behind every service.
    pub store: Arc<dyn Store>,
    /// The leap-second table the operator supplied (`sevres serve --leap FILE`); `None` means
    /// the built-in IERS table, which expires (IERS publishes a new one every six months).
    pub leap: Option<Arc<LeapTable>>,
    /// The CMC search index, a cache derived from the stored CMCs and rebuilt whenever their
    /// generation in the database changes (see `cmc.rs`): not state of its own.
    cmc: Arc<cmc::CmcCache>,
    /// The certificates a DCC's signer must chain to (`sevres serve --dcc-trust DIR`); `None`
    /// trusts none, so a signature that verifies is reported `untrusted`.
    dcc_trust: Option<Arc<TrustAnchors>>,
}

impl AppState {
    /// Builds the state around a store, with the built-in leap-second table.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            leap: None,
            cmc: Arc::default(),
            dcc_trust: None,
        }
    }

    /// The same state answering TAI − UTC from `table` instead of the built-in one.
    pub fn with_leap_table(mut self, table: LeapTable) -> Self {
        self.leap = Some(Arc::new(table));
        self
    }

    /// The same state verifying the signatures of DCCs against `anchors`: operator
    /// configuration, like the leap-second table.
    pub fn with_dcc_trust(mut self, anchors: TrustAnchors) -> Self {
        self.dcc_trust = Some(Arc::new(anchors));
        self
    }
}

/// The whole application: API and web pages.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::router())
        .merge(web::router())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Loads the built-in reference data into the store: the SI release (so that every release stays
/// retrievable), the published BIPM.RI(II)-K1 comparisons with their institutes (see
/// `data/kcdb/README.md`), the simulated year of Circular T months (computed only on a
/// database that lacks some of them), and a synthetic CMC registry (only on a database that has
/// never held a CMC). Idempotent: run it at every start.
pub async fn load_reference_data(store: &dyn Store) -> Result<(), ReferenceDataError> {
    let reference = sevres_si::reference::canonical_json();
    store
        .put_si_release(
            sevres_si::reference::RELEASE,
            &sevres_si::reference::digest(),
            &reference,
        )
        .await?;
    kcdb_data::load(store).await?;
    time_data::load(store).await?;
    cmc_data::load(store).await
}

/// Serves `state` on `addr` until `shutdown` completes, then drains the requests in flight.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr: Option<SocketAddr> = listener.local_addr().ok();
    tracing::info!(?addr, "sevres listening");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
