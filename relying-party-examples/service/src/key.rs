//! The service's own key pair and the client assertions it signs with it (RFC 7523 §3,
//! OIDC Core §9 `private_key_jwt`). Generated at start and kept in memory: the private half
//! never touches a disk, and Postern learns the public half from the service's `jwks_uri`.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::{Router, http::header, response::IntoResponse, routing::get};
use josekit::{
    jwk::Jwk,
    jws::{ES256, JwsHeader, alg::ecdsa::EcdsaJwsSigner},
    jwt::{self, JwtPayload},
};
use serde_json::{Value, json};

/// `client_assertion_type` of a JWT assertion (RFC 7523 §2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

pub struct ServiceKey {
    kid: String,
    signer: EcdsaJwsSigner,
    public: Jwk,
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl ServiceKey {
    /// A new P-256 key pair (ES256) with a kid of its own, so a restart's new key is seen by
    /// Postern as unknown and fetched.
    pub fn generate() -> Result<ServiceKey, josekit::JoseError> {
        let pair = ES256.generate_key_pair()?;
        let kid = uuid::Uuid::new_v4().simple().to_string();
        let mut private = pair.to_jwk_private_key();
        private.set_key_id(&kid);
        let mut public = pair.to_jwk_public_key();
        public.set_key_id(&kid);
        public.set_algorithm("ES256");
        public.set_key_use("sig");
        Ok(ServiceKey {
            signer: ES256.signer_from_jwk(&private)?,
            kid,
            public,
        })
    }

    /// The public JWK Set, as the `jwks_uri` serves it.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [serde_json::to_value(self.public.as_ref()).unwrap_or_default()] })
    }

    /// An assertion of `client_id` for the endpoint `audience`: one minute, a fresh `jti`
    /// (Postern accepts each once).
    pub fn assertion(&self, client_id: &str, audience: &str) -> Result<String, josekit::JoseError> {
        let now = now();
        let claims = json!({
            "iss": client_id, "sub": client_id, "aud": audience,
            "iat": now, "exp": now + 60, "jti": uuid::Uuid::new_v4().to_string(),
        });
        let map = claims.as_object().cloned().unwrap_or_default();
        let mut header = JwsHeader::new();
        header.set_token_type("JWT");
        header.set_key_id(&self.kid);
        jwt::encode_with_signer(&JwtPayload::from_map(map)?, &header, &self.signer)
    }

    /// The router serving the public key set at `/jwks`.
    pub fn router(&self) -> Router {
        let body = self.jwks().to_string();
        Router::new().route(
            "/jwks",
            get(move || async move {
                ([(header::CONTENT_TYPE, "application/json")], body).into_response()
            }),
        )
    }
}
