//! The refund-preview JSON contract shared by the CLI and the desktop app (`docs/rules.md`
//! PREVIEW-1): the input and output shapes, and the checks that turn the input into domain values.
//!
//! Every amount crosses this boundary as a decimal string. Every refusal is one [`InputError`] that
//! names the field by its JSON path and the rule that refused it.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::money::{Currency, Money, MoneyError};
use crate::payment::{
    self, Coupon, Issuer, Line, Order, Payment, Pricing, RecordedShare, RecordedShares, Redemption,
};
use crate::refund::{self, OrderRefund, RefundRequest, UnitsOfLine};
use crate::rules::{InputError, RuleId};
use crate::status::CouponStatus;

/// The most units one line may have; keeps every amount far from overflow.
pub const MAXIMUM_LINE_QUANTITY: u32 = 1_000_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RefundPreviewInput {
    pub payment_id: String,
    pub currency: String,
    pub paid_at: String,
    /// When to judge a returned coupon's validity; now when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub as_of: Option<String>,
    pub orders: Vec<OrderInput>,
    #[serde(default)]
    pub coupons: Vec<CouponInput>,
    #[serde(default)]
    pub prior_refunds: Vec<RefundInput>,
    pub refund: RefundInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OrderInput {
    pub order_id: String,
    pub store_id: String,
    pub lines: Vec<LineInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct LineInput {
    pub line_id: String,
    /// A decimal string such as `"10.00"`.
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub unit_price: Value,
    pub quantity: u32,
    pub regular_price: bool,
    /// How the platform spread each coupon over this line, when it recorded that (APPLY-7):
    /// then the preview uses the recorded shares of every line instead of computing them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub recorded_shares: Option<Vec<RecordedShareInput>>,
}

/// One coupon's share of one line, as the platform recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RecordedShareInput {
    pub coupon_id: String,
    /// A decimal string such as `"1.47"`.
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub amount: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum IssuerKind {
    Seller,
    Platform,
}

impl IssuerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IssuerKind::Seller => "seller",
            IssuerKind::Platform => "platform",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CouponInput {
    pub coupon_id: String,
    pub issuer: IssuerKind,
    /// Required for a seller coupon; a platform coupon has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub store_id: Option<String>,
    /// When given, it must be the payment's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub currency: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub discount: Value,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub min_purchase: Value,
    pub valid_from: String,
    pub valid_to: String,
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub via_code: bool,
}

/// A refund: exactly one of `lines`, `full: true` or `amount`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RefundInput {
    pub order_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub lines: Option<Vec<RefundLineInput>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub full: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional, type = "string"))]
    pub amount: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RefundLineInput {
    pub line_id: String,
    pub quantity: u32,
}

/// The preview, exactly as the CLI prints it and the desktop app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RefundPreviewOutput {
    pub payment_id: String,
    pub order_id: String,
    pub currency: String,
    pub refund_amount: String,
    pub order_refund: OrderRefund,
    pub lines: Vec<RefundedLineOutput>,
    pub allocation: Vec<LineAllocationOutput>,
    pub coupons: Vec<CouponOutcomeOutput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RefundedLineOutput {
    pub line_id: String,
    pub quantity: u32,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct LineAllocationOutput {
    pub line_id: String,
    pub seller_discount: String,
    pub platform_discount: String,
    pub paid: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CouponOutcomeOutput {
    pub coupon_id: String,
    pub issuer: IssuerKind,
    pub returned: bool,
    pub code_returned: bool,
    pub status_after: CouponStatus,
    pub reason: String,
}

/// Reads the input from JSON text.
pub fn parse_input_json(text: &str) -> Result<RefundPreviewInput, InputError> {
    let value: Value = serde_json::from_str(text).map_err(|error| {
        InputError::new("input", RuleId::Input1, format!("not valid JSON: {error}"))
    })?;
    parse_input_value(value)
}

/// Reads the input from an already parsed JSON value (what the desktop app sends).
pub fn parse_input_value(value: Value) -> Result<RefundPreviewInput, InputError> {
    if !value.is_object() {
        return Err(InputError::new(
            "input",
            RuleId::Input1,
            "expected a JSON object with payment_id, currency, paid_at, orders and refund",
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        // A missing field is reported at its parent; name the field itself.
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(name, _)| name);
        let field = match (path.as_str(), missing) {
            (".", Some(name)) => name.to_owned(),
            (".", None) => "input".to_owned(),
            (_, Some(name)) => format!("{path}.{name}"),
            (_, None) => path,
        };
        InputError::new(field, RuleId::Input1, message)
    })
}

/// The checked domain values of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRequest {
    pub payment: Payment,
    pub coupons: Vec<Coupon>,
    /// The shares the platform recorded, when it did (APPLY-7).
    pub recorded: Option<RecordedShares>,
    pub prior_refunds: Vec<RefundRequest>,
    pub refund: RefundRequest,
    pub as_of: Timestamp,
}

/// Previews the refund described by `input`; `now` stands in for a missing `as_of`.
pub fn preview(
    input: &RefundPreviewInput,
    now: Timestamp,
) -> Result<RefundPreviewOutput, InputError> {
    let request = check_input(input, now)?;
    preview_checked(&request)
}

/// Previews an already checked request: the core computation, without any parsing.
pub fn preview_checked(request: &PreviewRequest) -> Result<RefundPreviewOutput, InputError> {
    let allocation =
        payment::allocate(&request.payment, &request.coupons, request.recorded.as_ref())?;
    let preview = refund::preview_refund(
        &request.payment,
        &request.coupons,
        allocation,
        &request.prior_refunds,
        &request.refund,
        request.as_of,
    )?;
    Ok(render(request, &preview))
}

fn render(request: &PreviewRequest, preview: &refund::RefundPreview) -> RefundPreviewOutput {
    let payment = &request.payment;
    let currency = payment.currency;
    let amount = |minor_units| Money::from_minor_units(currency, minor_units).to_string();
    let order_index = preview.effect.order_index;
    let order = &payment.orders[order_index];
    RefundPreviewOutput {
        payment_id: payment.id.clone(),
        order_id: order.id.clone(),
        currency: currency.code().to_owned(),
        refund_amount: amount(preview.effect.amount),
        order_refund: preview.order_refund,
        lines: preview
            .effect
            .lines
            .iter()
            .map(|line| RefundedLineOutput {
                line_id: order.lines[line.line_index].id.clone(),
                quantity: line.quantity,
                amount: amount(line.amount),
            })
            .collect(),
        allocation: order
            .lines
            .iter()
            .zip(preview.allocation.lines_of_order(order_index))
            .map(|(line, shares)| LineAllocationOutput {
                line_id: line.id.clone(),
                seller_discount: amount(shares.seller_share),
                platform_discount: amount(shares.platform_share),
                paid: amount(shares.paid),
            })
            .collect(),
        coupons: preview
            .coupons
            .iter()
            .map(|outcome| {
                let coupon = &request.coupons[outcome.coupon_index];
                CouponOutcomeOutput {
                    coupon_id: coupon.id.clone(),
                    issuer: match coupon.issuer {
                        Issuer::Seller { .. } => IssuerKind::Seller,
                        Issuer::Platform => IssuerKind::Platform,
                    },
                    returned: outcome.returned,
                    code_returned: outcome.code_returned,
                    status_after: outcome.status_after,
                    reason: outcome.reason.to_string(),
                }
            })
            .collect(),
    }
}

/// Checks everything about the input that does not need the allocation, in document order.
pub fn check_input(
    input: &RefundPreviewInput,
    now: Timestamp,
) -> Result<PreviewRequest, InputError> {
    let currency = Currency::from_code(&input.currency).map_err(|error| error.at("currency"))?;
    let paid_at = parse_time("paid_at", &input.paid_at)?;
    let as_of = match &input.as_of {
        Some(text) => parse_time("as_of", text)?,
        None => now,
    };
    if as_of < paid_at {
        return Err(InputError::new(
            "as_of",
            RuleId::Input3,
            format!("as_of {as_of} is before the payment was made ({paid_at})"),
        ));
    }

    if input.orders.is_empty() {
        return Err(InputError::new("orders", RuleId::Input1, "a payment has at least one order"));
    }
    let mut order_ids: HashMap<&str, usize> = HashMap::new();
    let mut store_ids: HashMap<&str, &str> = HashMap::new();
    let mut line_ids: HashMap<&str, &str> = HashMap::new();
    let mut orders = Vec::with_capacity(input.orders.len());
    for (order_index, order) in input.orders.iter().enumerate() {
        let field = format!("orders[{order_index}]");
        if order_ids.insert(&order.order_id, order_index).is_some() {
            return Err(InputError::new(
                format!("{field}.order_id"),
                RuleId::Input2,
                format!("order id {} appears twice in the payment", order.order_id),
            ));
        }
        if let Some(other) = store_ids.insert(&order.store_id, &order.order_id) {
            return Err(InputError::new(
                format!("{field}.store_id"),
                RuleId::Input2,
                format!(
                    "store {} already has order {other}; a payment holds one order per store",
                    order.store_id
                ),
            ));
        }
        if order.lines.is_empty() {
            return Err(InputError::new(
                format!("{field}.lines"),
                RuleId::Input1,
                "an order has at least one line",
            ));
        }
        let mut lines = Vec::with_capacity(order.lines.len());
        for (line_index, line) in order.lines.iter().enumerate() {
            let field = format!("{field}.lines[{line_index}]");
            if let Some(other_order) = line_ids.insert(&line.line_id, &order.order_id) {
                return Err(InputError::new(
                    format!("{field}.line_id"),
                    RuleId::Input2,
                    format!(
                        "line id {} is already used in order {other_order}; line ids are unique in a payment",
                        line.line_id
                    ),
                ));
            }
            if !(1..=MAXIMUM_LINE_QUANTITY).contains(&line.quantity) {
                return Err(InputError::new(
                    format!("{field}.quantity"),
                    RuleId::Input1,
                    format!(
                        "quantity must be from 1 to {MAXIMUM_LINE_QUANTITY}, not {}",
                        line.quantity
                    ),
                ));
            }
            lines.push(Line {
                id: line.line_id.clone(),
                unit_price: parse_money(
                    currency,
                    &format!("{field}.unit_price"),
                    &line.unit_price,
                )?,
                quantity: line.quantity,
                pricing: if line.regular_price { Pricing::Regular } else { Pricing::OnSale },
            });
        }
        orders.push(Order { id: order.order_id.clone(), store_id: order.store_id.clone(), lines });
    }
    let payment = Payment { id: input.payment_id.clone(), currency, paid_at, orders };

    let mut coupon_ids: HashMap<&str, usize> = HashMap::new();
    let mut coupons = Vec::with_capacity(input.coupons.len());
    for (coupon_index, coupon) in input.coupons.iter().enumerate() {
        coupons.push(check_coupon(&format!("coupons[{coupon_index}]"), currency, coupon)?);
        if coupon_ids.insert(&coupon.coupon_id, coupon_index).is_some() {
            return Err(InputError::new(
                format!("coupons[{coupon_index}].coupon_id"),
                RuleId::Input2,
                format!("coupon id {} appears twice", coupon.coupon_id),
            ));
        }
    }

    let recorded = check_recorded_shares(input, currency, &coupon_ids)?;

    let prior_refunds = input
        .prior_refunds
        .iter()
        .enumerate()
        .map(|(index, refund)| check_refund(&format!("prior_refunds[{index}]"), &payment, refund))
        .collect::<Result<Vec<_>, _>>()?;
    let refund = check_refund("refund", &payment, &input.refund)?;
    Ok(PreviewRequest { payment, coupons, recorded, prior_refunds, refund, as_of })
}

/// The recorded shares of the input's lines, in payment order, once their coupons are known; `None`
/// when no line carries any (then the rules compute the shares).
fn check_recorded_shares(
    input: &RefundPreviewInput,
    currency: Currency,
    coupon_ids: &HashMap<&str, usize>,
) -> Result<Option<RecordedShares>, InputError> {
    let any = input
        .orders
        .iter()
        .flat_map(|order| &order.lines)
        .any(|line| line.recorded_shares.is_some());
    if !any {
        return Ok(None);
    }
    let mut lines = Vec::new();
    for (order_index, order) in input.orders.iter().enumerate() {
        for (line_index, line) in order.lines.iter().enumerate() {
            let mut shares = Vec::new();
            for (share_index, share) in line.recorded_shares.iter().flatten().enumerate() {
                let field = format!(
                    "orders[{order_index}].lines[{line_index}].recorded_shares[{share_index}]"
                );
                let coupon_index = *coupon_ids.get(share.coupon_id.as_str()).ok_or_else(|| {
                    InputError::new(
                        format!("{field}.coupon_id"),
                        RuleId::Input2,
                        format!("the payment has no coupon {}", share.coupon_id),
                    )
                })?;
                let amount = parse_money(currency, &format!("{field}.amount"), &share.amount)?;
                shares.push(RecordedShare { coupon_index, amount: amount.minor_units(), field });
            }
            lines.push(shares);
        }
    }
    Ok(Some(RecordedShares { lines }))
}

fn check_coupon(
    field: &str,
    currency: Currency,
    coupon: &CouponInput,
) -> Result<Coupon, InputError> {
    if let Some(code) = &coupon.currency {
        let coupon_currency =
            Currency::from_code(code).map_err(|error| error.at(format!("{field}.currency")))?;
        if coupon_currency != currency {
            return Err(InputError::new(
                format!("{field}.currency"),
                RuleId::Money3,
                format!(
                    "coupon {} is in {coupon_currency} but the payment is in {currency}; currencies never mix",
                    coupon.coupon_id
                ),
            ));
        }
    }
    let issuer = match (coupon.issuer, &coupon.store_id) {
        (IssuerKind::Seller, Some(store_id)) => Issuer::Seller { store_id: store_id.clone() },
        (IssuerKind::Seller, None) => {
            return Err(InputError::new(
                format!("{field}.store_id"),
                RuleId::Input1,
                format!("seller coupon {} must name its store_id", coupon.coupon_id),
            ));
        }
        (IssuerKind::Platform, None) => Issuer::Platform,
        (IssuerKind::Platform, Some(_)) => {
            return Err(InputError::new(
                format!("{field}.store_id"),
                RuleId::Input1,
                format!(
                    "platform coupon {} belongs to no store; leave store_id out",
                    coupon.coupon_id
                ),
            ));
        }
    };
    Ok(Coupon {
        id: coupon.coupon_id.clone(),
        issuer,
        discount: parse_money(currency, &format!("{field}.discount"), &coupon.discount)?,
        min_purchase: parse_money(
            currency,
            &format!("{field}.min_purchase"),
            &coupon.min_purchase,
        )?,
        valid_from: parse_time(&format!("{field}.valid_from"), &coupon.valid_from)?,
        valid_to: parse_time(&format!("{field}.valid_to"), &coupon.valid_to)?,
        redemption: if coupon.via_code { Redemption::ViaCode } else { Redemption::IntoAccount },
    })
}

fn check_refund(
    field: &str,
    payment: &Payment,
    refund: &RefundInput,
) -> Result<RefundRequest, InputError> {
    let order_index =
        payment.orders.iter().position(|order| order.id == refund.order_id).ok_or_else(|| {
            InputError::new(
                format!("{field}.order_id"),
                RuleId::Input2,
                format!("the payment has no order {}", refund.order_id),
            )
        })?;
    let order = &payment.orders[order_index];
    match (&refund.lines, refund.full, &refund.amount) {
        (Some(lines), None, None) => {
            if lines.is_empty() {
                return Err(InputError::new(
                    format!("{field}.lines"),
                    RuleId::Refund1,
                    "a unit refund names at least one line",
                ));
            }
            // One index of the order's lines and one mark per line: linear in the lines, however
            // many a payment holds.
            let line_index_of: HashMap<&str, usize> = order
                .lines
                .iter()
                .enumerate()
                .map(|(index, candidate)| (candidate.id.as_str(), index))
                .collect();
            let mut named = vec![false; order.lines.len()];
            let mut units = Vec::with_capacity(lines.len());
            for (position, line) in lines.iter().enumerate() {
                let line_field = format!("{field}.lines[{position}]");
                let line_index = *line_index_of.get(line.line_id.as_str()).ok_or_else(|| {
                    InputError::new(
                        format!("{line_field}.line_id"),
                        RuleId::Input2,
                        format!("order {} has no line {}", order.id, line.line_id),
                    )
                })?;
                if std::mem::replace(&mut named[line_index], true) {
                    return Err(InputError::new(
                        format!("{line_field}.line_id"),
                        RuleId::Input2,
                        format!("line {} appears twice in this refund", line.line_id),
                    ));
                }
                if line.quantity == 0 {
                    return Err(InputError::new(
                        format!("{line_field}.quantity"),
                        RuleId::Refund1,
                        "a unit refund takes at least one unit",
                    ));
                }
                units.push(UnitsOfLine { line_index, quantity: line.quantity });
            }
            Ok(RefundRequest::Units { order_index, lines: units })
        }
        (None, Some(true), None) => Ok(RefundRequest::WholeOrder { order_index }),
        (None, None, Some(amount)) => Ok(RefundRequest::Amount {
            order_index,
            amount: parse_money(payment.currency, &format!("{field}.amount"), amount)?,
        }),
        _ => Err(InputError::new(
            field,
            RuleId::Refund1,
            "a refund has exactly one of \"lines\", \"full\": true or \"amount\"",
        )),
    }
}

fn parse_money(currency: Currency, field: &str, value: &Value) -> Result<Money, InputError> {
    match value {
        Value::String(text) => {
            currency.parse_amount(text).map_err(|error: MoneyError| error.at(field))
        }
        Value::Number(number) => Err(InputError::new(
            field,
            RuleId::Money1,
            format!(
                "amount {number} is a JSON number; write amounts as decimal strings such as \"12.30\""
            ),
        )),
        _ => Err(InputError::new(
            field,
            RuleId::Input1,
            "expected an amount as a decimal string such as \"12.30\"",
        )),
    }
}

fn parse_time(field: &str, text: &str) -> Result<Timestamp, InputError> {
    crate::time::parse_time(field, text, "2026-11-20T10:00:00Z")
}
