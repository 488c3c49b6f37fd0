//! The operator's templates and message files (`ui.templates_dir`, `ui.messages_dir`), read
//! once at start-up. Anything that would only go wrong on a page (a file name that replaces
//! nothing, a language that does not exist) stops start-up with the file's name instead.

use std::path::Path;

use super::i18n::{Lang, MessageFile};

/// `<dir>/<lang>/<name>.ftl` for each language directory present.
pub fn messages(dir: &str) -> Result<Vec<MessageFile>, String> {
    let mut files = Vec::new();
    for (name, path) in entries(dir)? {
        let lang = Lang::ALL
            .into_iter()
            .find(|l| l.code() == name)
            .filter(|_| path.is_dir())
            .ok_or_else(|| {
                format!(
                    "{name}: expected a directory named after a language (en, fr, de, it, sv, fi)"
                )
            })?;
        for (file, path) in entries(&path.to_string_lossy())? {
            if !file.ends_with(".ftl") || !path.is_file() {
                return Err(format!("{name}/{file}: expected a message file <name>.ftl"));
            }
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}/{file}: {e}"))?;
            files.push(MessageFile {
                lang,
                name: format!("{name}/{file}"),
                text,
            });
        }
    }
    Ok(files)
}

/// `<dir>/<template>.html`, each the name of a built-in template it replaces.
pub fn templates(dir: &str, known: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (name, path) in entries(dir)? {
        if !known.contains(&name.as_str()) || !path.is_file() {
            return Err(format!(
                "{name}: not the name of a template (one of {})",
                known.join(", ")
            ));
        }
        let src = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        out.push((name, src));
    }
    Ok(out)
}

/// A directory's entries by name, sorted, without hidden files (an editor's swap file is
/// not an override).
fn entries(dir: &str) -> Result<Vec<(String, std::path::PathBuf)>, String> {
    let read = std::fs::read_dir(Path::new(dir)).map_err(|e| format!("{dir}: {e}"))?;
    let mut out = Vec::new();
    for entry in read {
        let entry = entry.map_err(|e| format!("{dir}: {e}"))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            out.push((name, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}
