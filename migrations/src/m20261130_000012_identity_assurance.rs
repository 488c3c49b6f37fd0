//! Identity assurance and counter credentials: the evidence of an identity check on the
//! account (how, when, who recorded it, an optional reference such as the counter's office
//! code, never a document number), the state of its password (a change required at the
//! next sign-in; the expiry of a temporary password), and a client's demand for verified
//! identities.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn user_columns() -> Vec<ColumnDef> {
    vec![
        text_null("identity_method"),
        big_integer_null("identity_checked_at"),
        text_null("identity_checked_by_client"),
        text_null("identity_checked_by_user"),
        text_null("identity_reference"),
        boolean("password_change_required")
            .default(false)
            .to_owned(),
        big_integer_null("password_expires_at"),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column a statement.
        for mut column in user_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table("users")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("clients")
                    .add_column(boolean("require_verified").default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("clients")
                    .drop_column("require_verified")
                    .to_owned(),
            )
            .await?;
        for column in user_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table("users")
                        .drop_column(column.get_column_name())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
