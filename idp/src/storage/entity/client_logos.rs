use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "client_logos")]
pub struct Model {
    /// The SHA-256 of `data` in hex (`model::LogoId`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub media_type: String,
    pub data: Vec<u8>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
