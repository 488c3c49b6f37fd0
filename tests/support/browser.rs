//! A browser for the tests: keeps cookies, follows no redirect by itself, reads and fills
//! in Postern's forms; and the development outbox, where the codes it types come from.

use crate::TestServer;

/// A browser: keeps cookies, does not follow redirects by itself.
pub struct Browser {
    pub http: reqwest::Client,
}

impl Default for Browser {
    fn default() -> Self {
        Browser::new()
    }
}

/// A `<form>` of one of our pages.
#[derive(Debug, Clone)]
pub struct Form {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

impl Form {
    pub fn set(&mut self, name: &str, value: &str) {
        self.fields.retain(|(k, _)| k != name);
        self.fields.push((name.into(), value.into()));
    }
}

/// Where a step of the browser ended.
#[derive(Debug)]
pub enum Landing {
    /// A redirect out of Postern (to a client), with the full URL.
    Client(url::Url),
    /// A page of Postern's, with its status and body.
    Page(u16, String),
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(html_unescape(&tag[start..end]))
}

fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The first form of a page, with its hidden and prefilled inputs.
pub fn parse_form(html: &str) -> Option<Form> {
    parse_forms(html).into_iter().next()
}

/// Every form of a page, in order.
pub fn parse_forms(html: &str) -> Vec<Form> {
    let mut forms = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<form") {
        let Some(end) = rest[start..].find("</form>").map(|e| e + start) else {
            break;
        };
        if let Some(f) = one_form(&rest[start..end]) {
            forms.push(f);
        }
        rest = &rest[end..];
    }
    forms
}

/// The form whose action is `action` (and, if given, with a hidden `method` of that value).
pub fn form_for(html: &str, action: &str, method: Option<&str>) -> Form {
    parse_forms(html)
        .into_iter()
        .find(|f| {
            f.action == action
                && method.is_none_or(|m| f.fields.iter().any(|(k, v)| k == "method" && v == m))
        })
        .unwrap_or_else(|| panic!("no form {action} {method:?} in {html}"))
}

/// The value of `attr="…"` on the first element that has it.
pub fn attribute(html: &str, name: &str) -> Option<String> {
    attr(html, name)
}

fn one_form(form_html: &str) -> Option<Form> {
    let open_end = form_html.find('>')?;
    let action = attr(&form_html[..open_end], "action")?;
    let mut fields = Vec::new();
    for part in form_html.split("<input").skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        if let Some(name) = attr(tag, "name") {
            fields.push((name, attr(tag, "value").unwrap_or_default()));
        }
    }
    Some(Form { action, fields })
}

/// What the server sent through the development outbox, oldest first.
pub fn outbox(s: &TestServer) -> Vec<idp::notify::jsonl::OutboxMessage> {
    idp::notify::jsonl::read_all(&s.dir.path().join("outbox"))
}

/// The 6-digit code of the last SMS to `phone`.
pub fn last_sms_code(s: &TestServer, phone: &str) -> String {
    let msg = outbox(s)
        .into_iter()
        .rev()
        .find(|m| m.channel == "sms" && m.to == phone)
        .expect("an SMS in the outbox");
    msg.body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code")
        .to_owned()
}

impl Browser {
    pub fn new() -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
        }
    }

    /// Follows redirects within `base` until the browser leaves it or lands on a page.
    pub async fn follow(&self, base: &str, mut resp: reqwest::Response) -> Landing {
        for _ in 0..10 {
            let status = resp.status();
            if status.is_redirection() {
                let loc = resp.headers()[reqwest::header::LOCATION]
                    .to_str()
                    .unwrap()
                    .to_owned();
                let next = url::Url::parse(resp.url().as_str())
                    .unwrap()
                    .join(&loc)
                    .unwrap();
                if !next.as_str().starts_with(base) {
                    return Landing::Client(next);
                }
                resp = self.http.get(next).send().await.unwrap();
                continue;
            }
            return Landing::Page(status.as_u16(), resp.text().await.unwrap());
        }
        panic!("redirect loop");
    }

    pub async fn open(&self, base: &str, url: &str) -> Landing {
        let resp = self.http.get(url).send().await.unwrap();
        self.follow(base, resp).await
    }

    pub async fn submit(&self, base: &str, form: &Form) -> Landing {
        let url = url::Url::parse(base).unwrap().join(&form.action).unwrap();
        let resp = self.http.post(url).form(&form.fields).send().await.unwrap();
        self.follow(base, resp).await
    }

    /// Opens an authorization URL and signs in with email and password (and allows consent
    /// if asked), returning where the browser left Postern.
    pub async fn sign_in(
        &self,
        base: &str,
        auth_url: &str,
        email: &str,
        password: &str,
    ) -> Landing {
        let mut landing = self.open(base, auth_url).await;
        for _ in 0..4 {
            let Landing::Page(_, html) = &landing else {
                return landing;
            };
            let Some(mut form) = parse_form(html) else {
                return landing;
            };
            let names: Vec<&str> = form.fields.iter().map(|(k, _)| k.as_str()).collect();
            if names.contains(&"email") {
                form.set("email", email);
            } else if names.contains(&"password") {
                form.set("password", password);
            } else if form.action == "/consent" {
                form.set("decision", "allow");
            } else {
                return landing;
            }
            landing = self.submit(base, &form).await;
        }
        landing
    }
}
