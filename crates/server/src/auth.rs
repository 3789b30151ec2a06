//! Accounts and bearer tokens.
//!
//! A token is 32 bytes from the operating system's random generator, written in hex after the
//! prefix `sevres_` (so that it is recognisable in logs and secret scanners). Only its SHA-256
//! digest is stored: a stolen database yields no usable token, and a token is found by its digest
//! (an index lookup on a value the caller must already know, so nothing is learnt from timing).
//! A token is shown once, when the account is created ([`create_account`]).
//!
//! Requests authenticate with `Authorization: Bearer <token>`. Without the header the caller is
//! the public; with a header that does not name a valid token the request is refused (401) rather
//! than served as public, so that a mistyped token is noticed.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use rand::RngCore;
use sevres_kcdb::access::Viewer;
use sevres_kcdb::{ComparisonId, InstituteCode};
use sevres_store::{Account, AccountRole, Actor, Store, StoreError};
use sha2::{Digest, Sha256};

use crate::api::ApiError;
use crate::AppState;

/// Prefix of every token.
const TOKEN_PREFIX: &str = "sevres_";
/// Longest accepted account name, in characters.
const MAX_NAME_CHARS: usize = 200;

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// The role is not `administrator`, `pilot` or `participant`.
    #[error("unknown role {0:?} (expected administrator, pilot or participant)")]
    UnknownRole(String),
    /// A field the role needs is missing, or one it does not take is given.
    #[error("a {role} account {problem}")]
    Fields {
        /// The role.
        role: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// The name is empty or too long.
    #[error("the account name must be 1 to {MAX_NAME_CHARS} characters")]
    Name,
    /// The institute code is not valid.
    #[error("institute: {0}")]
    Institute(#[from] sevres_kcdb::InstituteCodeError),
    /// The comparison identifier is not valid.
    #[error("comparison: {0}")]
    Comparison(#[from] sevres_kcdb::IdError),
    /// The comparison of a pilot account is not registered.
    #[error("comparison {0} is not registered")]
    NoSuchComparison(String),
    /// A pilot account must belong to the comparison's pilot institute.
    #[error("{comparison} is piloted by {pilot}, not {institute}")]
    NotThePilot {
        /// The comparison.
        comparison: String,
        /// Its pilot.
        pilot: String,
        /// The institute given.
        institute: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A newly created account and its token (shown only now; only its digest is stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedAccount {
    /// The account.
    pub account: Account,
    /// The bearer token.
    pub token: String,
}

/// Reads a role from its name and the fields it needs: `administrator` (neither institute nor
/// comparison), `pilot` (the institute and the comparison it pilots), `participant` (the
/// institute).
pub fn parse_role(
    role: &str,
    institute: Option<&str>,
    comparison: Option<&str>,
) -> Result<AccountRole, AccountError> {
    let fields = |role, problem| AccountError::Fields { role, problem };
    match role {
        "administrator" => match (institute, comparison) {
            (None, None) => Ok(AccountRole::Administrator),
            _ => Err(fields(
                "administrator",
                "takes neither an institute nor a comparison",
            )),
        },
        "pilot" => match (institute, comparison) {
            (Some(i), Some(c)) => Ok(AccountRole::Pilot {
                comparison: ComparisonId::parse(c)?,
                institute: InstituteCode::parse(i)?,
            }),
            _ => Err(fields(
                "pilot",
                "needs the institute and the comparison it pilots",
            )),
        },
        "participant" => match (institute, comparison) {
            (Some(i), None) => Ok(AccountRole::Participant {
                institute: InstituteCode::parse(i)?,
            }),
            (None, _) => Err(fields("participant", "needs an institute")),
            (Some(_), Some(_)) => Err(fields("participant", "takes no comparison")),
        },
        other => Err(AccountError::UnknownRole(other.chars().take(40).collect())),
    }
}

/// Creates an account and returns it with its new bearer token.
///
/// `role` is `administrator`, `pilot` or `participant`; a pilot account needs `institute` and
/// `comparison` (a registered comparison piloted by that institute), a participant account
/// needs `institute`. This is how the first administrator token is made (`sevres accounts
/// create`, recorded in the audit log as the command line); administrators then create the
/// other accounts over the API (`POST /api/v1/accounts`).
pub async fn create_account(
    store: &dyn Store,
    name: &str,
    role: &str,
    institute: Option<&str>,
    comparison: Option<&str>,
) -> Result<CreatedAccount, AccountError> {
    let role = parse_role(role, institute, comparison)?;
    create_account_as(store, &Actor::System("command line".into()), name, &role).await
}

/// Creates an account on behalf of `actor` (see [`create_account`]).
pub(crate) async fn create_account_as(
    store: &dyn Store,
    actor: &Actor,
    name: &str,
    role: &AccountRole,
) -> Result<CreatedAccount, AccountError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(AccountError::Name);
    }
    if let AccountRole::Pilot {
        comparison,
        institute,
    } = role
    {
        let c = store
            .comparison(comparison)
            .await?
            .ok_or_else(|| AccountError::NoSuchComparison(comparison.to_string()))?;
        if c.pilot != *institute {
            return Err(AccountError::NotThePilot {
                comparison: comparison.to_string(),
                pilot: c.pilot.to_string(),
                institute: institute.to_string(),
            });
        }
    }
    let token = new_token();
    let account = store
        .create_account(actor, name, role, &token_digest(&token))
        .await?;
    Ok(CreatedAccount { account, token })
}

/// A fresh random token.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let mut token = String::with_capacity(TOKEN_PREFIX.len() + 64);
    token.push_str(TOKEN_PREFIX);
    token.push_str(&hex(&bytes));
    token
}

/// SHA-256 of the token text, in lower-case hex: what the store keeps and looks up.
fn token_digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who sends a request: an authenticated account, or the public.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    account: Option<Account>,
}

impl Caller {
    /// The viewer of the access policy.
    pub(crate) fn viewer(&self) -> Viewer {
        self.account
            .as_ref()
            .map_or(Viewer::Public, |a| a.role.viewer())
    }

    /// The account, or 401 for a write by the public.
    pub(crate) fn account(&self) -> Result<&Account, ApiError> {
        self.account.as_ref().ok_or_else(|| {
            ApiError::Unauthorized(
                "this request changes data: send 'Authorization: Bearer <token>'".into(),
            )
        })
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let Some(value) = parts.headers.get(AUTHORIZATION) else {
            return Ok(Caller { account: None });
        };
        let invalid = || ApiError::Unauthorized("the bearer token is not valid".into());
        let text = value.to_str().map_err(|_| invalid())?.trim();
        let (scheme, token) = text.split_once(' ').ok_or_else(invalid)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(ApiError::Unauthorized(
                "only the Bearer authentication scheme is supported".into(),
            ));
        }
        let token = token.trim();
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 200 {
            return Err(invalid());
        }
        let account = state
            .store
            .account_by_token(&token_digest(token))
            .await?
            .ok_or_else(invalid)?;
        Ok(Caller {
            account: Some(account),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_with_a_prefix() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), TOKEN_PREFIX.len() + 64);
        assert!(a[TOKEN_PREFIX.len()..]
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn roles_need_their_fields() {
        assert_eq!(
            parse_role("administrator", None, None).unwrap(),
            AccountRole::Administrator
        );
        assert!(parse_role("administrator", Some("PTB"), None).is_err());
        assert!(parse_role("pilot", Some("PTB"), None).is_err());
        assert!(parse_role("pilot", Some("PTB"), Some("CCM.M-K8.2021")).is_ok());
        assert!(parse_role("pilot", Some("PTB"), Some("not an id")).is_err());
        assert!(parse_role("participant", None, None).is_err());
        assert!(parse_role("participant", Some("PTB"), Some("CCM.M-K8")).is_err());
        assert!(parse_role("participant", Some("PTB!"), None).is_err());
        assert!(parse_role("public", None, None).is_err());
    }
}
