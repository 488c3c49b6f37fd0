//! The schema of Postern's durable data: one set of migrations for SQLite and PostgreSQL.
//!
//! Times are stored as Unix seconds (BIGINT) and lists as JSON text, so that both backends
//! hold the same bytes and no dialect-specific column type is needed.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_initial;
mod m20261123_000002_lockout_audit;
mod m20261124_000003_credentials;
mod m20261125_000005_orgs;
mod m20261126_000006_accounts;
mod m20261129_000007_consent_claims;
mod m20261129_000008_audit_by_user;
mod m20261130_000009_audit_actor;
mod m20261130_000010_client_admin;
mod m20261130_000011_user_admin;
mod m20261130_000012_identity_assurance;
mod m20261130_000013_audit_filters;
mod m20261130_000014_client_disabled_at;
mod m20261130_000015_legacy_accounts;
mod m20261130_000016_client_jwks;
mod m20261201_000017_backchannel_logout;
mod m20261201_000018_client_require_par;
mod m20261201_000019_session_expiry;
mod m20261201_000020_request_object_alg;
mod m20261201_000021_dpop;
mod m20261201_000022_client_profile;
mod m20261202_000023_client_face;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_initial::Migration),
            Box::new(m20261123_000002_lockout_audit::Migration),
            Box::new(m20261124_000003_credentials::Migration),
            Box::new(m20261125_000005_orgs::Migration),
            Box::new(m20261126_000006_accounts::Migration),
            Box::new(m20261129_000007_consent_claims::Migration),
            Box::new(m20261129_000008_audit_by_user::Migration),
            Box::new(m20261130_000009_audit_actor::Migration),
            Box::new(m20261130_000010_client_admin::Migration),
            Box::new(m20261130_000013_audit_filters::Migration),
            Box::new(m20261130_000011_user_admin::Migration),
            Box::new(m20261130_000012_identity_assurance::Migration),
            Box::new(m20261130_000014_client_disabled_at::Migration),
            Box::new(m20261130_000015_legacy_accounts::Migration),
            Box::new(m20261130_000016_client_jwks::Migration),
            Box::new(m20261201_000017_backchannel_logout::Migration),
            Box::new(m20261201_000018_client_require_par::Migration),
            Box::new(m20261201_000019_session_expiry::Migration),
            Box::new(m20261201_000020_request_object_alg::Migration),
            Box::new(m20261201_000021_dpop::Migration),
            Box::new(m20261201_000022_client_profile::Migration),
            Box::new(m20261202_000023_client_face::Migration),
        ]
    }
}
