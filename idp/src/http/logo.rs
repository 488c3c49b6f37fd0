//! `GET /assets/logos/{id}`: a client's logo, as fetched once when it was registered, from
//! Postern's own origin, so the pages keep `img-src 'self'` and make no request elsewhere.
//!
//! The path is the image's SHA-256 (`model::LogoId`): the bytes behind it never change, so
//! browsers may keep them for good, and a new image is a new path on the pages.

use axum::{
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::error::AppError;
use crate::{model::LogoId, state::AppState};

/// A year, and never asked again (RFC 8246): the content cannot change under its address.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub async fn logo(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let found = match LogoId::parse(&id) {
        Some(id) => state.stores.logos.find_logo(&id).await?,
        None => None,
    };
    let Some(logo) = found else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let mut r = logo.data.into_response();
    let h = r.headers_mut();
    // Its kind was known by its first bytes when it was fetched; with `nosniff` (on every
    // answer) a browser takes it as that image and nothing else.
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(logo.kind.media_type()),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    Ok(r)
}
