//! `settings.json`: the choices the app keeps between runs. Today only which platform it uses.

use std::path::Path;

use sellerdesk_facade::{ErrorCode, FacadeError};
use sellerdesk_store::files;
use serde::{Deserialize, Serialize};

/// Which platform the app talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum PlatformChoice {
    /// The bundled sandbox platform, in-process, with demo data.
    #[default]
    Sandbox,
    /// A real platform endpoint, with each store's credentials in the keyring.
    Remote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub platform: PlatformChoice,
}

impl Settings {
    /// The settings in `path`; the defaults when there is no such file yet.
    pub(crate) fn load(path: &Path) -> Result<Settings, FacadeError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Settings::default());
            }
            Err(error) => {
                return Err(FacadeError::new(
                    ErrorCode::Io,
                    format!("cannot read {}: {error}", path.display()),
                ));
            }
        };
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            // The path is `.` when the file as a whole is wrong (not JSON, not an object).
            let field = error.path().to_string();
            let field = if field == "." { None } else { Some(field) };
            let mut refused = FacadeError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{}: {}{}; the file should read {{\"platform\": \"sandbox\"}} or {{\"platform\": \"remote\"}}",
                    path.display(),
                    field.as_deref().map(|field| format!("{field}: ")).unwrap_or_default(),
                    error.inner()
                ),
            );
            refused.field = field;
            refused
        })
    }

    /// Writes the settings to `path` whole or not at all: a temporary file renamed over it.
    pub(crate) fn save(&self, path: &Path) -> Result<(), FacadeError> {
        let io_error = |error: std::io::Error| {
            FacadeError::new(ErrorCode::Io, format!("cannot write {}: {error}", path.display()))
        };
        let folder = path.parent().unwrap_or(Path::new("."));
        files::create_private_folder(folder).map_err(io_error)?;
        let text = serde_json::to_string_pretty(self)
            .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))?;
        let temporary = path.with_extension("json.tmp");
        // A leftover temporary file of a crash is written over, as private as a new one.
        let _ = std::fs::remove_file(&temporary);
        files::create_private_file(&temporary).map_err(io_error)?;
        std::fs::write(&temporary, text + "\n").map_err(io_error)?;
        std::fs::rename(&temporary, path).map_err(io_error)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn no_file_means_the_sandbox() {
        let folder = tempfile::tempdir().unwrap();
        let settings = Settings::load(&folder.path().join("settings.json")).unwrap();
        assert_eq!(settings.platform, PlatformChoice::Sandbox);
    }

    #[test]
    fn saved_settings_load_back() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("nested").join("settings.json");
        Settings { platform: PlatformChoice::Remote }.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap().platform, PlatformChoice::Remote);
    }

    #[test]
    fn a_misspelt_platform_is_refused_with_what_is_expected() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("settings.json");
        std::fs::write(&path, r#"{"platform": "cloud"}"#).unwrap();
        let error = Settings::load(&path).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert_eq!(error.field.as_deref(), Some("platform"));
        assert_eq!(
            error.message,
            format!(
                "{}: platform: unknown variant `cloud`, expected `sandbox` or `remote` at line 1 column 20; \
                 the file should read {{\"platform\": \"sandbox\"}} or {{\"platform\": \"remote\"}}",
                path.display()
            )
        );
    }

    #[test]
    fn a_file_that_is_no_settings_object_is_refused_whole() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("settings.json");
        std::fs::write(&path, "platform = remote").unwrap();
        let error = Settings::load(&path).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert_eq!(error.field, None);
        assert!(error.message.starts_with(&format!("{}: expected value", path.display())));
    }
}
