//! Value types every layer shares. This module imports nothing of Postern's, so `protocol`,
//! `authn`, `storage` and `http` may all use it without tying themselves to each other.

mod acr;
mod amr;
pub mod assurance;
mod clock;
pub mod contact;
mod credential;
pub mod face;
mod lang;
mod local_path;
pub mod net;
pub mod oauth;

pub use acr::Acr;
pub use amr::Amr;
pub use assurance::{Assurance, IdentityCheck, ProofMethod};
pub use clock::{Clock, OffsetClock, SystemClock};
pub use credential::CredentialKind;
pub use face::{ClientFace, ClientName, ImageKind, Localized, Logo, LogoId, ShownService};
pub use lang::Lang;
pub use local_path::LocalPath;
