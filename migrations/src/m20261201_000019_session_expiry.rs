//! Sessions are swept when they expire (their services are told, `authn::session`): an
//! index finds the expired ones without reading the whole directory.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("user_sessions_expires_at")
                    .table("user_sessions")
                    .col("expires_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("user_sessions_expires_at")
                    .table("user_sessions")
                    .to_owned(),
            )
            .await
    }
}
