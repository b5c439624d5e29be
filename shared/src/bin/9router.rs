//! `9router`: the native router. Thin CLI over `shared::native::run`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use shared::config::Config;
use shared::native::{load_or_create_token_key, run, OsRandom, ServeOptions, TOKEN_KEY_FILE};

/// mimalloc instead of glibc malloc: the router allocates many short-lived JSON nodes per request, where glibc's
/// arenas spent ~40 % of CPU under load (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One endpoint for every AI coding tool: routes `provider/model` to your accounts with fallback.
#[derive(Debug, Parser)]
#[command(name = "9router", version, about)]
struct Cli {
    /// Port to listen on.
    #[arg(long, short = 'p', env = "PORT", default_value_t = 20128)]
    port: u16,
    /// Address to bind (use 0.0.0.0 to accept connections from other machines).
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    /// Data directory (database, logs). Default: ~/.9router
    #[arg(long, env = "DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Do not open the dashboard in a browser.
    #[arg(long)]
    no_browser: bool,
    /// Skip the update check.
    #[arg(long)]
    skip_update: bool,
}

fn default_data_dir() -> PathBuf {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map_or_else(|| PathBuf::from(".9router"), |home| PathBuf::from(home).join(".9router"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = cli.data_dir.clone().unwrap_or_else(default_data_dir);
    // Without TOKEN_ENCRYPTION_KEY, OAuth tokens are sealed with a random key kept in the data directory.
    let token_key = match std::env::var("TOKEN_ENCRYPTION_KEY").ok().filter(|k| !k.trim().is_empty()) {
        Some(key) => key,
        None => match load_or_create_token_key(&data_dir, &OsRandom) {
            Ok(key) => key,
            Err(err) => {
                eprintln!("9router: cannot read or create {}: {err}", data_dir.join(TOKEN_KEY_FILE).display());
                return ExitCode::from(2);
            }
        },
    };
    let lookup = |name: &str| match name {
        "TOKEN_ENCRYPTION_KEY" => Some(token_key.clone()),
        _ => std::env::var(name).ok(),
    };
    let config = match Config::from_lookup(lookup) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("9router: {err}");
            return ExitCode::from(2);
        }
    };
    let options = ServeOptions { addr: SocketAddr::new(cli.host, cli.port), data_dir, config };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("9router: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let data_dir = options.data_dir.clone();
    let result = runtime.block_on(run(options, |addr| {
        println!(
            "9router listening on http://{addr} (dashboard: http://{addr}/dashboard, data: {})",
            data_dir.display()
        );
    }));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("9router: {err}");
            ExitCode::FAILURE
        }
    }
}
