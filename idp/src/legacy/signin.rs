//! The first sign-in of an imported account.
