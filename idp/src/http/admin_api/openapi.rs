//! The OpenAPI 3.0 document of the management API, served at `/admin/api/openapi.json`.
//! Written by hand next to the routes; a test checks that it parses and names every route.

use axum::{
    Json,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

fn problem_ref() -> Value {
    json!({ "description": "Problem details (RFC 9457)",
            "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } })
}

fn ok(description: &str, schema: &str) -> Value {
    json!({ "description": description,
            "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

fn body(schema: &str) -> Value {
    json!({ "required": true,
            "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

fn path_param(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } })
}

fn paging() -> Vec<Value> {
    vec![
        json!({ "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1, "default": 1 } }),
        json!({ "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100, "default": 20 } }),
    ]
}

/// One operation with the error responses every operation can give.
fn op(summary: &str, params: Vec<Value>, request: Option<Value>, success: (&str, Value)) -> Value {
    let mut responses = serde_json::Map::new();
    responses.insert(success.0.into(), success.1);
    for code in ["400", "401", "403", "404", "409", "422"] {
        responses.insert(code.into(), problem_ref());
    }
    let mut o = json!({ "summary": summary, "parameters": params, "responses": responses });
    if let Some(r) = request {
        o["requestBody"] = r;
    }
    o
}

fn no_content() -> Value {
    json!({ "description": "Done" })
}

pub fn spec() -> Value {
    let id = || path_param("id");
    let mut add_member = op(
        "Add a member by email: admin adds an existing user (201); org_admin always sends an invitation (202), whether or not the address has an account",
        vec![id()],
        Some(body("NewMember")),
        ("201", ok("The member (admin)", "Member")),
    );
    add_member["responses"]["202"] = ok("The invitation (org_admin)", "Invitation");
    let members_params = || {
        let mut p = vec![id()];
        p.extend(paging());
        p
    };
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Postern management API",
            "version": "1",
            "description": "Organisations, members and invitations. Bearer access tokens from Postern: client credentials with scope `admin`, or a user's token with scope `org_admin` for the organisations where that user is an admin."
        },
        "servers": [{ "url": "/admin/api/v1" }],
        "security": [{ "bearer": [] }],
        "paths": {
            "/organizations": {
                "get": op("List organisations (all for admin, one's own for org_admin)", paging(), None, ("200", ok("A page of organisations", "OrganizationPage"))),
                "post": op("Create an organisation (admin only)", vec![], Some(body("NewOrganization")), ("201", ok("Created", "Organization"))),
            },
            "/organizations/{id}": {
                "get": op("Read an organisation", vec![id()], None, ("200", ok("The organisation", "Organization"))),
                "patch": op("Change the name, or (admin only) the business id and status; suspending ends the organisation's grants", vec![id()], Some(body("OrganizationPatch")), ("200", ok("The organisation", "Organization"))),
                "delete": op("Delete an organisation with its members and invitations (admin only)", vec![id()], None, ("204", no_content())),
            },
            "/organizations/{id}/members": {
                "get": op("List members", members_params(), None, ("200", ok("A page of members", "MemberPage"))),
                "post": add_member,
            },
            "/organizations/{id}/members/{user_id}": {
                "patch": op("Change roles or services (demoting the last admin: 409)", vec![id(), path_param("user_id")], Some(body("MemberPatch")), ("200", ok("The member", "Member"))),
                "delete": op("Remove a member (the last admin: 409)", vec![id(), path_param("user_id")], None, ("204", no_content())),
            },
            "/organizations/{id}/invitations": {
                "post": op("Invite someone by email (a single-use link, 7 days)", vec![id()], Some(body("NewMember")), ("201", ok("The invitation", "Invitation"))),
            },
            "/users": {
                "get": op("Find users by email (admin only)", vec![json!({ "name": "email", "in": "query", "required": true, "schema": { "type": "string", "format": "email" } })], None, ("200", ok("Matching users", "UserPage"))),
            },
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Problem": { "type": "object", "required": ["type", "title", "status"], "properties": {
                    "type": { "type": "string" }, "title": { "type": "string" },
                    "status": { "type": "integer" }, "detail": { "type": "string" } } },
                "Organization": { "type": "object", "required": ["id", "name", "status"], "properties": {
                    "id": { "type": "string" }, "name": { "type": "string" },
                    "business_id": { "type": "string", "nullable": true },
                    "status": { "type": "string", "enum": ["active", "suspended"] },
                    "created_at": { "type": "integer" }, "updated_at": { "type": "integer" } } },
                "NewOrganization": { "type": "object", "required": ["name"], "additionalProperties": false, "properties": {
                    "name": { "type": "string", "minLength": 1, "maxLength": 200 },
                    "business_id": { "type": "string", "nullable": true } } },
                "OrganizationPatch": { "type": "object", "additionalProperties": false, "properties": {
                    "name": { "type": "string" }, "business_id": { "type": "string", "nullable": true },
                    "status": { "type": "string", "enum": ["active", "suspended"] } } },
                "OrganizationPage": page_of("Organization"),
                "Member": { "type": "object", "required": ["user_id", "roles", "services"], "properties": {
                    "user_id": { "type": "string" }, "email": { "type": "string", "nullable": true },
                    "roles": { "type": "array", "items": { "type": "string" } },
                    "services": { "type": "array", "items": { "type": "string" }, "description": "client ids, or * for all" },
                    "created_at": { "type": "integer" } } },
                "NewMember": { "type": "object", "required": ["email"], "additionalProperties": false, "properties": {
                    "email": { "type": "string", "format": "email" },
                    "roles": { "type": "array", "items": { "type": "string" } },
                    "services": { "type": "array", "items": { "type": "string" } } } },
                "MemberPatch": { "type": "object", "additionalProperties": false, "properties": {
                    "roles": { "type": "array", "items": { "type": "string" } },
                    "services": { "type": "array", "items": { "type": "string" } } } },
                "MemberPage": page_of("Member"),
                "Invitation": { "type": "object", "properties": {
                    "id": { "type": "string" }, "email": { "type": "string" },
                    "roles": { "type": "array", "items": { "type": "string" } },
                    "services": { "type": "array", "items": { "type": "string" } },
                    "expires_at": { "type": "integer" } } },
                "User": { "type": "object", "properties": {
                    "id": { "type": "string" }, "email": { "type": "string" },
                    "email_verified": { "type": "boolean" },
                    "given_name": { "type": "string", "nullable": true },
                    "family_name": { "type": "string", "nullable": true },
                    "disabled": { "type": "boolean" }, "created_at": { "type": "integer" } } },
                "UserPage": page_of("User"),
            }
        }
    })
}

fn page_of(schema: &str) -> Value {
    json!({ "type": "object", "required": ["items", "page", "per_page", "total"], "properties": {
        "items": { "type": "array", "items": { "$ref": format!("#/components/schemas/{schema}") } },
        "page": { "type": "integer" }, "per_page": { "type": "integer" }, "total": { "type": "integer" } } })
}

pub async fn document() -> Response {
    Json(spec()).into_response()
}
