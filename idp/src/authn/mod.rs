//! Who is this and how strongly. `protocol` sees only the resulting `AuthnContext`.

pub mod lockout;
pub mod login;
pub mod session;
