//! Pages of organisations: whom the user acts for, and accepting an invitation.

use super::{escape, hidden, layout, pages::FormCtx};

/// One choice of the context page: (value, label, preselected).
pub type Choice = (String, String, bool);

pub fn pick(f: &FormCtx, client_name: &str, choices: &[Choice]) -> String {
    let items: String = choices
        .iter()
        .enumerate()
        .map(|(i, (value, label, checked))| {
            format!(
                "<p><input type=\"radio\" id=\"org-{i}\" name=\"org\" value=\"{}\"{}> \
                 <label for=\"org-{i}\" class=\"inline\">{}</label></p>",
                escape(value),
                if *checked { " checked" } else { "" },
                escape(label)
            )
        })
        .collect();
    layout(
        "Whom do you act for?",
        &format!(
            "<p class=\"muted\">in {client}</p>\
             <form method=\"post\" action=\"/login/org\">{csrf}{tx}\
             <fieldset><legend>Choose the account to use</legend>{items}</fieldset>\
             <button type=\"submit\">Continue</button></form>",
            client = escape(client_name),
            csrf = hidden("csrf", f.csrf),
            tx = hidden("tx", f.tx),
        ),
    )
}

pub fn invitation(csrf: &str, token: &str, org_name: &str, email: &str) -> String {
    layout(
        "Join an organisation",
        &format!(
            "<p>{email}, you are invited to act for <strong>{org}</strong>.</p>\
             <form method=\"post\" action=\"/invitations/accept\">{csrf}{token}\
             <button type=\"submit\">Accept</button></form>",
            email = escape(email),
            org = escape(org_name),
            csrf = hidden("csrf", csrf),
            token = hidden("token", token),
        ),
    )
}

pub fn joined(org_name: &str) -> String {
    layout(
        "Welcome",
        &format!(
            "<p role=\"status\">You now act for <strong>{}</strong> too. When a business \
             service asks whom you act for, it is in the list.</p>",
            escape(org_name)
        ),
    )
}

/// A member row of the console, for an organisation's admins.
pub struct MemberRow {
    pub user_id: String,
    pub email: String,
    pub roles: String,
    pub services: String,
}

/// One organisation of the console: its name, the user's roles, and for admins the members.
pub struct OrgSection {
    pub id: String,
    pub name: String,
    pub roles: String,
    pub members: Option<Vec<MemberRow>>,
}

fn form(
    csrf: &str,
    action: &str,
    hidden_fields: &[(&str, &str)],
    inner: &str,
    label: &str,
) -> String {
    let fields: String = hidden_fields.iter().map(|(k, v)| hidden(k, v)).collect();
    format!(
        "<form method=\"post\" action=\"{}\" class=\"inline\">{}{fields}{inner}\
         <button type=\"submit\" class=\"secondary\">{}</button></form>",
        escape(action),
        hidden("csrf", csrf),
        escape(label)
    )
}

fn text_input(id: &str, name: &str, label: &str, value: &str) -> String {
    format!(
        "<label for=\"{id}\">{}</label><input id=\"{id}\" type=\"text\" name=\"{name}\" value=\"{}\">",
        escape(label),
        escape(value),
        id = escape(id),
        name = escape(name),
    )
}

pub fn console(
    csrf: &str,
    sections: &[OrgSection],
    message: Option<&str>,
    error: Option<&str>,
) -> String {
    let mut body = String::new();
    if let Some(m) = message {
        body.push_str(&format!(
            "<p class=\"notice\" role=\"status\">{}</p>",
            escape(m)
        ));
    }
    if let Some(e) = error {
        body.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            escape(e)
        ));
    }
    if sections.is_empty() {
        body.push_str("<p>You act for no organisation.</p>");
    }
    for s in sections {
        body.push_str(&format!(
            "<h2>{}</h2><p class=\"muted\">Your roles: {}</p>",
            escape(&s.name),
            escape(&s.roles)
        ));
        body.push_str(&form(
            csrf,
            "/account/organizations/leave",
            &[("org_id", &s.id)],
            "",
            "Leave",
        ));
        let Some(members) = &s.members else {
            continue;
        };
        body.push_str("<h3>Members</h3>");
        for (i, m) in members.iter().enumerate() {
            let key = format!("{}-{i}", s.id);
            let inner = format!(
                "<p><strong>{}</strong></p>{}{}",
                escape(&m.email),
                text_input(
                    &format!("roles-{key}"),
                    "roles",
                    "Roles (comma-separated)",
                    &m.roles
                ),
                text_input(
                    &format!("services-{key}"),
                    "services",
                    "Services (client ids, * for all)",
                    &m.services
                ),
            );
            body.push_str(&form(
                csrf,
                "/account/organizations/member",
                &[("org_id", &s.id), ("user_id", &m.user_id)],
                &inner,
                "Save",
            ));
            body.push_str(&form(
                csrf,
                "/account/organizations/remove",
                &[("org_id", &s.id), ("user_id", &m.user_id)],
                "",
                "Remove",
            ));
        }
        let inner = format!(
            "{}{}{}",
            text_input(
                &format!("invite-email-{}", s.id),
                "email",
                "Email address",
                ""
            ),
            text_input(
                &format!("invite-roles-{}", s.id),
                "roles",
                "Roles (comma-separated)",
                ""
            ),
            text_input(
                &format!("invite-services-{}", s.id),
                "services",
                "Services (client ids, * for all)",
                ""
            ),
        );
        body.push_str("<h3>Invite someone</h3>");
        body.push_str(&form(
            csrf,
            "/account/organizations/invite",
            &[("org_id", &s.id)],
            &inner,
            "Send the invitation",
        ));
    }
    layout("Organisations", &body)
}
