//! A Medusa 2 server's Admin API (`docs/platforms/medusa.md`), as the sync engine's platform.
//!
//! What maps to what:
//! - a seller coupon is a **campaign** (`campaign_identifier` = the coupon's id, its name the
//!   title, `starts_at`/`ends_at` the validity window, a usage budget of `quantity` orders, its
//!   description stating the terms Medusa keeps on each promotion: discount, minimum, currency
//!   and the window as made); stopping it sets `ends_at`, which Medusa enforces for new carts at
//!   once. The coupons feed reads the campaigns back, so that a team of desks on one shop shares
//!   its coupons, their titles, their stops and how many codes each has on Medusa;
//! - each code of a batch is an active, single-use **promotion** of that campaign (its code as the
//!   seller's export shows it: Medusa compares codes exactly), a fixed amount off the order in the
//!   coupon's currency, with the rules `currency_code eq …` and `item_subtotal gt <minimum>` (the
//!   FAQ's "exceeds"). A code that already exists counts as done when it belongs to the same
//!   campaign (a resumed upload), and as taken otherwise;
//! - a code is **used** once an order carries an adjustment with it: the codes feed reads orders
//!   by `updated_at` (Medusa's own counters miss orders completed after a campaign ended, and
//!   forget a deleted promotion; the adjustments keep the code).
//!
//! Medusa authenticates a secret API key with HTTP Basic (`sk_…` as the user, no password).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::Url;
use reqwest::header::CONTENT_TYPE;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sellerdesk_core::contract::{
    CouponInput, IssuerKind, LineInput, OrderInput, RecordedShareInput, RefundInput,
    RefundLineInput, RefundPreviewInput,
};
use sellerdesk_core::money::{Currency, Money};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tokio::task::JoinSet;

use crate::api::{
    ChangesPage, ChangesRequest, CodeChange, CouponChange, CouponTerms, CreateCouponRequest,
    CreateCouponResult, DecideRefundRequest, DecideRefundResult, Decision, RefundRequestChange,
    RetitleCouponRequest, RetitleCouponResult, StopCouponRequest, StopCouponResult, UnusableItem,
    UploadCodesRequest, UploadCodesResult,
};
use crate::client::{
    ClientError, ClientTimeouts, describe_transport_error, http_client, is_json, parse_json, quote,
    read_answer, usable_base_url,
};
use crate::connector::PlatformKind;
use crate::platform_api::{CallError, CodeBatchContext, PlatformApi};

/// How many promotions are created at once while a batch goes up. Medusa answers each in about
/// 100 ms on two cores; more in flight than this only queues them in its event loop.
pub const PARALLEL_PROMOTIONS: usize = 8;

/// The most orders asked for when no page size is given.
const LARGEST_PAGE: u32 = 100;

/// The most orders read per page of the codes feed (each carries its lines and adjustments).
const LARGEST_ORDERS_PAGE: u32 = 200;

/// The most returns read per page of the refund requests feed (each read with its order).
const LARGEST_RETURNS_PAGE: u32 = 50;

/// What is read of a return.
const RETURN_FIELDS: &str = "id,status,order_id,location_id,requested_at,received_at,canceled_at,updated_at,*items,\
     fulfillments.id";

/// Codes looked up per request: Medusa refuses a request line over 16 KB.
const CODES_PER_LOOKUP: usize = 200;

/// Campaigns a page of the coupons feed reads.
const LARGEST_CAMPAIGNS_PAGE: u32 = 100;

/// How a campaign's description starts when Seller Desk made it; the coupon's id and terms follow
/// ([`campaign_description`]).
const DESCRIPTION_PREFIX: &str = "Seller Desk coupon ";

/// What Seller Desk writes in its campaign's description: the terms Medusa keeps only on each
/// promotion (or nowhere: the window as made, which tells a stopped campaign), for people
/// reading Medusa's admin and for the coupons feed ([`described_terms`]).
fn campaign_description(coupon: &CouponTerms) -> String {
    format!(
        "{DESCRIPTION_PREFIX}{}: {} {} off above {} {}, valid {} to {}",
        coupon.coupon_id,
        coupon.discount,
        coupon.currency,
        coupon.min_purchase,
        coupon.currency,
        coupon.valid_from,
        coupon.valid_to
    )
}

/// The terms a campaign's description states ([`campaign_description`]); `None` for a campaign
/// Seller Desk did not make. Campaigns made before the window was written state none.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DescribedTerms {
    discount: String,
    currency: String,
    min_purchase: String,
    valid_to: Option<String>,
}

fn described_terms(coupon_id: &str, description: &str) -> Option<DescribedTerms> {
    let rest = description.strip_prefix(DESCRIPTION_PREFIX)?.strip_prefix(coupon_id)?;
    let rest = rest.strip_prefix(": ")?;
    let (terms, window) = match rest.split_once(", valid ") {
        Some((terms, window)) => (terms, Some(window)),
        None => (rest, None),
    };
    let words: Vec<&str> = terms.split(' ').collect();
    let [discount, currency, "off", "above", min_purchase, again] = words.as_slice() else {
        return None;
    };
    if currency != again {
        return None;
    }
    let valid_to = match window {
        Some(window) => Some(window.split_once(" to ")?.1.to_owned()),
        None => None,
    };
    Some(DescribedTerms {
        discount: (*discount).to_owned(),
        currency: (*currency).to_owned(),
        min_purchase: (*min_purchase).to_owned(),
        valid_to,
    })
}

/// What signing in to a Medusa server takes. `Debug` never shows the key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedusaCredentials {
    /// The server's address, such as `https://shop.example.com` or `http://127.0.0.1:9000`.
    pub base_url: String,
    /// A secret API key (`sk_…`) made in Medusa's admin.
    pub api_key: String,
}

impl fmt::Debug for MedusaCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MedusaCredentials")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .finish()
    }
}

/// A Medusa server, for one store.
pub struct MedusaConnector {
    http: reqwest::Client,
    base: Url,
    credentials: MedusaCredentials,
    /// Campaign ids by coupon id, as found or made.
    campaigns: Mutex<HashMap<String, String>>,
    /// The id of the store the key administers, once read.
    store_id: Mutex<Option<String>>,
}

impl fmt::Debug for MedusaConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MedusaConnector")
            .field("base", &self.base.as_str())
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// One HTTP call's shape, for [`Calls::call`].
#[derive(Clone)]
struct Calls {
    http: reqwest::Client,
    base: Url,
    api_key: Arc<str>,
}

impl MedusaConnector {
    pub fn new(credentials: MedusaCredentials) -> Result<MedusaConnector, ClientError> {
        let base = usable_base_url(&credentials.base_url)?;
        let http = http_client(ClientTimeouts::default())?;
        Ok(MedusaConnector {
            http,
            base,
            credentials,
            campaigns: Mutex::new(HashMap::new()),
            store_id: Mutex::new(None),
        })
    }

    fn calls(&self) -> Calls {
        Calls {
            http: self.http.clone(),
            base: self.base.clone(),
            api_key: Arc::from(self.credentials.api_key.as_str()),
        }
    }

    /// Checks the key against the server: the store it administers, with its currencies.
    pub async fn check_key(&self) -> Result<MedusaStore, CallError> {
        let query = [("limit", "1"), ("fields", "id,name,*supported_currencies")];
        let answer: StoresAnswer =
            self.calls().call(reqwest::Method::GET, "/admin/stores", &query, NO_BODY).await?;
        answer.stores.into_iter().next().ok_or_else(|| {
            CallError::bad_response("GET /admin/stores", "the server administers no store")
        })
    }

    /// The campaign of `coupon_id`, if Medusa has one (`campaign_identifier` is unique there).
    async fn find_campaign(&self, coupon_id: &str) -> Result<Option<String>, CallError> {
        if let Some(found) =
            self.campaigns.lock().unwrap_or_else(PoisonError::into_inner).get(coupon_id)
        {
            return Ok(Some(found.clone()));
        }
        let query = [("campaign_identifier", coupon_id), ("fields", "id,campaign_identifier")];
        let page: CampaignsAnswer =
            self.calls().call(reqwest::Method::GET, "/admin/campaigns", &query, NO_BODY).await?;
        let found = page
            .campaigns
            .into_iter()
            .find(|campaign| campaign.campaign_identifier.as_deref() == Some(coupon_id))
            .map(|campaign| campaign.id);
        if let Some(id) = &found {
            self.campaigns
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(coupon_id.to_owned(), id.clone());
        }
        Ok(found)
    }

    /// One page of a Medusa list (`path`, its items under `key`) read by `updated_at` from the
    /// request's cursor, with the cursor after it.
    async fn feed_page<T: DeserializeOwned + UpdatedAt>(
        &self,
        path: &str,
        key: &str,
        fields: &str,
        request: &ChangesRequest,
        largest: u32,
    ) -> Result<FeedPage<T>, CallError> {
        let cursor = FeedCursor::parse(request.cursor.as_deref())?;
        let limit = request.limit.unwrap_or(LARGEST_PAGE).clamp(1, largest);
        let limit_text = limit.to_string();
        let offset_text = cursor.seen_at_time.to_string();
        let mut query = vec![
            ("limit", limit_text.as_str()),
            ("offset", offset_text.as_str()),
            ("order", "updated_at"),
            ("fields", fields),
        ];
        if let Some(time) = &cursor.time {
            query.push(("updated_at[$gte]", time.as_str()));
        }
        let mut answer: serde_json::Value =
            self.calls().call(reqwest::Method::GET, path, &query, NO_BODY).await?;
        let items: Vec<T> = serde_json::from_value(answer[key].take()).map_err(|error| {
            CallError::bad_response(&format!("GET {path}"), format!("its {key}: {error}"))
        })?;
        let mut next = cursor;
        for item in &items {
            if next.time.as_deref() == Some(item.updated_at()) {
                next.seen_at_time += 1;
            } else {
                next = FeedCursor { time: Some(item.updated_at().to_owned()), seen_at_time: 1 };
            }
        }
        let has_more = items.len() as u64 == u64::from(limit);
        Ok(FeedPage { items, next, has_more })
    }

    /// The coupon (campaign identifier) of each code Medusa still has, by code. Codes of
    /// promotions that are gone, or of campaigns not made by Seller Desk, are left out.
    async fn coupons_of_codes<'a>(
        &self,
        codes: impl Iterator<Item = &'a str>,
    ) -> Result<HashMap<String, String>, CallError> {
        let mut codes: Vec<&str> = codes.collect();
        codes.sort_unstable();
        codes.dedup();
        let mut coupons = HashMap::new();
        if codes.is_empty() {
            return Ok(coupons);
        }
        let calls = self.calls();
        // A few hundred codes a request: Medusa refuses a request line over 16 KB.
        for group in codes.chunks(CODES_PER_LOOKUP) {
            let limit = (group.len() * 2).to_string();
            let mut query = vec![("fields", "id,code,campaign_id"), ("limit", limit.as_str())];
            query.extend(group.iter().map(|code| ("code[]", *code)));
            let found: PromotionsAnswer =
                calls.call(reqwest::Method::GET, "/admin/promotions", &query, NO_BODY).await?;
            for promotion in found.promotions {
                let (Some(code), Some(campaign_id)) = (promotion.code, promotion.campaign_id)
                else {
                    continue;
                };
                if let Some(coupon_id) = self.coupon_of_campaign(&campaign_id).await? {
                    coupons.insert(code, coupon_id);
                }
            }
        }
        Ok(coupons)
    }

    /// The coupon id a campaign was made for, if Seller Desk made it.
    async fn coupon_of_campaign(&self, campaign_id: &str) -> Result<Option<String>, CallError> {
        let known = |campaigns: &HashMap<String, String>| {
            campaigns
                .iter()
                .find(|(_, id)| id.as_str() == campaign_id)
                .map(|(coupon_id, _)| coupon_id.clone())
        };
        if let Some(found) = known(&self.campaigns.lock().unwrap_or_else(PoisonError::into_inner)) {
            return Ok(Some(found));
        }
        let query = [("fields", "id,campaign_identifier")];
        let path = format!("/admin/campaigns/{campaign_id}");
        let found: Result<CampaignAnswer, CallError> =
            self.calls().call(reqwest::Method::GET, &path, &query, NO_BODY).await;
        let campaign = match found {
            Ok(answer) => answer.campaign,
            Err(CallError::Rejected { status: 404, .. }) => return Ok(None),
            Err(error) => return Err(error),
        };
        let mut campaigns = self.campaigns.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(identifier) = campaign.campaign_identifier {
            campaigns.insert(identifier, campaign.id);
        }
        Ok(known(&campaigns))
    }

    /// The coupon a campaign Seller Desk made stands for, or why the desk cannot use it. A live
    /// coupon comes with how many codes Medusa holds for it (one promotion each), which every
    /// desk counts against its quantity; an ended one needs no count (it takes no more codes).
    async fn coupon_of(
        &self,
        campaign: &CampaignRead,
        coupon_id: &str,
        described: DescribedTerms,
        now: jiff::Timestamp,
    ) -> Result<Result<CouponChange, String>, CallError> {
        let (Some(starts_at), Some(ends_at)) = (&campaign.starts_at, &campaign.ends_at) else {
            return Ok(Err("Medusa has no validity window for its campaign".into()));
        };
        let Some(quantity) = campaign.budget.as_ref().and_then(|budget| budget.limit) else {
            return Ok(Err("Medusa has no usage budget for its campaign".into()));
        };
        let Ok(quantity) = u32::try_from(quantity) else {
            return Ok(Err(format!("a usage budget of {quantity} is not a quantity")));
        };
        let ends: Option<jiff::Timestamp> = ends_at.parse().ok();
        let made_to: Option<jiff::Timestamp> =
            described.valid_to.as_deref().and_then(|text| text.parse().ok());
        // Stopping moves `ends_at` before the end the coupon was made with.
        let stopped = matches!((ends, made_to), (Some(ends), Some(made_to)) if ends < made_to);
        let live = ends.is_some_and(|ends| ends > now);
        let codes = if live { Some(self.codes_of_campaign(&campaign.id).await?) } else { None };
        Ok(Ok(CouponChange {
            terms: CouponTerms {
                coupon_id: coupon_id.to_owned(),
                title: campaign.name.clone().unwrap_or_default(),
                currency: described.currency,
                discount: described.discount,
                min_purchase: described.min_purchase,
                valid_from: starts_at.clone(),
                valid_to: ends_at.clone(),
                quantity,
            },
            state: if stopped { "stopped" } else { "published" }.into(),
            reason: None,
            claimed: None,
            codes,
        }))
    }

    /// How many promotions (codes) Medusa holds in a campaign.
    async fn codes_of_campaign(&self, campaign_id: &str) -> Result<u64, CallError> {
        let query = [("campaign_id", campaign_id), ("limit", "1"), ("fields", "id")];
        let answer: CountAnswer =
            self.calls().call(reqwest::Method::GET, "/admin/promotions", &query, NO_BODY).await?;
        Ok(answer.count)
    }

    /// Changes the campaign of `coupon_id` as `body` says (`what` names the change in a refusal).
    async fn update_campaign(
        &self,
        coupon_id: &str,
        what: &str,
        body: &serde_json::Value,
    ) -> Result<(), CallError> {
        let campaign = self.campaign_of(coupon_id, what).await?;
        let path = format!("/admin/campaigns/{campaign}");
        let _: CampaignAnswer =
            self.calls().call(reqwest::Method::POST, &path, &[], Some(body)).await?;
        Ok(())
    }

    async fn campaign_of(&self, coupon_id: &str, method: &str) -> Result<String, CallError> {
        self.find_campaign(coupon_id).await?.ok_or_else(|| CallError::Rejected {
            status: 404,
            code: "not_found".into(),
            message: format!("{method}: Medusa has no campaign for coupon {coupon_id}"),
        })
    }
}

impl PlatformApi for MedusaConnector {
    fn kind(&self) -> PlatformKind {
        PlatformKind::Medusa
    }

    async fn create_coupon(
        &self,
        request: &CreateCouponRequest,
    ) -> Result<CreateCouponResult, CallError> {
        let coupon = &request.coupon;
        // Made before (an answer lost, a sync killed): the campaign is there, nothing to do.
        if self.find_campaign(&coupon.coupon_id).await?.is_none() {
            let body = serde_json::json!({
                "name": coupon.title,
                "campaign_identifier": coupon.coupon_id,
                "description": campaign_description(coupon),
                "starts_at": coupon.valid_from,
                "ends_at": coupon.valid_to,
                "budget": { "type": "usage", "limit": coupon.quantity },
            });
            let answer: CampaignAnswer = self
                .calls()
                .call(reqwest::Method::POST, "/admin/campaigns", &[], Some(&body))
                .await?;
            self.campaigns
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(coupon.coupon_id.clone(), answer.campaign.id);
        }
        Ok(CreateCouponResult { coupon_id: coupon.coupon_id.clone(), state: "published".into() })
    }

    /// A coupon's title is its campaign's name.
    async fn retitle_coupon(
        &self,
        request: &RetitleCouponRequest,
    ) -> Result<RetitleCouponResult, CallError> {
        let body = serde_json::json!({ "name": request.title });
        self.update_campaign(&request.coupon_id, "changing a title", &body).await?;
        Ok(RetitleCouponResult::as_asked(request))
    }

    async fn stop_coupon(
        &self,
        request: &StopCouponRequest,
    ) -> Result<StopCouponResult, CallError> {
        let body = serde_json::json!({ "ends_at": request.stopped_at });
        self.update_campaign(&request.coupon_id, "stopping", &body).await?;
        Ok(StopCouponResult::as_asked(request))
    }

    async fn upload_codes(
        &self,
        request: &UploadCodesRequest,
        batch: &CodeBatchContext<'_>,
    ) -> Result<UploadCodesResult, CallError> {
        let campaign = self.campaign_of(&request.coupon_id, "uploading codes").await?;
        let coupon = batch.coupon;
        let currency = coupon.currency.to_ascii_lowercase();
        // Amounts go as the decimal numbers they are (Medusa reads major units), never floats.
        let discount: Box<RawValue> = RawValue::from_string(coupon.discount.clone())
            .map_err(|error| CallError::bad_response("uploading codes", error.to_string()))?;
        let calls = self.calls();
        let template =
            Arc::new((campaign.clone(), discount, currency, coupon.min_purchase.clone()));
        let mut tasks = JoinSet::new();
        let mut accepted = 0_u32;
        let mut taken = Vec::new();
        let mut first_error = None;
        let mut codes = request.codes.iter();
        loop {
            while tasks.len() < PARALLEL_PROMOTIONS && first_error.is_none() {
                let Some(code) = codes.next() else { break };
                let shown = batch.format.display(code);
                let calls = calls.clone();
                let code = code.clone();
                let template = Arc::clone(&template);
                tasks.spawn(async move {
                    let (campaign_id, discount, currency, min_purchase) = &*template;
                    let body = PromotionTemplate { campaign_id, discount, currency, min_purchase }
                        .promotion(shown);
                    let outcome = create_promotion(&calls, &body, campaign_id).await;
                    (code, outcome)
                });
            }
            let Some(joined) = tasks.join_next().await else { break };
            let (code, outcome) = joined
                .map_err(|error| CallError::bad_response("uploading codes", error.to_string()))?;
            match outcome {
                Ok(PromotionOutcome::Ours) => accepted += 1,
                Ok(PromotionOutcome::Taken) => taken.push(code),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        // The chunk is sent again whole after a failure; what went up counts as ours then.
        if let Some(error) = first_error {
            return Err(error);
        }
        Ok(UploadCodesResult { accepted, taken })
    }

    async fn decide_refund(
        &self,
        request: &DecideRefundRequest,
    ) -> Result<DecideRefundResult, CallError> {
        let calls = self.calls();
        let path = format!("/admin/returns/{}", request.request_id);
        let query = [("fields", RETURN_FIELDS)];
        let answer: ReturnAnswer = calls.call(reqwest::Method::GET, &path, &query, NO_BODY).await?;
        let found = answer.return_;
        let refused = |message: String| CallError::Rejected {
            status: 409,
            code: "rule_violation".into(),
            message,
        };
        let decided_at = match (request.decision, found.status.as_str()) {
            (Decision::Approve, "requested") => {
                self.receive(&found).await?;
                self.refund_what_is_owed(&found, &request.mutation_id).await?;
                now_text()
            }
            // Received before (a retried answer, or the seller on Medusa): what is owed goes back
            // once; a refund with this answer's note is not made again.
            (Decision::Approve, "received") => {
                self.refund_what_is_owed(&found, &request.mutation_id).await?;
                found.received_at.clone().unwrap_or_else(now_text)
            }
            (Decision::Refuse, "requested") => {
                for fulfillment in &found.fulfillments {
                    let path = format!("/admin/fulfillments/{}/cancel", fulfillment.id);
                    let _: serde_json::Value =
                        calls.call(reqwest::Method::POST, &path, &[], Some(&json_object())).await?;
                }
                let path = format!("/admin/returns/{}/cancel", found.id);
                let _: serde_json::Value =
                    calls.call(reqwest::Method::POST, &path, &[], Some(&json_object())).await?;
                now_text()
            }
            (Decision::Refuse, "canceled") => found.canceled_at.clone().unwrap_or_else(now_text),
            (_, status) => {
                return Err(refused(format!(
                    "return {} is {status} on Medusa: it was decided there",
                    found.id
                )));
            }
        };
        Ok(DecideRefundResult::as_asked(request, decided_at))
    }

    async fn coupon_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<CouponChange>, CallError> {
        // Medusa filters campaigns by nothing but their identifier: each sync reads them all, a
        // page at a time in the order they were made (the cursor is how many were read, and
        // comes back to the start after the last page). A campaign Seller Desk did not make is
        // not a coupon of the desk's and is passed over.
        let offset = match request.cursor.as_deref().filter(|cursor| !cursor.is_empty()) {
            None => 0,
            Some(cursor) => cursor.parse::<u64>().map_err(|_| CallError::Rejected {
                status: 400,
                code: "invalid_request".into(),
                message: format!("the coupons cursor {cursor:?} is not one of Seller Desk's"),
            })?,
        };
        let limit = request.limit.unwrap_or(LARGEST_PAGE).clamp(1, LARGEST_CAMPAIGNS_PAGE);
        let (limit_text, offset_text) = (limit.to_string(), offset.to_string());
        let query = [
            ("limit", limit_text.as_str()),
            ("offset", offset_text.as_str()),
            ("order", "created_at"),
            ("fields", "id,campaign_identifier,name,description,starts_at,ends_at,*budget"),
        ];
        let answer: CampaignPage =
            self.calls().call(reqwest::Method::GET, "/admin/campaigns", &query, NO_BODY).await?;
        let now = jiff::Timestamp::now();
        let mut items = Vec::new();
        let mut unusable = Vec::new();
        for campaign in &answer.campaigns {
            let Some(coupon_id) = campaign.campaign_identifier.as_deref() else { continue };
            let Some(described) =
                campaign.description.as_deref().and_then(|text| described_terms(coupon_id, text))
            else {
                continue;
            };
            self.campaigns
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(coupon_id.to_owned(), campaign.id.clone());
            match self.coupon_of(campaign, coupon_id, described, now).await? {
                Ok(change) => items.push(change),
                Err(reason) => unusable.push(UnusableItem { name: coupon_id.to_owned(), reason }),
            }
        }
        let read = offset + answer.campaigns.len() as u64;
        let has_more = !answer.campaigns.is_empty() && read < answer.count;
        Ok(ChangesPage {
            items,
            next_cursor: if has_more { read.to_string() } else { String::new() },
            has_more,
            unusable,
        })
    }

    async fn code_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<CodeChange>, CallError> {
        // A code is used once an order carries its adjustment: the adjustments keep the code even
        // when the promotion is deleted, and count uses that Medusa's own counters miss (an order
        // completed after its campaign ended). Orders are read by `updated_at`.
        let page: FeedPage<Order> = self
            .feed_page(
                "/admin/orders",
                "orders",
                "id,created_at,updated_at,*items,*items.adjustments",
                request,
                LARGEST_ORDERS_PAGE,
            )
            .await?;
        let mut used: Vec<(String, String)> = Vec::new();
        for order in &page.items {
            let mut codes: Vec<&str> = order
                .items
                .iter()
                .flat_map(|item| &item.adjustments)
                .filter_map(|adjustment| adjustment.code.as_deref())
                .collect();
            codes.sort_unstable();
            codes.dedup();
            let at = if order.created_at.is_empty() {
                order.updated_at.clone()
            } else {
                order.created_at.clone()
            };
            used.extend(codes.into_iter().map(|code| (code.to_owned(), at.clone())));
        }
        let coupons = self.coupons_of_codes(used.iter().map(|(code, _)| code.as_str())).await?;
        let items = used
            .into_iter()
            .filter_map(|(code, changed_at)| {
                let coupon_id = coupons.get(&code)?.clone();
                Some(CodeChange {
                    code: sellerdesk_core::codes::normalize_typed_code(&code),
                    coupon_id,
                    status: "used".into(),
                    changed_at,
                })
            })
            .collect();
        Ok(ChangesPage {
            items,
            next_cursor: page.next.to_string(),
            has_more: page.has_more,
            unusable: Vec::new(),
        })
    }

    async fn refund_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<RefundRequestChange>, CallError> {
        // A buyer's return (`POST /store/returns`) is a refund request; Medusa's returns are read
        // by `updated_at`, each previewed on its order with the discounts Medusa recorded.
        let page: FeedPage<Return> = self
            .feed_page("/admin/returns", "returns", RETURN_FIELDS, request, LARGEST_RETURNS_PAGE)
            .await?;
        let mut items = Vec::new();
        for found in &page.items {
            let (decision, decided_at) = match found.status.as_str() {
                "requested" => (None, None),
                "received" => (Some(Decision::Approve), found.received_at.clone()),
                "canceled" => (Some(Decision::Refuse), found.canceled_at.clone()),
                // Not yet requested (a return the seller is drafting in Medusa): nothing to ask.
                _ => continue,
            };
            items.push(RefundRequestChange {
                request_id: found.id.clone(),
                preview_input: self.preview_input(found).await?,
                requested_at: found
                    .requested_at
                    .clone()
                    .unwrap_or_else(|| found.updated_at.clone()),
                decided_at: decision.and(decided_at.or_else(|| Some(found.updated_at.clone()))),
                decision,
            });
        }
        Ok(ChangesPage {
            items,
            next_cursor: page.next.to_string(),
            has_more: page.has_more,
            unusable: Vec::new(),
        })
    }
}

impl MedusaConnector {
    /// The refund-preview input of a return: its order's lines with the discount shares Medusa
    /// recorded on them (APPLY-7), the coupons (campaigns) those discounts came from, and the
    /// lines and quantities the buyer sends back.
    async fn preview_input(&self, found: &Return) -> Result<RefundPreviewInput, CallError> {
        let name = "reading a return's order";
        let bad = |message: String| CallError::bad_response(name, message);
        let path = format!("/admin/orders/{}", found.order_id);
        let query =
            [("fields", "id,display_id,created_at,currency_code,*items,*items.adjustments")];
        let order: OrderAnswer =
            self.calls().call(reqwest::Method::GET, &path, &query, NO_BODY).await?;
        let order = order.order;
        let currency_code = order.currency_code.to_ascii_uppercase();
        let currency = Currency::from_code(&currency_code)
            .map_err(|error| bad(format!("order {}: {error}", order.id)))?;
        let store_id = self.medusa_store_id().await?;
        let money = |what: &str, value: f64| -> Result<String, CallError> {
            currency
                .parse_amount(&value.to_string())
                .map(|amount| amount.to_string())
                .map_err(|error| bad(format!("order {}: {what} {value}: {error}", order.id)))
        };

        // The coupons of the codes on the order, and each line's unrounded share of each.
        let codes = order
            .items
            .iter()
            .flat_map(|item| &item.adjustments)
            .filter_map(|adjustment| adjustment.code.as_deref());
        let coupons_of_codes = self.coupons_of_codes(codes).await?;
        let mut coupons: Vec<CouponInput> = Vec::new();
        // Per coupon: each line's share as Medusa keeps it (unrounded), in line order.
        let mut unrounded: Vec<Vec<Decimal>> = Vec::new();
        for (line_index, item) in order.items.iter().enumerate() {
            for adjustment in &item.adjustments {
                let Some(coupon_id) =
                    adjustment.code.as_deref().and_then(|code| coupons_of_codes.get(code))
                else {
                    continue;
                };
                let coupon_index = match coupons.iter().position(|c| &c.coupon_id == coupon_id) {
                    Some(index) => index,
                    None => {
                        coupons
                            .push(self.coupon_input(coupon_id, &currency_code, &store_id).await?);
                        unrounded.push(vec![Decimal::ZERO; order.items.len()]);
                        coupons.len() - 1
                    }
                };
                let amount =
                    Decimal::from_str_exact(&adjustment.amount.to_string()).map_err(|error| {
                        bad(format!("an adjustment of {}: {error}", adjustment.amount))
                    })?;
                unrounded[coupon_index][line_index] += amount;
            }
        }
        // Each coupon's discount in whole minor units, spread over the lines as Medusa spread it:
        // the largest-remainder split of the rounded total over the unrounded shares.
        let scale = Decimal::from(10_i64.pow(currency.minor_digits()));
        let mut recorded: Vec<Vec<RecordedShareInput>> = vec![Vec::new(); order.items.len()];
        for (coupon, shares) in coupons.iter_mut().zip(&unrounded) {
            let total: Decimal = shares.iter().sum();
            let total_minor = (total * scale)
                .round()
                .to_i128()
                .ok_or_else(|| bad(format!("the discount of coupon {}", coupon.coupon_id)))?;
            let bases = shares
                .iter()
                .map(|share| (share * Decimal::from(1_000_000_000_i64)).trunc().to_i128())
                .collect::<Option<Vec<i128>>>()
                .ok_or_else(|| bad(format!("the shares of coupon {}", coupon.coupon_id)))?;
            let split = sellerdesk_core::payment::split_proportionally(total_minor, &bases)
                .ok_or_else(|| bad(format!("the shares of coupon {}", coupon.coupon_id)))?;
            let discount = Money::from_minor_units(currency, total_minor);
            coupon.discount = serde_json::Value::String(discount.to_string());
            for (line_index, share) in split.into_iter().enumerate() {
                if !shares[line_index].is_zero() {
                    recorded[line_index].push(RecordedShareInput {
                        coupon_id: coupon.coupon_id.clone(),
                        amount: serde_json::Value::String(
                            Money::from_minor_units(currency, share).to_string(),
                        ),
                    });
                }
            }
        }
        let lines = order
            .items
            .iter()
            .zip(recorded)
            .map(|(item, recorded_shares)| {
                Ok(LineInput {
                    line_id: item.id.clone(),
                    unit_price: serde_json::Value::String(money("unit price", item.unit_price)?),
                    quantity: item.quantity,
                    regular_price: item.compare_at_unit_price.is_none(),
                    recorded_shares: Some(recorded_shares),
                })
            })
            .collect::<Result<Vec<_>, CallError>>()?;
        let returned = found
            .items
            .iter()
            .map(|item| RefundLineInput { line_id: item.item_id.clone(), quantity: item.quantity })
            .collect();
        Ok(RefundPreviewInput {
            payment_id: order.id.clone(),
            currency: currency_code,
            paid_at: order.created_at.clone(),
            as_of: None,
            orders: vec![OrderInput { order_id: order.id.clone(), store_id, lines }],
            coupons,
            prior_refunds: Vec::new(),
            refund: RefundInput {
                order_id: order.id,
                lines: Some(returned),
                full: None,
                amount: None,
            },
        })
    }

    /// A coupon as the preview input describes it, from its campaign and one of its promotions.
    async fn coupon_input(
        &self,
        coupon_id: &str,
        currency_code: &str,
        store_id: &str,
    ) -> Result<CouponInput, CallError> {
        let campaign_id = self.campaign_of(coupon_id, "reading a coupon").await?;
        let calls = self.calls();
        let path = format!("/admin/campaigns/{campaign_id}");
        let query = [("fields", "id,campaign_identifier,starts_at,ends_at")];
        let campaign: CampaignAnswer =
            calls.call(reqwest::Method::GET, &path, &query, NO_BODY).await?;
        let query = [
            ("campaign_id", campaign_id.as_str()),
            ("limit", "1"),
            ("fields", "id,code,*rules,*rules.values"),
        ];
        let promotions: PromotionsAnswer =
            calls.call(reqwest::Method::GET, "/admin/promotions", &query, NO_BODY).await?;
        let min_purchase = promotions
            .promotions
            .first()
            .and_then(|promotion| {
                promotion.rules.iter().find(|rule| rule.attribute == "item_subtotal")
            })
            .and_then(|rule| rule.values.first())
            .map_or_else(|| "0".to_owned(), |value| value.value.clone());
        let campaign = campaign.campaign;
        Ok(CouponInput {
            coupon_id: coupon_id.to_owned(),
            issuer: IssuerKind::Seller,
            store_id: Some(store_id.to_owned()),
            currency: Some(currency_code.to_owned()),
            // Replaced by the sum of its recorded shares.
            discount: serde_json::Value::String("0".into()),
            min_purchase: serde_json::Value::String(min_purchase),
            valid_from: campaign.starts_at.unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
            valid_to: campaign.ends_at.unwrap_or_else(|| "9000-01-01T00:00:00Z".into()),
            via_code: true,
        })
    }

    /// The id of the store the key administers, as the preview inputs name it.
    async fn medusa_store_id(&self) -> Result<String, CallError> {
        if let Some(id) = self.store_id.lock().unwrap_or_else(PoisonError::into_inner).clone() {
            return Ok(id);
        }
        let id = self.check_key().await?.id;
        *self.store_id.lock().unwrap_or_else(PoisonError::into_inner) = Some(id.clone());
        Ok(id)
    }

    /// Receives a requested return's items back, at the store's stock location (Medusa's safe
    /// order of calls: a return received without a location fails half way).
    async fn receive(&self, found: &Return) -> Result<(), CallError> {
        let calls = self.calls();
        let base = format!("/admin/returns/{}", found.id);
        let _: serde_json::Value = calls
            .call(reqwest::Method::POST, &format!("{base}/receive"), &[], Some(&json_object()))
            .await?;
        if found.location_id.is_none() {
            let query = [("limit", "1"), ("fields", "id")];
            let locations: StockLocationsAnswer =
                calls.call(reqwest::Method::GET, "/admin/stock-locations", &query, NO_BODY).await?;
            let location = locations.stock_locations.first().ok_or_else(|| {
                CallError::bad_response("receiving a return", "Medusa has no stock location")
            })?;
            let body = serde_json::json!({ "location_id": location.id });
            let _: serde_json::Value =
                calls.call(reqwest::Method::POST, &base, &[], Some(&body)).await?;
        }
        let items: Vec<serde_json::Value> = found
            .items
            .iter()
            .map(|item| serde_json::json!({ "id": item.item_id, "quantity": item.quantity }))
            .collect();
        let body = serde_json::json!({ "items": items });
        let _: serde_json::Value = calls
            .call(reqwest::Method::POST, &format!("{base}/receive-items"), &[], Some(&body))
            .await?;
        let _: serde_json::Value = calls
            .call(
                reqwest::Method::POST,
                &format!("{base}/receive/confirm"),
                &[],
                Some(&json_object()),
            )
            .await?;
        Ok(())
    }

    /// Refunds what Medusa says the order owes the buyer, rounded to the currency's minor unit,
    /// from its captured payment; a refund noted with this answer's mutation id is not made twice.
    async fn refund_what_is_owed(
        &self,
        found: &Return,
        mutation_id: &str,
    ) -> Result<(), CallError> {
        let calls = self.calls();
        let path = format!("/admin/orders/{}", found.order_id);
        let query = [(
            "fields",
            "id,currency_code,summary,*payment_collections,*payment_collections.payments,\
             *payment_collections.payments.refunds",
        )];
        let order: OrderAnswer = calls.call(reqwest::Method::GET, &path, &query, NO_BODY).await?;
        let order = order.order;
        let note = format!("Seller Desk {mutation_id}: return {}", found.id);
        let payments: Vec<&Payment> =
            order.payment_collections.iter().flat_map(|collection| &collection.payments).collect();
        if payments
            .iter()
            .flat_map(|payment| &payment.refunds)
            .any(|refund| refund.note.as_deref() == Some(note.as_str()))
        {
            return Ok(());
        }
        let owed = -order.summary.map_or(0.0, |summary| summary.pending_difference);
        let currency = Currency::from_code(&order.currency_code.to_ascii_uppercase())
            .map_err(|error| CallError::bad_response("refunding", error.to_string()))?;
        let scale = Decimal::from(10_i64.pow(currency.minor_digits()));
        let owed = Decimal::from_str_exact(&owed.to_string())
            .map_err(|error| CallError::bad_response("refunding", error.to_string()))?;
        let owed_minor = (owed * scale)
            .round()
            .to_i128()
            .ok_or_else(|| CallError::bad_response("refunding", "the amount owed is too large"))?;
        if owed_minor <= 0 {
            return Ok(());
        }
        let payment = payments.iter().find(|payment| payment.captured_at.is_some()).ok_or_else(
            || CallError::Rejected {
                status: 409,
                code: "rule_violation".into(),
                message: format!(
                    "the payment of order {} is not captured on Medusa, so nothing can be refunded \
                     yet; capture it in Medusa, then answer again",
                    order.id
                ),
            },
        )?;
        let amount =
            RawValue::from_string(Money::from_minor_units(currency, owed_minor).to_string())
                .map_err(|error| CallError::bad_response("refunding", error.to_string()))?;
        let body = RefundBody { amount: &amount, note: &note };
        let _: serde_json::Value = calls
            .call(
                reqwest::Method::POST,
                &format!("/admin/payments/{}/refund", payment.id),
                &[],
                Some(&body),
            )
            .await?;
        Ok(())
    }
}

/// Where a feed stands: the `updated_at` of the last item read, and how many items of exactly
/// that time were read (they are skipped by offset next time).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct FeedCursor {
    time: Option<String>,
    seen_at_time: u64,
}

impl FeedCursor {
    fn parse(text: Option<&str>) -> Result<FeedCursor, CallError> {
        let Some(text) = text.filter(|text| !text.is_empty()) else {
            return Ok(FeedCursor::default());
        };
        let bad = || CallError::Rejected {
            status: 400,
            code: "invalid_request".into(),
            message: format!("the codes cursor {text:?} is not one of Seller Desk's"),
        };
        let (time, seen) = text.rsplit_once('#').ok_or_else(bad)?;
        let seen_at_time = seen.parse().map_err(|_| bad())?;
        Ok(FeedCursor { time: Some(time.to_owned()), seen_at_time })
    }
}

impl fmt::Display for FeedCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.time {
            Some(time) => write!(f, "{time}#{}", self.seen_at_time),
            None => Ok(()),
        }
    }
}

/// A page of a feed read by `updated_at`.
struct FeedPage<T> {
    items: Vec<T>,
    next: FeedCursor,
    /// A full page came: more may follow.
    has_more: bool,
}

/// What a feed's items are ordered by.
trait UpdatedAt {
    fn updated_at(&self) -> &str;
}

impl UpdatedAt for Order {
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
}

impl UpdatedAt for Return {
    fn updated_at(&self) -> &str {
        &self.updated_at
    }
}

/// No body, for a GET.
const NO_BODY: Option<&()> = None;

/// `{}`, for the POSTs that take no parameters.
fn json_object() -> serde_json::Value {
    serde_json::json!({})
}

/// Now, as RFC 3339 UTC text.
fn now_text() -> String {
    sellerdesk_core::Timestamp::now().to_string()
}

/// `POST /admin/payments/:id/refund`, the amount as the decimal it is.
#[derive(Debug, Serialize)]
struct RefundBody<'a> {
    amount: &'a RawValue,
    note: &'a str,
}

/// What every promotion of a batch shares.
struct PromotionTemplate<'a> {
    campaign_id: &'a str,
    discount: &'a RawValue,
    currency: &'a str,
    min_purchase: &'a str,
}

impl<'a> PromotionTemplate<'a> {
    fn promotion(&self, code: String) -> NewPromotion<'a> {
        NewPromotion {
            code,
            kind: "standard",
            status: "active",
            is_automatic: false,
            campaign_id: self.campaign_id,
            // Single use: a code is one buyer's, and Medusa counts `used` only with a limit.
            limit: 1,
            application_method: ApplicationMethod {
                kind: "fixed",
                target_type: "order",
                allocation: "across",
                value: self.discount,
                currency_code: self.currency,
            },
            rules: [
                PromotionRule {
                    attribute: "currency_code",
                    operator: "eq",
                    values: [self.currency],
                },
                // "exceeds" the minimum purchase (the FAQ), before any discount.
                PromotionRule {
                    attribute: "item_subtotal",
                    operator: "gt",
                    values: [self.min_purchase],
                },
            ],
        }
    }
}

/// `POST /admin/promotions`, written straight to JSON (the amount stays the decimal it is).
#[derive(Debug, Serialize)]
struct NewPromotion<'a> {
    code: String,
    #[serde(rename = "type")]
    kind: &'static str,
    status: &'static str,
    is_automatic: bool,
    campaign_id: &'a str,
    limit: u32,
    application_method: ApplicationMethod<'a>,
    rules: [PromotionRule<'a>; 2],
}

#[derive(Debug, Serialize)]
struct ApplicationMethod<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    target_type: &'static str,
    allocation: &'static str,
    value: &'a RawValue,
    currency_code: &'a str,
}

#[derive(Debug, Serialize)]
struct PromotionRule<'a> {
    attribute: &'static str,
    operator: &'static str,
    values: [&'a str; 1],
}

enum PromotionOutcome {
    /// Made now, or made before for this campaign (a resumed upload).
    Ours,
    /// Another campaign holds the code.
    Taken,
}

async fn create_promotion(
    calls: &Calls,
    body: &NewPromotion<'_>,
    campaign_id: &str,
) -> Result<PromotionOutcome, CallError> {
    let made: Result<serde_json::Value, CallError> =
        calls.call(reqwest::Method::POST, "/admin/promotions", &[], Some(body)).await;
    match made {
        Ok(_) => Ok(PromotionOutcome::Ours),
        Err(error @ CallError::Rejected { .. }) => {
            // Refused: it may exist already. Whose is it?
            let query =
                [("code", body.code.as_str()), ("fields", "id,code,campaign_id"), ("limit", "2")];
            let found: PromotionsAnswer =
                calls.call(reqwest::Method::GET, "/admin/promotions", &query, NO_BODY).await?;
            let same = |promotion: &&Promotion| promotion.code.as_deref() == Some(&body.code);
            match found.promotions.iter().find(same) {
                Some(promotion) if promotion.campaign_id.as_deref() == Some(campaign_id) => {
                    Ok(PromotionOutcome::Ours)
                }
                Some(_) => Ok(PromotionOutcome::Taken),
                None => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}

impl Calls {
    /// Calls `path` with the `query` pairs and, for a POST, `body` as JSON.
    async fn call<Answer: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<Answer, CallError> {
        let name = format!("{method} {path}");
        let started = std::time::Instant::now();
        let answered = self.call_once(&name, method, path, query, body).await;
        let outcome = answered.as_ref().map_or_else(CallError::class, |_| "ok");
        super::log_http_call(PlatformKind::Medusa, &name, started, outcome);
        answered
    }

    async fn call_once<Answer: DeserializeOwned>(
        &self,
        name: &str,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<Answer, CallError> {
        let mut url = self.base.clone();
        let joined = format!("{}{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut call =
            self.http.request(method, url).basic_auth(self.api_key.as_ref(), None::<&str>);
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body)
                .map_err(|error| CallError::bad_response(name, format!("unsendable: {error}")))?;
            call = call.header(CONTENT_TYPE, "application/json").body(bytes);
        }
        let response = call
            .send()
            .await
            .map_err(|error| CallError::Unreachable { message: describe_transport_error(error) })?;
        let answer = read_answer(response, name).await?;
        interpret(
            name,
            answer.status,
            answer.retry_after,
            answer.content_type.as_deref(),
            &answer.body,
        )
    }
}

/// Medusa's error body: `{"type": "...", "message": "..."}`.
#[derive(Debug, Deserialize)]
struct MedusaError {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<String>,
}

/// Reads an answer: 2xx JSON is the result; 401/403 refuse the key; other 4xx refuse the call
/// with Medusa's message (`not_allowed` as the change refused by Medusa's rules); 429 and 5xx
/// are unavailability; anything else cannot be used.
fn interpret<Answer: DeserializeOwned>(
    name: &str,
    status: u16,
    retry_after: Option<Duration>,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Answer, CallError> {
    let error_body = || serde_json::from_slice::<MedusaError>(body).ok();
    match status {
        200..=299 => {
            if !is_json(content_type) {
                return Err(CallError::bad_response(
                    name,
                    format!("the answer is not JSON: {}", quote(body)),
                ));
            }
            parse_json(name, body)
        }
        408 | 429 | 500..=599 => Err(CallError::Unavailable {
            status,
            retry_after,
            message: error_body().and_then(|error| error.message).unwrap_or_default(),
        }),
        400..=499 => match error_body() {
            Some(MedusaError { kind, message: Some(message) }) => {
                let kind = kind.unwrap_or_default();
                let (status, code) = match (status, kind.as_str()) {
                    (401 | 403, _) => (status, "invalid_session".to_owned()),
                    (_, "not_allowed") => (409, "rule_violation".to_owned()),
                    (_, "not_found") => (404, "not_found".to_owned()),
                    _ => (status, if kind.is_empty() { "invalid_request".into() } else { kind }),
                };
                Err(CallError::Rejected { status, code, message })
            }
            _ if matches!(status, 401 | 403) => Err(CallError::Rejected {
                status,
                code: "invalid_session".into(),
                message: "Medusa refused the API key (is it a secret key of this server?)".into(),
            }),
            _ => Err(CallError::bad_response(
                name,
                format!(
                    "HTTP {status} without Medusa's error body (is the address right?): {}",
                    quote(body)
                ),
            )),
        },
        _ => Err(CallError::bad_response(name, format!("unexpected HTTP status {status}"))),
    }
}

/// The store a key administers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MedusaStore {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub supported_currencies: Vec<SupportedCurrency>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SupportedCurrency {
    pub currency_code: String,
}

#[derive(Debug, Deserialize)]
struct StoresAnswer {
    stores: Vec<MedusaStore>,
}

#[derive(Debug, Deserialize)]
struct CampaignsAnswer {
    campaigns: Vec<Campaign>,
}

#[derive(Debug, Deserialize)]
struct OrderAnswer {
    order: Order,
}

#[derive(Debug, Deserialize)]
struct Order {
    #[serde(default)]
    id: String,
    #[serde(default)]
    currency_code: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    updated_at: String,
    #[serde(default)]
    items: Vec<OrderItem>,
    #[serde(default)]
    summary: Option<OrderSummary>,
    #[serde(default)]
    payment_collections: Vec<PaymentCollection>,
}

#[derive(Debug, Deserialize)]
struct OrderSummary {
    /// What the buyer still owes (negative: what is owed to the buyer), unrounded.
    #[serde(default)]
    pending_difference: f64,
}

#[derive(Debug, Deserialize)]
struct PaymentCollection {
    #[serde(default)]
    payments: Vec<Payment>,
}

#[derive(Debug, Deserialize)]
struct Payment {
    id: String,
    #[serde(default)]
    captured_at: Option<String>,
    #[serde(default)]
    refunds: Vec<PaymentRefund>,
}

#[derive(Debug, Deserialize)]
struct PaymentRefund {
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OrderItem {
    #[serde(default)]
    id: String,
    #[serde(default)]
    unit_price: f64,
    #[serde(default)]
    compare_at_unit_price: Option<f64>,
    #[serde(default)]
    quantity: u32,
    #[serde(default)]
    adjustments: Vec<Adjustment>,
}

#[derive(Debug, Deserialize)]
struct Adjustment {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    amount: f64,
}

#[derive(Debug, Deserialize)]
struct ReturnAnswer {
    #[serde(rename = "return")]
    return_: Return,
}

#[derive(Debug, Deserialize)]
struct Return {
    id: String,
    status: String,
    order_id: String,
    #[serde(default)]
    location_id: Option<String>,
    #[serde(default)]
    requested_at: Option<String>,
    #[serde(default)]
    received_at: Option<String>,
    #[serde(default)]
    canceled_at: Option<String>,
    #[serde(default)]
    updated_at: String,
    #[serde(default)]
    items: Vec<ReturnItem>,
    #[serde(default)]
    fulfillments: Vec<Fulfillment>,
}

#[derive(Debug, Deserialize)]
struct ReturnItem {
    /// The order line returned.
    item_id: String,
    quantity: u32,
}

#[derive(Debug, Deserialize)]
struct Fulfillment {
    id: String,
}

#[derive(Debug, Deserialize)]
struct StockLocationsAnswer {
    stock_locations: Vec<StockLocation>,
}

#[derive(Debug, Deserialize)]
struct StockLocation {
    id: String,
}

#[derive(Debug, Deserialize)]
struct CampaignAnswer {
    campaign: Campaign,
}

#[derive(Debug, Deserialize)]
struct Campaign {
    id: String,
    #[serde(default)]
    campaign_identifier: Option<String>,
    #[serde(default)]
    starts_at: Option<String>,
    #[serde(default)]
    ends_at: Option<String>,
}

/// A page of campaigns as the coupons feed reads them.
#[derive(Debug, Deserialize)]
struct CampaignPage {
    campaigns: Vec<CampaignRead>,
    count: u64,
}

/// A campaign as the coupons feed reads it.
#[derive(Debug, Deserialize)]
struct CampaignRead {
    id: String,
    #[serde(default)]
    campaign_identifier: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    starts_at: Option<String>,
    #[serde(default)]
    ends_at: Option<String>,
    #[serde(default)]
    budget: Option<BudgetRead>,
}

#[derive(Debug, Deserialize)]
struct BudgetRead {
    #[serde(default)]
    limit: Option<u64>,
}

/// Only the count of a list.
#[derive(Debug, Deserialize)]
struct CountAnswer {
    count: u64,
}

#[derive(Debug, Deserialize)]
struct PromotionsAnswer {
    promotions: Vec<Promotion>,
}

#[derive(Debug, Deserialize)]
struct Promotion {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    campaign_id: Option<String>,
    #[serde(default)]
    rules: Vec<PromotionRuleRead>,
}

#[derive(Debug, Deserialize)]
struct PromotionRuleRead {
    attribute: String,
    #[serde(default)]
    values: Vec<RuleValue>,
}

#[derive(Debug, Deserialize)]
struct RuleValue {
    value: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_codes_cursor_reads_back_and_refuses_what_is_not_its_own() {
        let cursor = FeedCursor { time: Some("2026-12-07T10:00:00.123Z".into()), seen_at_time: 3 };
        assert_eq!(FeedCursor::parse(Some(&cursor.to_string())).unwrap(), cursor);
        assert_eq!(FeedCursor::parse(None).unwrap(), FeedCursor::default());
        assert_eq!(FeedCursor::parse(Some("")).unwrap(), FeedCursor::default());
        assert!(FeedCursor::parse(Some("page-7")).is_err());
    }

    #[test]
    fn a_campaign_description_states_the_terms_the_coupons_feed_reads_back() {
        let terms = CouponTerms {
            coupon_id: "C-17".into(),
            title: "Black Friday".into(),
            currency: "USD".into(),
            discount: "3.00".into(),
            min_purchase: "20.00".into(),
            valid_from: "2026-11-27T00:00:00Z".into(),
            valid_to: "2026-12-01T00:00:00Z".into(),
            quantity: 500,
        };
        let description = campaign_description(&terms);
        assert_eq!(
            description,
            "Seller Desk coupon C-17: 3.00 USD off above 20.00 USD, \
             valid 2026-11-27T00:00:00Z to 2026-12-01T00:00:00Z"
        );
        let described = DescribedTerms {
            discount: "3.00".into(),
            currency: "USD".into(),
            min_purchase: "20.00".into(),
            valid_to: Some("2026-12-01T00:00:00Z".into()),
        };
        assert_eq!(described_terms("C-17", &description), Some(described.clone()));
        // Made before the window was written: the terms without it.
        let older = "Seller Desk coupon C-17: 3.00 USD off above 20.00 USD";
        assert_eq!(
            described_terms("C-17", older),
            Some(DescribedTerms { valid_to: None, ..described })
        );
        // Another coupon's description, a campaign made in Medusa's admin, a mangled one.
        assert_eq!(described_terms("C-1", &description), None);
        assert_eq!(described_terms("C-17", "Summer sale"), None);
        assert_eq!(
            described_terms("C-17", "Seller Desk coupon C-17: 3.00 USD off 20.00 USD"),
            None
        );
        assert_eq!(
            described_terms("C-17", "Seller Desk coupon C-17: 3.00 USD off above 20.00 EUR"),
            None
        );
    }

    #[test]
    fn medusa_refusals_are_classed() {
        let refused = |status, body: &str| {
            interpret::<serde_json::Value>(
                "call",
                status,
                None,
                Some("application/json"),
                body.as_bytes(),
            )
            .unwrap_err()
        };
        match refused(400, r#"{"type":"not_allowed","message":"Campaign budget exceeded"}"#) {
            CallError::Rejected { status: 409, code, .. } => assert_eq!(code, "rule_violation"),
            other => panic!("{other:?}"),
        }
        match refused(401, r#"{"message":"Unauthorized"}"#) {
            CallError::Rejected { code, .. } => assert_eq!(code, "invalid_session"),
            other => panic!("{other:?}"),
        }
        match refused(400, r#"{"type":"invalid_data","message":"Invalid request: value"}"#) {
            CallError::Rejected { status: 400, code, .. } => assert_eq!(code, "invalid_data"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(refused(404, "<html>"), CallError::BadResponse { .. }));
        assert!(matches!(refused(503, ""), CallError::Unavailable { .. }));
    }

    #[test]
    fn a_promotion_carries_the_coupon_terms_as_medusa_reads_them() {
        let discount = RawValue::from_string("3.50".into()).unwrap();
        let template = PromotionTemplate {
            campaign_id: "procamp_1",
            discount: &discount,
            currency: "usd",
            min_purchase: "20.00",
        };
        let text = serde_json::to_string(&template.promotion("SPR-ABCD".into())).unwrap();
        assert!(text.contains(r#""value":3.50"#), "the amount as written, no float: {text}");
        assert!(text.contains(r#""operator":"gt","values":["20.00"]"#), "{text}");
        assert!(text.contains(r#""code":"SPR-ABCD""#), "{text}");
    }
}
