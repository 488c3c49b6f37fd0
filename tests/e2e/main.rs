//! End-to-end: the server on port 0, driven by the `openidconnect` crate as a real client.

mod admin_api;
mod admin_clients;
mod admin_users;
mod assurance;
mod assurance_counter;
mod assurance_integrity;
mod claims;
mod console;
mod flows;
mod hints;
mod languages;
mod legacy;
mod legacy_attacks;
mod legacy_claim;
mod logout;
mod orgs;
mod portal;
mod prehijack;
mod prompts;
mod recover;
mod redirects;
mod register;
mod rp;
mod smoke;
mod strong;
mod tokens;
