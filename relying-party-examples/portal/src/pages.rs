//! The portal's pages. Everything shown is escaped: claims come from outside.

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Postern demo portal</title></head><body><h1>Demo portal</h1>{body}</body></html>"
    )
}

pub fn signed_out() -> String {
    page("<p>You are not signed in.</p><p><a href=\"/login\">Sign in with Postern</a></p>")
}

pub fn signed_in(claims: &serde_json::Value, userinfo: &serde_json::Value, strong: bool) -> String {
    let pretty =
        |v: &serde_json::Value| escape(&serde_json::to_string_pretty(v).unwrap_or_default());
    let who = claims["email"].as_str().unwrap_or("(no email)");
    let acr = claims["acr"].as_str().unwrap_or("(none)");
    let strength = if strong {
        format!(
            "<p>Signed in with two factors (<code>{}</code>).</p>",
            escape(acr)
        )
    } else {
        format!(
            "<p>Signed in with <code>{}</code>. <a href=\"/step-up\">Confirm with a second factor</a></p>",
            escape(acr)
        )
    };
    let acting_for = match claims["org_name"].as_str() {
        Some(name) => format!(
            "Acting for <strong>{}</strong> (<code>{}</code>), roles: {}.",
            escape(name),
            escape(claims["org_id"].as_str().unwrap_or_default()),
            escape(&claims["org_roles"].to_string())
        ),
        None => "Acting for yourself.".to_owned(),
    };
    page(&format!(
        "<p>Signed in as <strong>{}</strong>.</p>{strength}\
         <p>{acting_for} <a href=\"/switch-organisation\">Switch organisation</a></p>\
         <h2>ID token claims</h2><pre>{}</pre><h2>Userinfo</h2><pre>{}</pre>\
         <p><a href=\"/logout\">Sign out</a></p>",
        escape(who),
        pretty(claims),
        pretty(userinfo)
    ))
}

pub fn error(msg: &str) -> String {
    page(&format!(
        "<p>{}</p><p><a href=\"/\">Back</a></p>",
        escape(msg)
    ))
}
