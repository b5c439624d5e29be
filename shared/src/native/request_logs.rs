//! The native request-log sink: the seed's layout under `DATA_DIR/logs/`, one directory per request
//! (`{sourceFormat}_{targetFormat}_{model}_{timestamp}/` with the six stage files, plus `meta.json` for the
//! dashboard's list), written by one background thread so no request waits for the disk. Retention: at most
//! [`Retention::max_dirs`] directories and [`Retention::max_bytes`] in total, oldest removed first.

use std::collections::VecDeque;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use futures::channel::oneshot;

use crate::platform::BoxFuture;
use crate::request_log::{
    render, LogDetail, LogStage, LogStoreError, LogSummary, RequestCapture, RequestLogSink, STAGE_NAMES,
};

/// The file holding a log's summary (not one of the seed's stages; the list view reads it).
const META_FILE: &str = "meta.json";
/// Captures queued at most; beyond this (the disk is stuck) new ones are dropped.
const QUEUE: usize = 256;

/// How much the log directory may hold.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// Most request directories kept.
    pub max_dirs: usize,
    /// Most bytes kept in total.
    pub max_bytes: u64,
}

impl Default for Retention {
    /// 500 requests, 200 MB.
    fn default() -> Self {
        Self { max_dirs: 500, max_bytes: 200 * 1024 * 1024 }
    }
}

enum Message {
    Write(Box<RequestCapture>),
    Clear(oneshot::Sender<Result<u64, String>>),
    Flush(oneshot::Sender<()>),
}

/// Sends captures to the writer thread; reads logs back from the directory.
#[derive(Debug, Clone)]
pub struct FileRequestLogs {
    dir: PathBuf,
    sender: SyncSender<Message>,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Write(_) => "Write",
            Self::Clear(_) => "Clear",
            Self::Flush(_) => "Flush",
        })
    }
}

impl FileRequestLogs {
    /// Starts the writer thread for `dir` (created when the first log is written).
    ///
    /// # Errors
    /// The thread could not be started.
    pub fn spawn(dir: PathBuf, retention: Retention) -> std::io::Result<Self> {
        let (sender, receiver) = sync_channel(QUEUE);
        let thread_dir = dir.clone();
        std::thread::Builder::new()
            .name("9router-request-logs".into())
            .spawn(move || Writer::new(thread_dir, retention).run(&receiver))?;
        Ok(Self { dir, sender })
    }
}

/// Whether `id` can only name a directory directly inside the log directory.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && !id.starts_with('.')
        && !id.contains("..")
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn io(err: &std::io::Error) -> LogStoreError {
    LogStoreError::Io(err.kind().to_string())
}

/// Runs blocking file work off the async runtime's threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, LogStoreError> + Send + 'static,
) -> Result<T, LogStoreError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| LogStoreError::Io(e.to_string()))?
}

fn read_summary(dir: &Path, id: &str) -> Option<LogSummary> {
    let meta: serde_json::Value = serde_json::from_slice(&fs::read(dir.join(id).join(META_FILE)).ok()?).ok()?;
    let text = |name: &str| meta.get(name).and_then(serde_json::Value::as_str).map(str::to_owned);
    let int = |name: &str| meta.get(name).and_then(serde_json::Value::as_i64).unwrap_or(0);
    Some(LogSummary {
        id: id.to_owned(),
        ts: int("ts"),
        inbound_format: text("inbound_format").unwrap_or_default(),
        upstream_format: text("upstream_format"),
        model: text("model").unwrap_or_default(),
        status: u16::try_from(int("status")).unwrap_or(0),
        duration_ms: int("duration_ms"),
        streamed: meta.get("streamed").and_then(serde_json::Value::as_bool).unwrap_or(false),
    })
}

fn list_dir(dir: &Path, limit: usize) -> Result<Vec<LogSummary>, LogStoreError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(io(&err)),
    };
    let mut logs: Vec<LogSummary> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| valid_id(name))
        .filter_map(|name| read_summary(dir, &name))
        .collect();
    logs.sort_by(|a, b| b.ts.cmp(&a.ts).then_with(|| b.id.cmp(&a.id)));
    logs.truncate(limit);
    Ok(logs)
}

fn read_log(dir: &Path, id: &str) -> Result<Option<LogDetail>, LogStoreError> {
    if !valid_id(id) {
        return Err(LogStoreError::BadId(id.chars().take(80).collect()));
    }
    let Some(summary) = read_summary(dir, id) else { return Ok(None) };
    let stages = STAGE_NAMES
        .iter()
        .filter_map(|name| {
            let content = fs::read(dir.join(id).join(name)).ok()?;
            Some(LogStage { name: (*name).to_owned(), content: String::from_utf8_lossy(&content).into_owned() })
        })
        .collect();
    Ok(Some(LogDetail { summary, stages }))
}

impl RequestLogSink for FileRequestLogs {
    fn record(&self, capture: RequestCapture) {
        let _ = self.sender.try_send(Message::Write(Box::new(capture)));
    }

    fn list(&self, limit: usize) -> BoxFuture<'_, Result<Vec<LogSummary>, LogStoreError>> {
        let dir = self.dir.clone();
        Box::pin(blocking(move || list_dir(&dir, limit)))
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<LogDetail>, LogStoreError>> {
        let (dir, id) = (self.dir.clone(), id.to_owned());
        Box::pin(blocking(move || read_log(&dir, &id)))
    }

    fn clear(&self) -> BoxFuture<'_, Result<u64, LogStoreError>> {
        let stopped = || LogStoreError::Io("log writer stopped".into());
        let (done, answer) = oneshot::channel();
        let sender = self.sender.clone();
        Box::pin(async move {
            // `send` waits for room in the queue: off the async threads.
            blocking(move || sender.send(Message::Clear(done)).map_err(|_| stopped())).await?;
            answer.await.map_err(|_| stopped())?.map_err(LogStoreError::Io)
        })
    }

    fn flush(&self) -> BoxFuture<'_, ()> {
        let (done, answer) = oneshot::channel();
        let sender = self.sender.clone();
        Box::pin(async move {
            let sent =
                blocking(move || sender.send(Message::Flush(done)).map_err(|e| LogStoreError::Io(e.to_string())));
            if sent.await.is_ok() {
                let _ = answer.await;
            }
        })
    }
}

/// The writer thread's state: the directories it knows, oldest first, with their sizes.
struct Writer {
    dir: PathBuf,
    retention: Retention,
    kept: VecDeque<(String, u64)>,
    total: u64,
}

fn dir_size(path: &Path) -> u64 {
    fs::read_dir(path)
        .map(|entries| entries.filter_map(Result::ok).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

impl Writer {
    /// Indexes the directories already there (from an earlier run), oldest first.
    fn new(dir: PathBuf, retention: Retention) -> Self {
        let mut existing: Vec<(i64, String)> = fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|name| valid_id(name))
                    .map(|name| (read_summary(&dir, &name).map_or(0, |s| s.ts), name))
                    .collect()
            })
            .unwrap_or_default();
        existing.sort();
        let kept: VecDeque<(String, u64)> =
            existing.into_iter().map(|(_, name)| (name.clone(), dir_size(&dir.join(&name)))).collect();
        let total = kept.iter().map(|(_, size)| size).sum();
        let mut writer = Self { dir, retention, kept, total };
        writer.prune();
        writer
    }

    fn run(mut self, receiver: &Receiver<Message>) {
        while let Ok(message) = receiver.recv() {
            match message {
                Message::Write(capture) => {
                    if let Err(err) = self.write(&capture) {
                        eprintln!("9router: request log write failed: {err}");
                    }
                    self.prune();
                }
                Message::Clear(done) => {
                    let _ = done.send(self.clear());
                }
                Message::Flush(done) => {
                    let _ = done.send(());
                }
            }
        }
    }

    fn write(&mut self, capture: &RequestCapture) -> std::io::Result<()> {
        let entry = render(capture);
        fs::create_dir_all(&self.dir)?;
        let base = entry.directory_name();
        let mut name = base.clone();
        let mut n = 1;
        while self.dir.join(&name).exists() {
            n += 1;
            name = format!("{base}_{n}");
        }
        let path = self.dir.join(&name);
        fs::create_dir(&path)?;
        let meta = serde_json::to_vec_pretty(&entry.summary).unwrap_or_default();
        let mut size = meta.len() as u64;
        fs::write(path.join(META_FILE), meta)?;
        for stage in &entry.stages {
            size += stage.content.len() as u64;
            fs::write(path.join(&stage.name), &stage.content)?;
        }
        self.kept.push_back((name, size));
        self.total += size;
        Ok(())
    }

    fn prune(&mut self) {
        while self.kept.len() > self.retention.max_dirs || self.total > self.retention.max_bytes {
            let Some((name, size)) = self.kept.pop_front() else { break };
            self.total = self.total.saturating_sub(size);
            let _ = fs::remove_dir_all(self.dir.join(name));
        }
    }

    fn clear(&mut self) -> Result<u64, String> {
        let mut deleted = 0;
        if let Ok(entries) = fs::read_dir(&self.dir) {
            for entry in entries.filter_map(Result::ok) {
                let is_log = entry.file_name().to_str().is_some_and(valid_id) && entry.path().is_dir();
                if is_log {
                    fs::remove_dir_all(entry.path()).map_err(|e| e.kind().to_string())?;
                    deleted += 1;
                }
            }
        }
        self.kept.clear();
        self.total = 0;
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::HeaderMap;

    use super::*;
    use crate::usage::UsageRecord;

    fn capture(ts: i64, model: &str) -> RequestCapture {
        let mut c = RequestCapture::start(ts, "openai", "/v1/chat/completions".into(), &HeaderMap::new(), Bytes::new());
        c.finish(&UsageRecord { requested_model: model.into(), status: 200, ..UsageRecord::default() });
        c
    }

    #[test]
    fn writes_the_layout_and_prunes_the_oldest() {
        let dir = std::env::temp_dir().join(format!("9router-logs-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let mut writer = Writer::new(dir.clone(), Retention { max_dirs: 2, max_bytes: u64::MAX });
        for (ts, model) in [(1_000, "a/one"), (2_000, "b/two"), (3_000, "c/three")] {
            writer.write(&capture(ts, model)).expect("write");
            writer.prune();
        }
        let logs = list_dir(&dir, 10).expect("list");
        let models: Vec<&str> = logs.iter().map(|l| l.model.as_str()).collect();
        assert_eq!(models, ["c/three", "b/two"]);
        let detail = read_log(&dir, &logs[0].id).expect("read").expect("present");
        let names: Vec<&str> = detail.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, STAGE_NAMES[..5]);
        assert!(matches!(read_log(&dir, "../etc"), Err(LogStoreError::BadId(_))));
        assert!(read_log(&dir, "missing").expect("ok").is_none());
        // A restart indexes what is there; a byte cap prunes down to it.
        let mut again = Writer::new(dir.clone(), Retention { max_dirs: 10, max_bytes: 1 });
        assert!(again.kept.is_empty());
        writer.write(&capture(4_000, "d")).expect("write");
        assert_eq!(again.clear().expect("clear"), 1);
        let _ = fs::remove_dir_all(&dir);
    }
}
