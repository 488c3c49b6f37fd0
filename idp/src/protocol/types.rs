//! The protocol's value types, defined in `model::oauth` so that the layers below the protocol
//! (storage, configuration, keys) can hold them without depending on it.

pub use crate::model::oauth::*;
