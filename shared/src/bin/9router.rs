//! `9router`: the native router. Thin CLI over `shared::native` (serve) and `shared::migrate` (import/export).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use shared::config::Config;
use shared::native::{
    browser, default_data_dir, load_or_create_token_key, run, OsRandom, ServeOptions, TOKEN_KEY_FILE,
};

#[path = "9router/transfer.rs"]
mod transfer;

/// mimalloc instead of glibc malloc: the router allocates many short-lived JSON nodes per request, where glibc's
/// arenas spent ~40 % of CPU under load (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One endpoint for every AI coding tool: routes `provider/model` to your accounts with fallback.
#[derive(Debug, Parser)]
#[command(name = "9router", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Port to listen on.
    #[arg(long, short = 'p', env = "PORT", default_value_t = 20128)]
    port: u16,
    /// Address to bind (0.0.0.0 accepts connections from other machines; API keys are then always required).
    #[arg(long, env = "HOST", default_value = "127.0.0.1", value_parser = parse_host)]
    host: IpAddr,
    /// Data directory (database, logs). Default: ~/.9router (%APPDATA%\9router on Windows).
    #[arg(long, env = "DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// Do not open the dashboard in a browser.
    #[arg(long)]
    no_browser: bool,
    /// Accepted for compatibility with the JS 9router; this binary never updates itself.
    #[arg(long)]
    skip_update: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import a JS 9router's db.json (providers, API keys, combos, aliases, settings) into the data directory.
    Import {
        /// Path of the db.json (default: the JS 9router's, <data dir>/db.json).
        path: Option<PathBuf>,
    },
    /// Export this router's data in the JS 9router's db.json shape (for backup or going back).
    Export {
        /// Output file (default: standard output).
        path: Option<PathBuf>,
        /// Include upstream API keys and client key hashes (without it every secret is left out).
        #[arg(long)]
        include_secrets: bool,
        /// Overwrite the output file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// `localhost` or an IP address.
fn parse_host(value: &str) -> Result<IpAddr, String> {
    if value.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    value.parse().map_err(|_| format!("`{value}` is not an IP address (use 127.0.0.1, 0.0.0.0, :: or localhost)"))
}

/// The address to show and open: the bound one, or loopback when bound to every interface.
fn dashboard_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/dashboard", SocketAddr::new(ip, addr.port()))
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = cli.data_dir.clone().unwrap_or_else(|| default_data_dir(env));
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("9router: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let token_key = || match config_lookup(&data_dir).map(|lookup| lookup("TOKEN_ENCRYPTION_KEY")) {
        Ok(Some(key)) => Ok(key),
        Ok(None) => Err("no OAuth token key".to_owned()),
        Err(err) => Err(err),
    };
    match cli.command {
        Some(Command::Import { path }) => {
            let path = path.unwrap_or_else(|| data_dir.join("db.json"));
            match token_key() {
                Ok(key) => runtime.block_on(transfer::import(&data_dir, &path, key)),
                Err(err) => {
                    eprintln!("9router import: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Export { path, include_secrets, force }) => match token_key() {
            Ok(key) => runtime.block_on(transfer::export(&data_dir, path.as_deref(), include_secrets, force, key)),
            Err(err) => {
                eprintln!("9router export: {err}");
                ExitCode::FAILURE
            }
        },
        None => serve(&runtime, cli.host, cli.port, data_dir, !cli.no_browser),
    }
}

/// The environment as the configuration reads it, with `TOKEN_ENCRYPTION_KEY` defaulting to a random key kept in
/// the data directory (OAuth tokens are sealed with it).
fn config_lookup(data_dir: &std::path::Path) -> Result<impl Fn(&str) -> Option<String>, String> {
    let token_key = match env("TOKEN_ENCRYPTION_KEY").filter(|k| !k.trim().is_empty()) {
        Some(key) => key,
        None => load_or_create_token_key(data_dir, &OsRandom)
            .map_err(|err| format!("cannot read or create {}: {err}", data_dir.join(TOKEN_KEY_FILE).display()))?,
    };
    Ok(move |name: &str| match name {
        "TOKEN_ENCRYPTION_KEY" => Some(token_key.clone()),
        _ => env(name),
    })
}

fn serve(runtime: &tokio::runtime::Runtime, host: IpAddr, port: u16, data_dir: PathBuf, browser: bool) -> ExitCode {
    let lookup = match config_lookup(&data_dir) {
        Ok(lookup) => lookup,
        Err(err) => {
            eprintln!("9router: {err}");
            return ExitCode::from(2);
        }
    };
    let mut config = match Config::from_lookup(lookup) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("9router: {err}");
            return ExitCode::from(2);
        }
    };
    config.api_key_always_required = !host.is_loopback();
    let exposed = config.api_key_always_required;
    let options = ServeOptions { addr: SocketAddr::new(host, port), data_dir: data_dir.clone(), config };
    let result = runtime.block_on(run(options, |addr| {
        let url = dashboard_url(addr);
        println!("9router listening on http://{addr} (data: {})", data_dir.display());
        println!("Dashboard: {url}");
        if exposed {
            println!("Bound to a non-loopback address: every /v1 request needs an API key.");
        }
        if browser && browser::should_open(env) {
            browser::open(&url);
        }
    }));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("9router: {err}");
            ExitCode::FAILURE
        }
    }
}
