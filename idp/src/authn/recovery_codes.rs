//! Recovery codes: ten single-use codes, shown once, stored as hashes. They are random
//! (50 bits each), so a fast hash is enough; argon2 would add nothing but cost.

use crate::{
    crypto::{random_token, token_hash},
    state::AppState,
    storage::{CREDENTIAL_RECOVERY_CODE, Credential, StorageResult},
};

pub const COUNT: usize = 10;

/// A code as shown: ten characters of an alphabet without look-alikes, in two groups.
fn new_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let chars: String = (0..10)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

fn normalise(code: &str) -> String {
    code.trim().to_lowercase().replace([' ', '-'], "")
}

fn lookup(user_id: &str, code: &str) -> String {
    token_hash(&format!("{user_id}:{}", normalise(code)))
}

/// Replaces the user's codes with ten new ones and returns them (to show once).
pub async fn regenerate(state: &AppState, user_id: &str) -> StorageResult<Vec<String>> {
    let store = &state.stores.credentials;
    store
        .delete_credentials_of_kind(user_id, CREDENTIAL_RECOVERY_CODE)
        .await?;
    let now = state.now();
    let mut codes = Vec::with_capacity(COUNT);
    for i in 0..COUNT {
        let code = new_code();
        store
            .add_credential(&Credential {
                id: random_token(16),
                user_id: user_id.into(),
                kind: CREDENTIAL_RECOVERY_CODE,
                name: format!("Recovery code {}", i + 1),
                data: serde_json::Value::Null,
                lookup: Some(lookup(user_id, &code)),
                counter: 0,
                created_at: now,
                used_at: None,
            })
            .await?;
        codes.push(code);
    }
    Ok(codes)
}

/// True when `code` is one of the user's unused codes; it is used up by this call.
pub async fn redeem(state: &AppState, user_id: &str, code: &str) -> StorageResult<bool> {
    if normalise(code).len() != 10 {
        return Ok(false);
    }
    let Some(cred) = state
        .stores
        .credentials
        .find_credential_by_lookup(&lookup(user_id, code))
        .await?
    else {
        return Ok(false);
    };
    if cred.user_id != user_id || cred.kind != CREDENTIAL_RECOVERY_CODE {
        return Ok(false);
    }
    state
        .stores
        .credentials
        .consume_credential(&cred.id, state.now())
        .await
}

/// How many unused codes the user has left.
pub fn remaining(creds: &[Credential]) -> usize {
    creds
        .iter()
        .filter(|c| c.kind == CREDENTIAL_RECOVERY_CODE && c.used_at.is_none())
        .count()
}
