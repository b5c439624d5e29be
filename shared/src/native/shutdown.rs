//! Graceful shutdown: on SIGINT/SIGTERM the server stops accepting, in-flight requests and streams get a bounded
//! time to finish, then the usage queue is flushed and SQLite's WAL is checkpointed into the main file.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

/// How long in-flight requests and streams may run on after the signal before the server stops anyway.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the usage flush may take at shutdown.
pub const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);

/// A shutdown trigger shared by the listener (stop accepting) and the drain bound.
#[derive(Debug, Clone)]
pub struct Shutdown {
    fired: watch::Receiver<bool>,
}

impl Shutdown {
    /// Starts listening for SIGINT / SIGTERM on the current runtime.
    #[must_use]
    pub fn on_signals() -> Self {
        let (fire, fired) = watch::channel(false);
        tokio::spawn(async move {
            signal().await;
            eprintln!("9router: shutting down (waiting up to {} s for requests in flight)", DRAIN_TIMEOUT.as_secs());
            let _ = fire.send(true);
        });
        Self { fired }
    }

    /// Resolves when a signal arrived.
    pub async fn fired(&self) {
        let mut fired = self.fired.clone();
        let _ = fired.wait_for(|fired| *fired).await;
    }

    /// Runs `serve` (which must stop accepting when [`Shutdown::fired`] resolves and return once its connections
    /// are done) but gives up on connections still open [`DRAIN_TIMEOUT`] after the signal.
    pub async fn drain<T>(&self, serve: impl Future<Output = T>) -> Option<T> {
        tokio::select! {
            result = serve => Some(result),
            () = async { self.fired().await; tokio::time::sleep(DRAIN_TIMEOUT).await } => {
                eprintln!("9router: requests still open after {} s; stopping anyway", DRAIN_TIMEOUT.as_secs());
                None
            }
        }
    }
}

async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
