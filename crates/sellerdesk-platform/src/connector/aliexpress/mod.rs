//! The AliExpress Open Platform (`docs/platforms/aliexpress.md`), as far as its public API goes.
//!
//! What it can do, and so what the kind declares: bring the store's seller coupon activities
//! down (mirrored as coupons `ae-<activity id>`), bring disputes (issues) down as refund requests
//! previewed on their order with the discount shares AliExpress recorded on each line, and answer
//! them: approve by agreeing to the buyer's solution, refuse by saving a seller solution with the
//! seller's reason and no refund. The public API cannot create, stop or edit coupons, nor register
//! or read codes: the desk says so and offers what can be done instead (a draft to enter in Seller
//! Center; codes exported for the seller's own use).
//!
//! Calls go through [`gateway::Gateway`]; the seller's tokens are refreshed ahead of their expiry
//! and once more when AliExpress calls one invalid. [`AliexpressConnector::credentials`] gives the
//! tokens as they are after a sync, for the keyring.

pub mod auth;
pub mod gateway;
pub mod wire;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use rust_decimal::Decimal;
use sellerdesk_core::contract::{
    CouponInput, IssuerKind, LineInput, OrderInput, RecordedShareInput, RefundInput,
    RefundLineInput, RefundPreviewInput,
};
use sellerdesk_core::money::Currency;
use serde_json::{Map, Value, json};

use self::auth::{AliexpressCredentials, REFRESH_AHEAD_MS};
use self::gateway::{Api, Gateway, GatewayError, methods};
use self::wire::{integer, list, money, pacific_time, text};
use crate::api::{
    ChangesPage, ChangesRequest, CodeChange, CouponChange, CouponTerms, CreateCouponRequest,
    CreateCouponResult, DecideRefundRequest, DecideRefundResult, Decision, RefundRequestChange,
    StopCouponRequest, StopCouponResult, UnusableItem, UploadCodesRequest, UploadCodesResult,
};
use crate::client::ClientError;
use crate::connector::{Capability, PlatformKind};
use crate::platform_api::{CallError, CodeBatchContext, PlatformApi};

/// Disputes read per page: the most `aliexpress.issue.issuelist.get` gives.
const ISSUES_PER_PAGE: u32 = 50;

/// The id prefix of a coupon mirrored from an AliExpress seller coupon activity.
pub const COUPON_PREFIX: &str = "ae-";

/// The currency AliExpress states coupon amounts in ("US cents").
const COUPON_CURRENCY: &str = "USD";

/// A validity window wide enough for a coupon whose window AliExpress does not give.
const OPEN_FROM: &str = "1970-01-01T00:00:00Z";
const OPEN_TO: &str = "9000-01-01T00:00:00Z";

/// A dispute's buyer solutions that wait for the seller's answer.
const AWAITING_SELLER: [&str; 2] = ["wait_seller_accept", "wait_buyer_and_seller_accept"];

/// One store on the AliExpress Open Platform.
pub struct AliexpressConnector {
    gateway: Gateway,
    credentials: Mutex<AliexpressCredentials>,
    /// The buyer's login id of each dispute seen, which every dispute method asks for.
    buyers: Mutex<HashMap<String, String>>,
}

impl fmt::Debug for AliexpressConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AliexpressConnector")
            .field("gateway", &self.gateway)
            .finish_non_exhaustive()
    }
}

/// The refusal of a seller whose authorization ended: nothing pending is lost, the sync stops
/// until the seller authorizes the store again.
fn authorization_ended(why: &str) -> CallError {
    CallError::Rejected {
        status: 401,
        code: "authorization_expired".into(),
        message: format!(
            "the seller's authorization of this store on AliExpress {why}: the seller must \
             authorize the store again"
        ),
    }
}

/// What the connector's position in the disputes feed says: the last `gmt_modified` taken in
/// full (`since`) with the disputes read at that very second (`at`: AliExpress's times have whole
/// seconds, and another dispute may change in the same second after the read), the latest seen on
/// the pages read so far (`seen`, with its disputes `seen_at`), and the next page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct IssueCursor {
    since: Option<String>,
    at: Vec<String>,
    seen: Option<String>,
    seen_at: Vec<String>,
    page: u32,
}

impl IssueCursor {
    fn parse(text: Option<&str>) -> IssueCursor {
        let mut cursor = IssueCursor { page: 1, ..IssueCursor::default() };
        let ids = |value: &str| -> Vec<String> {
            value.split(',').filter(|id| !id.is_empty()).map(str::to_owned).collect()
        };
        for part in text.unwrap_or_default().split(';') {
            match part.split_once('=') {
                Some(("since", value)) if !value.is_empty() => cursor.since = Some(value.into()),
                Some(("at", value)) => cursor.at = ids(value),
                Some(("seen", value)) if !value.is_empty() => cursor.seen = Some(value.into()),
                Some(("seen_at", value)) => cursor.seen_at = ids(value),
                Some(("page", value)) => cursor.page = value.parse().unwrap_or(1).max(1),
                _ => {}
            }
        }
        cursor
    }

    fn write(&self) -> String {
        format!(
            "since={};at={};seen={};seen_at={};page={}",
            self.since.as_deref().unwrap_or_default(),
            self.at.join(","),
            self.seen.as_deref().unwrap_or_default(),
            self.seen_at.join(","),
            self.page
        )
    }

    /// Whether a dispute modified at `modified` is new to the last full read.
    fn is_new(&self, id: &str, modified: Option<&str>) -> bool {
        match (self.since.as_deref().map(parse_instant), modified.map(parse_instant)) {
            (Some(since), Some(modified)) => {
                modified > since || (modified == since && !self.at.iter().any(|at| at == id))
            }
            _ => true,
        }
    }

    /// Notes a dispute read on this pass.
    fn saw(&mut self, id: &str, modified: &str) {
        let later =
            self.seen.as_deref().is_none_or(|seen| parse_instant(modified) > parse_instant(seen));
        if later {
            self.seen = Some(modified.to_owned());
            self.seen_at = vec![id.to_owned()];
        } else if self.seen.as_deref().map(parse_instant) == Some(parse_instant(modified)) {
            self.seen_at.push(id.to_owned());
        }
    }

    /// The position once every page was read: the latest second seen, with its disputes (and
    /// those already read at that second, when it is still the last full read's).
    fn full_read(self) -> IssueCursor {
        let (since, at) = match (self.seen, self.since) {
            (Some(seen), Some(since)) if parse_instant(&seen) == parse_instant(&since) => {
                let mut at = self.at;
                at.extend(
                    self.seen_at.into_iter().filter(|id| !at.contains(id)).collect::<Vec<_>>(),
                );
                (Some(since), at)
            }
            (Some(seen), Some(since)) if parse_instant(&seen) < parse_instant(&since) => {
                (Some(since), self.at)
            }
            (Some(seen), _) => (Some(seen), self.seen_at),
            (None, since) => (since, self.at),
        };
        IssueCursor { since, at, page: 1, ..IssueCursor::default() }
    }
}

impl AliexpressConnector {
    pub fn new(credentials: AliexpressCredentials) -> Result<AliexpressConnector, ClientError> {
        let gateway =
            Gateway::new(&credentials.base_url, &credentials.app_key, &credentials.app_secret)?;
        Ok(AliexpressConnector {
            gateway,
            credentials: Mutex::new(credentials),
            buyers: Mutex::new(HashMap::new()),
        })
    }

    /// The credentials as they are now: the tokens may have been refreshed.
    pub fn credentials(&self) -> AliexpressCredentials {
        self.credentials.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// An access token that is not about to expire, refreshed first when it is.
    async fn token(&self, force_refresh: bool) -> Result<String, CallError> {
        let now = jiff::Timestamp::now().as_millisecond();
        let tokens = self.credentials().tokens;
        if !force_refresh && tokens.access_expires_at_ms - REFRESH_AHEAD_MS > now {
            return Ok(tokens.access_token);
        }
        if tokens.refresh_expires_at_ms <= now {
            return Err(authorization_ended("has expired"));
        }
        let fresh =
            auth::refresh(&self.gateway, &tokens.refresh_token).await.map_err(
                |error| match error {
                    CallError::Rejected { status: 401, message, .. } => {
                        authorization_ended(&format!("could not be renewed ({message})"))
                    }
                    other => other,
                },
            )?;
        let access = fresh.access_token.clone();
        self.credentials.lock().unwrap_or_else(PoisonError::into_inner).tokens = fresh;
        Ok(access)
    }

    /// Calls a business method with the seller's token, renewing it once if AliExpress calls it
    /// invalid.
    async fn call(
        &self,
        api: Api,
        parameters: &[(&str, String)],
    ) -> Result<Map<String, Value>, CallError> {
        let token = self.token(false).await?;
        match self.gateway.call(api, Some(&token), parameters).await {
            Err(GatewayError::ExpiredToken { .. }) => {
                let token = self.token(true).await?;
                match self.gateway.call(api, Some(&token), parameters).await {
                    Err(GatewayError::ExpiredToken { message, .. }) => {
                        Err(authorization_ended(&format!("was refused ({message})")))
                    }
                    other => other.map_err(|error| error.into_call_error(api)),
                }
            }
            other => other.map_err(|error| error.into_call_error(api)),
        }
    }

    /// The store's id in preview inputs: the seller account the tokens act for.
    fn seller_store(&self) -> String {
        let seller = self.credentials().tokens.seller;
        if seller.is_empty() { "aliexpress".into() } else { seller }
    }

    /// The dispute's buyer, as the list gave it; the store's disputes are read when it is not
    /// known (all of them: one answered already, whose answer was lost on the way back, is
    /// closed now).
    async fn buyer_of(&self, issue_id: &str) -> Result<String, CallError> {
        if let Some(buyer) = self.known_buyer(issue_id) {
            return Ok(buyer);
        }
        let mut page = 1;
        loop {
            let (issues, more) = self.issue_page(page).await?;
            for issue in &issues {
                self.remember_buyer(issue);
            }
            if let Some(buyer) = self.known_buyer(issue_id) {
                return Ok(buyer);
            }
            if !more {
                return Err(CallError::bad_response(
                    methods::ISSUES.name(),
                    format!("dispute {issue_id} is not among the store's disputes"),
                ));
            }
            page += 1;
        }
    }

    fn known_buyer(&self, issue_id: &str) -> Option<String> {
        self.buyers.lock().unwrap_or_else(PoisonError::into_inner).get(issue_id).cloned()
    }

    fn remember_buyer(&self, issue: &Map<String, Value>) {
        if let (Some(id), Some(buyer)) = (text(issue, "issue_id"), text(issue, "buyer_login_id")) {
            self.buyers.lock().unwrap_or_else(PoisonError::into_inner).insert(id, buyer);
        }
    }

    /// One page of the store's disputes, and whether more follow.
    async fn issue_page(&self, page: u32) -> Result<(Vec<Map<String, Value>>, bool), CallError> {
        let query = json!({"current_page": page, "page_size": ISSUES_PER_PAGE});
        let answer = self.call(methods::ISSUES, &[("query_dto", query.to_string())]).await?;
        // The list and its paging at the root, or inside `result`.
        let root = match answer.get("result") {
            Some(Value::Object(result)) if result.contains_key("data_list") => result,
            _ => &answer,
        };
        let issues: Vec<Map<String, Value>> =
            list(root.get("data_list")).into_iter().cloned().collect();
        let total = integer(root, "total_item").unwrap_or(0);
        let size = integer(root, "page_size").unwrap_or(i64::from(ISSUES_PER_PAGE)).max(1);
        let more = !issues.is_empty() && i64::from(page) * size < total;
        Ok((issues, more))
    }

    /// A dispute's detail (`result_object`).
    async fn issue_detail(
        &self,
        issue_id: &str,
        buyer: &str,
    ) -> Result<Map<String, Value>, CallError> {
        let answer = self
            .call(
                methods::ISSUE_DETAIL,
                &[("issue_id", issue_id.to_owned()), ("buyer_login_id", buyer.to_owned())],
            )
            .await?;
        match answer.get("result_object") {
            Some(Value::Object(detail)) => Ok(detail.clone()),
            _ => Err(CallError::bad_response(
                methods::ISSUE_DETAIL.name(),
                format!("dispute {issue_id}: the answer has no result_object"),
            )),
        }
    }

    /// A dispute as a refund request: its order previewed with the shares AliExpress recorded,
    /// the refund the buyer's solution asks for, and the dispute's state.
    async fn refund_request(
        &self,
        issue: &Map<String, Value>,
    ) -> Result<RefundRequestChange, CallError> {
        let api = methods::ISSUE_DETAIL.name();
        let bad = |message: String| CallError::bad_response(api, message);
        let issue_id =
            text(issue, "issue_id").ok_or_else(|| bad("a dispute has no issue_id".into()))?;
        let buyer = text(issue, "buyer_login_id")
            .ok_or_else(|| bad(format!("dispute {issue_id} has no buyer_login_id")))?;
        let detail = self.issue_detail(&issue_id, &buyer).await?;
        let order_id = text(&detail, "parent_order_id")
            .or_else(|| text(issue, "parent_order_id"))
            .or_else(|| text(issue, "order_id"))
            .ok_or_else(|| bad(format!("dispute {issue_id} names no order")))?;
        let disputed_line = text(&detail, "order_id").or_else(|| text(issue, "order_id"));
        let solutions = list(detail.get("buyer_solution_list"));
        let solution = solutions
            .iter()
            .find(|s| {
                text(s, "status").is_some_and(|status| AWAITING_SELLER.contains(&status.as_str()))
            })
            .or_else(|| solutions.iter().find(|s| s.get("is_default") == Some(&Value::Bool(true))))
            .or_else(|| solutions.first())
            .copied()
            .ok_or_else(|| bad(format!("dispute {issue_id} has no buyer solution")))?;
        let asked = text(solution, "refund_money")
            .ok_or_else(|| bad(format!("dispute {issue_id}: its solution has no refund_money")))?;

        let mut preview = self.order_preview(&order_id).await?;
        let currency = Currency::from_code(&preview.currency)
            .map_err(|error| bad(format!("order {order_id}: {error}")))?;
        let asked = currency
            .parse_amount(&asked)
            .map_err(|error| bad(format!("dispute {issue_id}: refund_money {asked}: {error}")))?;
        // The whole disputed line when the buyer asks for what it paid, else the amount asked.
        let line_paid = disputed_line.as_deref().and_then(|line| line_paid(&preview, line));
        preview.refund = match (disputed_line, line_paid) {
            (Some(line), Some((paid, quantity))) if paid == asked.to_string() => RefundInput {
                order_id: order_id.clone(),
                lines: Some(vec![RefundLineInput { line_id: line, quantity }]),
                full: None,
                amount: None,
            },
            _ => RefundInput {
                order_id: order_id.clone(),
                lines: None,
                full: None,
                amount: Some(Value::String(asked.to_string())),
            },
        };

        let status = text(issue, "issue_status").unwrap_or_default();
        let reverse = text(&detail, "reverse_detail_status").unwrap_or_default();
        let decision = match status.as_str() {
            "processing" => None,
            "finish" if reverse.contains("reject") => Some(Decision::Refuse),
            "finish" => Some(Decision::Approve),
            // The buyer withdrew it: no refund.
            _ => Some(Decision::Refuse),
        };
        let requested_at = text(issue, "gmt_create")
            .map(|time| pacific_time(&time))
            .transpose()
            .map_err(|message| bad(format!("dispute {issue_id}: gmt_create: {message}")))?
            .unwrap_or_else(|| preview.paid_at.clone());
        let decided_at = match decision {
            None => None,
            Some(_) => text(issue, "gmt_modified")
                .map(|time| pacific_time(&time))
                .transpose()
                .map_err(|message| bad(format!("dispute {issue_id}: gmt_modified: {message}")))?,
        };
        Ok(RefundRequestChange {
            request_id: issue_id,
            preview_input: preview,
            requested_at,
            decision,
            decided_at,
        })
    }

    /// An order as the refund preview reads it: its lines, and the seller and platform discounts
    /// AliExpress recorded on each (`aliexpress.solution.order.info.get`), as recorded shares.
    async fn order_preview(&self, order_id: &str) -> Result<RefundPreviewInput, CallError> {
        let api = methods::ORDER_INFO;
        let bad = |message: String| CallError::bad_response(api.name(), message);
        let answer = self
            .call(api, &[("param1", json!({"order_id": order_id.parse::<i64>().ok()}).to_string())])
            .await?;
        let data = answer
            .get("result")
            .and_then(Value::as_object)
            .and_then(|result| result.get("data"))
            .and_then(Value::as_object)
            .ok_or_else(|| bad(format!("order {order_id}: the answer has no result.data")))?;
        let store_id = self.seller_store();
        let mut currency_code = None;
        let mut lines = Vec::new();
        // Each promotion's coupon, in the order met.
        let mut coupons: Vec<CouponInput> = Vec::new();
        let mut totals: Vec<Decimal> = Vec::new();
        for child in list(data.get("child_order_list")) {
            let line_id = text(child, "id")
                .or_else(|| text(child, "child_order_id"))
                .ok_or_else(|| bad(format!("order {order_id}: a line has no id")))?;
            let (unit_price, line_currency) =
                money(child.get("product_price")).ok_or_else(|| {
                    bad(format!("order {order_id}: line {line_id} has no product_price"))
                })?;
            if let Some(line_currency) = line_currency {
                match &currency_code {
                    None => currency_code = Some(line_currency),
                    Some(known) if *known != line_currency => {
                        return Err(bad(format!(
                            "order {order_id}: line {line_id} is in {line_currency}, not {known}"
                        )));
                    }
                    Some(_) => {}
                }
            }
            let quantity = integer(child, "product_count")
                .and_then(|count| u32::try_from(count).ok())
                .filter(|count| *count > 0)
                .ok_or_else(|| {
                    bad(format!("order {order_id}: line {line_id} has no product_count"))
                })?;
            let mut shares = Vec::new();
            for row in list(child.get("child_order_discount_detail_list")) {
                let (amount, _) = money(row.get("discount_detail")).ok_or_else(|| {
                    bad(format!(
                        "order {order_id}: line {line_id}: a discount has no discount_detail"
                    ))
                })?;
                let decimal: Decimal = amount.parse().map_err(|_| {
                    bad(format!("order {order_id}: discount {amount} is not a number"))
                })?;
                if decimal.is_zero() {
                    continue;
                }
                let owner = text(row, "promotion_owner").unwrap_or_default();
                let promotion = text(row, "promotion_id").unwrap_or_else(|| "unnamed".into());
                let seller = owner.eq_ignore_ascii_case("seller");
                let coupon_id = if seller {
                    format!("{COUPON_PREFIX}{promotion}")
                } else {
                    format!("{COUPON_PREFIX}platform-{promotion}")
                };
                let index = match coupons.iter().position(|coupon| coupon.coupon_id == coupon_id) {
                    Some(index) => index,
                    None => {
                        coupons.push(
                            self.coupon_input(&coupon_id, &promotion, seller, &store_id).await?,
                        );
                        totals.push(Decimal::ZERO);
                        coupons.len() - 1
                    }
                };
                totals[index] += decimal;
                shares.push(RecordedShareInput { coupon_id, amount: Value::String(amount) });
            }
            lines.push(LineInput {
                line_id,
                unit_price: Value::String(unit_price),
                quantity,
                // AliExpress marks no line as sale-priced; its discounts are recorded as given.
                regular_price: true,
                recorded_shares: Some(shares),
            });
        }
        if lines.is_empty() {
            return Err(bad(format!("order {order_id} has no lines")));
        }
        let currency = currency_code.unwrap_or_else(|| COUPON_CURRENCY.into());
        for (coupon, total) in coupons.iter_mut().zip(totals) {
            coupon.discount = Value::String(total.normalize().to_string());
            coupon.currency = Some(currency.clone());
        }
        let paid_at = ["gmt_pay_success", "gmt_create"]
            .iter()
            .find_map(|key| text(data, key))
            .map(|time| pacific_time(&time))
            .transpose()
            .map_err(|message| bad(format!("order {order_id}: {message}")))?
            .ok_or_else(|| bad(format!("order {order_id} has no gmt_create")))?;
        Ok(RefundPreviewInput {
            payment_id: order_id.to_owned(),
            currency,
            paid_at,
            as_of: None,
            orders: vec![OrderInput { order_id: order_id.to_owned(), store_id, lines }],
            coupons,
            prior_refunds: Vec::new(),
            refund: RefundInput {
                order_id: order_id.to_owned(),
                lines: None,
                full: Some(true),
                amount: None,
            },
        })
    }

    /// The coupon behind a recorded discount: a seller coupon activity's terms when AliExpress
    /// gives them (its minimum and window), else what the order says (no minimum, no window).
    async fn coupon_input(
        &self,
        coupon_id: &str,
        promotion: &str,
        seller: bool,
        store_id: &str,
    ) -> Result<CouponInput, CallError> {
        let mut coupon = CouponInput {
            coupon_id: coupon_id.to_owned(),
            issuer: if seller { IssuerKind::Seller } else { IssuerKind::Platform },
            store_id: seller.then(|| store_id.to_owned()),
            currency: None,
            // Replaced by the sum of its recorded shares.
            discount: Value::String("0".into()),
            min_purchase: Value::String("0".into()),
            valid_from: OPEN_FROM.into(),
            valid_to: OPEN_TO.into(),
            via_code: false,
        };
        if !seller || promotion.parse::<i64>().is_err() {
            return Ok(coupon);
        }
        // Whether a seller discount's promotion id is its coupon activity's id is not documented:
        // an activity that is not found leaves the terms the order gives.
        let found =
            self.call(methods::COUPON_ACTIVITY, &[("activity_id", promotion.to_owned())]).await;
        let activity = match found {
            Ok(answer) => answer.get("seller_coupon_activity").and_then(Value::as_object).cloned(),
            Err(CallError::Rejected { .. }) => None,
            Err(other) => return Err(other),
        };
        if let Some(activity) = activity
            && let Ok(change) = coupon_change(&activity)
        {
            coupon.min_purchase = Value::String(change.terms.min_purchase);
            coupon.valid_from = change.terms.valid_from;
            coupon.valid_to = change.terms.valid_to;
        }
        Ok(coupon)
    }

    /// The id of the seller's return address, for agreeing to a solution with a return.
    async fn return_address(&self) -> Result<String, CallError> {
        let api = methods::SELLER_ADDRESSES;
        let answer = self.call(api, &[("seller_address_query", "refund".into())]).await?;
        let addresses = list(answer.get("refund_seller_address_list"));
        addresses.iter().find_map(|address| text(address, "address_id")).ok_or_else(|| {
            CallError::Rejected {
                status: 409,
                code: "rule_violation".into(),
                message: "AliExpress: the store has no return address; add one in Seller Center, \
                          then answer again"
                    .into(),
            }
        })
    }
}

/// A line's paid total (its price less its recorded discounts) and quantity.
fn line_paid(preview: &RefundPreviewInput, line_id: &str) -> Option<(String, u32)> {
    let currency = Currency::from_code(&preview.currency).ok()?;
    let line = preview
        .orders
        .iter()
        .flat_map(|order| &order.lines)
        .find(|line| line.line_id == line_id)?;
    let unit = currency.parse_amount(line.unit_price.as_str()?).ok()?.minor_units();
    let mut paid = unit * i128::from(line.quantity);
    for share in line.recorded_shares.iter().flatten() {
        paid -= currency.parse_amount(share.amount.as_str()?).ok()?.minor_units();
    }
    Some((
        sellerdesk_core::money::Money::from_minor_units(currency, paid).to_string(),
        line.quantity,
    ))
}

/// A seller coupon activity as the desk mirrors it: amounts in US cents, the redemption window in
/// Pacific time, the quota as the quantity.
pub fn coupon_change(activity: &Map<String, Value>) -> Result<CouponChange, String> {
    let id = text(activity, "id").ok_or("an activity has no id")?;
    let what = |field: &str| format!("coupon activity {id}: {field}");
    let cents = |key: &str| -> Result<String, String> {
        let cents = integer(activity, key).ok_or_else(|| what(&format!("no {key}")))?;
        let currency = Currency::from_code(COUPON_CURRENCY).map_err(|error| error.to_string())?;
        Ok(sellerdesk_core::money::Money::from_minor_units(currency, i128::from(cents)).to_string())
    };
    let has_minimum = activity.get("has_use_condtion").and_then(Value::as_bool).unwrap_or(true);
    let min_purchase = if has_minimum { cents("min_order_amount")? } else { "0.00".into() };
    let window = |key: &str| -> Result<String, String> {
        let time = text(activity, key).ok_or_else(|| what(&format!("no {key}")))?;
        pacific_time(&time).map_err(|message| what(&format!("{key}: {message}")))
    };
    let state = match text(activity, "status").as_deref() {
        Some("not_started" | "releasing" | "release_end") => "published",
        Some("closed") => "stopped",
        other => return Err(what(&format!("unknown status {other:?}"))),
    };
    // How many buyers claimed it; AliExpress counts no use of an activity's coupons.
    let claimed = match activity.get("released_num") {
        None | Some(Value::Null) => None,
        Some(_) => Some(
            integer(activity, "released_num")
                .and_then(|claimed| u64::try_from(claimed).ok())
                .ok_or_else(|| what("released_num is not a count"))?,
        ),
    };
    Ok(CouponChange {
        terms: CouponTerms {
            coupon_id: format!("{COUPON_PREFIX}{id}"),
            title: text(activity, "activity_name")
                .unwrap_or_else(|| format!("AliExpress coupon {id}")),
            currency: COUPON_CURRENCY.into(),
            discount: cents("denomination")?,
            min_purchase,
            valid_from: window("consume_start_date")?,
            valid_to: window("consume_end_date")?,
            quantity: integer(activity, "total_release_num")
                .and_then(|quantity| u32::try_from(quantity).ok())
                .ok_or_else(|| what("no total_release_num"))?,
        },
        state: state.into(),
        reason: None,
        claimed,
        codes: None,
    })
}

/// Seller Center, where a seller enters a coupon by hand (its address for coupon activities is
/// not in the public material: this is its front page).
pub const SELLER_CENTER: &str = "https://gsp.aliexpress.com";

/// What to type in Seller Center for a coupon its API cannot create: each field with its value,
/// amounts in US dollars, times in US Pacific time (as Seller Center shows them).
pub fn coupon_entry(terms: &CouponTerms) -> Result<super::CouponEntry, String> {
    let pacific = |field: &str, text: &str| -> Result<String, String> {
        let instant: jiff::Timestamp =
            text.parse().map_err(|error| format!("{field} {text}: {error}"))?;
        wire::to_pacific(instant).map(|time| format!("{time} (US Pacific time)"))
    };
    Ok(super::CouponEntry {
        link: SELLER_CENTER,
        fields: vec![
            ("Coupon name", terms.title.clone()),
            ("Discount (USD)", terms.discount.clone()),
            ("Orders over (USD)", terms.min_purchase.clone()),
            ("Total coupons", terms.quantity.to_string()),
            ("Coupons per buyer", "1".into()),
            ("Usable from", pacific("valid_from", &terms.valid_from)?),
            ("Usable until", pacific("valid_to", &terms.valid_to)?),
        ],
    })
}

impl PlatformApi for AliexpressConnector {
    fn kind(&self) -> PlatformKind {
        PlatformKind::Aliexpress
    }

    async fn create_coupon(
        &self,
        _request: &CreateCouponRequest,
    ) -> Result<CreateCouponResult, CallError> {
        Err(PlatformKind::Aliexpress.not_declared(Capability::CreateCoupon))
    }

    async fn stop_coupon(
        &self,
        _request: &StopCouponRequest,
    ) -> Result<StopCouponResult, CallError> {
        Err(PlatformKind::Aliexpress.not_declared(Capability::StopCoupon))
    }

    async fn upload_codes(
        &self,
        _request: &UploadCodesRequest,
        _batch: &CodeBatchContext<'_>,
    ) -> Result<UploadCodesResult, CallError> {
        Err(PlatformKind::Aliexpress.not_declared(Capability::UploadCodes))
    }

    async fn code_changes(
        &self,
        _request: &ChangesRequest,
    ) -> Result<ChangesPage<CodeChange>, CallError> {
        Err(PlatformKind::Aliexpress.not_declared(Capability::PullCodeStatuses))
    }

    async fn coupon_changes(
        &self,
        _request: &ChangesRequest,
    ) -> Result<ChangesPage<CouponChange>, CallError> {
        // No paging and no change filter: every activity, each sync (a store has a few).
        let api = methods::COUPON_ACTIVITIES;
        let answer =
            self.call(api, &[("param_seller_coupon_activity_api_query", "{}".into())]).await?;
        let result = answer
            .get("result")
            .and_then(Value::as_object)
            .ok_or_else(|| CallError::bad_response(api.name(), "the answer has no result"))?;
        // An activity the desk cannot read is set aside with why; the others come down.
        let mut items = Vec::new();
        let mut unusable = Vec::new();
        for activity in list(result.get("activity_list")) {
            match coupon_change(activity) {
                Ok(change) => items.push(change),
                Err(reason) => unusable.push(UnusableItem {
                    name: text(activity, "id").map_or_else(
                        || "an activity without id".into(),
                        |id| format!("{COUPON_PREFIX}{id}"),
                    ),
                    reason,
                }),
            }
        }
        Ok(ChangesPage { items, next_cursor: "all".into(), has_more: false, unusable })
    }

    async fn refund_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<RefundRequestChange>, CallError> {
        let mut cursor = IssueCursor::parse(request.cursor.as_deref());
        let (issues, more) = self.issue_page(cursor.page).await?;
        let mut items = Vec::new();
        let mut unusable = Vec::new();
        for issue in &issues {
            self.remember_buyer(issue);
            // Only what changed since the last full read is read again in detail.
            let id = text(issue, "issue_id").unwrap_or_default();
            let modified = text(issue, "gmt_modified").and_then(|time| pacific_time(&time).ok());
            let changed = cursor.is_new(&id, modified.as_deref());
            if let Some(modified) = &modified {
                cursor.saw(&id, modified);
            }
            if changed {
                // A dispute the desk cannot read (its order, its solution) is set aside with why;
                // the platform's failures still stop the feed.
                match self.refund_request(issue).await {
                    Ok(change) => items.push(change),
                    Err(CallError::BadResponse { message, .. }) => unusable.push(UnusableItem {
                        name: text(issue, "issue_id")
                            .unwrap_or_else(|| "a dispute without id".into()),
                        reason: message,
                    }),
                    Err(other) => return Err(other),
                }
            }
        }
        let next =
            if more { IssueCursor { page: cursor.page + 1, ..cursor } } else { cursor.full_read() };
        Ok(ChangesPage { items, next_cursor: next.write(), has_more: more, unusable })
    }

    async fn decide_refund(
        &self,
        request: &DecideRefundRequest,
    ) -> Result<DecideRefundResult, CallError> {
        let issue_id = &request.request_id;
        let buyer = self.buyer_of(issue_id).await?;
        let detail = self.issue_detail(issue_id, &buyer).await?;
        let decided = |decision: Decision| DecideRefundResult {
            request_id: issue_id.clone(),
            decision,
            decided_at: jiff::Timestamp::now().to_string(),
        };
        let solutions = list(detail.get("buyer_solution_list"));
        let waiting = solutions.iter().find(|s| {
            text(s, "status").is_some_and(|status| AWAITING_SELLER.contains(&status.as_str()))
        });
        match request.decision {
            Decision::Approve => {
                // Agreed already (an answer lost on the way back): done, once.
                if solutions.iter().any(|s| text(s, "status").as_deref() == Some("reached")) {
                    return Ok(decided(Decision::Approve));
                }
                let solution = waiting.ok_or_else(|| CallError::Rejected {
                    status: 409,
                    code: "rule_violation".into(),
                    message: format!("AliExpress: dispute {issue_id} has no buyer solution waiting for the seller"),
                })?;
                let solution_id = text(solution, "id").unwrap_or_default();
                let mut parameters = vec![
                    ("issue_id", issue_id.clone()),
                    ("buyer_login_id", buyer.clone()),
                    ("solution_id", solution_id),
                ];
                if text(solution, "solution_type").as_deref() == Some("return_and_refund") {
                    parameters.push(("return_address_id", self.return_address().await?));
                }
                let answer = self.call(methods::SOLUTION_AGREE, &parameters).await?;
                accepted(methods::SOLUTION_AGREE, &answer)?;
                Ok(decided(Decision::Approve))
            }
            Decision::Refuse => {
                let reason = request.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
                let reason = reason.ok_or_else(|| CallError::Rejected {
                    status: 409,
                    code: "rule_violation".into(),
                    message: "AliExpress asks for the seller's reason to refuse a dispute".into(),
                })?;
                // Refused already (an answer lost on the way back): a seller solution with this
                // reason is there.
                let sellers = list(detail.get("seller_solution_list"));
                if sellers.iter().any(|s| text(s, "content").as_deref() == Some(reason)) {
                    return Ok(decided(Decision::Refuse));
                }
                let solution = waiting.ok_or_else(|| CallError::Rejected {
                    status: 409,
                    code: "rule_violation".into(),
                    message: format!("AliExpress: dispute {issue_id} has no buyer solution waiting for the seller"),
                })?;
                let currency = text(solution, "refund_money_currency")
                    .unwrap_or_else(|| COUPON_CURRENCY.into());
                let zero = Currency::from_code(&currency)
                    .map(|currency| {
                        sellerdesk_core::money::Money::from_minor_units(currency, 0).to_string()
                    })
                    .unwrap_or_else(|_| "0.00".into());
                let dto = json!({
                    "add_seller_solution": true,
                    "buyer_login_id": buyer,
                    "issue_id": issue_id.parse::<i64>().ok(),
                    "buyer_solution_id": text(solution, "id").and_then(|id| id.parse::<i64>().ok()),
                    "refund_amount": zero,
                    "refund_amount_currency": currency,
                    "solution_context": reason,
                    "add_solution_type": "refund",
                });
                let answer =
                    self.call(methods::SOLUTION_SAVE, &[("param_dto", dto.to_string())]).await?;
                accepted(methods::SOLUTION_SAVE, &answer)?;
                Ok(decided(Decision::Refuse))
            }
        }
    }
}

/// A write's `result_object`: `true`, or a business refusal inside a success envelope.
fn accepted(api: Api, answer: &Map<String, Value>) -> Result<(), CallError> {
    match answer.get("result_object") {
        Some(Value::Bool(true)) => Ok(()),
        _ => {
            let code = text(answer, "error_code").unwrap_or_else(|| "refused".into());
            let message =
                text(answer, "error_message").unwrap_or_else(|| "the answer was not true".into());
            Err(GatewayError::Business { code, message }.into_call_error(api))
        }
    }
}

fn parse_instant(text: &str) -> Option<jiff::Timestamp> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_disputes_cursor_reads_back() {
        let cursor = IssueCursor {
            since: Some("2026-12-01T00:00:00Z".into()),
            at: vec!["7000001".into(), "7000002".into()],
            seen: Some("2026-12-02T00:00:00Z".into()),
            seen_at: vec!["7000003".into()],
            page: 3,
        };
        assert_eq!(IssueCursor::parse(Some(&cursor.write())), cursor);
        assert_eq!(IssueCursor::parse(None), IssueCursor { page: 1, ..IssueCursor::default() });
    }

    #[test]
    fn a_dispute_changed_in_the_last_read_second_is_read_again_and_no_other() {
        let second = "2026-12-01T00:00:00Z";
        let mut cursor = IssueCursor { page: 1, ..IssueCursor::default() };
        cursor.saw("1", "2026-11-30T23:59:59Z");
        cursor.saw("2", second);
        let cursor = cursor.full_read();
        assert_eq!(
            (cursor.since.as_deref(), cursor.at.clone()),
            (Some(second), vec!["2".to_owned()])
        );
        // Read at that second already: not again; changed in that second after the read: yes.
        assert!(!cursor.is_new("2", Some(second)));
        assert!(cursor.is_new("3", Some(second)));
        assert!(!cursor.is_new("1", Some("2026-11-30T23:59:59Z")));
        assert!(cursor.is_new("1", Some("2026-12-01T00:00:01Z")));
        // The next full read at the same second keeps both.
        let mut next = cursor;
        next.saw("3", second);
        let next = next.full_read();
        assert_eq!(next.at, ["2", "3"]);
    }

    #[test]
    fn coupon_activities_are_mirrored_with_their_terms() {
        let activity: Map<String, Value> = serde_json::from_str(
            r#"{"id":3000000001,"activity_name":"Spring 3 off 30","status":"releasing",
                "denomination":300,"min_order_amount":3000,"has_use_condtion":true,
                "num_per_buyer":1,"total_release_num":500,"released_num":42,
                "consume_start_date":"2026-03-01 00:00:00","consume_end_date":"2026-12-31 23:59:59"}"#,
        )
        .unwrap();
        let change = coupon_change(&activity).unwrap();
        assert_eq!(change.terms.coupon_id, "ae-3000000001");
        assert_eq!(
            (change.terms.discount.as_str(), change.terms.min_purchase.as_str()),
            ("3.00", "30.00")
        );
        assert_eq!(change.terms.valid_from, "2026-03-01T08:00:00Z");
        assert_eq!(change.terms.valid_to, "2027-01-01T07:59:59Z");
        assert_eq!((change.terms.quantity, change.state.as_str()), (500, "published"));
        let mut closed = activity.clone();
        closed.insert("status".into(), "closed".into());
        assert_eq!(coupon_change(&closed).unwrap().state, "stopped");
        closed.insert("status".into(), "paused".into());
        assert!(coupon_change(&closed).unwrap_err().contains("unknown status"));
    }
}
