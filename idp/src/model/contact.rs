//! Email addresses and mobile numbers as Postern keeps them: one address is one identity,
//! a number is E.164.

/// One address is one identity: trimmed and lower-cased. `None` when it is not an address.
pub fn normalize_email(raw: &str) -> Option<String> {
    let e = raw.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@');
    ok.then_some(e)
}

/// E.164: a plus and 8 to 15 digits.
pub fn is_e164(phone: &str) -> bool {
    phone
        .strip_prefix('+')
        .is_some_and(|d| (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// `+` and one to three digits, not starting with 0.
pub fn is_calling_code(cc: &str) -> bool {
    cc.strip_prefix('+').is_some_and(|d| {
        (1..=3).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    })
}

/// A mobile number as people type it, in E.164: spaces, dots, dashes, slashes and brackets
/// are dropped, `00` is the international prefix, and a national number (`079 123 45 67`)
/// gets `default_calling_code` (empty: national numbers are refused).
pub fn normalize_phone(raw: &str, default_calling_code: &str) -> Option<String> {
    let compact: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '/' | '(' | ')' | '\u{a0}'))
        .collect();
    let e164 = if let Some(rest) = compact.strip_prefix("00") {
        format!("+{rest}")
    } else if compact.starts_with('+') {
        compact
    } else if let Some(national) = compact.strip_prefix('0')
        && !default_calling_code.is_empty()
    {
        format!("{default_calling_code}{national}")
    } else {
        return None;
    };
    is_e164(&e164).then_some(e164)
}
