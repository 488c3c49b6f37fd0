//! sea-orm entities. They never leave `storage`: `sql.rs` converts them to the domain types.

pub mod account_locks;
pub mod audit_events;
pub mod client_logos;
pub mod clients;
pub mod consents;
pub mod credentials;
pub mod favourites;
pub mod grants;
pub mod invitations;
pub mod legacy_accounts;
pub mod logout_deliveries;
pub mod memberships;
pub mod organizations;
pub mod refresh_tokens;
pub mod user_sessions;
pub mod users;
