//! The accounts of the old per-service logins (`idp import legacy`): one row per (service,
//! username), linked to the identity it became, or to none while it waits for an email
//! address. The password hash goes when its owner chooses a new password; the row stays, so
//! services can map their old usernames to `sub` and a re-import changes nothing.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("legacy_accounts")
                    .if_not_exists()
                    .col(text("service"))
                    // Lower-cased: the key legacy usernames are matched by.
                    .col(text("username_key"))
                    // As the old service spelled it.
                    .col(text("username"))
                    .col(text_null("user_id"))
                    .col(text_null("email"))
                    .col(boolean("email_verified"))
                    .col(text_null("given_name"))
                    .col(text_null("family_name"))
                    .col(text_null("phone"))
                    .col(text_null("password_hash"))
                    // SHA-256 of the imported record: a re-import of the same line is a no-op,
                    // a different record under the same key is refused.
                    .col(text("digest"))
                    .col(big_integer_null("legacy_created_at"))
                    .col(big_integer("imported_at"))
                    .col(big_integer_null("migrated_at"))
                    .primary_key(Index::create().col("service").col("username_key"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("legacy_accounts_user")
                            .from("legacy_accounts", "user_id")
                            .to("users", "id")
                            // An erased account takes its old logins with it.
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // No index on `email`: addresses are matched on `users`, and every index is one more
        // scattered write per imported account.
        for (name, col) in [
            ("legacy_accounts_username", "username_key"),
            ("legacy_accounts_user", "user_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .if_not_exists()
                        .name(name)
                        .table("legacy_accounts")
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("legacy_accounts").to_owned())
            .await
    }
}
