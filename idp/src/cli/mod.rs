//! The `idp` subcommands that administer a deployment from a shell on the server. They
//! call the same use cases (`idp::admin`) as the management API, acting as
//! [`idp::audit::Actor::CommandLine`].

pub mod assurance;
pub mod audit;
pub mod clients;
pub mod keys;
pub mod users;
