//! Management use-cases. The command line (and later the HTTP API) only adapts them.

pub mod assurance;
pub mod clients;
pub mod counter;
pub mod keys;
pub mod seed;
pub mod users;
