//! Permanent account locks and the audit trail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Keyed by a hash of the normalised email, not a user id: an address without an
        // account locks exactly like one with an account.
        manager
            .create_table(
                Table::create()
                    .table("account_locks")
                    .if_not_exists()
                    .col(text("email_hash").primary_key())
                    .col(big_integer("locked_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .if_not_exists()
                    .col(text("id").primary_key())
                    .col(big_integer("at"))
                    .col(text("kind"))
                    .col(text("outcome"))
                    .col(text_null("user_id"))
                    .col(text_null("email"))
                    .col(text_null("client_id"))
                    .col(text_null("ip"))
                    .col(text_null("user_agent"))
                    .col(text_null("detail"))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [("audit_events_at", "at"), ("audit_events_email", "email")] {
            manager
                .create_index(
                    Index::create()
                        .if_not_exists()
                        .name(name)
                        .table("audit_events")
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["audit_events", "account_locks"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
