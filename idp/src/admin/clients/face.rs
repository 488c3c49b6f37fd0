//! A client's name and logo per language (`client_name`, `logo_uri`, `…#fr`), as a
//! registration or a change gives them: names checked, each logo URI checked and then
//! fetched once, before anything is written, so a logo that cannot be had fails the whole
//! create or update.

use super::ClientError;
use crate::{
    model::{ClientFace, ClientName, Lang, Localized, Logo, face::member},
    state::AppState,
    storage::StoredLogo,
};

/// The names as given, each checked.
pub(super) fn names(given: &Localized<String>) -> Result<Localized<ClientName>, ClientError> {
    given
        .iter()
        .map(|(tag, name)| Ok((tag, name_of(tag, name)?)))
        .collect()
}

fn name_of(tag: Option<Lang>, name: &str) -> Result<ClientName, ClientError> {
    ClientName::parse(name).map_err(|detail| ClientError::Invalid {
        field: member("client_name", tag).into(),
        detail,
    })
}

/// Logos fetched for a registration or a change, to be stored just before the client is
/// written: what each language's logo becomes (`None`: removed), and the images.
#[derive(Default)]
pub(super) struct Fetched {
    pub logos: Vec<(Option<Lang>, Option<Logo>)>,
    pub images: Vec<StoredLogo>,
}

impl Fetched {
    /// Every URI checked first (a bad one is refused before anything is fetched), then each
    /// fetched once; `None` removes that language's logo and fetches nothing.
    pub(super) async fn from(
        state: &AppState,
        uris: &Localized<Option<String>>,
    ) -> Result<Fetched, ClientError> {
        let invalid = |tag, detail| ClientError::Invalid {
            field: member("logo_uri", tag).into(),
            detail,
        };
        for (tag, uri) in uris.iter() {
            if let Some(uri) = uri {
                state
                    .logo_fetcher
                    .check_uri(uri)
                    .map_err(|why| invalid(tag, format!("{uri:?}: {why}")))?;
            }
        }
        let mut fetched = Fetched::default();
        for (tag, uri) in uris.iter() {
            let Some(uri) = uri else {
                fetched.logos.push((tag, None));
                continue;
            };
            let image = state
                .logo_fetcher
                .fetch(uri, state.now())
                .await
                .map_err(|why| invalid(tag, format!("fetching {uri:?}: {why}")))?;
            let logo = Logo {
                uri: uri.clone(),
                id: image.id.clone(),
            };
            fetched.logos.push((tag, Some(logo)));
            fetched.images.push(image);
        }
        Ok(fetched)
    }

    /// Sets the fetched logos (and removals) on `face`.
    pub(super) fn apply(&self, face: &mut ClientFace) {
        for (tag, logo) in &self.logos {
            face.logos.set(*tag, logo.clone());
        }
    }

    /// Stores the images; a second client with the same image shares its row.
    pub(super) async fn store(&self, state: &AppState) -> Result<(), ClientError> {
        for image in &self.images {
            state.stores.logos.put_logo(image).await?;
        }
        Ok(())
    }
}

/// Applies a change of names: a name sets its language, `None` removes it.
pub(super) fn change_names(
    face: &mut ClientFace,
    change: &Localized<Option<String>>,
) -> Result<(), ClientError> {
    for (tag, name) in change.iter() {
        let name = name.as_deref().map(|n| name_of(tag, n)).transpose()?;
        face.names.set(tag, name);
    }
    Ok(())
}
