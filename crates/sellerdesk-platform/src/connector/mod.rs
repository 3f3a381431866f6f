//! The connector seam: which kind of platform a store is connected to, what that platform can do,
//! and one [`Connector`] that the sync engine calls whatever the kind. Each kind is one module:
//! `sellerdesk` (the API of `docs/platform-api.md`, spoken by the bundled sandbox, over
//! [`crate::client::PlatformClient`]), `medusa` (a Medusa 2 server's Admin API) and `aliexpress`
//! (the AliExpress Open Platform, as far as its public API goes). Adding a kind
//! is a new module, a variant of [`PlatformKind`], [`StoreConnection`] and [`Connector`], and its
//! list of capabilities.

pub mod aliexpress;
pub mod medusa;

use serde::{Deserialize, Serialize};

use crate::api::{
    ChangesPage, ChangesRequest, CodeChange, CouponChange, CouponTerms, CreateCouponRequest,
    CreateCouponResult, DecideRefundRequest, DecideRefundResult, RefundRequestChange,
    RetitleCouponRequest, RetitleCouponResult, StopCouponRequest, StopCouponResult,
    UploadCodesRequest, UploadCodesResult,
};
use crate::client::{ClientError, PlatformClient, PlatformCredentials};
use crate::platform_api::{CallError, CodeBatchContext, PlatformApi};

/// Writes the kinds once: the enum, [`PlatformKind::ALL`], their names and what each can do.
macro_rules! platform_kinds {
    ($($variant:ident => $name:literal, $shown:literal, [$($capability:ident),*];)*) => {
        /// The kind of platform a store is connected to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum PlatformKind {
            $($variant,)*
        }

        impl PlatformKind {
            pub const ALL: &[PlatformKind] = &[$(PlatformKind::$variant,)*];

            /// The name in settings, the keyring and on the command line (`--platform`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(PlatformKind::$variant => $name,)*
                }
            }

            /// The name a seller knows the platform by.
            pub fn shown_name(self) -> &'static str {
                match self {
                    $(PlatformKind::$variant => $shown,)*
                }
            }

            /// What the platform lets Seller Desk do, as its public API allows.
            pub fn capabilities(self) -> &'static [Capability] {
                match self {
                    $(PlatformKind::$variant => &[$(Capability::$capability),*],)*
                }
            }
        }
    };
}

platform_kinds! {
    Sellerdesk => "sellerdesk", "the Seller Desk platform API", [
        CreateCoupon, StopCoupon, UpdateCouponTitle, UploadCodes, PullCoupons, PullCodeStatuses,
        PullRefundRequests, AnswerRefundRequests
    ];
    Medusa => "medusa", "Medusa", [
        CreateCoupon, StopCoupon, UpdateCouponTitle, UploadCodes, PullCoupons, PullCodeStatuses,
        PullRefundRequests, AnswerRefundRequests
    ];
    Aliexpress => "aliexpress", "AliExpress", [
        PullCoupons, PullRefundRequests, AnswerRefundRequests
    ];
}

/// Logs one HTTP call of a connector, at debug level: what it called, how long it took and its
/// outcome's class, never what was sent or answered (they hold keys and tokens).
pub(crate) fn log_http_call(
    kind: PlatformKind,
    call: &str,
    started: std::time::Instant,
    outcome: &str,
) {
    let duration_ms = started.elapsed().as_millis();
    tracing::debug!(platform = kind.as_str(), call, duration_ms, outcome, "platform HTTP call");
}

impl PlatformKind {
    /// The rules of `docs/rules.md` the platform does not enforce for buyers, each with what
    /// happens instead: said to the seller when connecting, never silently dropped.
    pub fn unenforced_rules(self) -> &'static [(&'static str, &'static str)] {
        match self {
            PlatformKind::Sellerdesk | PlatformKind::Aliexpress => &[],
            PlatformKind::Medusa => &[
                (
                    "APPLY-1",
                    "a buyer can put two codes of one coupon on one order; Medusa takes both off",
                ),
                (
                    "APPLY-3",
                    "Medusa spreads the discount over every line, sale-priced ones included",
                ),
                (
                    "CREATE-4",
                    "one coupon per buyer account: Medusa has no per-buyer limit; each code is \
                     single-use, but a buyer with two codes can use both, and codes can be passed on",
                ),
                (
                    "CODES-4",
                    "Medusa compares codes exactly: buyers must type a code as exported (same \
                     letters, same dashes)",
                ),
            ],
        }
    }

    /// The most codes sent in one upload call (a chunk, whose progress is kept once the platform
    /// has it). Medusa makes one promotion per code, about 13 a second: smaller chunks keep the
    /// progress a seller sees moving, and lose less to a killed sync.
    pub fn codes_per_upload(self) -> usize {
        match self {
            PlatformKind::Sellerdesk | PlatformKind::Aliexpress => {
                crate::api::MAXIMUM_CODES_PER_UPLOAD
            }
            PlatformKind::Medusa => 200,
        }
    }

    /// Whether a coupon made on the desk is kept as a draft for the seller to enter on the
    /// platform by hand: its API creates no coupon, but brings coupons down (the draft becomes
    /// the platform's coupon when it comes down with its terms).
    pub fn drafts_coupons(self) -> bool {
        !self.can(Capability::CreateCoupon) && self.can(Capability::PullCoupons)
    }

    /// Whether the platform refuses a refusal that gives the buyer no reason (AliExpress saves it
    /// as a seller solution, whose context is required).
    pub fn asks_refusal_reason(self) -> bool {
        match self {
            PlatformKind::Aliexpress => true,
            PlatformKind::Sellerdesk | PlatformKind::Medusa => false,
        }
    }

    /// What to enter on the platform by hand for a drafted coupon, where.
    pub fn coupon_entry(self, terms: &CouponTerms) -> Option<Result<CouponEntry, String>> {
        match self {
            PlatformKind::Aliexpress => Some(aliexpress::coupon_entry(terms)),
            PlatformKind::Sellerdesk | PlatformKind::Medusa => None,
        }
    }

    pub fn parse(text: &str) -> Option<PlatformKind> {
        PlatformKind::ALL.iter().copied().find(|kind| kind.as_str() == text.trim())
    }

    pub fn can(self, capability: Capability) -> bool {
        self.capabilities().contains(&capability)
    }
}

impl PlatformKind {
    /// The refusal of a method whose capability the kind does not declare: the sync engine and
    /// the facade never call it, and a caller that does hears why, in the platform's name.
    pub(crate) fn not_declared(self, capability: Capability) -> CallError {
        CallError::Rejected {
            status: 400,
            code: "not_supported".into(),
            message: format!(
                "{} has no way to {} through its API",
                self.shown_name(),
                capability.described()
            ),
        }
    }
}

/// A coupon to enter on a platform by hand: where, and each field with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponEntry {
    pub link: &'static str,
    pub fields: Vec<(&'static str, String)>,
}

/// Something a platform may or may not let Seller Desk do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    /// Submit a new seller coupon.
    CreateCoupon,
    /// Stop a coupon early.
    StopCoupon,
    /// Change a submitted coupon's title.
    UpdateCouponTitle,
    /// Register a batch of codes for buyers to redeem.
    UploadCodes,
    /// Bring the store's coupons, as the platform has them, down.
    PullCoupons,
    /// Bring the buyer-side status of codes (claimed, used) down.
    PullCodeStatuses,
    /// Bring buyers' refund requests (with their orders) down.
    PullRefundRequests,
    /// Approve or refuse a refund request on the platform.
    AnswerRefundRequests,
}

impl Capability {
    pub const ALL: [Capability; 8] = [
        Capability::CreateCoupon,
        Capability::StopCoupon,
        Capability::UpdateCouponTitle,
        Capability::UploadCodes,
        Capability::PullCoupons,
        Capability::PullCodeStatuses,
        Capability::PullRefundRequests,
        Capability::AnswerRefundRequests,
    ];

    /// Its name where a front end reads it (`stop_coupon`).
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::CreateCoupon => "create_coupon",
            Capability::StopCoupon => "stop_coupon",
            Capability::UpdateCouponTitle => "update_coupon_title",
            Capability::UploadCodes => "upload_codes",
            Capability::PullCoupons => "pull_coupons",
            Capability::PullCodeStatuses => "pull_code_statuses",
            Capability::PullRefundRequests => "pull_refund_requests",
            Capability::AnswerRefundRequests => "answer_refund_requests",
        }
    }

    /// What the seller wanted to do, in words.
    pub fn described(self) -> &'static str {
        match self {
            Capability::CreateCoupon => "create a coupon",
            Capability::StopCoupon => "stop a coupon",
            Capability::UpdateCouponTitle => "change a coupon's title",
            Capability::UploadCodes => "register codes",
            Capability::PullCoupons => "bring coupons down",
            Capability::PullCodeStatuses => "bring code statuses down",
            Capability::PullRefundRequests => "bring refund requests down",
            Capability::AnswerRefundRequests => "answer refund requests",
        }
    }
}

/// How a store is connected: its platform's kind and what signing in to it takes. Kept in the
/// system keyring as JSON tagged with `platform`; `Debug` never shows a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "platform", rename_all = "lowercase")]
pub enum StoreConnection {
    Sellerdesk(#[serde(with = "sellerdesk_credentials")] PlatformCredentials),
    Medusa(medusa::MedusaCredentials),
    Aliexpress(aliexpress::auth::AliexpressCredentials),
}

impl StoreConnection {
    pub fn kind(&self) -> PlatformKind {
        match self {
            StoreConnection::Sellerdesk(_) => PlatformKind::Sellerdesk,
            StoreConnection::Medusa(_) => PlatformKind::Medusa,
            StoreConnection::Aliexpress(_) => PlatformKind::Aliexpress,
        }
    }

    /// The platform's address.
    pub fn base_url(&self) -> &str {
        match self {
            StoreConnection::Sellerdesk(credentials) => &credentials.base_url,
            StoreConnection::Medusa(credentials) => &credentials.base_url,
            StoreConnection::Aliexpress(credentials) => &credentials.base_url,
        }
    }

    /// Reads a keyring item: tagged with its platform, or (written before there were kinds) the
    /// Seller Desk API's credentials alone.
    pub fn from_keyring_text(text: &str) -> Option<StoreConnection> {
        serde_json::from_str(text).ok().or_else(|| {
            let untagged: SellerdeskItem = serde_json::from_str(text).ok()?;
            Some(StoreConnection::Sellerdesk(untagged.into()))
        })
    }
}

/// The Seller Desk API's credentials as a keyring item holds them.
#[derive(Serialize, Deserialize)]
struct SellerdeskItem {
    base_url: String,
    app_key: String,
    app_secret: String,
    access_token: String,
}

impl From<SellerdeskItem> for PlatformCredentials {
    fn from(item: SellerdeskItem) -> PlatformCredentials {
        PlatformCredentials {
            base_url: item.base_url,
            app_key: item.app_key,
            app_secret: item.app_secret,
            access_token: item.access_token,
        }
    }
}

mod sellerdesk_credentials {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::SellerdeskItem;
    use crate::client::PlatformCredentials;

    pub fn serialize<S: Serializer>(
        credentials: &PlatformCredentials,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        SellerdeskItem {
            base_url: credentials.base_url.clone(),
            app_key: credentials.app_key.clone(),
            app_secret: credentials.app_secret.clone(),
            access_token: credentials.access_token.clone(),
        }
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<PlatformCredentials, D::Error> {
        SellerdeskItem::deserialize(deserializer).map(PlatformCredentials::from)
    }
}

/// A store's platform, whatever its kind: the sync engine calls this.
#[derive(Debug)]
pub enum Connector {
    Sellerdesk(PlatformClient),
    Medusa(medusa::MedusaConnector),
    Aliexpress(aliexpress::AliexpressConnector),
}

impl Connector {
    pub fn open(connection: &StoreConnection) -> Result<Connector, ClientError> {
        Ok(match connection {
            StoreConnection::Sellerdesk(credentials) => {
                Connector::Sellerdesk(PlatformClient::new(credentials.clone())?)
            }
            StoreConnection::Medusa(credentials) => {
                Connector::Medusa(medusa::MedusaConnector::new(credentials.clone())?)
            }
            StoreConnection::Aliexpress(credentials) => {
                Connector::Aliexpress(aliexpress::AliexpressConnector::new(credentials.clone())?)
            }
        })
    }

    /// The store's connection as it is now, when the connector renewed what it holds (an
    /// AliExpress token refreshed during a sync): the keyring keeps it for the next sync.
    pub fn renewed_connection(&self, before: &StoreConnection) -> Option<StoreConnection> {
        match self {
            Connector::Aliexpress(connector) => {
                let now = StoreConnection::Aliexpress(connector.credentials());
                (now != *before).then_some(now)
            }
            Connector::Sellerdesk(_) | Connector::Medusa(_) => None,
        }
    }

    pub fn kind(&self) -> PlatformKind {
        match self {
            Connector::Sellerdesk(_) => PlatformKind::Sellerdesk,
            Connector::Medusa(_) => PlatformKind::Medusa,
            Connector::Aliexpress(_) => PlatformKind::Aliexpress,
        }
    }
}

/// One arm per kind, for every method of the seam.
macro_rules! dispatch {
    ($self:ident, $platform:ident => $call:expr) => {
        match $self {
            Connector::Sellerdesk($platform) => $call.await,
            Connector::Medusa($platform) => $call.await,
            Connector::Aliexpress($platform) => $call.await,
        }
    };
}

impl PlatformApi for Connector {
    fn kind(&self) -> PlatformKind {
        Connector::kind(self)
    }

    async fn create_coupon(
        &self,
        request: &CreateCouponRequest,
    ) -> Result<CreateCouponResult, CallError> {
        dispatch!(self, platform => platform.create_coupon(request))
    }

    async fn retitle_coupon(
        &self,
        request: &RetitleCouponRequest,
    ) -> Result<RetitleCouponResult, CallError> {
        dispatch!(self, platform => platform.retitle_coupon(request))
    }

    async fn stop_coupon(
        &self,
        request: &StopCouponRequest,
    ) -> Result<StopCouponResult, CallError> {
        dispatch!(self, platform => platform.stop_coupon(request))
    }

    async fn upload_codes(
        &self,
        request: &UploadCodesRequest,
        batch: &CodeBatchContext<'_>,
    ) -> Result<UploadCodesResult, CallError> {
        dispatch!(self, platform => platform.upload_codes(request, batch))
    }

    async fn decide_refund(
        &self,
        request: &DecideRefundRequest,
    ) -> Result<DecideRefundResult, CallError> {
        dispatch!(self, platform => platform.decide_refund(request))
    }

    async fn coupon_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<CouponChange>, CallError> {
        dispatch!(self, platform => platform.coupon_changes(request))
    }

    async fn code_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<CodeChange>, CallError> {
        dispatch!(self, platform => platform.code_changes(request))
    }

    async fn refund_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<RefundRequestChange>, CallError> {
        dispatch!(self, platform => platform.refund_changes(request))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn kinds_read_back_by_name() {
        for kind in PlatformKind::ALL {
            assert_eq!(PlatformKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(PlatformKind::parse("shopify"), None);
    }

    #[test]
    fn keyring_items_read_back_whether_tagged_or_written_before_kinds() {
        let credentials = PlatformCredentials {
            base_url: "http://127.0.0.1:8700".into(),
            app_key: "k".into(),
            app_secret: "s".into(),
            access_token: "t".into(),
        };
        let connection = StoreConnection::Sellerdesk(credentials.clone());
        let text = serde_json::to_string(&connection).unwrap();
        assert!(text.contains(r#""platform":"sellerdesk""#), "{text}");
        assert_eq!(StoreConnection::from_keyring_text(&text), Some(connection.clone()));
        let before_kinds = r#"{"base_url":"http://127.0.0.1:8700","app_key":"k","app_secret":"s","access_token":"t"}"#;
        assert_eq!(StoreConnection::from_keyring_text(before_kinds), Some(connection));
        let medusa = StoreConnection::Medusa(medusa::MedusaCredentials {
            base_url: "http://127.0.0.1:9000".into(),
            api_key: "sk_1".into(),
        });
        let text = serde_json::to_string(&medusa).unwrap();
        assert_eq!(StoreConnection::from_keyring_text(&text), Some(medusa));
        assert_eq!(StoreConnection::from_keyring_text("not json"), None);
    }
}
