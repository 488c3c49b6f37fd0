//! Organisations, their members and invitations; the organisation context of a grant; and
//! whether a client is for businesses, consumers or both.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // `admin_count` is what keeps every organisation with an admin: removing or demoting
        // one decrements it with `WHERE admin_count > 1`, one atomic statement on any backend.
        manager
            .create_table(
                Table::create()
                    .table("organizations")
                    .if_not_exists()
                    .col(text("id").primary_key())
                    .col(text("name"))
                    .col(text_null("business_id"))
                    .col(text("status"))
                    .col(big_integer("admin_count").default(0))
                    .col(big_integer("created_at"))
                    .col(big_integer("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("memberships")
                    .if_not_exists()
                    .col(text("org_id"))
                    .col(text("user_id"))
                    .col(text("roles"))
                    .col(text("services"))
                    .col(boolean("is_admin"))
                    .col(big_integer("created_at"))
                    .primary_key(Index::create().col("org_id").col("user_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("memberships_user")
                    .table("memberships")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invitations")
                    .if_not_exists()
                    .col(text("token_hash").primary_key())
                    .col(text("id"))
                    .col(text("org_id"))
                    .col(text("email"))
                    .col(text("roles"))
                    .col(text("services"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .col(big_integer_null("accepted_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("grants")
                    .add_column(text_null("org_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("clients")
                    .add_column(text("org_mode").default("any"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, col) in [("clients", "org_mode"), ("grants", "org_id")] {
            manager
                .alter_table(Table::alter().table(table).drop_column(col).to_owned())
                .await?;
        }
        for table in ["invitations", "memberships", "organizations"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
