//! A consent names the single claims granted through the `claims` request parameter
//! (OIDC Core §5.5) besides whole scopes, so a claims request is honoured only for what the
//! user agreed to share.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Space-separated claim names, like `scope`; empty for consents given before.
        manager
            .alter_table(
                Table::alter()
                    .table("consents")
                    .add_column(text("claims").default(""))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("consents")
                    .drop_column("claims")
                    .to_owned(),
            )
            .await
    }
}
