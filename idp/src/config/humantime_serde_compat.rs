//! Durations written the human way (`20m`, `4s`, `30d`), as figment passes them as strings.

use std::time::Duration;

use serde::{Deserialize, Deserializer, Serializer, de::Error};

pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&humantime::format_duration(*d).to_string())
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let raw = String::deserialize(d)?;
    humantime::parse_duration(raw.trim()).map_err(|e| {
        D::Error::custom(format!(
            "expected a duration like \"20m\" or \"4s\", got {raw:?} ({e})"
        ))
    })
}
