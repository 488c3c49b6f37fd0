//! Who is this and how strongly. `protocol` sees only the resulting `AuthnContext`.

pub mod check;
mod check_ceremony;
#[cfg(test)]
mod check_tests;
pub mod lockout;
pub mod new_password;
pub mod passkey;
mod password_check;
pub mod policy;
pub mod recovery_codes;
pub mod reset_link;
pub mod session;
mod session_end;
pub mod sms_otp;
pub mod step_up;
pub mod totp;
pub mod transaction;

/// The deployment's switches, as the policy takes them.
pub fn policy_of(config: &crate::config::Authn) -> policy::Policy {
    policy::Policy {
        require_two_factor: config.require_two_factor,
        enrolled_factor_always: config.enrolled_factor_always,
    }
}
