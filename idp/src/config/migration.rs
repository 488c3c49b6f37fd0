//! The migration from the old per-service logins (`idp import legacy`, `legacy`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ConfigError;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Migration {
    /// RFC 3339 time from which legacy usernames no longer sign in (the email address and
    /// the legacy passwords still do until each owner has chosen a new one). Empty: no
    /// cut-over set, usernames keep working.
    #[serde(default)]
    pub cutover: String,
    /// The old services by the name the import file gives them (`parcels`): what the
    /// sign-in page calls them, and which client is that service (it may receive the
    /// `legacy_accounts` claim).
    #[serde(default)]
    pub services: BTreeMap<String, LegacyService>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LegacyService {
    /// Shown in the sign-in page's service choice; empty shows the service's key.
    #[serde(default)]
    pub name: String,
    /// The client id of the service's new relying party, if it has one.
    #[serde(default)]
    pub client_id: String,
}

impl Migration {
    /// The cut-over as Unix seconds, if one is set.
    pub fn cutover_at(&self) -> Option<i64> {
        chrono::DateTime::parse_from_rfc3339(self.cutover.trim())
            .ok()
            .map(|t| t.timestamp())
    }

    /// Whether legacy usernames still sign in at `now`.
    pub fn usernames_open(&self, now: i64) -> bool {
        self.cutover_at().is_none_or(|c| now < c)
    }

    /// The legacy service whose new client is `client_id`.
    pub fn service_of_client(&self, client_id: &str) -> Option<&str> {
        self.services
            .iter()
            .find(|(_, s)| s.client_id == client_id)
            .map(|(k, _)| k.as_str())
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if !self.cutover.trim().is_empty() && self.cutover_at().is_none() {
            return Err(ConfigError(format!(
                "migration.cutover: expected an RFC 3339 time such as 2027-03-01T00:00:00Z, got {:?}",
                self.cutover
            )));
        }
        let mut clients = std::collections::BTreeSet::new();
        for s in self.services.values() {
            if !s.client_id.is_empty() && !clients.insert(s.client_id.as_str()) {
                return Err(ConfigError(format!(
                    "migration.services: client {:?} is named by two services; a client is \
                     one service's (it receives that service's `legacy_accounts`)",
                    s.client_id
                )));
            }
        }
        for key in self.services.keys() {
            if !super::super::legacy::is_service_name(key) {
                return Err(ConfigError(format!(
                    "migration.services: {key:?} is not a service name (letters, digits, '-', \
                     '_' and '.', at most 64)"
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cutover_is_rfc3339_and_closes_usernames_from_then_on() {
        let mut m = Migration::default();
        assert!(m.validate().is_ok());
        assert!(m.usernames_open(i64::MAX), "no cut-over: open");
        m.cutover = "2027-03-01T00:00:00Z".into();
        assert!(m.validate().is_ok());
        let at = m.cutover_at().unwrap();
        assert!(m.usernames_open(at - 1));
        assert!(!m.usernames_open(at));
        m.cutover = "1 March 2027".into();
        let e = m.validate().unwrap_err().0;
        assert!(e.starts_with("migration.cutover"), "{e}");
        m.cutover.clear();
        m.services
            .insert("bad name".into(), LegacyService::default());
        assert!(m.validate().unwrap_err().0.contains("bad name"));
        m.services.clear();
        for key in ["parcels", "invoices"] {
            let s = LegacyService {
                name: String::new(),
                client_id: "portal".into(),
            };
            m.services.insert(key.into(), s);
        }
        let e = m.validate().unwrap_err().0;
        assert!(e.contains("\"portal\" is named by two services"), "{e}");
    }
}
