//! What a sandbox is started with: where its state lives, which port it listens on, which apps
//! may call it, whether it seeds demo data, how busy its simulated buyers are and which faults it
//! injects.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::SandboxError;

/// The app key of the demo developer app, accepted when no other app is configured.
pub const DEMO_APP_KEY: &str = "sandbox-app";

/// The app secret of the demo developer app.
pub const DEMO_APP_SECRET: &str = "sandbox-secret";

/// The port the command line listens on when none is given (the one the API document uses).
pub const DEFAULT_PORT: u16 = 8700;

/// Everything a sandbox is started with. Build it with [`SandboxConfig::new`] and adjust the
/// public fields.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// The directory that holds `sandbox.db`; created when missing.
    pub data_directory: PathBuf,
    /// The loopback port to listen on; `0` lets the system pick a free one.
    pub port: u16,
    /// The developer apps that may call the gateway.
    pub apps: Vec<AppCredentials>,
    pub demo_data: DemoData,
    /// How many codes simulated buyers claim per second; zero turns them off.
    pub redeem_rate: RedeemRate,
    pub faults: FaultInjection,
}

impl SandboxConfig {
    /// A sandbox on a free port with the demo app, no demo data, no buyers and no faults.
    pub fn new(data_directory: impl Into<PathBuf>) -> SandboxConfig {
        SandboxConfig {
            data_directory: data_directory.into(),
            port: 0,
            apps: vec![AppCredentials::demo()],
            demo_data: DemoData::Omit,
            redeem_rate: RedeemRate::OFF,
            faults: FaultInjection::NONE,
        }
    }
}

/// A developer app's key and the secret its calls are signed with.
#[derive(Clone, PartialEq, Eq)]
pub struct AppCredentials {
    pub app_key: String,
    pub app_secret: String,
}

impl AppCredentials {
    pub fn new(app_key: impl Into<String>, app_secret: impl Into<String>) -> AppCredentials {
        AppCredentials { app_key: app_key.into(), app_secret: app_secret.into() }
    }

    /// The demo app: [`DEMO_APP_KEY`] with [`DEMO_APP_SECRET`].
    pub fn demo() -> AppCredentials {
        AppCredentials::new(DEMO_APP_KEY, DEMO_APP_SECRET)
    }
}

/// Never prints the secret, so that a logged configuration gives nothing away.
impl fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCredentials")
            .field("app_key", &self.app_key)
            .field("app_secret", &"…")
            .finish()
    }
}

/// Whether to seed demo stores, coupons, codes and refund requests at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoData {
    /// Seed them, but only into a sandbox that has no store yet; existing state is kept as it is.
    Seed,
    /// Start with whatever the data directory holds (nothing, the first time).
    Omit,
}

/// How many codes the simulated buyers claim per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedeemRate {
    pub codes_per_second: u32,
}

impl RedeemRate {
    pub const OFF: RedeemRate = RedeemRate { codes_per_second: 0 };

    pub fn per_second(codes_per_second: u32) -> RedeemRate {
        RedeemRate { codes_per_second }
    }
}

/// A share of calls, from 0 (none) to 1 (every one).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Probability(f64);

impl Probability {
    pub const NEVER: Probability = Probability(0.0);
    pub const ALWAYS: Probability = Probability(1.0);

    /// Refuses anything that is not a number from 0 to 1.
    pub fn new(share: f64) -> Result<Probability, SandboxError> {
        if (0.0..=1.0).contains(&share) {
            Ok(Probability(share))
        } else {
            Err(SandboxError::InvalidConfiguration {
                message: format!("a rate is a share from 0 to 1, not {share}"),
            })
        }
    }

    pub fn share(self) -> f64 {
        self.0
    }

    /// Draws whether this call is one of the share.
    pub(crate) fn happens(self) -> bool {
        self.0 > 0.0 && rand::random_bool(self.0)
    }
}

/// The faults the sandbox injects, to test that clients retry safely.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaultInjection {
    /// The share of calls answered `503` before anything is done.
    pub fail_rate: Probability,
    /// The share of mutations that are applied and committed, and then answered by closing the
    /// connection without a response.
    pub drop_rate: Probability,
    /// How long every call waits before it is handled.
    pub latency: Duration,
}

impl FaultInjection {
    pub const NONE: FaultInjection = FaultInjection {
        fail_rate: Probability::NEVER,
        drop_rate: Probability::NEVER,
        latency: Duration::ZERO,
    };
}
