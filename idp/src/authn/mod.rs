//! Who is this and how strongly. `protocol` sees only the resulting `AuthnContext`.

pub mod lockout;
pub mod login;
pub mod passkey;
pub mod recovery_codes;
pub mod session;
pub mod sms_otp;
pub mod step_up;
pub mod totp;
