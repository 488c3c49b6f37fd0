//! Client administration: a revision for `ETag`/`If-Match` (every write bumps it, and an
//! update is conditional on the one the caller read), a disabled flag, and the secret being
//! replaced during a rotation with the end of its grace period.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const NEW: [&str; 4] = [
    "revision",
    "disabled",
    "previous_secret_hash",
    "previous_secret_expires_at",
];

fn column(name: &'static str) -> ColumnDef {
    match name {
        "revision" => big_integer(name).default(0).to_owned(),
        "disabled" => boolean(name).default(false).to_owned(),
        "previous_secret_hash" => text_null(name),
        _ => big_integer_null(name),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column a statement.
        for name in NEW {
            manager
                .alter_table(
                    Table::alter()
                        .table("clients")
                        .add_column(column(name))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in NEW {
            manager
                .alter_table(Table::alter().table("clients").drop_column(name).to_owned())
                .await?;
        }
        Ok(())
    }
}
