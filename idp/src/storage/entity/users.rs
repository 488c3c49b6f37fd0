use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub email: String,
    pub email_verified: bool,
    pub password_hash: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub phone: Option<String>,
    pub phone_verified: bool,
    pub locale: Option<String>,
    pub disabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub birthdate: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub country: Option<String>,
    pub terms_version: Option<String>,
    pub terms_accepted_at: Option<i64>,
    pub deletion_requested_at: Option<i64>,
    pub revision: i64,
    pub identity_method: Option<String>,
    pub identity_checked_at: Option<i64>,
    pub identity_checked_by_client: Option<String>,
    pub identity_checked_by_user: Option<String>,
    pub identity_reference: Option<String>,
    pub password_change_required: bool,
    pub password_expires_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
