//! Content negotiation for the reference data: JSON, JSON-LD or Turtle, chosen by `?format=` or
//! else the `Accept` header (first supported media type in the order listed; quality values are
//! honoured), and ETags so that clients revalidate cheaply.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A representation the reference data can be served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    JsonLd,
    Turtle,
}

impl Format {
    fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::JsonLd => "application/ld+json",
            Format::Turtle => "text/turtle; charset=utf-8",
        }
    }

    fn from_name(name: &str) -> Option<Format> {
        match name {
            "json" | "application/json" => Some(Format::Json),
            "jsonld" | "json-ld" | "application/ld+json" => Some(Format::JsonLd),
            "turtle" | "ttl" | "text/turtle" => Some(Format::Turtle),
            _ => None,
        }
    }

    /// The format asked for: `?format=` wins over `Accept`; JSON when nothing supported is asked.
    pub(crate) fn choose(query: Option<&str>, headers: &HeaderMap) -> Result<Format, String> {
        if let Some(name) = query {
            return Format::from_name(name)
                .ok_or_else(|| format!("unknown format {name:?}: use json, jsonld or turtle"));
        }
        Ok(best_accepted(headers, Format::from_name).unwrap_or(Format::Json))
    }
}

/// The first of the `Accept` header's media types with the highest quality that `from_name`
/// knows; `None` when the header names none of them.
pub(crate) fn best_accepted<T>(
    headers: &HeaderMap,
    from_name: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, T)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Some(found) = from_name(media) {
            if best.as_ref().is_none_or(|(q, _)| quality > *q) {
                best = Some((quality, found));
            }
        }
    }
    best.map(|(_, found)| found)
}

/// Serves `body` (already in `format`) with an ETag derived from the reference-data digest and
/// the representation; answers 304 when the client already has it.
pub(crate) fn respond(headers: &HeaderMap, digest: &str, format: Format, body: String) -> Response {
    let etag = format!("\"{}-{:?}\"", &digest[..digest.len().min(16)], format);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    if fresh {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.media_type()),
            ),
            (header::ETAG, etag_value),
            (header::VARY, HeaderValue::from_static("accept")),
        ],
        body,
    )
        .into_response()
}
