//! The OpenID Connect and OAuth 2 core. It takes parsed values and the stores, and returns
//! typed outcomes or RFC-shaped errors; `http` adapts them to requests and responses.

pub mod access_token;
pub mod authorize;
pub mod claims;
pub mod client_assertion;
pub mod client_auth;
pub mod device;
pub mod discovery;
pub mod dpop;
pub mod error;
pub mod id_token;
pub mod introspection;
pub mod logout;
pub mod logout_token;
pub mod org_context;
pub mod par;
pub mod pkce;
pub mod profile;
pub mod redirect_uri;
pub mod request;
pub mod request_object;
pub mod revocation;
pub mod token;
pub mod types;
pub mod userinfo;
