//! A browser-like client just big enough for the sign-in pages of Postern and the reference:
//! a cookie jar, forms read from the HTML, redirects followed by hand until the client's
//! redirect URI.

use std::collections::HashMap;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use reqwest::{Client, Method, StatusCode, header};
use sha2::{Digest, Sha256};
use url::Url;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// One HTTP client for a whole load: keep-alive, no automatic redirects, no proxy.
pub fn client(connections: usize) -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(connections)
        .no_proxy()
        .tcp_nodelay(true)
        .build()
        .expect("an HTTP client")
}

/// What the driver needs to know about the provider under test.
#[derive(Clone, Debug)]
pub struct Target {
    pub base: Url,
    pub authorize_path: String,
    pub token_path: String,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
    pub email: String,
    pub password: String,
    pub scope: String,
}

#[derive(Default, Clone)]
pub struct Jar(HashMap<String, String>);

impl Jar {
    fn store(&mut self, resp: &reqwest::Response) {
        for v in resp.headers().get_all(header::SET_COOKIE) {
            let Ok(v) = v.to_str() else { continue };
            let pair = v.split(';').next().unwrap_or_default();
            if let Some((k, val)) = pair.split_once('=') {
                let expired = v.to_ascii_lowercase().contains("max-age=0")
                    || v.to_ascii_lowercase().contains("expires=thu, 01 jan 1970");
                if expired || val.is_empty() {
                    self.0.remove(k.trim());
                } else {
                    self.0.insert(k.trim().to_owned(), val.to_owned());
                }
            }
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce() -> Pkce {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    let verifier = URL_SAFE_NO_PAD.encode(b);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce {
        verifier,
        challenge,
    }
}

fn random(n: usize) -> String {
    let mut b = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// The attributes of every `<input>` inside the first `<form method="post">`, and its action.
fn read_form(html: &str) -> Option<(String, Vec<(String, String)>)> {
    let start = html.find("<form")?;
    let end = html[start..]
        .find("</form>")
        .map_or(html.len(), |e| start + e);
    let form = &html[start..end];
    let tag_end = form.find('>')?;
    let action = attr(&form[..tag_end], "action")?;
    let mut fields = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find("<input") {
        rest = &rest[i..];
        let close = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..close];
        if let Some(name) = attr(tag, "name") {
            fields.push((name, attr(tag, "value").unwrap_or_default()));
        }
        rest = &rest[close..];
    }
    Some((unescape(&action), fields))
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let i = tag.find(&needle)? + needle.len();
    let j = tag[i..].find('"')?;
    Some(unescape(&tag[i..i + j]))
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// A browser: one cookie jar, following redirects and filling the sign-in forms.
pub struct Browser<'a> {
    pub http: &'a Client,
    pub target: &'a Target,
    pub jar: Jar,
    email: String,
}

pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(http: &'a Client, target: &'a Target) -> Browser<'a> {
        Browser::numbered(http, target, 0)
    }

    /// Browser `n` signs in as the email with `{n}` replaced by `n`: one account per browser,
    /// since Postern's lockout (rightly) refuses many parallel password attempts on one.
    pub fn numbered(http: &'a Client, target: &'a Target, n: usize) -> Browser<'a> {
        Browser {
            http,
            target,
            jar: Jar::default(),
            email: target.email.replace("{n}", &n.to_string()),
        }
    }

    async fn send(
        &mut self,
        method: Method,
        url: Url,
        form: Option<Vec<(String, String)>>,
    ) -> Result<reqwest::Response, Error> {
        let mut req = self.http.request(method, url);
        if !self.jar.0.is_empty() {
            req = req.header(header::COOKIE, self.jar.header());
        }
        if let Some(f) = form {
            req = req.form(&f);
        }
        let resp = req.send().await?;
        self.jar.store(&resp);
        Ok(resp)
    }

    /// Runs the authorization request to its end and returns the code: redirects are
    /// followed, a sign-in form gets the email or the password, and the first redirect to
    /// the client's redirect URI ends it.
    pub async fn authorize(&mut self, pkce: &Pkce, prompt: Option<&str>) -> Result<String, Error> {
        let t = self.target;
        let state = random(12);
        let mut url = t.base.join(&t.authorize_path)?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", &t.client_id)
                .append_pair("redirect_uri", &t.redirect_uri)
                .append_pair("scope", &t.scope)
                .append_pair("state", &state)
                .append_pair("nonce", &random(12))
                .append_pair("code_challenge", &pkce.challenge)
                .append_pair("code_challenge_method", "S256");
            if let Some(p) = prompt {
                q.append_pair("prompt", p);
            }
        }
        let mut resp = self.send(Method::GET, url.clone(), None).await?;
        for _ in 0..12 {
            let status = resp.status();
            if status.is_redirection() {
                let loc = resp
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .ok_or("a redirect without Location")?
                    .to_owned();
                let next = url.join(&loc)?;
                if loc.starts_with(&t.redirect_uri) {
                    let params: HashMap<_, _> = next.query_pairs().into_owned().collect();
                    if params.get("state") != Some(&state) {
                        return Err("state mismatch".into());
                    }
                    return params
                        .get("code")
                        .cloned()
                        .ok_or_else(|| format!("no code: {loc}").into());
                }
                url = next;
                resp = self.send(Method::GET, url.clone(), None).await?;
                continue;
            }
            if status != StatusCode::OK {
                let body = resp.text().await.unwrap_or_default();
                return Err(format!("{status} at {url}: {}", &body[..body.len().min(300)]).into());
            }
            let html = resp.text().await?;
            let (action, mut fields) =
                read_form(&html).ok_or_else(|| format!("no form at {url}"))?;
            let mut filled = false;
            for (name, value) in fields.iter_mut() {
                match name.as_str() {
                    "email" | "login" if value.is_empty() => {
                        *value = self.email.clone();
                        filled = true;
                    }
                    "password" => {
                        *value = t.password.clone();
                        filled = true;
                    }
                    _ => {}
                }
            }
            // The consent page's buttons are named `decision`.
            if action.ends_with("/consent") {
                fields.retain(|(n, _)| n != "decision");
                fields.push(("decision".into(), "allow".into()));
            } else if !filled {
                return Err(format!("unexpected form at {url}: {action}").into());
            }
            url = url.join(&action)?;
            resp = self.send(Method::POST, url.clone(), Some(fields)).await?;
        }
        Err("too many steps".into())
    }

    /// The authorization code grant at the token endpoint (client_secret_basic).
    pub async fn exchange(&self, code: &str, pkce: &Pkce) -> Result<Tokens, Error> {
        let t = self.target;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &t.redirect_uri),
            ("code_verifier", &pkce.verifier),
        ];
        self.token(&form).await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, Error> {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ])
        .await
    }

    async fn token(&self, form: &[(&str, &str)]) -> Result<Tokens, Error> {
        let t = self.target;
        let resp = self
            .http
            .post(t.base.join(&t.token_path)?)
            .basic_auth(&t.client_id, Some(&t.client_secret))
            .form(form)
            .send()
            .await?;
        let status = resp.status();
        let body: serde_json::Value = resp.json().await?;
        if !status.is_success() {
            return Err(format!("token endpoint {status}: {body}").into());
        }
        Ok(Tokens {
            access_token: body["access_token"]
                .as_str()
                .ok_or("no access_token")?
                .to_owned(),
            refresh_token: body["refresh_token"].as_str().map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_form_with_hidden_fields() {
        let html = "<p>x</p><form method=\"post\" action=\"/login/password\">\
            <input type=\"hidden\" name=\"csrf\" value=\"a&amp;b\">\
            <input type=\"hidden\" name=\"username\" value=\"u@x\" autocomplete=\"username\">\
            <input id=\"password\" type=\"password\" name=\"password\" required></form>";
        let (action, fields) = read_form(html).unwrap();
        assert_eq!(action, "/login/password");
        assert_eq!(
            fields,
            vec![
                ("csrf".to_owned(), "a&b".to_owned()),
                ("username".to_owned(), "u@x".to_owned()),
                ("password".to_owned(), String::new()),
            ]
        );
    }
}
