//! Request logs as rows (the edge's storage): one insert per request (a trigger keeps the newest 200 rows),
//! each stage capped at [`STAGE_TEXT_CAP`] bytes.

use super::usage::usage_statements;
use super::{row, Repository, StoreError};
use crate::platform::{Row, SqlValue, Statement};
use crate::request_log::{LogDetail, LogEntry, LogStage, LogSummary};
use crate::usage::UsageRecord;

/// Most bytes of one stage's text stored in a row (the rest is cut and marked).
pub const STAGE_TEXT_CAP: usize = 64 * 1024;

/// `text` cut to at most `cap` bytes on a character boundary, with a marker when cut.
fn capped(text: &str, cap: usize) -> String {
    if text.len() <= cap {
        return text.to_owned();
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n[truncated: {} more bytes not stored]\n", &text[..end], text.len() - end)
}

fn summary(r: &Row) -> Result<LogSummary, StoreError> {
    Ok(LogSummary {
        id: row::int(r, "id")?.to_string(),
        ts: row::int(r, "ts")?,
        inbound_format: row::text(r, "inbound_format")?,
        upstream_format: row::opt_text(r, "upstream_format")?,
        model: row::text(r, "model")?,
        status: u16::try_from(row::int(r, "status")?).unwrap_or(0),
        duration_ms: row::int(r, "duration_ms")?,
        streamed: row::int(r, "streamed")? != 0,
    })
}

const SUMMARY_COLUMNS: &str = "id, ts, inbound_format, upstream_format, model, status, duration_ms, streamed";

/// The statement storing one request log, each stage capped.
fn log_statement(entry: &LogEntry) -> Statement {
    let stages: Vec<LogStage> = entry
        .stages
        .iter()
        .map(|s| LogStage { name: s.name.clone(), content: capped(&s.content, STAGE_TEXT_CAP) })
        .collect();
    let stages = serde_json::to_string(&stages).unwrap_or_else(|_| "[]".to_owned());
    let s = &entry.summary;
    let sql = "INSERT INTO request_logs (ts, inbound_format, upstream_format, model, status, duration_ms, streamed, \
               stages) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    let params = vec![
        SqlValue::Integer(s.ts),
        s.inbound_format.as_str().into(),
        s.upstream_format.clone().into(),
        s.model.as_str().into(),
        SqlValue::Integer(i64::from(s.status)),
        SqlValue::Integer(s.duration_ms),
        s.streamed.into(),
        stages.into(),
    ];
    (sql.to_owned(), params)
}

impl Repository {
    /// Stores one request log (one statement; the table's trigger drops rows beyond the newest 200).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn insert_request_log(&self, entry: &LogEntry) -> Result<(), StoreError> {
        let (sql, params) = log_statement(entry);
        // Log writes do not touch configuration: bypass the read-cache invalidation.
        self.db.execute(&sql, params).await?;
        Ok(())
    }

    /// Stores usage records and request logs together: one round trip where the database batches (D1).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn insert_usage_and_logs(&self, usage: &[UsageRecord], logs: &[LogEntry]) -> Result<(), StoreError> {
        let mut statements = usage_statements(usage);
        statements.extend(logs.iter().map(log_statement));
        Ok(self.db.execute_batch(statements).await?)
    }

    /// The newest request logs first.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn request_logs(&self, limit: usize) -> Result<Vec<LogSummary>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM request_logs ORDER BY id DESC LIMIT ?1");
        let rows = self.db.query(&sql, vec![SqlValue::Integer(limit)]).await?;
        rows.iter().map(summary).collect()
    }

    /// One request log with its stages.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or the row is malformed.
    pub async fn request_log(&self, id: i64) -> Result<Option<LogDetail>, StoreError> {
        let sql = format!("SELECT {SUMMARY_COLUMNS}, stages FROM request_logs WHERE id = ?1");
        let rows = self.db.query(&sql, vec![SqlValue::Integer(id)]).await?;
        let Some(r) = rows.first() else { return Ok(None) };
        let stages: Vec<StoredStage> = serde_json::from_str(&row::text(r, "stages")?)
            .map_err(|e| StoreError::Malformed(format!("request log stages: {e}")))?;
        let stages = stages.into_iter().map(|s| LogStage { name: s.name, content: s.content }).collect();
        Ok(Some(LogDetail { summary: summary(r)?, stages }))
    }

    /// Deletes every request log; returns how many.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn clear_request_logs(&self) -> Result<u64, StoreError> {
        Ok(self.db.execute("DELETE FROM request_logs", vec![]).await?)
    }
}

#[derive(serde::Deserialize)]
struct StoredStage {
    name: String,
    content: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "native")]
    #[tokio::test]
    async fn rows_round_trip_capped_with_usage_in_one_batch() {
        use std::sync::Arc;

        use crate::native::open_database;
        use crate::request_log::LogSummary;

        let dir = std::env::temp_dir().join(format!("9router-request-logs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let repo = Repository::new(Arc::new(open_database(&dir).expect("database opens")));
        let entry = |ts: i64| LogEntry {
            summary: LogSummary {
                id: String::new(),
                ts,
                inbound_format: "openai".into(),
                upstream_format: Some("claude".into()),
                model: format!("m{ts}"),
                status: 200,
                duration_ms: 5,
                streamed: true,
            },
            stages: vec![LogStage { name: "4_provider_response.txt".into(), content: "x".repeat(STAGE_TEXT_CAP + 10) }],
        };
        let usage = UsageRecord { ts: 1, requested_model: "m".into(), status: 200, ..UsageRecord::default() };
        repo.insert_usage_and_logs(&[usage], &[entry(0)]).await.expect("batch");
        assert_eq!(repo.recent_usage(10).await.expect("usage").len(), 1);
        for ts in 1..=205 {
            repo.insert_request_log(&entry(ts)).await.expect("insert");
        }
        let list = repo.request_logs(1_000).await.expect("list");
        assert_eq!(list.len(), 200, "the trigger keeps the newest 200");
        assert_eq!(list[0].model, "m205");
        let id: i64 = list[0].id.parse().expect("numeric id");
        let detail = repo.request_log(id).await.expect("read").expect("present");
        assert!(detail.stages[0].content.contains("[truncated: 10 more bytes not stored]"));
        assert!(repo.request_log(-1).await.expect("read").is_none());
        assert_eq!(repo.clear_request_logs().await.expect("clear"), 200);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn capped_on_char_boundaries() {
        assert_eq!(capped("abc", 5), "abc");
        let cut = capped("ééé", 3);
        assert!(cut.starts_with('é') && cut.contains("[truncated: 4 more bytes"), "{cut}");
    }
}
