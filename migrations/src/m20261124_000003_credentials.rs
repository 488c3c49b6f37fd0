//! Second factors (TOTP, passkeys, recovery codes) and the per-client minimum acr.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One table for every kind: what differs is kept as JSON in `data`. `lookup` is what a
        // credential is found by without knowing the user (a passkey's credential id, a
        // recovery code's hash); `counter` is the TOTP step last accepted, moved forward
        // atomically so that a code is never accepted twice.
        manager
            .create_table(
                Table::create()
                    .table("credentials")
                    .if_not_exists()
                    .col(text("id").primary_key())
                    .col(text("user_id"))
                    .col(text("kind"))
                    .col(text("name"))
                    .col(text("data"))
                    .col(text_null("lookup"))
                    .col(big_integer("counter").default(0))
                    .col(big_integer("created_at"))
                    .col(big_integer_null("used_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("credentials_user")
                    .table("credentials")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("credentials_lookup")
                    .table("credentials")
                    .col("lookup")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("clients")
                    .add_column(text_null("min_acr"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("clients")
                    .drop_column("min_acr")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("credentials").if_exists().to_owned())
            .await
    }
}
