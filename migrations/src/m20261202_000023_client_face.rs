//! How a service presents itself (OpenID Connect Dynamic Client Registration 1.0 §2.1):
//! `client_name` per language beside the untagged one (which stays in `clients.name`), the
//! logos fetched from each `logo_uri`, and the logo images themselves, stored once per
//! content (their SHA-256 is their id) and served from Postern's own origin.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["name_langs", "logos"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("clients")
                        .add_column(text(column).default("{}"))
                        .to_owned(),
                )
                .await?;
        }
        // A client created without a name was given its id as name, and the pages showed
        // that id ("to continue to rp1"). An id names a registration, not a service a person
        // knows: such a client now has no name, and the pages name no service for it.
        manager
            .exec_stmt(
                Query::update()
                    .table("clients")
                    .value("name", "")
                    .and_where(Expr::col("name").equals("client_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("client_logos")
                    .if_not_exists()
                    .col(string_len("id", 64).primary_key())
                    .col(string_len("media_type", 32))
                    .col(blob("data"))
                    .col(big_integer("created_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("client_logos").to_owned())
            .await?;
        for column in ["name_langs", "logos"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("clients")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
