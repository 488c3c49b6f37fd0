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
            .await?;
        // Grants made before kept claims requests that no consent covered, and their refresh
        // tokens would go on releasing them: from here on they release by scope only.
        manager
            .get_connection()
            .execute_unprepared("UPDATE grants SET claims = NULL WHERE claims IS NOT NULL")
            .await?;
        Ok(())
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
