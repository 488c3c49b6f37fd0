//! What Postern reads from servers it was pointed at by a registration (a client's JWK Set
//! URL, its logo): someone else's server, so an answer is read piece by piece and cut off
//! past a limit, and a huge or endless one costs at most that much memory.

/// The body of `resp`, or `None` as soon as it is known to pass `max` bytes (by its
/// `Content-Length`, or as the pieces arrive).
pub async fn body_at_most(
    mut resp: reqwest::Response,
    max: usize,
) -> Result<Option<Vec<u8>>, reqwest::Error> {
    if resp.content_length().is_some_and(|l| l > max as u64) {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > max {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}
