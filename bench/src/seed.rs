//! Scale data: users, each with an SSO session in the session directory, an active grant
//! of that session and a live refresh token, written straight into the SQLite file in large
//! transactions. The refresh tokens are derived from `salt` and the row number, so
//! the loader can present any of them without a list.

use std::time::Instant;

use argon2::{Argon2, PasswordHasher as _};
use rand::RngCore;
use sea_orm::sqlx::{self, Connection, SqliteConnection};

use crate::http::Error;

pub const SCOPE: &str = "openid profile email offline_access";

/// The refresh token of row `i`.
pub fn refresh_token(salt: &str, i: u64) -> String {
    format!("scale-{salt}-{i}")
}

fn random_id() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    idp::crypto::b64url(&b)
}

/// Rows per INSERT statement and per transaction.
const ROWS: usize = 400;
const PER_TX: u64 = 50_000;

pub async fn seed(db: &str, client_id: &str, users: u64, salt: &str) -> Result<(), Error> {
    let started = Instant::now();
    let mut conn = SqliteConnection::connect(&format!("sqlite://{db}?mode=rw")).await?;
    sqlx::query("PRAGMA journal_mode=WAL")
        .execute(&mut conn)
        .await?;
    sqlx::query("PRAGMA synchronous=OFF")
        .execute(&mut conn)
        .await?;
    // One hash for every generated account: argon2 a million times would take a day.
    let hash = Argon2::default()
        .hash_password(b"scale-user-password")
        .map_err(|e| e.to_string())?
        .to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let expires = now + 30 * 86_400;
    let session_end = now + 8 * 3600;
    let mut i = 0u64;
    while i < users {
        let tx_end = (i + PER_TX).min(users);
        let mut tx = conn.begin().await?;
        while i < tx_end {
            let n = (tx_end - i).min(ROWS as u64);
            let mut u = String::from(
                "INSERT INTO users (id, email, email_verified, password_hash, given_name, \
                 family_name, phone, phone_verified, locale, disabled, created_at, updated_at) VALUES ",
            );
            let mut g = String::from(
                "INSERT INTO grants (id, client_id, user_id, session_id, scope, auth_time, acr, \
                 amr, claims, created_at, revoked_at, org_id) VALUES ",
            );
            let mut s = String::from(
                "INSERT INTO user_sessions (id, user_id, cookie_hash, created_at, expires_at, \
                 user_agent, ip) VALUES ",
            );
            let mut r = String::from(
                "INSERT INTO refresh_tokens (token_hash, grant_id, client_id, scope, created_at, \
                 expires_at, used_at) VALUES ",
            );
            for k in 0..n {
                let row = i + k;
                let sep = if k == 0 { "" } else { "," };
                let uid = random_id();
                let gid = random_id();
                let sid = random_id();
                let th = idp::crypto::token_hash(&refresh_token(salt, row));
                u.push_str(&format!(
                    "{sep}('{uid}','user{row}@scale.postern.test',1,'{hash}','Scale','User {row}',NULL,0,NULL,0,{now},{now})"
                ));
                g.push_str(&format!(
                    "{sep}('{gid}','{client_id}','{uid}','{sid}','{SCOPE}',{now},'urn:postern:acr:1fa','[\"pwd\"]',NULL,{now},NULL,NULL)"
                ));
                let cookie = idp::crypto::token_hash(&random_id());
                s.push_str(&format!(
                    "{sep}('{sid}','{uid}','{cookie}',{now},{session_end},'pbench',NULL)"
                ));
                r.push_str(&format!(
                    "{sep}('{th}','{gid}','{client_id}','{SCOPE}',{now},{expires},NULL)"
                ));
            }
            // Only numbers, generated ids and the operator's client id go into these.
            for q in [u, s, g, r] {
                sqlx::query(sqlx::AssertSqlSafe(q))
                    .execute(&mut *tx)
                    .await?;
            }
            i += n;
        }
        tx.commit().await?;
        eprintln!(
            "  {i} users, sessions, grants and refresh tokens ({:.0} s)",
            started.elapsed().as_secs_f64()
        );
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await?;
    sqlx::query("ANALYZE").execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}
