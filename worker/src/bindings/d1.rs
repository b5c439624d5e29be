//! D1 behind `shared::platform::Database`.

use shared::platform::{BoxFuture, Database, DbError, Row, SqlValue, Statement};
use wasm_bindgen::JsValue;
use worker::send::SendFuture;
use worker::D1Database;

/// The Worker's D1 database.
pub struct D1Store {
    db: D1Database,
}

impl D1Store {
    /// Wraps the binding.
    pub fn new(db: D1Database) -> Self {
        Self { db }
    }
}

fn js_params(params: Vec<SqlValue>) -> Vec<JsValue> {
    params
        .into_iter()
        .map(|p| match p {
            SqlValue::Null => JsValue::NULL,
            // D1 binds JS numbers; ids and timestamps stay below 2^53.
            #[expect(clippy::cast_precision_loss, reason = "values stored here stay below 2^53")]
            SqlValue::Integer(i) => JsValue::from_f64(i as f64),
            SqlValue::Real(f) => JsValue::from_f64(f),
            SqlValue::Text(s) => JsValue::from_str(&s),
        })
        .collect()
}

fn db_error(err: &worker::Error) -> DbError {
    let message = err.to_string();
    if message.contains("constraint") || message.contains("UNIQUE") {
        DbError::Constraint(message)
    } else {
        DbError::Statement(message)
    }
}

impl Database for D1Store {
    fn query<'a>(&'a self, sql: &'a str, params: Vec<SqlValue>) -> BoxFuture<'a, Result<Vec<Row>, DbError>> {
        Box::pin(SendFuture::new(async move {
            let statement = self.db.prepare(sql).bind(&js_params(params)).map_err(|e| db_error(&e))?;
            let result = statement.all().await.map_err(|e| db_error(&e))?;
            result.results::<Row>().map_err(|e| db_error(&e))
        }))
    }

    fn execute<'a>(&'a self, sql: &'a str, params: Vec<SqlValue>) -> BoxFuture<'a, Result<u64, DbError>> {
        Box::pin(SendFuture::new(async move {
            let statement = self.db.prepare(sql).bind(&js_params(params)).map_err(|e| db_error(&e))?;
            let result = statement.run().await.map_err(|e| db_error(&e))?;
            let changes = result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0);
            Ok(u64::try_from(changes).unwrap_or(u64::MAX))
        }))
    }

    /// One `batch` call: one round trip, the statements in one transaction.
    fn execute_batch(&self, statements: Vec<Statement>) -> BoxFuture<'_, Result<(), DbError>> {
        Box::pin(SendFuture::new(async move {
            let prepared = statements
                .into_iter()
                .map(|(sql, params)| self.db.prepare(&sql).bind(&js_params(params)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| db_error(&e))?;
            self.db.batch(prepared).await.map_err(|e| db_error(&e))?;
            Ok(())
        }))
    }
}
