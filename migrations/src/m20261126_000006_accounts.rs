//! Self-service accounts: profile fields, accepted terms, deletion requests, the directory
//! of a user's sessions, favourite services and the catalogue fields of clients.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const USER_COLUMNS: [&str; 6] = [
    "birthdate",
    "street_address",
    "postal_code",
    "locality",
    "country",
    "terms_version",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One ALTER per column: SQLite adds only one column per statement.
        for c in USER_COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("users")
                        .add_column(text_null(c))
                        .to_owned(),
                )
                .await?;
        }
        for c in ["terms_accepted_at", "deletion_requested_at"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("users")
                        .add_column(big_integer_null(c))
                        .to_owned(),
                )
                .await?;
        }
        for c in ["description", "launch_url"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("clients")
                        .add_column(text_null(c))
                        .to_owned(),
                )
                .await?;
        }
        // The SSO session itself lives in the ephemeral store (read on every sign-in); this
        // is its directory, so a person can see and end their sessions and a password reset
        // can end all of them. `id` is the session's public `sid`.
        manager
            .create_table(
                Table::create()
                    .table("user_sessions")
                    .if_not_exists()
                    .col(text("id").primary_key())
                    .col(text("user_id"))
                    .col(text("cookie_hash").unique_key())
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .col(text_null("user_agent"))
                    .col(text_null("ip"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("user_sessions_user")
                    .table("user_sessions")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("favourites")
                    .if_not_exists()
                    .col(text("user_id"))
                    .col(text("client_id"))
                    .col(big_integer("created_at"))
                    .primary_key(Index::create().col("user_id").col("client_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("favourites").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("user_sessions").to_owned())
            .await?;
        for c in ["description", "launch_url"] {
            manager
                .alter_table(Table::alter().table("clients").drop_column(c).to_owned())
                .await?;
        }
        for c in USER_COLUMNS
            .into_iter()
            .chain(["terms_accepted_at", "deletion_requested_at"])
        {
            manager
                .alter_table(Table::alter().table("users").drop_column(c).to_owned())
                .await?;
        }
        Ok(())
    }
}
