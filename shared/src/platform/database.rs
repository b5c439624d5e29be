//! The SQL executor a platform provides. D1 and SQLite share SQLite's dialect, so every statement lives once in
//! [`crate::store`]; platforms only bind parameters and return rows as JSON objects.

use serde_json::{Map, Value};

use super::BoxFuture;

/// One result row: column name → value.
pub type Row = Map<String, Value>;

/// A bound statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    /// SQL NULL.
    Null,
    /// A 64-bit integer.
    Integer(i64),
    /// A double.
    Real(f64),
    /// UTF-8 text.
    Text(String),
}

impl From<&str> for SqlValue {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<String> for SqlValue {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<i64> for SqlValue {
    fn from(value: i64) -> Self {
        Self::Integer(value)
    }
}

impl From<bool> for SqlValue {
    fn from(value: bool) -> Self {
        Self::Integer(i64::from(value))
    }
}

impl<T: Into<SqlValue>> From<Option<T>> for SqlValue {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Into::into)
    }
}

/// A database failure, described without the statement's parameters (they may hold secrets).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The statement failed (constraint, syntax, I/O).
    #[error("database statement failed: {0}")]
    Statement(String),
    /// A constraint such as UNIQUE was violated.
    #[error("database constraint violated: {0}")]
    Constraint(String),
    /// The database could not be reached.
    #[error("database unavailable: {0}")]
    Unavailable(String),
}

/// One statement with its parameters, for [`Database::execute_batch`].
pub type Statement = (String, Vec<SqlValue>);

/// An SQLite-dialect database (D1 on the edge, rusqlite natively).
pub trait Database: Send + Sync {
    /// Runs a statement and returns its rows.
    fn query<'a>(&'a self, sql: &'a str, params: Vec<SqlValue>) -> BoxFuture<'a, Result<Vec<Row>, DbError>>;
    /// Runs a statement and returns the number of rows it changed.
    fn execute<'a>(&'a self, sql: &'a str, params: Vec<SqlValue>) -> BoxFuture<'a, Result<u64, DbError>>;
    /// Runs statements in order, in one round trip where the platform can (D1's `batch`, one transaction). The
    /// default runs them one by one.
    fn execute_batch(&self, statements: Vec<Statement>) -> BoxFuture<'_, Result<(), DbError>> {
        Box::pin(async move {
            for (sql, params) in statements {
                self.execute(&sql, params).await?;
            }
            Ok(())
        })
    }
}
