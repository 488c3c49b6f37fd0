//! OpenID Connect Discovery 1.0 §3 and RFC 8414 §2 metadata. Only what is implemented is
//! advertised; the document is built once at start.

use serde_json::json;

use super::{
    client_assertion,
    types::{ACR_VALUES, GRANT_TYPES, Prompt, STANDARD_SCOPES, SigningAlg},
};
use crate::config::Config;

/// Claims a client can receive (OIDC Core §5.1), plus the protocol claims of our tokens.
pub const CLAIMS_SUPPORTED: [&str; 30] = [
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "azp",
    "sid",
    "name",
    "given_name",
    "family_name",
    "locale",
    "birthdate",
    "updated_at",
    "email",
    "email_verified",
    "phone_number",
    "phone_number_verified",
    "address",
    "at_hash",
    "client_id",
    "org_id",
    "org_name",
    "org_roles",
    "assurance_level",
    "assurance_method",
    "assurance_time",
];

pub fn document(config: &Config) -> Vec<u8> {
    let iss = &config.issuer;
    let mut claims_supported = CLAIMS_SUPPORTED.to_vec();
    // Released to an old service's own client only, so advertised when one is configured.
    if config
        .migration
        .services
        .values()
        .any(|s| !s.client_id.is_empty())
    {
        claims_supported.push(super::claims::LEGACY_ACCOUNTS);
    }
    let algs: Vec<&str> = SigningAlg::ALL.iter().map(|a| a.as_str()).collect();
    let auth_methods = [
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
        "none",
    ];
    let confidential_methods = [
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
    ];
    // The algorithms of private_key_jwt assertions (OIDC Discovery §3; RFC 8414 §2).
    let assertion_algs = client_assertion::ALGORITHMS;
    let doc = json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "userinfo_endpoint": format!("{iss}/userinfo"),
        "jwks_uri": format!("{iss}/jwks"),
        "end_session_endpoint": format!("{iss}/logout"),
        "pushed_authorization_request_endpoint": format!("{iss}/par"),
        "device_authorization_endpoint": format!("{iss}{}", super::device::ENDPOINT),
        "require_pushed_authorization_requests": config.par.required,
        "introspection_endpoint": format!("{iss}/introspect"),
        "revocation_endpoint": format!("{iss}/revoke"),
        "scopes_supported": STANDARD_SCOPES.iter().chain(&["org", "assurance"]).collect::<Vec<_>>(),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": GRANT_TYPES,
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": algs,
        "token_endpoint_auth_methods_supported": auth_methods,
        "token_endpoint_auth_signing_alg_values_supported": assertion_algs,
        "introspection_endpoint_auth_methods_supported": confidential_methods,
        "introspection_endpoint_auth_signing_alg_values_supported": assertion_algs,
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "revocation_endpoint_auth_signing_alg_values_supported": assertion_algs,
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": claims_supported,
        "claim_types_supported": ["normal"],
        "claims_parameter_supported": true,
        "request_parameter_supported": true,
        "request_object_signing_alg_values_supported": assertion_algs,
        "dpop_signing_alg_values_supported": assertion_algs,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
        "prompt_values_supported": Prompt::ALL.map(Prompt::as_str),
        "display_values_supported": ["page"],
        "acr_values_supported": ACR_VALUES,
        "ui_locales_supported": ["en", "fr", "de", "it", "sv", "fi"],
        "frontchannel_logout_supported": false,
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
    });
    serde_json::to_vec(&doc).unwrap_or_default()
}
