//! What the facade hands back to front ends: plain data, money as decimal strings, times as
//! RFC 3339 UTC strings. Serializing one of these gives the CLI's `--json` output.

use std::collections::BTreeMap;

use sellerdesk_core::InputError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct StoreView {
    pub store_id: String,
    pub name: String,
    pub currency: String,
    pub created_at: String,
    /// The platform the store is connected to; `None` before it is (or when the keyring is out
    /// of reach): every action is offered, and changes wait for a platform.
    pub platform: Option<StorePlatformView>,
}

/// The platform a store is connected to, and what it lets Seller Desk do there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct StorePlatformView {
    /// `sellerdesk`, `medusa` or `aliexpress`.
    pub kind: String,
    /// As sellers know it.
    pub name: String,
    /// What its API lets Seller Desk do: `create_coupon`, `stop_coupon`, `update_coupon_title`,
    /// `upload_codes`, `pull_coupons`, `pull_code_statuses`, `pull_refund_requests`,
    /// `answer_refund_requests`.
    pub capabilities: Vec<String>,
}

/// How many codes of a coupon are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CodeCountsView {
    pub generated: u64,
    pub exported: u64,
    pub claimed: u64,
    pub valid: u64,
    pub inactive: u64,
    pub used: u64,
    pub expired: u64,
    /// The legacy status, counted apart.
    pub pending: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CouponView {
    pub coupon_id: String,
    pub store_id: String,
    pub title: String,
    pub currency: String,
    pub discount: String,
    pub min_purchase: String,
    pub valid_from: String,
    pub valid_to: String,
    pub quantity: u32,
    /// Always 1: one per buyer account.
    pub limit_per_buyer: u32,
    /// draft, pending, published, rejected or stopped.
    pub state: String,
    pub rejection_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub codes: CodeCountsView,
    /// How many buyers claimed the coupon on its platform, where the platform counts claims of
    /// the coupon itself rather than of codes (AliExpress); `None` where it does not.
    pub claimed_on_platform: Option<u64>,
    /// How many codes the platform held for the coupon at the last sync, made on every desk of
    /// the store; `None` where the platform does not say.
    pub codes_on_platform: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CouponListView {
    pub store_id: String,
    /// How many coupons the store has (`coupons` may hold only the first of them).
    pub total: u64,
    pub coupons: Vec<CouponView>,
    /// How many coupons are in each local state (every state listed, zeros included).
    pub state_counts: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CodeFormatView {
    pub length: u32,
    pub prefix: String,
    pub suffix: String,
    pub group: Option<u32>,
    pub alphabet: String,
    pub check_character: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CodeBatchView {
    pub batch_id: i64,
    pub store_id: String,
    pub coupon_id: String,
    pub channel: Option<String>,
    pub code_count: u64,
    pub format: CodeFormatView,
    pub created_at: String,
    pub first_exported_at: Option<String>,
    /// How many generated codes collided with existing ones and were made again.
    pub regenerated_after_collision: u64,
    /// Whether the platform has the batch's codes, so that its buyers can redeem them.
    pub registration: BatchRegistrationView,
}

/// Where a batch of codes stands on the store's platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum BatchRegistrationView {
    /// The platform's API registers no codes: the batch is for the seller's own use, and the
    /// platform's buyers cannot redeem its codes there.
    NotRegistered,
    /// Waiting for the next sync, or going up: `uploaded` of the batch's codes are up so far.
    Uploading { uploaded: u64 },
    /// The platform has every code of the batch.
    Registered,
    /// The platform refused the batch, for `reason`: its codes that did not go up cannot be
    /// redeemed.
    Refused { uploaded: u64, reason: String },
}

/// What a batch of codes would look like before it is made (CODES-5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CodeSpaceView {
    /// The random part's length: the one asked for, or the shortest safe one.
    pub length: u32,
    pub alphabet_size: u32,
    /// How many different random parts there are, as a decimal string (it can exceed 2^64).
    pub code_space: String,
    /// The live codes sharing the code space once the batch is made.
    pub live_codes_after: u64,
    /// A random guess hits a live code with odds of 1 in this many, as a decimal string.
    pub guess_one_in: String,
    /// A code of this format, as it is printed.
    pub example: String,
    /// How many more codes the coupon takes (its quantity less the codes it has).
    pub codes_left: u64,
    /// Why such a batch would be refused, naming the rule; `None` when it is safe.
    pub problem: Option<RefusalView>,
}

/// A refusal a view carries (a problem found without failing the call), as a front end words it:
/// the rule, the way it was broken and the values its words name, beside the English line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RefusalView {
    /// The English line: `<field>: <what is wrong> [<RULE-ID>]`.
    pub message: String,
    pub field: String,
    pub rule: String,
    pub reason: Option<String>,
    pub params: BTreeMap<String, String>,
}

impl From<InputError> for RefusalView {
    fn from(error: InputError) -> RefusalView {
        let params = error.params_by_name();
        RefusalView {
            message: error.to_string(),
            field: error.field,
            rule: error.rule.as_str().to_owned(),
            reason: error.reason.map(|reason| reason.as_str().to_owned()),
            params,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CodeCheckView {
    /// The code as typed, normalised (upper case, no spaces or dashes).
    pub normalized: String,
    /// The code as it is printed, with its dashes.
    pub display: String,
    pub store_id: String,
    pub coupon_id: String,
    pub coupon_title: String,
    pub batch_id: i64,
    pub channel: Option<String>,
    /// The buyer-side status, or `unclaimed`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ExportView {
    pub export_id: i64,
    pub store_id: String,
    pub coupon_id: String,
    pub path: String,
    pub channel: Option<String>,
    pub batch_id: Option<i64>,
    pub status: Option<String>,
    pub excel_byte_order_mark: bool,
    pub rows: u64,
    /// Codes of the chosen batches left out because the platform refused them: they never went
    /// up, so no buyer could redeem them.
    pub left_out: u64,
    pub exported_at: String,
}

/// What to send with a problem report: the version, each store's platform and last sync, the
/// errors met, and the log's tail. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DiagnosticsView {
    pub text: String,
    /// The folder of the log files.
    pub log_folder: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ConnectionView {
    pub store_id: String,
    /// The platform's kind: `sellerdesk` or `medusa`.
    pub platform: String,
    pub base_url: String,
    /// The app key, for a platform that has one.
    pub app_key: Option<String>,
    /// Rules of `docs/rules.md` the platform does not enforce for buyers, as
    /// `RULE-ID: what happens instead`.
    pub unenforced_rules: Vec<String>,
}

/// A coupon to enter on its store's platform by hand, whose API cannot create it: where, and what
/// to type in each field. The coupon becomes the platform's when it comes down with its terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PlatformEntryView {
    /// The platform, as sellers know it.
    pub platform: String,
    /// Where to enter it.
    pub link: String,
    pub fields: Vec<EntryFieldView>,
}

/// One field to fill in on the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct EntryFieldView {
    pub label: String,
    pub value: String,
}

/// How far the upload of a batch of codes got during a sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct UploadProgressView {
    pub store_id: String,
    pub batch_id: i64,
    pub uploaded: u64,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SyncReportView {
    pub store_id: String,
    /// Local changes the platform applied.
    pub sent: u64,
    /// Local changes the platform refused (see `sync status` for the reasons).
    pub rejected: u64,
    pub codes_uploaded: u64,
    /// Codes of never-exported batches that were taken on the platform and made again.
    pub codes_regenerated: u64,
    /// Codes of exported batches that were taken on the platform: withdraw them.
    pub codes_to_withdraw: u64,
    pub coupons_pulled: u64,
    pub code_statuses_pulled: u64,
    pub refund_requests_pulled: u64,
    /// Local changes still waiting to reach the platform.
    pub pending_left: u64,
}

impl SyncReportView {
    /// Whether the sync changed what the local lists show: it sent, uploaded or regenerated
    /// something, had something refused, or brought something down.
    pub fn changed_local_data(&self) -> bool {
        let SyncReportView {
            store_id: _,
            sent,
            rejected,
            codes_uploaded,
            codes_regenerated,
            codes_to_withdraw,
            coupons_pulled,
            code_statuses_pulled,
            refund_requests_pulled,
            pending_left: _,
        } = self;
        [
            sent,
            rejected,
            codes_uploaded,
            codes_regenerated,
            codes_to_withdraw,
            coupons_pulled,
            code_statuses_pulled,
            refund_requests_pulled,
        ]
        .into_iter()
        .any(|count| *count > 0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RejectedChangeView {
    /// The change's number in the store's outbox, to send it again by.
    pub change_id: i64,
    /// What the change was, such as `create_coupon`.
    pub kind: String,
    /// What it was about, such as a coupon id.
    pub subject_id: String,
    /// The platform's refusal code, such as `rule_violation`.
    pub code: Option<String>,
    /// The platform's reason.
    pub reason: String,
    /// How the seller can correct it.
    pub correction: CorrectionView,
}

/// How a change the platform refused can be corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CorrectionView {
    /// Sent again as it is, once what refused it changed on the platform (a stop, a title, the
    /// codes of a batch that did not go up).
    SendAgain,
    /// A refused coupon is corrected by editing it, which sends it again.
    EditCoupon,
    /// Nothing to correct: a refund request is decided once.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct WithdrawnCodeView {
    pub code: String,
    pub coupon_id: String,
    pub batch_id: i64,
    pub reported_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SyncStatusView {
    pub store_id: String,
    /// Whether the store has platform credentials in the keyring.
    pub connected: bool,
    /// Whether the last attempt reached the platform.
    pub online: bool,
    pub pending_changes: u64,
    pub rejected_changes: u64,
    pub last_attempt_at: Option<String>,
    pub last_successful_sync: Option<String>,
    pub last_error: Option<String>,
    /// The changes the platform refused, with its reasons: correct and resubmit them.
    pub rejected: Vec<RejectedChangeView>,
    /// Codes already handed out that another seller holds on the platform: withdraw them.
    pub withdraw_codes: Vec<WithdrawnCodeView>,
    /// What the platform sent that this desk could not use, set aside so that its feed goes on.
    pub set_aside: Vec<SetAsideView>,
}

/// An item of the platform's feeds that this desk could not use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SetAsideView {
    /// `coupons`, `codes` or `refunds`.
    pub feed: String,
    /// What it is about: a coupon id, a code, a refund request id.
    pub item: String,
    pub reason: String,
    pub seen_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RefundRequestView {
    pub request_id: String,
    pub store_id: String,
    pub payment_id: String,
    pub order_id: String,
    /// units, whole order or amount.
    pub refund_kind: String,
    pub requested_at: String,
    /// approve or refuse, as the platform knows it.
    pub platform_decision: Option<String>,
    /// approve or refuse, as decided on this desk.
    pub seller_decision: Option<String>,
    /// pending, sent, or rejected with the platform's reason.
    pub decision_upload: Option<String>,
}
