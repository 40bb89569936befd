//! The server's secret key, and the keys derived from it for each purpose.
//!
//! It never lives in the database: whoever copies the database (a backup, a leak) must
//! not also get what turns its hashes back into phone numbers. It comes from
//! `QM_SECRET_KEY`, or from `secret.key` in the data folder, created on first start,
//! readable by the server's user only.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::Write;
use std::path::Path;

type HmacSha256 = Hmac<Sha256>;

/// Shortest `QM_SECRET_KEY` accepted: 32 characters.
const SHORTEST_KEY: usize = 32;
const KEY_FILE: &str = "secret.key";

#[derive(Clone)]
pub struct ServerSecret([u8; 32]);

impl std::fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecret(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("QM_SECRET_KEY must be at least {SHORTEST_KEY} characters")]
    TooShort,
    #[error("{path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

impl ServerSecret {
    /// From the configured key, else from the key file in `data_dir` (made if missing).
    pub fn load(configured: Option<&str>, data_dir: &Path) -> Result<Self, SecretError> {
        if let Some(key) = configured {
            if key.len() < SHORTEST_KEY {
                return Err(SecretError::TooShort);
            }
            return Ok(Self::from_material(key.as_bytes()));
        }
        let path = data_dir.join(KEY_FILE);
        let file_error = |source| SecretError::File {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() >= SHORTEST_KEY => Ok(Self::from_material(&bytes)),
            Ok(_) => Err(SecretError::TooShort),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(data_dir).map_err(file_error)?;
                let material: [u8; 32] = rand::random();
                let hex: String = material.iter().map(|b| format!("{b:02x}")).collect();
                write_private(&path, hex.as_bytes()).map_err(file_error)?;
                tracing::info!(path = %path.display(), "created the server's secret key");
                Ok(Self::from_material(hex.as_bytes()))
            }
            Err(e) => Err(file_error(e)),
        }
    }

    /// A fresh random secret (tests, and tools that need none kept).
    pub fn random() -> Self {
        Self(rand::random())
    }

    fn from_material(material: &[u8]) -> Self {
        Self(keyed(b"quality-month server secret v1", &[material]))
    }

    /// The key for one purpose (`"phone-token"`, `"survey-phone:12"`): knowing one derived
    /// key tells nothing about another or about the secret.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        keyed(&self.0, &[purpose.as_bytes()])
    }
}

/// The SHA-256 of a bearer secret (a session cookie, a feed token) in hex: what the
/// database keeps, so that reading the database gives no one the secret itself.
pub fn sha256_hex(secret: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// HMAC-SHA256 of `parts` (concatenated) under `key`.
pub fn keyed(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Creates the file with mode 0600 (never readable by others, not even for a moment).
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_made_once_and_private() {
        let dir = std::env::temp_dir().join(format!("qm-secret-{}", rand::random::<u64>()));
        let first = ServerSecret::load(None, &dir).unwrap();
        let again = ServerSecret::load(None, &dir).unwrap();
        assert_eq!(
            first.derive("x"),
            again.derive("x"),
            "the same key after a restart"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_configured_key_wins_and_must_be_long_enough() {
        let dir = std::env::temp_dir().join("qm-secret-never-made");
        assert!(matches!(
            ServerSecret::load(Some("short"), &dir),
            Err(SecretError::TooShort)
        ));
        let a = ServerSecret::load(Some(&"a".repeat(32)), &dir).unwrap();
        let b = ServerSecret::load(Some(&"b".repeat(32)), &dir).unwrap();
        assert_ne!(a.derive("x"), b.derive("x"));
        assert!(!dir.exists(), "no file is made when the key is configured");
    }

    #[test]
    fn purposes_get_unrelated_keys() {
        let s = ServerSecret::random();
        assert_ne!(s.derive("survey-phone:1"), s.derive("survey-phone:2"));
        assert_ne!(s.derive("phone-token"), s.derive("survey-phone:1"));
    }
}
