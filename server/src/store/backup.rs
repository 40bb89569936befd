//! Backups of the SQLite database, taken while the server writes, and putting one back.
//! PostgreSQL is backed up with its own tools (`pg_dump`), not here.

use super::{Backend, Store};
use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use std::path::{Path, PathBuf};
use std::str::FromStr;

impl Store {
    /// A consistent copy of the SQLite database in a new file `to`, while the server keeps
    /// writing: `VACUUM INTO` reads one snapshot (every write committed before it began,
    /// none after) and writes it out compacted, without stopping writers for long (WAL).
    pub async fn backup_sqlite(&self, to: &Path) -> Result<(), String> {
        if self.backend != Backend::Sqlite {
            return Err("backup is for SQLite; back PostgreSQL up with pg_dump".into());
        }
        if to.exists() {
            return Err(format!("{} exists already: name a new file", to.display()));
        }
        let target = to
            .to_str()
            .ok_or_else(|| format!("{}: not a UTF-8 path", to.display()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await
            .map_err(|e| format!("backup: {e}"))?;
        Ok(())
    }
}

/// The file behind a `sqlite:` address.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?.trim_start_matches("//");
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    (path != ":memory:" && !path.is_empty()).then(|| PathBuf::from(path))
}

/// Puts the backup `from` in place of the database file `database`, with the server
/// stopped. It must be a whole SQLite database that passes `integrity_check` and was made
/// by this release or an earlier one (the next start migrates it); anything else is
/// refused with the database untouched. Returns what was restored, in words.
pub async fn restore_sqlite(from: &Path, database: &Path) -> Result<String, String> {
    let newest = sqlx::migrate!("migrations/sqlite")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0);
    let checked = check_backup(from, newest).await?;
    // Copied beside the database and renamed over it: a crash leaves the old file or the
    // new one, never half of either. The old write-ahead log belongs to the old file.
    let mut restoring = database.as_os_str().to_owned();
    restoring.push(".restoring");
    let restoring = PathBuf::from(restoring);
    std::fs::copy(from, &restoring).map_err(|e| format!("copy: {e}"))?;
    std::fs::File::open(&restoring)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("sync: {e}"))?;
    for suffix in ["-wal", "-shm"] {
        let mut side = database.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
    std::fs::rename(&restoring, database).map_err(|e| format!("put in place: {e}"))?;
    Ok(checked)
}

async fn check_backup(from: &Path, newest: i64) -> Result<String, String> {
    let refuse = |why: String| format!("{} is not a backup to restore: {why}", from.display());
    let mut conn: SqliteConnection = SqliteConnectOptions::from_str("sqlite:")
        .map_err(|e| refuse(e.to_string()))?
        .filename(from)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| refuse(e.to_string()))?;
    let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| refuse(e.to_string()))?;
    if integrity != "ok" {
        return Err(refuse(integrity));
    }
    let (version, events, registrations): (Option<i64>, i64, i64) = sqlx::query_as(
        "SELECT (SELECT MAX(version) FROM _sqlx_migrations WHERE success), \
                (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM registrations)",
    )
    .fetch_one(&mut conn)
    .await
    .map_err(|e| refuse(format!("not a Quality Month database ({e})")))?;
    let version = version.ok_or_else(|| refuse("no migration applied".into()))?;
    if version > newest {
        return Err(refuse(format!(
            "made by a newer release (migration {version}; this one knows up to {newest})"
        )));
    }
    Ok(format!(
        "restored {} (migration {version}, {events} events, {registrations} sign-ups)",
        from.display()
    ))
}
