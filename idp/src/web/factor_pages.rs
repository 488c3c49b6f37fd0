//! The pages of strong authentication: the second-factor step of sign-in and the security
//! page of the account console.

use super::{
    escape, hidden, layout,
    pages::{FormCtx, error_box, passkey_button},
};

/// What the second-factor page offers.
pub struct FactorView<'a> {
    pub totp: bool,
    pub passkeys: bool,
    pub recovery_codes: bool,
    /// The masked mobile number when SMS codes are possible.
    pub phone: Option<&'a str>,
    /// An SMS code was sent for this page.
    pub sms_sent: bool,
    /// Only a passkey will do (the phishing-resistant level).
    pub passkey_only: bool,
    /// TOTP enrolment, for a user with no second factor at all: (secret, QR SVG).
    pub enrol: Option<(&'a str, &'a str)>,
}

fn code_form(f: &FormCtx, method: &str, label: &str, autocomplete: &str) -> String {
    format!(
        "<form method=\"post\" action=\"/login/factor/verify\">{csrf}{tx}{m}\
         <label for=\"code-{method}\">{label}</label>\
         <input id=\"code-{method}\" type=\"text\" name=\"code\" inputmode=\"numeric\" autocomplete=\"{autocomplete}\" required>\
         <button type=\"submit\">Continue</button></form>",
        csrf = hidden("csrf", f.csrf),
        tx = hidden("tx", f.tx),
        m = hidden("method", method),
        method = escape(method),
        label = escape(label),
        autocomplete = escape(autocomplete),
    )
}

pub fn factor(f: &FormCtx, v: &FactorView, error: Option<&str>) -> String {
    let mut body = error_box(error);
    if v.passkey_only {
        body.push_str("<p>This service needs a passkey.</p>");
        if v.passkeys {
            body.push_str(&passkey_button(f, "Use your passkey", ""));
        } else {
            body.push_str(
                "<p>You have no passkey yet. Add one on your account's \
                 <a href=\"/account/security\">security page</a>, then come back to the service.</p>",
            );
        }
        return layout("Confirm it is you", &body);
    }
    if let Some((secret, qr)) = v.enrol {
        body.push_str(&format!(
            "<p>This service needs a second factor. Scan this code with an authenticator app \
             (or enter the key by hand), then type the 6-digit code it shows.</p>\
             <div class=\"qr\">{qr}</div><p class=\"muted\">Key: <code>{secret}</code></p>\
             <form method=\"post\" action=\"/login/factor/enrol\">{csrf}{tx}\
             <label for=\"code-enrol\">Code from the app</label>\
             <input id=\"code-enrol\" type=\"text\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required>\
             <button type=\"submit\">Confirm</button></form>",
            secret = escape(secret),
            csrf = hidden("csrf", f.csrf),
            tx = hidden("tx", f.tx),
        ));
        return layout("Add a second factor", &body);
    }
    if v.totp {
        body.push_str(&code_form(
            f,
            "totp",
            "Code from your authenticator app",
            "one-time-code",
        ));
    }
    if let Some(phone) = v.phone {
        if v.sms_sent {
            body.push_str(&format!(
                "<p class=\"muted\">We sent a code by SMS to {}.</p>",
                escape(phone)
            ));
            body.push_str(&code_form(f, "sms", "Code from the SMS", "one-time-code"));
        }
        body.push_str(&format!(
            "<form method=\"post\" action=\"/login/factor/sms\">{}{}\
             <button type=\"submit\" class=\"secondary\">{}</button></form>",
            hidden("csrf", f.csrf),
            hidden("tx", f.tx),
            if v.sms_sent {
                "Send a new code"
            } else {
                "Send me a code by SMS"
            }
        ));
    }
    if v.passkeys {
        body.push_str(&passkey_button(f, "Use a passkey", "secondary"));
    }
    if v.recovery_codes {
        body.push_str("<details><summary>Use a recovery code</summary>");
        body.push_str(&code_form(f, "recovery", "Recovery code", "off"));
        body.push_str("</details>");
    }
    layout("Confirm it is you", &body)
}

/// A passkey as the security page lists it.
pub struct PasskeyRow {
    pub id: String,
    pub name: String,
    pub created: String,
}

pub struct SecurityView<'a> {
    pub email: &'a str,
    pub totp: bool,
    /// A TOTP enrolment in progress: (secret, QR SVG).
    pub totp_enrolment: Option<(&'a str, &'a str)>,
    pub passkeys: &'a [PasskeyRow],
    pub passkeys_available: bool,
    pub recovery_codes_left: usize,
    /// Shown once, just after regeneration.
    pub new_recovery_codes: Option<&'a [String]>,
    pub message: Option<&'a str>,
    pub error: Option<&'a str>,
}

fn post_button(
    csrf: &str,
    action: &str,
    fields: &[(&str, &str)],
    label: &str,
    class: &str,
) -> String {
    let hidden_fields: String = fields.iter().map(|(k, v)| hidden(k, v)).collect();
    format!(
        "<form method=\"post\" action=\"{}\" class=\"inline\">{}{hidden_fields}\
         <button type=\"submit\" class=\"{}\">{}</button></form>",
        escape(action),
        hidden("csrf", csrf),
        escape(class),
        escape(label)
    )
}

pub fn security(csrf: &str, v: &SecurityView) -> String {
    let mut body = format!("<p class=\"muted\">Signed in as {}</p>", escape(v.email));
    if let Some(m) = v.message {
        body.push_str(&format!(
            "<p class=\"notice\" role=\"status\">{}</p>",
            escape(m)
        ));
    }
    body.push_str(&error_box(v.error));

    body.push_str("<h2>Authenticator app</h2>");
    if v.totp {
        body.push_str("<p>An authenticator app is set up.</p>");
        body.push_str(&post_button(
            csrf,
            "/account/security/totp/remove",
            &[],
            "Remove the authenticator app",
            "secondary",
        ));
    } else if let Some((secret, qr)) = v.totp_enrolment {
        body.push_str(&format!(
            "<p>Scan this code with your authenticator app, or enter the key by hand.</p>\
             <div class=\"qr\">{qr}</div><p class=\"muted\">Key: <code>{secret}</code></p>\
             <form method=\"post\" action=\"/account/security/totp/confirm\">{csrf}\
             <label for=\"totp-code\">Code from the app</label>\
             <input id=\"totp-code\" type=\"text\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required>\
             <button type=\"submit\">Confirm</button></form>",
            secret = escape(secret),
            csrf = hidden("csrf", csrf),
        ));
    } else {
        body.push_str(&post_button(
            csrf,
            "/account/security/totp/start",
            &[],
            "Set up an authenticator app",
            "",
        ));
    }

    body.push_str("<h2>Passkeys</h2>");
    if v.passkeys.is_empty() {
        body.push_str("<p>No passkeys yet.</p>");
    }
    for p in v.passkeys {
        body.push_str(&format!(
            "<div class=\"row\"><p><strong>{}</strong> <span class=\"muted\">added {}</span></p>\
             <form method=\"post\" action=\"/account/security/passkeys/rename\" class=\"inline\">{}{}\
             <label for=\"name-{id}\">New name</label>\
             <input id=\"name-{id}\" type=\"text\" name=\"name\" value=\"{}\" maxlength=\"64\" required>\
             <button type=\"submit\" class=\"secondary\">Rename</button></form>{}</div>",
            escape(&p.name),
            escape(&p.created),
            hidden("csrf", csrf),
            hidden("id", &p.id),
            escape(&p.name),
            post_button(
                csrf,
                "/account/security/passkeys/remove",
                &[("id", &p.id)],
                "Remove",
                "secondary"
            ),
            id = escape(&p.id),
        ));
    }
    if v.passkeys_available {
        body.push_str(&format!(
            "<label for=\"passkey-name\">Name of the new passkey</label>\
             <input id=\"passkey-name\" type=\"text\" maxlength=\"64\" value=\"Passkey\">\
             <p><button type=\"button\" data-passkey=\"register\" data-csrf=\"{}\">Add a passkey</button></p>\
             <p id=\"passkey-status\" role=\"status\"></p><script src=\"/assets/webauthn.js\" defer></script>",
            escape(csrf)
        ));
    }

    body.push_str("<h2>Recovery codes</h2>");
    if let Some(codes) = v.new_recovery_codes {
        let items: String = codes
            .iter()
            .map(|c| format!("<li><code>{}</code></li>", escape(c)))
            .collect();
        body.push_str(&format!(
            "<p role=\"status\">Your new recovery codes. Each works once. Write them down now: \
             they will not be shown again.</p><ul class=\"codes\">{items}</ul>"
        ));
    } else {
        body.push_str(&format!(
            "<p>{} unused recovery codes.</p>",
            v.recovery_codes_left
        ));
    }
    body.push_str(&post_button(
        csrf,
        "/account/security/recovery-codes",
        &[],
        "Make new recovery codes",
        "secondary",
    ));

    body.push_str(&format!(
        "<h2>Password</h2><form method=\"post\" action=\"/account/security/password\">{}\
         <input type=\"hidden\" name=\"username\" value=\"{}\" autocomplete=\"username\">\
         <label for=\"current\">Current password</label>\
         <input id=\"current\" type=\"password\" name=\"current\" autocomplete=\"current-password\" required>\
         <label for=\"password\">New password</label>\
         <input id=\"password\" type=\"password\" name=\"password\" autocomplete=\"new-password\" required>\
         <label for=\"password2\">New password again</label>\
         <input id=\"password2\" type=\"password\" name=\"password2\" autocomplete=\"new-password\" required>\
         <button type=\"submit\">Change the password</button></form>",
        hidden("csrf", csrf),
        escape(v.email)
    ));
    layout("Security", &body)
}
