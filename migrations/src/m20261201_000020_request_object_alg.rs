//! The one algorithm a client signs its request objects with, when it names one (RFC 9101;
//! OpenID Connect Dynamic Client Registration's `request_object_signing_alg`).

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
                    .add_column(text_null("request_object_alg"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("clients")
                    .drop_column("request_object_alg")
                    .to_owned(),
            )
            .await
    }
}
