//! The command line as typed, and the small conversions from raw values to typed ones.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use sellerdesk_facade::PlatformKind;

#[derive(Debug, Parser)]
#[command(
    name = "sellerdesk",
    version,
    about = "Seller Desk: seller coupons, coupon codes and refunds for marketplace sellers"
)]
pub struct Cli {
    /// The database to work on [default: the platform's data directory].
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Print results as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// Print the log to the standard error as well as to the log file (`logs/` beside the
    /// database; `SELLERDESK_LOG=debug` says more).
    #[arg(long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Stores (storefronts) on the platform.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Seller coupons of a store.
    Coupon {
        #[command(subcommand)]
        command: CouponCommand,
    },
    /// Coupon codes: generate in batches per channel, export as CSV, check a typed code.
    Codes {
        #[command(subcommand)]
        command: CodesCommand,
    },
    /// The marketplace platform a store syncs with.
    Platform {
        #[command(subcommand)]
        command: PlatformCommand,
    },
    /// Syncs connected stores with the platform once (exit 0 only when nothing is left pending);
    /// `sync status` shows where each store stands.
    Sync {
        #[command(subcommand)]
        command: Option<SyncCommand>,
        #[arg(long)]
        store: Option<String>,
    },
    /// Work with refunds.
    Refund {
        #[command(subcommand)]
        command: RefundCommand,
    },
    /// What to send with a problem report: the version, each store's platform and last sync,
    /// the errors met and the log's tail (no secret).
    Diagnostics,
    /// How campaigns went: codes and redemptions per channel.
    Campaign {
        #[command(subcommand)]
        command: CampaignCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Adds a store to the local database.
    Add {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        /// ISO 4217 code, such as USD.
        #[arg(long)]
        currency: String,
    },
    /// Lists the stores in the local database.
    List,
}

#[derive(Debug, Subcommand)]
pub enum CouponCommand {
    /// Creates a seller coupon: a fixed amount off above a minimum purchase.
    Create(CouponCreateArgs),
    /// Lists a store's coupons with their code counts.
    List {
        #[arg(long)]
        store: String,
    },
    /// Shows one coupon.
    Show {
        #[arg(long)]
        store: String,
        #[arg(long)]
        coupon: String,
    },
    /// Changes a coupon's terms (once submitted, only its title may change).
    Edit(CouponEditArgs),
    /// Stops a coupon early: its validity ends now.
    Stop {
        #[arg(long)]
        store: String,
        #[arg(long)]
        coupon: String,
    },
}

#[derive(Debug, Args)]
pub struct CouponCreateArgs {
    #[arg(long)]
    pub store: String,
    #[arg(long)]
    pub title: String,
    /// The amount off, such as 3.00.
    #[arg(long)]
    pub discount: String,
    /// The order must exceed this amount, such as 20.00.
    #[arg(long)]
    pub min_purchase: String,
    /// RFC 3339, such as 2026-12-01T00:00:00Z.
    #[arg(long)]
    pub valid_from: String,
    /// RFC 3339; it can never be extended later.
    #[arg(long)]
    pub valid_to: String,
    /// How many buyers can get it (1 to 1,000,000).
    #[arg(long)]
    pub quantity: u32,
}

#[derive(Debug, Args)]
pub struct CouponEditArgs {
    #[arg(long)]
    pub store: String,
    #[arg(long)]
    pub coupon: String,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub discount: Option<String>,
    #[arg(long)]
    pub min_purchase: Option<String>,
    #[arg(long)]
    pub valid_from: Option<String>,
    #[arg(long)]
    pub valid_to: Option<String>,
    #[arg(long)]
    pub quantity: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum CodesCommand {
    /// Generates a batch of unique, unguessable codes for a coupon.
    Generate(CodesGenerateArgs),
    /// Exports a coupon's codes to a CSV file.
    Export(CodesExportArgs),
    /// Checks a typed code: normalises it, verifies its check character, says its coupon and status.
    Check {
        #[arg(long)]
        store: String,
        /// The code as the buyer typed it (case, spaces and dashes do not matter).
        code: String,
    },
    /// Lists a coupon's batches of codes.
    Batches {
        #[arg(long)]
        store: String,
        #[arg(long)]
        coupon: String,
    },
    /// Lists a coupon's earlier exports.
    Exports {
        #[arg(long)]
        store: String,
        #[arg(long)]
        coupon: String,
    },
}

#[derive(Debug, Args)]
pub struct CodesGenerateArgs {
    #[arg(long)]
    pub store: String,
    #[arg(long)]
    pub coupon: String,
    /// How many codes.
    #[arg(long)]
    pub count: u32,
    /// Characters in the random part [default: the shortest safe length, at least 8].
    #[arg(long)]
    pub length: Option<u32>,
    #[arg(long, default_value = "")]
    pub prefix: String,
    #[arg(long, default_value = "")]
    pub suffix: String,
    /// Print a dash every N characters.
    #[arg(long, value_name = "N")]
    pub group: Option<u32>,
    /// The characters to use [default: 23456789ABCDEFGHJKMNPQRSTUVWXYZ, no look-alikes].
    #[arg(long)]
    pub alphabet: Option<String>,
    /// End each code with a check character that catches typos and swapped characters.
    #[arg(long)]
    pub check_char: bool,
    /// The campaign channel of the batch, such as facebook or newsletter.
    #[arg(long)]
    pub channel: Option<String>,
}

#[derive(Debug, Args)]
pub struct CodesExportArgs {
    #[arg(long)]
    pub store: String,
    #[arg(long)]
    pub coupon: String,
    /// The CSV file to write (replaced only once the export is complete).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub channel: Option<String>,
    #[arg(long)]
    pub batch: Option<i64>,
    /// unclaimed, valid, inactive, used, expired or pending.
    #[arg(long)]
    pub status: Option<String>,
    /// Start the file with a UTF-8 byte-order mark, so that Excel reads it right.
    #[arg(long)]
    pub excel: bool,
}

#[derive(Debug, Subcommand)]
pub enum PlatformCommand {
    /// Connects a store to its platform. Secrets never come from the command line: for the
    /// sellerdesk platform the app secret and the access token are read from the environment
    /// (SELLERDESK_APP_SECRET, SELLERDESK_ACCESS_TOKEN) or else from standard input, one per
    /// line; for Medusa the secret API key from SELLERDESK_API_KEY or standard input, and it is
    /// checked against the server first; for AliExpress the app secret, then the authorization
    /// code (SELLERDESK_APP_SECRET, SELLERDESK_AUTH_CODE, or two lines of standard input), and the
    /// code is exchanged for the seller's tokens. They are kept in the system keyring.
    Connect(ConnectArgs),
    /// Prints the page where the seller authorizes the app (AliExpress): the seller opens it,
    /// consents, and AliExpress sends the browser to the app's registered callback with the code
    /// that `platform connect` takes.
    Authorize(AuthorizeArgs),
}

#[derive(Debug, Args)]
pub struct AuthorizeArgs {
    #[arg(long)]
    pub store: String,
    /// The kind of platform; only aliexpress asks for an authorization.
    #[arg(long, value_parser = parse_platform)]
    pub platform: PlatformKind,
    /// The app key AliExpress gave the app.
    #[arg(long)]
    pub app_key: String,
    /// The callback URL registered for the app, where AliExpress sends the code.
    #[arg(long, value_name = "URL")]
    pub redirect_uri: String,
    /// The gateway, when it is not AliExpress's own (https://api-sg.aliexpress.com).
    // The comment is also the option's help, where a bare address reads best.
    #[allow(rustdoc::bare_urls)]
    #[arg(long)]
    pub url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ConnectArgs {
    #[arg(long)]
    pub store: String,
    /// The kind of platform: sellerdesk (the Seller Desk platform API and its sandbox), medusa,
    /// or aliexpress.
    #[arg(long, default_value = "sellerdesk", value_parser = parse_platform)]
    pub platform: PlatformKind,
    /// The platform's address, such as https://open.example.com (AliExpress: its own gateway
    /// unless given).
    // The comment is also the option's help, where a bare address reads best.
    #[allow(rustdoc::bare_urls)]
    #[arg(long)]
    pub url: Option<String>,
    /// The app key (the sellerdesk platform and AliExpress).
    #[arg(long)]
    pub app_key: Option<String>,
}

fn parse_platform(text: &str) -> Result<PlatformKind, String> {
    PlatformKind::parse(text).ok_or_else(|| {
        let known: Vec<&str> = PlatformKind::ALL.iter().map(|kind| kind.as_str()).collect();
        format!("unknown platform {text:?}; one of: {}", known.join(", "))
    })
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Shows, per store: online or not, pending changes, last sync, errors, refused changes and
    /// codes to withdraw.
    Status {
        #[arg(long)]
        store: Option<String>,
    },
    /// Sends a change the platform refused again with the next sync, once what refused it has
    /// changed there (a stop, a title, the codes of a batch that did not go up); `sync status`
    /// lists refused changes with their numbers.
    Retry {
        #[arg(long)]
        store: String,
        /// The refused change's number, as `sync status` shows it.
        #[arg(long)]
        change: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum RefundCommand {
    /// Show what a refund gives back, line by line, and what becomes of each coupon.
    Preview(RefundPreviewArgs),
    /// Lists a store's refund requests from buyers (fetched by `sellerdesk sync`).
    List {
        #[arg(long)]
        store: String,
    },
    /// Approves a buyer's refund request; the next sync takes the decision to the platform.
    Approve(RefundRequestArgs),
    /// Refuses a buyer's refund request; the next sync takes the decision to the platform.
    Refuse(RefuseArgs),
}

#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Per channel: codes generated, exported and in each buyer-side status, the redemption
    /// rate, and redemptions per UTC day (as of the last `sellerdesk sync`).
    Results {
        #[arg(long)]
        store: String,
        /// Only this coupon's codes [default: every coupon of the store].
        #[arg(long)]
        coupon: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct RefundPreviewArgs {
    /// The payment and the refund to preview, as JSON (see docs/rules.md); `-` reads stdin.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "request",
        conflicts_with_all = ["request", "store"]
    )]
    pub input: Option<String>,
    /// A buyer's refund request fetched from the platform (with the store it was made to).
    #[arg(long, value_name = "ID", requires = "store")]
    pub request: Option<String>,
    /// The store the refund request was made to: request ids are the platform's, and two
    /// stores may each have a request of the same id.
    #[arg(long, value_name = "STORE", requires = "request")]
    pub store: Option<String>,
}

/// A buyer's refund request, named by its store and its id.
#[derive(Debug, Args)]
pub struct RefundRequestArgs {
    #[arg(long)]
    pub store: String,
    #[arg(long)]
    pub request: String,
}

#[derive(Debug, Args)]
pub struct RefuseArgs {
    #[command(flatten)]
    pub named: RefundRequestArgs,
    /// Why, in the seller's words; the platform shows it to the buyer (AliExpress asks for one).
    #[arg(long)]
    pub reason: Option<String>,
}

/// Where the input comes from.
#[derive(Debug, PartialEq, Eq)]
pub enum InputSource {
    Stdin,
    File(PathBuf),
}

impl InputSource {
    pub fn from_argument(argument: &str) -> InputSource {
        if argument == "-" {
            InputSource::Stdin
        } else {
            InputSource::File(PathBuf::from(argument))
        }
    }
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
}

impl OutputFormat {
    pub fn from_json_flag(json: bool) -> OutputFormat {
        if json { OutputFormat::Json } else { OutputFormat::Human }
    }
}
