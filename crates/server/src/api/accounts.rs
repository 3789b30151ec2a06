//! Accounts, the institute directory and the audit log over HTTP.
//!
//! Administrators create the accounts of pilots and participants (`POST /api/v1/accounts`; the
//! first administrator's comes from `sevres accounts create`, see
//! [`crate::create_account`]); every account can ask who it is; the institute directory is
//! public and kept by administrators; the audit log is for administrators.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sevres_kcdb::{Institute, Rmo, Ror};
use sevres_store::{Account, AccountRole};
use utoipa::{IntoParams, ToSchema};

use super::comparisons::InstituteDto;
use super::problem::Problem;
use super::{bad_json, bad_query, ApiError};
use crate::auth::{self, AccountError, Caller};
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts", post(create))
        .route("/api/v1/accounts/me", get(me))
        .route("/api/v1/institutes", get(institutes))
        .route("/api/v1/institutes/{code}", put(put_institute))
        .route("/api/v1/audit", get(audit))
}

/// Only administrators.
fn administrator(caller: &Caller) -> Result<&Account, ApiError> {
    let account = caller.account()?;
    if account.role == AccountRole::Administrator {
        Ok(account)
    } else {
        Err(ApiError::Forbidden(
            "only administrators may do this".into(),
        ))
    }
}

/// An account (never its token).
#[derive(Serialize, ToSchema)]
struct AccountDto {
    id: i64,
    name: String,
    /// `administrator`, `pilot` or `participant`.
    role: &'static str,
    institute: Option<String>,
    /// The comparison a pilot account pilots.
    comparison: Option<String>,
    created_at: String,
}

impl From<&Account> for AccountDto {
    fn from(a: &Account) -> Self {
        AccountDto {
            id: a.id,
            name: a.name.clone(),
            role: a.role.name(),
            institute: a.role.institute().map(ToString::to_string),
            comparison: a.role.comparison().map(ToString::to_string),
            created_at: a.created_at.clone(),
        }
    }
}

/// An account to create.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct AccountRequest {
    /// A person or a service.
    name: String,
    /// `administrator`, `pilot` or `participant`.
    role: String,
    /// The institute (pilot and participant accounts).
    institute: Option<String>,
    /// The comparison a pilot account pilots (registered, piloted by `institute`).
    comparison: Option<String>,
}

/// A created account with its token, shown this once.
#[derive(Serialize, ToSchema)]
struct CreatedAccountDto {
    account: AccountDto,
    /// Send as `Authorization: Bearer <token>`; only its SHA-256 digest is stored.
    token: String,
}

fn account_error(e: AccountError) -> ApiError {
    match e {
        AccountError::Store(e) => e.into(),
        AccountError::NoSuchComparison(_) | AccountError::NotThePilot { .. } => {
            ApiError::Unprocessable(e.to_string())
        }
        other => ApiError::BadRequest(other.to_string()),
    }
}

/// Creates an account (administrators) and returns its bearer token, once.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = AccountRequest,
    responses((status = 201, body = CreatedAccountDto), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<AccountRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let admin = administrator(&caller)?;
    let Json(req) = body.map_err(bad_json)?;
    let role = auth::parse_role(
        &req.role,
        req.institute.as_deref(),
        req.comparison.as_deref(),
    )
    .map_err(account_error)?;
    let created = auth::create_account_as(state.store.as_ref(), &admin.actor(), &req.name, &role)
        .await
        .map_err(account_error)?;
    let dto = CreatedAccountDto {
        account: AccountDto::from(&created.account),
        token: created.token,
    };
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(dto),
    )
        .into_response())
}

/// The caller's account.
#[utoipa::path(get, path = "/api/v1/accounts/me", tag = "accounts",
    responses((status = 200, body = AccountDto), (status = 401, body = Problem)),
    security(("bearer" = [])))]
async fn me(caller: Caller) -> Result<Json<AccountDto>, ApiError> {
    Ok(Json(AccountDto::from(caller.account()?)))
}

/// The institute directory.
#[utoipa::path(get, path = "/api/v1/institutes", tag = "accounts",
    responses((status = 200, body = [InstituteDto])))]
async fn institutes(State(state): State<AppState>) -> Result<Json<Vec<InstituteDto>>, ApiError> {
    let all = state.store.institutes().await?;
    Ok(Json(
        all.iter()
            .map(|i| InstituteDto::new(&i.code, &all))
            .collect(),
    ))
}

/// An institute to add or update.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct InstituteRequest {
    name: String,
    country: Option<String>,
    /// AFRIMETS, APMP, COOMET, EURAMET, GULFMET or SIM.
    rmo: Option<String>,
    /// ROR identifier or URL.
    ror: Option<String>,
    #[serde(default)]
    former_codes: Vec<String>,
    address: Option<String>,
}

/// Adds or updates an institute of the directory (administrators).
#[utoipa::path(put, path = "/api/v1/institutes/{code}", tag = "accounts",
    params(("code" = String, Path)), request_body = InstituteRequest,
    responses((status = 200, body = InstituteDto), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
async fn put_institute(
    State(state): State<AppState>,
    Path(code): Path<String>,
    caller: Caller,
    body: Result<Json<InstituteRequest>, JsonRejection>,
) -> Result<Json<InstituteDto>, ApiError> {
    let admin = administrator(&caller)?;
    let Json(req) = body.map_err(bad_json)?;
    let code = sevres_kcdb::InstituteCode::parse(&code)
        .map_err(|e| ApiError::BadRequest(format!("institute: {e}")))?;
    if req.name.trim().is_empty() {
        return Err(ApiError::BadRequest("name must not be empty".into()));
    }
    let rmo = req
        .rmo
        .as_deref()
        .map(|r| {
            Rmo::from_acronym(r)
                .ok_or_else(|| ApiError::BadRequest(format!("rmo: unknown RMO {r:?}")))
        })
        .transpose()?;
    let ror = req
        .ror
        .as_deref()
        .map(|r| Ror::parse(r).map_err(|e| ApiError::BadRequest(format!("ror: {e}"))))
        .transpose()?;
    let institute = Institute {
        code,
        name: req.name.trim().to_string(),
        country: req.country,
        rmo,
        ror,
        former_codes: req.former_codes,
        address: req.address,
    };
    state
        .store
        .put_institutes(&admin.actor(), std::slice::from_ref(&institute))
        .await?;
    Ok(Json(InstituteDto::new(
        &institute.code,
        std::slice::from_ref(&institute),
    )))
}

/// `GET /api/v1/audit` filter.
#[derive(Deserialize, IntoParams)]
struct AuditQuery {
    /// Only entries whose entity starts with this (`comparison/CCM.M-K8.2021`, `result/`).
    entity: Option<String>,
}

/// One audit entry.
#[derive(Serialize, ToSchema)]
struct AuditDto {
    id: i64,
    at: String,
    actor: String,
    account: Option<i64>,
    action: String,
    entity: String,
    before: Option<Value>,
    after: Option<Value>,
}

/// The audit log (administrators): every write, who, when, and the state before and after.
#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts", params(AuditQuery),
    responses((status = 200, body = [AuditDto]), (status = 401, body = Problem),
        (status = 403, body = Problem)),
    security(("bearer" = [])))]
async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<Vec<AuditDto>>, ApiError> {
    administrator(&caller)?;
    let Query(q) = query.map_err(bad_query)?;
    let entries = state.store.audit_log(q.entity.as_deref()).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditDto {
                id: e.id,
                at: e.at,
                actor: e.actor,
                account: e.account,
                action: e.action,
                entity: e.entity,
                before: e.before,
                after: e.after,
            })
            .collect(),
    ))
}
