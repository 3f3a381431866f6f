//! `sellerdesk-sandbox`: the marketplace platform on loopback, for Seller Desk's sync.
//!
//! `serve` prints one line `listening on http://127.0.0.1:PORT` once it accepts calls, then with
//! `--demo` one line `store ID token TOKEN` per store, and serves until interrupted. `dump`
//! prints the whole state as JSON.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use sellerdesk_sandbox::{
    AppCredentials, DEFAULT_PORT, DemoData, FaultInjection, Probability, RedeemRate, SandboxConfig,
};

const AFTER_HELP: &str = "\
Calls are signed as docs/platform-api.md says. Unless --app-key and --app-secret are given, the
one app allowed to call is the demo app:

    app key     sandbox-app
    app secret  sandbox-secret

With --demo, an empty data directory is seeded with stores S1 (USD), S2 (EUR) and S3 (JPY); their
access tokens (the `session` parameter) are printed at start.";

#[derive(Debug, Parser)]
#[command(
    name = "sellerdesk-sandbox",
    version,
    about = "The marketplace platform's API on loopback, for testing Seller Desk's sync.",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the platform API on 127.0.0.1 until interrupted.
    #[command(after_help = AFTER_HELP)]
    Serve(ServeArgs),
    /// Print the whole state of a sandbox as JSON (it may be running).
    Dump {
        /// The sandbox's data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
}

/// Which platform's API the sandbox speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Dialect {
    /// The Seller Desk platform API of docs/platform-api.md, over SQLite in --data.
    Sellerdesk,
    /// The AliExpress Open Platform's methods the AliExpress connector calls, in memory, with
    /// the demo seller (prints the app key and secret; the consent page is GET /oauth/authorize).
    Aliexpress,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The API spoken.
    #[arg(long, value_enum, default_value_t = Dialect::Sellerdesk)]
    dialect: Dialect,
    /// The directory that holds the sandbox's state (sandbox.db); created when missing. The
    /// sellerdesk dialect needs it; the aliexpress dialect keeps its state in memory.
    #[arg(long, value_name = "DIR", required_if_eq("dialect", "sellerdesk"))]
    data: Option<PathBuf>,
    /// The port to listen on, on 127.0.0.1 only; 0 picks a free one.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Seed demo stores, coupons, codes and refund requests into an empty data directory, and
    /// print every store's access token.
    #[arg(long)]
    demo: bool,
    /// The share of calls answered 503 before anything is done (0 to 1).
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    fail_rate: f64,
    /// The share of mutations applied and committed, then answered by closing the connection
    /// (0 to 1).
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    drop_rate: f64,
    /// Milliseconds every call waits before it is handled.
    #[arg(long, value_name = "N", default_value_t = 0)]
    latency_ms: u64,
    /// Codes that simulated buyers claim per second.
    #[arg(long, value_name = "N", default_value_t = 0)]
    redeem_rate: u32,
    /// An app key allowed to call; repeat it, each with its --app-secret, for several apps.
    #[arg(long, value_name = "K")]
    app_key: Vec<String>,
    /// The secret of the --app-key in the same position.
    #[arg(long, value_name = "S")]
    app_secret: Vec<String>,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Serve(arguments) => serve(arguments),
        Command::Dump { data } => {
            let state = sellerdesk_sandbox::dump(&data)?;
            let mut stdout = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut stdout, &state)?;
            writeln!(stdout)?;
            Ok(())
        }
    }
}

fn serve(arguments: ServeArgs) -> anyhow::Result<()> {
    if arguments.dialect == Dialect::Aliexpress {
        return serve_aliexpress(arguments.port);
    }
    if arguments.app_key.len() != arguments.app_secret.len() {
        bail!(
            "every --app-key needs its --app-secret ({} keys, {} secrets)",
            arguments.app_key.len(),
            arguments.app_secret.len()
        );
    }
    let apps = if arguments.app_key.is_empty() {
        vec![AppCredentials::demo()]
    } else {
        arguments
            .app_key
            .into_iter()
            .zip(arguments.app_secret)
            .map(|(key, secret)| AppCredentials::new(key, secret))
            .collect()
    };
    let config = SandboxConfig {
        data_directory: arguments.data.context("--data is needed by the sellerdesk dialect")?,
        port: arguments.port,
        apps,
        demo_data: if arguments.demo { DemoData::Seed } else { DemoData::Omit },
        redeem_rate: RedeemRate::per_second(arguments.redeem_rate),
        faults: FaultInjection {
            fail_rate: Probability::new(arguments.fail_rate).context("--fail-rate")?,
            drop_rate: Probability::new(arguments.drop_rate).context("--drop-rate")?,
            latency: Duration::from_millis(arguments.latency_ms),
        },
    };
    let print_stores = arguments.demo;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let sandbox = sellerdesk_sandbox::start(config).await?;
        let stores = if print_stores { sandbox.stores().await? } else { Vec::new() };
        {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "listening on {}", sandbox.base_url())?;
            for store in stores {
                writeln!(stdout, "store {} token {}", store.store_id, store.access_token)?;
            }
            stdout.flush()?;
        }
        wait_for_termination().await?;
        sandbox.shutdown().await;
        Ok(())
    })
}

fn serve_aliexpress(port: u16) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let config = sellerdesk_sandbox::AliexpressConfig { port, ..Default::default() };
        let sandbox = sellerdesk_sandbox::start_aliexpress(config).await?;
        {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "listening on {}", sandbox.base_url())?;
            writeln!(
                stdout,
                "app key {} secret {}",
                sellerdesk_sandbox::ALIEXPRESS_APP_KEY,
                sellerdesk_sandbox::ALIEXPRESS_APP_SECRET
            )?;
            stdout.flush()?;
        }
        wait_for_termination().await?;
        sandbox.shutdown().await;
        Ok(())
    })
}

/// Waits for Ctrl-C or, on Unix, SIGTERM.
async fn wait_for_termination() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result?,
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    Ok(())
}
