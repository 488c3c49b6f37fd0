//! sea-orm entities. They never leave `storage`: `sql.rs` converts them to the domain types.

pub mod account_locks;
pub mod audit_events;
pub mod clients;
pub mod consents;
pub mod credentials;
pub mod grants;
pub mod refresh_tokens;
pub mod users;
