//! The keys of clients that authenticate with `private_key_jwt` (RFC 7523; OIDC Core §9):
//! a JWK Set stored with the client, or the URL it is fetched from. A client with either has
//! no secret.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        for column in ["jwks", "jwks_uri"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("clients")
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["jwks", "jwks_uri"] {
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
