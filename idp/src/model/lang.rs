//! The languages Postern speaks: of its pages, emails and SMS, and of the client metadata
//! given per language (a service's name and logo). A model type, so a client's registration
//! and the page that shows it name a language the same way.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Fr,
    De,
    It,
    Sv,
    Fi,
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Fr, Lang::De, Lang::It, Lang::Sv, Lang::Fi];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::It => "it",
            Lang::Sv => "sv",
            Lang::Fi => "fi",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::De => "Deutsch",
            Lang::It => "Italiano",
            Lang::Sv => "Svenska",
            Lang::Fi => "Suomi",
        }
    }

    /// A BCP 47 tag by its primary subtag: `fr-CH` is French.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// Exactly one of the six language codes (any case): the tags client metadata may carry
    /// (`client_name#fr`). Unlike [`Lang::parse`], `fr-CH` is refused: a page is in `fr`,
    /// so a name for `fr-CH` would never be shown, and `fr` beside it would be ambiguous.
    pub fn from_code(tag: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(tag))
    }

    /// The first supported tag of a space-separated list (`ui_locales`, OIDC Core §3.1.2.1).
    pub fn from_list(list: &str) -> Option<Lang> {
        list.split_whitespace().find_map(Lang::parse)
    }

    /// The supported language with the highest quality in an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            // Ties keep the earlier entry: the header's order is the user's order.
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}
