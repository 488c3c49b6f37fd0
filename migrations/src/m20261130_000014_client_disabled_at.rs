//! When a client was last disabled. Its client-credentials tokens have no grant to revoke,
//! so the ones issued before that moment are refused by it, also after the client is enabled
//! again; the `disabled` flag alone would bring them back.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("clients")
                    .add_column(big_integer_null("disabled_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("clients")
                    .drop_column("disabled_at")
                    .to_owned(),
            )
            .await
    }
}
