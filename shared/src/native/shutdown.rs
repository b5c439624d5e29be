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
    /// Starts listening for SIGINT / SIGTERM on the current runtime (the handlers are installed before this
    /// returns, so a signal right after start-up is not missed).
    #[must_use]
    pub fn on_signals() -> Self {
        let (fire, fired) = watch::channel(false);
        let received = signal();
        tokio::spawn(async move {
            received.await;
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

/// A future that resolves on the first SIGINT or SIGTERM (Ctrl-C elsewhere).
#[cfg(unix)]
fn signal() -> impl Future<Output = ()> {
    use tokio::signal::unix::{signal, SignalKind};
    let interrupt = signal(SignalKind::interrupt()).ok();
    let terminate = signal(SignalKind::terminate()).ok();
    async move {
        let wait = |signal: Option<tokio::signal::unix::Signal>| async move {
            match signal {
                Some(mut signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = wait(interrupt) => {},
            () = wait(terminate) => {},
        }
    }
}

/// A future that resolves on Ctrl-C.
#[cfg(not(unix))]
fn signal() -> impl Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
