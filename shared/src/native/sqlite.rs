//! SQLite (rusqlite, bundled) behind [`Database`], plus the migration runner that applies `migrations/*.sql`
//! once each, recorded in `d1_migrations` exactly as `wrangler d1 migrations apply` records them.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::types::{Value as Sqlite, ValueRef};
use rusqlite::{params_from_iter, Connection, ErrorCode};
use serde_json::{Map, Number, Value};

use crate::platform::{BoxFuture, Database, DbError, Row, SqlValue};

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "db.sqlite";

/// A SQLite database shared by all requests; statements run on tokio's blocking pool.
#[derive(Clone)]
pub struct SqliteDatabase {
    conn: Arc<Mutex<Connection>>,
}

/// A start-up failure of the database.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The data directory could not be created.
    #[error("cannot create data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    /// SQLite failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A migration failed.
    #[error("migration {0} failed: {1}")]
    Migration(String, rusqlite::Error),
}

/// Opens (creating if needed) `data_dir/db.sqlite` and applies pending migrations.
///
/// # Errors
/// [`OpenError`] when the directory, the database or a migration fails.
pub fn open_database(data_dir: &Path) -> Result<SqliteDatabase, OpenError> {
    std::fs::create_dir_all(data_dir).map_err(|e| OpenError::DataDir(data_dir.display().to_string(), e))?;
    let conn = Connection::open(data_dir.join(DB_FILE))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&conn)?;
    Ok(SqliteDatabase { conn: Arc::new(Mutex::new(conn)) })
}

/// Copies everything in the write-ahead log into `data_dir/db.sqlite` and truncates the log (at shutdown, so
/// the file is complete on its own). Uses a connection of its own: the server's may still be held by tasks.
///
/// # Errors
/// [`OpenError`] when SQLite fails.
pub fn checkpoint(data_dir: &Path) -> Result<(), OpenError> {
    let conn = Connection::open(data_dir.join(DB_FILE))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

/// Applies every migration not yet recorded, each in its own transaction.
fn migrate(conn: &Connection) -> Result<(), OpenError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS d1_migrations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT UNIQUE,
            applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
    )?;
    for (name, sql) in MIGRATIONS {
        let applied: bool =
            conn.query_row("SELECT EXISTS(SELECT 1 FROM d1_migrations WHERE name = ?1)", [name], |row| row.get(0))?;
        if applied {
            continue;
        }
        let script = format!("BEGIN;\n{sql}\nINSERT INTO d1_migrations (name) VALUES ('{name}');\nCOMMIT;");
        if let Err(err) = conn.execute_batch(&script) {
            let _ = conn.execute_batch("ROLLBACK;");
            return Err(OpenError::Migration((*name).to_owned(), err));
        }
    }
    Ok(())
}

fn to_sqlite(value: SqlValue) -> Sqlite {
    match value {
        SqlValue::Null => Sqlite::Null,
        SqlValue::Integer(i) => Sqlite::Integer(i),
        SqlValue::Real(f) => Sqlite::Real(f),
        SqlValue::Text(s) => Sqlite::Text(s),
    }
}

fn to_json(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Number(i.into()),
        ValueRef::Real(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(crate::auth::hex(b)),
    }
}

fn db_error(err: &rusqlite::Error) -> DbError {
    match err.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation) => DbError::Constraint(err.to_string()),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::CannotOpen) => {
            DbError::Unavailable(err.to_string())
        }
        _ => DbError::Statement(err.to_string()),
    }
}

impl SqliteDatabase {
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, DbError> {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let guard = conn.lock().map_err(|_| DbError::Unavailable("database lock poisoned".into()))?;
            f(&guard).map_err(|e| db_error(&e))
        })
        .await
        .map_err(|e| DbError::Unavailable(format!("database task failed: {e}")))?
    }
}

impl Database for SqliteDatabase {
    fn query<'a>(&'a self, sql: &'a str, params: Vec<SqlValue>) -> BoxFuture<'a, Result<Vec<Row>, DbError>> {
        let sql = sql.to_owned();
        Box::pin(self.blocking(move |conn| {
            let mut statement = conn.prepare_cached(&sql)?;
            let names: Vec<String> = statement.column_names().into_iter().map(str::to_owned).collect();
            let mut rows = statement.query(params_from_iter(params.into_iter().map(to_sqlite)))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let mut map = Map::with_capacity(names.len());
                for (i, name) in names.iter().enumerate() {
                    map.insert(name.clone(), to_json(row.get_ref(i)?));
                }
                out.push(map);
            }
            Ok(out)
        }))
    }

    fn execute<'a>(&'a self, sql: &'a str, params: Vec<SqlValue>) -> BoxFuture<'a, Result<u64, DbError>> {
        let sql = sql.to_owned();
        Box::pin(self.blocking(move |conn| {
            let mut statement = conn.prepare_cached(&sql)?;
            let changed = statement.execute(params_from_iter(params.into_iter().map(to_sqlite)))?;
            Ok(u64::try_from(changed).unwrap_or(u64::MAX))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_are_recorded() {
        let dir = std::env::temp_dir().join(format!("9router-mig-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        drop(open_database(&dir).expect("first open migrates"));
        let db = open_database(&dir).expect("second open is a no-op");
        let conn = db.conn.lock().expect("lock");
        let count: i64 = conn.query_row("SELECT COUNT(*) FROM d1_migrations", [], |r| r.get(0)).expect("count");
        assert_eq!(count, i64::try_from(MIGRATIONS.len()).expect("small"));
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
