//! Back-channel logout (OpenID Connect Back-Channel Logout 1.0): where a client receives
//! logout tokens, and the durable queue of deliveries, so a logout reaches every service
//! even when a receiver is down for a while or the node that queued it restarts.

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
                    .add_column(text_null("backchannel_logout_uri"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("clients")
                    .add_column(boolean("backchannel_logout_session_required").default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("logout_deliveries")
                    .if_not_exists()
                    // The logout token's `jti`: the same on every attempt, so a receiver can
                    // tell a retry from a new logout.
                    .col(text("id").primary_key())
                    .col(text("client_id"))
                    .col(text("sub"))
                    .col(text("sid"))
                    .col(big_integer("created_at"))
                    // pending, delivered or failed.
                    .col(text("status"))
                    .col(integer("attempts"))
                    .col(big_integer("next_attempt_at"))
                    // Which claim of which node may send it now, and until when: another
                    // node takes it over only once the lease has run out.
                    .col(text_null("lease"))
                    .col(big_integer_null("lease_until"))
                    .col(text_null("last_error"))
                    .col(big_integer_null("finished_at"))
                    .to_owned(),
            )
            .await?;
        // One logout token per client for one session, however many grants it holds and
        // however many times the session's end is reported.
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("logout_deliveries_target")
                    .table("logout_deliveries")
                    .col("client_id")
                    .col("sid")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("logout_deliveries_due")
                    .table("logout_deliveries")
                    .col("status")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        // The grants of one session, found when it ends.
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("grants_session_id")
                    .table("grants")
                    .col("session_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("grants_session_id")
                    .table("grants")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("logout_deliveries").to_owned())
            .await?;
        for column in [
            "backchannel_logout_uri",
            "backchannel_logout_session_required",
        ] {
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
