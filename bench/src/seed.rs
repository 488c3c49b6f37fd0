//! Scale data: users, each with an SSO session in the session directory, an active grant
//! of that session and a live refresh token, written straight into the SQLite file or the
//! PostgreSQL database in large transactions. The refresh tokens are derived from `salt` and the row number, so
//! the loader can present any of them without a list.

use std::time::Instant;

use argon2::{Argon2, PasswordHasher as _};
use rand::RngCore;
use sea_orm::sqlx::{self, Connection, PgConnection, SqliteConnection};

use crate::http::Error;

pub const SCOPE: &str = "openid profile email offline_access";

/// The grant of row `i`.
fn grant_id(salt: &str, i: u64) -> String {
    format!("scale-{salt}-{i}")
}

/// The refresh token of row `i`, in the form Postern issues: the grant id, a dot, the
/// secret (see `protocol::token::refresh`).
pub fn refresh_token(salt: &str, i: u64) -> String {
    format!("{}.secret-{i}", grant_id(salt, i))
}

fn random_id() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    idp::crypto::b64url(&b)
}

/// Rows per INSERT statement and per transaction.
const ROWS: usize = 400;
const PER_TX: u64 = 50_000;

/// A connection to either database; the seeder's SQL is taken by both.
enum Db {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Db {
    async fn exec(&mut self, sql: &str) -> Result<(), Error> {
        // Only numbers, generated ids and the operator's client id go into these.
        let sql = || sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Db::Sqlite(c) => sqlx::query(sql()).execute(c).await.map(|_| ())?,
            // The simple protocol: no statement prepared (and cached) for each batch.
            Db::Postgres(c) => sqlx::raw_sql(sql()).execute(c).await.map(|_| ())?,
        }
        Ok(())
    }
}

/// Seeds `db`: a SQLite file's path, or a `postgres://` URL.
pub async fn seed(db: &str, client_id: &str, users: u64, salt: &str) -> Result<(), Error> {
    let started = Instant::now();
    let mut conn = if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        // Accounts with one known password: only into a database made for the bench.
        let name = db
            .split('?')
            .next()
            .unwrap_or("")
            .rsplit('/')
            .next()
            .unwrap_or("");
        if !name.starts_with("postern_bench_") {
            return Err(format!(
                "pbench seed writes only into PostgreSQL databases named postern_bench_…, not {name:?}"
            )
            .into());
        }
        let mut c = Db::Postgres(PgConnection::connect(db).await?);
        // As SQLite's synchronous=OFF below: no wait for each commit's flush.
        c.exec("SET synchronous_commit = off").await?;
        c
    } else {
        let mut c = Db::Sqlite(SqliteConnection::connect(&format!("sqlite://{db}?mode=rw")).await?);
        c.exec("PRAGMA journal_mode=WAL").await?;
        c.exec("PRAGMA synchronous=OFF").await?;
        c
    };
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
        conn.exec("BEGIN").await?;
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
                let gid = grant_id(salt, row);
                let sid = random_id();
                let th = idp::crypto::token_hash(&refresh_token(salt, row));
                // TRUE and FALSE: PostgreSQL's booleans, and SQLite's 1 and 0.
                u.push_str(&format!(
                    "{sep}('{uid}','user{row}-{salt}@scale.postern.test',TRUE,'{hash}','Scale','User {row}',NULL,FALSE,NULL,FALSE,{now},{now})"
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
            for q in [u, s, g, r] {
                conn.exec(&q).await?;
            }
            i += n;
        }
        conn.exec("COMMIT").await?;
        eprintln!(
            "  {i} users, sessions, grants and refresh tokens ({:.0} s)",
            started.elapsed().as_secs_f64()
        );
    }
    if let Db::Sqlite(_) = conn {
        conn.exec("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    }
    conn.exec("ANALYZE").await?;
    Ok(())
}
