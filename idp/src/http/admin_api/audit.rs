//! The audit trail (area [`Area::Audit`], read only): filtered, paged, newest first.

use axum::{
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    Area, PageParams, Problem, caller_in, list, query,
    schema::{AuditEventView, Page, ProblemDoc},
};
use crate::{
    audit::{AuditKind, Outcome},
    model::contact::normalize_email,
    state::AppState,
    storage::AuditFilter,
};

/// The filters of `GET /audit-events`; every one is optional, together they all apply.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// The events about this account.
    user_id: Option<String>,
    /// The events naming this address.
    #[param(format = Email)]
    email: Option<String>,
    /// The events about this client.
    client_id: Option<String>,
    #[param(value_type = Option<AuditKind>)]
    kind: Option<String>,
    #[param(value_type = Option<Outcome>)]
    outcome: Option<String>,
    /// At or after this time (RFC 3339).
    #[param(format = DateTime)]
    since: Option<String>,
    /// At or before this time (RFC 3339).
    #[param(format = DateTime)]
    until: Option<String>,
    #[param(minimum = 1, default = 1)]
    page: Option<u64>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u64>,
}

fn time(name: &str, value: Option<&str>) -> Result<Option<i64>, Problem> {
    value
        .map(|v| {
            chrono::DateTime::parse_from_rfc3339(v)
                .map(|t| t.timestamp())
                .map_err(|_| Problem::bad_request(format!("{name}: not an RFC 3339 time")))
        })
        .transpose()
}

impl AuditQuery {
    /// The store's filter; a parameter that is not what it should be is named.
    fn filter(self) -> Result<(AuditFilter, u64, u64), Problem> {
        let pages = PageParams {
            page: self.page,
            per_page: self.per_page,
        };
        let (offset, limit, page, per_page) = pages.window()?;
        if let Some(k) = &self.kind
            && AuditKind::parse(k).is_none()
        {
            return Err(Problem::bad_request("kind: not an audit event kind"));
        }
        if let Some(o) = &self.outcome
            && Outcome::parse(o).is_none()
        {
            return Err(Problem::bad_request("outcome: success, failure or info"));
        }
        let email = match self.email.as_deref() {
            None => None,
            Some(e) => Some(
                normalize_email(e)
                    .ok_or_else(|| Problem::bad_request("email: not an email address"))?,
            ),
        };
        let since = time("since", self.since.as_deref())?;
        let until = time("until", self.until.as_deref())?;
        if let (Some(s), Some(u)) = (since, until)
            && s > u
        {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid value",
                "until: before since",
            ));
        }
        let filter = AuditFilter {
            email,
            user_id: self.user_id,
            client_id: self.client_id,
            kind: self.kind,
            outcome: self.outcome,
            since,
            until,
            offset,
            limit,
        };
        Ok((filter, page, per_page))
    }
}

#[utoipa::path(
    get,
    path = "/audit-events",
    tag = "audit",
    operation_id = "list_audit_events",
    summary = "The audit trail, newest first, filtered (scope admin or admin:audit)",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of events", body = Page<AuditEventView>),
        (status = 400, response = ProblemDoc),
        (status = 401, response = ProblemDoc),
        (status = 403, response = ProblemDoc),
        (status = 422, response = ProblemDoc)
    )
)]
pub async fn list_audit_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, Problem> {
    caller_in(&state, &headers, Area::Audit).await?;
    let q: AuditQuery = query(q)?;
    let (filter, page, per_page) = q.filter()?;
    let audit = &state.stores.audit;
    let total = audit.count_events(&filter).await?;
    let events = audit.list_events(&filter).await?;
    let items: Vec<AuditEventView> = events.into_iter().map(AuditEventView::from).collect();
    Ok(list(items, page, per_page, total))
}
