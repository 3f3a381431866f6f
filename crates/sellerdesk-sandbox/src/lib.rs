//! The sandbox: the marketplace platform's side of `docs/platform-api.md`, on loopback, so that
//! Seller Desk's sync can be tested against a real server.
//!
//! It verifies signed calls on the `POST /sync` gateway (with the shared `sellerdesk_platform`
//! wire types and signing), applies every mutation exactly once per store and mutation id, keeps
//! change feeds, and holds its state in SQLite in a data directory. It can seed demo data, run
//! simulated buyers who redeem codes, and inject faults (failed calls, dropped answers, latency).
//!
//! Start one in-process with [`start`]; read its state with [`dump`]. The `sellerdesk-sandbox`
//! binary does the same from the command line.
//!
//! Layout: `gateway` (HTTP, authentication, faults), `methods` (the platform methods and their
//! rules), `records` (rows and their SQL), `feeds` (the change log), `database` (schema and the
//! shared connection), `demo`, `simulation` (buyers) and `dump`. `aliexpress` is another dialect:
//! the AliExpress Open Platform's methods, in memory ([`start_aliexpress`]).

mod aliexpress;
mod config;
mod database;
mod demo;
mod dump;
mod error;
mod feeds;
mod gateway;
mod methods;
mod records;
mod simulation;

use std::net::SocketAddr;
use std::sync::Arc;

use rusqlite::TransactionBehavior;
use sellerdesk_core::Timestamp;
use sellerdesk_core::ids::StoreId;
use sellerdesk_core::money::Currency;
use sellerdesk_core::{InputError, RuleId};
use tokio::sync::watch;

pub use crate::aliexpress::{
    ALIEXPRESS_APP_KEY, ALIEXPRESS_APP_SECRET, ALIEXPRESS_SELLER_ID, ALIEXPRESS_SELLER_NICK,
    AliexpressConfig, AliexpressFault, RecordedAnswer, RunningAliexpress, start_aliexpress,
};
pub use crate::config::{
    AppCredentials, DEFAULT_PORT, DEMO_APP_KEY, DEMO_APP_SECRET, DemoData, FaultInjection,
    Probability, RedeemRate, SandboxConfig,
};
pub use crate::database::DATABASE_FILE_NAME;
pub use crate::demo::{DEMO_CODE_BATCHES, DemoCodeBatch, Seeding};
pub use crate::dump::dump;
pub use crate::error::SandboxError;
pub use crate::simulation::BuyerActivity;

use crate::database::{Database, StoreRow, all_stores, insert_store, store_exists};
use crate::gateway::Gateway;

/// The current time, to the millisecond: the only clock the sandbox reads.
pub(crate) fn now() -> Timestamp {
    let exact = Timestamp::now();
    Timestamp::from_millisecond(exact.as_millisecond()).unwrap_or(exact)
}

/// Opens (or creates) the state in the data directory, seeds the demo data if asked, binds
/// 127.0.0.1 and serves until [`RunningSandbox::shutdown`] (or until it is dropped).
pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
    if config.apps.is_empty() {
        return Err(SandboxError::InvalidConfiguration {
            message: "at least one app (key and secret) must be allowed to call".to_owned(),
        });
    }
    let data_directory = config.data_directory.clone();
    let demo_data = config.demo_data;
    let (database, seeding) = tokio::task::spawn_blocking(move || {
        let database = Database::open(&data_directory)?;
        let seeding = match demo_data {
            DemoData::Seed => {
                Some(database.with_connection(|connection| demo::seed(connection, now()))?)
            }
            DemoData::Omit => None,
        };
        Ok::<_, SandboxError>((database, seeding))
    })
    .await
    .map_err(|error| SandboxError::TaskFailed { message: error.to_string() })??;
    let database = Arc::new(database);

    let (listener, address) = gateway::bind(config.port).await?;
    let (shutdown, shutdown_signal) = watch::channel(false);
    let gateway = Arc::new(Gateway {
        database: Arc::clone(&database),
        apps: config.apps,
        faults: config.faults,
    });
    let server = tokio::spawn(gateway::serve(listener, gateway, shutdown_signal.clone()));
    let buyers = (config.redeem_rate.codes_per_second > 0).then(|| {
        tokio::spawn(simulation::run_buyers(
            Arc::clone(&database),
            config.redeem_rate,
            shutdown_signal,
        ))
    });
    let tasks = gateway::ServerTasks::new([Some(server), buyers].into_iter().flatten().collect());
    Ok(RunningSandbox { address, seeding, database, shutdown, tasks })
}

/// A store and the access token that names it in the `session` parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreAccess {
    pub store_id: String,
    pub name: String,
    pub currency: String,
    pub access_token: String,
}

impl From<StoreRow> for StoreAccess {
    fn from(row: StoreRow) -> StoreAccess {
        StoreAccess {
            store_id: row.store_id,
            name: row.name,
            currency: row.currency,
            access_token: row.access_token,
        }
    }
}

/// A store to open on the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStore {
    pub store_id: String,
    pub name: String,
    /// An ISO 4217 code: the store's prices and coupons are in it.
    pub currency: String,
}

/// A sandbox serving on loopback. Dropping it stops it too, without waiting.
#[derive(Debug)]
pub struct RunningSandbox {
    address: SocketAddr,
    seeding: Option<Seeding>,
    database: Arc<Database>,
    shutdown: watch::Sender<bool>,
    tasks: gateway::ServerTasks,
}

impl RunningSandbox {
    /// The address it listens on: 127.0.0.1 and the bound port.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The platform URL to give clients, such as `http://127.0.0.1:8700`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// What the demo seeding did, when demo data was asked for.
    pub fn seeding(&self) -> Option<Seeding> {
        self.seeding
    }

    /// Every store with its access token, by store id.
    pub async fn stores(&self) -> Result<Vec<StoreAccess>, SandboxError> {
        let stores = self
            .database
            .run(|connection| all_stores(connection).map_err(SandboxError::from))
            .await?;
        Ok(stores.into_iter().map(StoreAccess::from).collect())
    }

    /// Opens a store with a new random access token.
    pub async fn add_store(&self, store: NewStore) -> Result<StoreAccess, SandboxError> {
        StoreId::parse("store_id", &store.store_id).map_err(SandboxError::InvalidStore)?;
        Currency::from_code(&store.currency)
            .map_err(|error| SandboxError::InvalidStore(error.at("currency")))?;
        if store.name.trim().is_empty() {
            return Err(SandboxError::InvalidStore(InputError::new(
                "name",
                RuleId::Input1,
                "a store needs a name",
            )));
        }
        let row = StoreRow {
            store_id: store.store_id,
            name: store.name,
            currency: store.currency,
            access_token: demo::new_access_token(),
        };
        self.database
            .run(move |connection| {
                let transaction =
                    connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
                if store_exists(&transaction, &row.store_id)? {
                    return Err(SandboxError::StoreExists { store_id: row.store_id });
                }
                insert_store(&transaction, &row)?;
                transaction.commit()?;
                Ok(StoreAccess::from(row))
            })
            .await
    }

    /// Runs one tick of simulated buyers now, with up to `claims` claims, whatever the redeem
    /// rate: tests use it to make code status changes without waiting.
    pub async fn simulate_buyers(&self, claims: u32) -> Result<BuyerActivity, SandboxError> {
        self.database
            .run(move |connection| simulation::simulate_tick(connection, now(), claims))
            .await
    }

    /// Stops accepting calls, closes every open connection, stops the buyers, and waits for all
    /// of it. The database is closed once the last call in flight has finished.
    pub async fn shutdown(&self) {
        self.shutdown.send_replace(true);
        self.tasks.join().await;
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}
