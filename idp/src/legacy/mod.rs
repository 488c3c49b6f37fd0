//! The migration from the old per-service logins (PRODUCT.md §E, "Legacy migration"): each
//! e-service had its own usernames and passwords; from now on one email address is one
//! identity.
//!
//! - [`import`] reads the old accounts (JSON lines) and merges those of one address into
//!   one identity, without hashing anything.
//! - [`signin`] lets a person sign in the first time with an old username or their address
//!   and any of their old passwords, then confirm the address and choose a new password.
//! - [`lookup`] tells a service which `sub` its old username became.

pub mod import;
pub mod lookup;
pub mod signin;

/// Whether `s` may name an old service: what the import file, the configuration and the
/// management API accept.
pub fn is_service_name(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Whether `s` may be a legacy username: a line of printable text of sensible length.
pub fn is_username(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().count() <= 256 && !t.chars().any(char::is_control)
}
