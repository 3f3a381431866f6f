//! The platform methods of `docs/platform-api.md`, for a call already authenticated as a store.
//!
//! Every mutation runs in one immediate transaction that also records its answer under its
//! mutation id, so a retried call returns the first answer and changes nothing, even after a
//! restart. A refused mutation changes nothing and records nothing.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use sellerdesk_core::ids::{Channel, CouponId};
use sellerdesk_core::money::{Currency, Money};
use sellerdesk_core::seller_coupon::{
    Amendment, CouponState, Publication, SellerCouponRequest, SellerCouponTerms,
};
use sellerdesk_core::status::CouponStatus;
use sellerdesk_core::{InputError, RuleId, Timestamp};
use sellerdesk_platform::api::{
    ChangesRequest, CodeChange, CouponChange, CouponTerms, CreateCouponRequest, CreateCouponResult,
    DecideRefundRequest, DecideRefundResult, MAXIMUM_CODES_PER_UPLOAD, MAXIMUM_MUTATION_ID_CHARS,
    MAXIMUM_PAGE_SIZE, Page, PageRequest, RefundRequestChange, RetitleCouponRequest,
    RetitleCouponResult, StopCouponRequest, StopCouponResult, UploadCodesRequest,
    UploadCodesResult, methods,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::database::StoreRow;
use crate::error::{ApiError, ApiErrorKind};
use crate::feeds::{Feed, read_changes};
use crate::records::{
    CodeInsertion, CouponRow, NewCode, count_coupons_of_store, coupons_of_store, decision_as_str,
    expire_valid_codes_of_coupon, insert_code, load_coupon, load_refund_request, save_coupon,
    save_refund_request,
};

/// The longest code the platform stores: a prefix and suffix of 16, a random part of 32 and a
/// check character, with room to spare.
pub const MAXIMUM_CODE_CHARS: usize = 80;

/// A method of the gateway, as its `method` parameter names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    CouponCreate,
    CouponStop,
    CouponRetitle,
    CodesUpload,
    RefundDecide,
    CouponsChanges,
    CodesChanges,
    RefundsChanges,
    CouponsList,
}

/// Whether a method changes the platform (and carries a mutation id) or only reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Mutation,
    Read,
}

impl Method {
    pub const ALL: [Method; 9] = [
        Method::CouponCreate,
        Method::CouponStop,
        Method::CouponRetitle,
        Method::CodesUpload,
        Method::RefundDecide,
        Method::CouponsChanges,
        Method::CodesChanges,
        Method::RefundsChanges,
        Method::CouponsList,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Method::CouponCreate => methods::COUPON_CREATE,
            Method::CouponStop => methods::COUPON_STOP,
            Method::CouponRetitle => methods::COUPON_RETITLE,
            Method::CodesUpload => methods::CODES_UPLOAD,
            Method::RefundDecide => methods::REFUND_DECIDE,
            Method::CouponsChanges => methods::COUPONS_CHANGES,
            Method::CodesChanges => methods::CODES_CHANGES,
            Method::RefundsChanges => methods::REFUNDS_CHANGES,
            Method::CouponsList => methods::COUPONS_LIST,
        }
    }

    pub fn parse(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|method| method.name() == name)
    }

    pub fn effect(self) -> Effect {
        match self {
            Method::CouponCreate
            | Method::CouponStop
            | Method::CouponRetitle
            | Method::CodesUpload
            | Method::RefundDecide => Effect::Mutation,
            Method::CouponsChanges
            | Method::CodesChanges
            | Method::RefundsChanges
            | Method::CouponsList => Effect::Read,
        }
    }
}

/// Handles one call of `store` and returns the JSON text of its answer.
pub fn call(
    connection: &mut Connection,
    store: &StoreRow,
    method: Method,
    body: &[u8],
    now: Timestamp,
) -> Result<String, ApiError> {
    let body = parse_body(body)?;
    match method {
        Method::CouponCreate => mutate(connection, store, method, body, now, create_coupon),
        Method::CouponStop => mutate(connection, store, method, body, now, stop_coupon),
        Method::CouponRetitle => mutate(connection, store, method, body, now, retitle_coupon),
        Method::CodesUpload => mutate(connection, store, method, body, now, upload_codes),
        Method::RefundDecide => mutate(connection, store, method, body, now, decide_refund),
        Method::CouponsChanges => answer(&read_changes::<CouponChange>(
            connection,
            &store.store_id,
            Feed::Coupons,
            &typed(body)?,
        )?),
        Method::CodesChanges => answer(&read_changes::<CodeChange>(
            connection,
            &store.store_id,
            Feed::Codes,
            &typed(body)?,
        )?),
        Method::RefundsChanges => answer(&read_changes::<RefundRequestChange>(
            connection,
            &store.store_id,
            Feed::Refunds,
            &typed::<ChangesRequest>(body)?,
        )?),
        Method::CouponsList => answer(&list_coupons(connection, store, typed(body)?)?),
    }
}

fn answer(result: &impl Serialize) -> Result<String, ApiError> {
    Ok(serde_json::to_string(result)?)
}

/// Reads the body as JSON; an empty body counts as an empty object.
fn parse_body(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    serde_json::from_slice(body)
        .map_err(|error| ApiError::invalid_request(format!("the body is not valid JSON: {error}")))
}

fn typed<T: DeserializeOwned>(body: Value) -> Result<T, ApiError> {
    serde_json::from_value(body).map_err(|error| {
        ApiError::invalid_request(format!("the body does not fit the method: {error}"))
    })
}

/// A request that changes something and carries the client's mutation id.
trait MutationRequest: DeserializeOwned {
    fn mutation_id(&self) -> &str;
}

impl MutationRequest for CreateCouponRequest {
    fn mutation_id(&self) -> &str {
        &self.mutation_id
    }
}

impl MutationRequest for StopCouponRequest {
    fn mutation_id(&self) -> &str {
        &self.mutation_id
    }
}

impl MutationRequest for RetitleCouponRequest {
    fn mutation_id(&self) -> &str {
        &self.mutation_id
    }
}

impl MutationRequest for UploadCodesRequest {
    fn mutation_id(&self) -> &str {
        &self.mutation_id
    }
}

impl MutationRequest for DecideRefundRequest {
    fn mutation_id(&self) -> &str {
        &self.mutation_id
    }
}

/// Applies a mutation exactly once per store and mutation id (see the module comment).
fn mutate<Request: MutationRequest, Answer: Serialize>(
    connection: &mut Connection,
    store: &StoreRow,
    method: Method,
    body: Value,
    now: Timestamp,
    apply: fn(&Transaction<'_>, &StoreRow, Request, Timestamp) -> Result<Answer, ApiError>,
) -> Result<String, ApiError> {
    let request: Request = typed(body.clone())?;
    let mutation_id = request.mutation_id().to_owned();
    let length = mutation_id.chars().count();
    if !(1..=MAXIMUM_MUTATION_ID_CHARS).contains(&length) {
        return Err(ApiError::invalid_request(format!(
            "mutation_id must be 1 to {MAXIMUM_MUTATION_ID_CHARS} characters, not {length}"
        )));
    }
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let previous: Option<(String, String, String)> = transaction
        .prepare_cached(
            "SELECT method, request, response FROM mutations
             WHERE store_id = ?1 AND mutation_id = ?2",
        )?
        .query_row((&store.store_id, &mutation_id), |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    if let Some((previous_method, previous_request, previous_response)) = previous {
        let same_call = previous_method == method.name()
            && serde_json::from_str::<Value>(&previous_request)? == body;
        return if same_call {
            Ok(previous_response)
        } else {
            Err(ApiError::rule_violation(format!(
                "mutation id {mutation_id} was already used for another call ({previous_method}); \
                 a retry must repeat the same call"
            )))
        };
    }
    let response = answer(&apply(&transaction, store, request, now)?)?;
    transaction
        .prepare_cached(
            "INSERT INTO mutations (store_id, mutation_id, method, request, response, applied_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute((
            &store.store_id,
            &mutation_id,
            method.name(),
            body.to_string(),
            &response,
            now.to_string(),
        ))?;
    transaction.commit()?;
    Ok(response)
}

fn store_currency(store: &StoreRow) -> Result<Currency, ApiError> {
    Currency::from_code(&store.currency).map_err(|error| {
        ApiError::new(
            ApiErrorKind::Internal,
            format!("store {} has an unusable currency: {error}", store.store_id),
        )
    })
}

pub fn parse_time(field: &str, text: &str) -> Result<Timestamp, InputError> {
    text.parse().map_err(|error| {
        InputError::new(
            field,
            RuleId::Input3,
            format!("\"{text}\" is not an RFC 3339 time with an offset: {error}"),
        )
    })
}

fn parse_amount(currency: Currency, field: &str, text: &str) -> Result<Money, InputError> {
    currency.parse_amount(text).map_err(|error| error.at(field))
}

/// Reads the terms a client sent, in the store's currency.
fn coupon_request(store: &StoreRow, terms: &CouponTerms) -> Result<SellerCouponRequest, ApiError> {
    CouponId::parse("coupon.coupon_id", &terms.coupon_id)?;
    let currency = store_currency(store)?;
    if terms.currency != store.currency {
        return Err(InputError::new(
            "coupon.currency",
            RuleId::Money3,
            format!(
                "store {} sells in {}, so its coupons are in {} too, not \"{}\"",
                store.store_id, store.currency, store.currency, terms.currency
            ),
        )
        .into());
    }
    Ok(SellerCouponRequest {
        title: terms.title.clone(),
        currency,
        discount: parse_amount(currency, "coupon.discount", &terms.discount)?,
        min_purchase: parse_amount(currency, "coupon.min_purchase", &terms.min_purchase)?,
        valid_from: parse_time("coupon.valid_from", &terms.valid_from)?,
        valid_to: parse_time("coupon.valid_to", &terms.valid_to)?,
        quantity: terms.quantity,
    })
}

/// The terms of a coupon the platform already holds.
fn stored_terms(store: &StoreRow, coupon: &CouponRow) -> Result<SellerCouponTerms, ApiError> {
    let request = coupon_request(store, &coupon.terms)?;
    SellerCouponTerms::restore(request).map_err(|error| {
        ApiError::new(
            ApiErrorKind::Internal,
            format!("coupon {} is stored with broken terms: {error}", coupon.terms.coupon_id),
        )
    })
}

/// `seller.coupon.create`: publishes a coupon. Creating it again with the same terms changes
/// nothing (a new title is taken: the title is not a term); different terms are refused
/// (CREATE-5), and a rejected coupon can be corrected and submitted again.
fn create_coupon(
    transaction: &Transaction<'_>,
    store: &StoreRow,
    request: CreateCouponRequest,
    now: Timestamp,
) -> Result<CreateCouponResult, ApiError> {
    let coupon_id = request.coupon.coupon_id.clone();
    let incoming = coupon_request(store, &request.coupon)?;
    let existing = load_coupon(transaction, &store.store_id, &coupon_id)?;
    match existing {
        Some(existing) if existing.state != CouponState::Rejected => {
            let current = stored_terms(store, &existing)?;
            let amendments = [
                (incoming.valid_to != current.valid_to())
                    .then_some(Amendment::ValidTo(incoming.valid_to)),
                (incoming.discount != current.discount())
                    .then_some(Amendment::Discount(incoming.discount)),
                (incoming.min_purchase != current.min_purchase())
                    .then_some(Amendment::MinPurchase(incoming.min_purchase)),
                (incoming.quantity != current.quantity())
                    .then_some(Amendment::Quantity(incoming.quantity)),
                (incoming.valid_from != current.valid_from())
                    .then_some(Amendment::ValidFrom(incoming.valid_from)),
                (incoming.title.trim() != current.title())
                    .then(|| Amendment::Title(incoming.title.clone())),
            ];
            let mut amended = current.clone();
            for amendment in amendments.into_iter().flatten() {
                amended = amended.amend(Publication::Published, amendment, now)?;
            }
            if amended != current {
                let mut renamed = existing.clone();
                renamed.terms.title = amended.title().to_owned();
                save_coupon(transaction, &renamed)?;
            }
            Ok(CreateCouponResult { coupon_id, state: existing.state.as_str().to_owned() })
        }
        rejected_or_new => {
            let terms = incoming.validate(now)?;
            let code_count = rejected_or_new.map_or(0, |rejected| rejected.code_count);
            save_coupon(
                transaction,
                &CouponRow {
                    store_id: store.store_id.clone(),
                    terms: CouponTerms::of(&coupon_id, &terms),
                    state: CouponState::Published,
                    reason: None,
                    code_count,
                },
            )?;
            Ok(CreateCouponResult { coupon_id, state: CouponState::Published.as_str().to_owned() })
        }
    }
}

/// `seller.coupon.stop`: ends the coupon at `stopped_at`, never later than it already ended and
/// never before it started (CREATE-5). Codes still valid when it has ended expire with it.
fn stop_coupon(
    transaction: &Transaction<'_>,
    store: &StoreRow,
    request: StopCouponRequest,
    now: Timestamp,
) -> Result<StopCouponResult, ApiError> {
    let coupon =
        published_coupon(transaction, store, &request.coupon_id, "so there is nothing to stop")?;
    let stopped_at = parse_time("stopped_at", &request.stopped_at)?;
    let valid_from = parse_time("valid_from", &coupon.terms.valid_from)?;
    let valid_to = parse_time("valid_to", &coupon.terms.valid_to)?;
    let new_valid_to = stopped_at.min(valid_to).max(valid_from);
    let mut stopped = coupon.clone();
    stopped.state = CouponState::Stopped;
    stopped.terms.valid_to = new_valid_to.to_string();
    if stopped != coupon {
        save_coupon(transaction, &stopped)?;
    }
    if new_valid_to <= now {
        expire_valid_codes_of_coupon(
            transaction,
            &store.store_id,
            &request.coupon_id,
            now,
            u32::MAX,
        )?;
    }
    Ok(StopCouponResult {
        coupon_id: request.coupon_id,
        state: CouponState::Stopped.as_str().to_owned(),
        valid_to: stopped.terms.valid_to,
    })
}

/// `seller.coupon.retitle`: gives a coupon a new title, the one term that may change once it is
/// published (CREATE-5); the coupon enters its feed again, so that every desk of the store has it.
fn retitle_coupon(
    transaction: &Transaction<'_>,
    store: &StoreRow,
    request: RetitleCouponRequest,
    now: Timestamp,
) -> Result<RetitleCouponResult, ApiError> {
    let coupon = published_coupon(
        transaction,
        store,
        &request.coupon_id,
        "so submit it again with its new title",
    )?;
    let current = stored_terms(store, &coupon)?;
    let amended =
        current.amend(Publication::Published, Amendment::Title(request.title.clone()), now)?;
    if amended.title() != coupon.terms.title {
        let mut renamed = coupon.clone();
        renamed.terms.title = amended.title().to_owned();
        save_coupon(transaction, &renamed)?;
    }
    Ok(RetitleCouponResult { coupon_id: request.coupon_id, title: amended.title().to_owned() })
}

/// The coupon a stop or a new title concerns, which the platform must have published: a rejected
/// one has nothing to change (`then` says what to do instead).
fn published_coupon(
    transaction: &Transaction<'_>,
    store: &StoreRow,
    coupon_id: &str,
    then: &str,
) -> Result<CouponRow, ApiError> {
    let coupon = load_coupon(transaction, &store.store_id, coupon_id)?
        .ok_or_else(|| coupon_not_found(store, coupon_id))?;
    if coupon.state == CouponState::Rejected {
        return Err(ApiError::rule_violation(format!(
            "coupon {coupon_id} was rejected by the platform, {then} [CREATE-5]"
        )));
    }
    Ok(coupon)
}

fn coupon_not_found(store: &StoreRow, coupon_id: &str) -> ApiError {
    ApiError::not_found(format!("store {} has no coupon {coupon_id}", store.store_id))
}

/// Whether `code` is a normalised code: upper-case letters and digits, no dashes.
fn is_normalised_code(code: &str) -> bool {
    (1..=MAXIMUM_CODE_CHARS).contains(&code.len())
        && code.bytes().all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit())
}

/// `seller.codes.upload`: stores a batch of codes for a live coupon. Codes are unique on the whole
/// platform: one that another coupon holds is reported in `taken` and not stored (CODES-2); one
/// this coupon already holds counts as accepted. A coupon never holds more codes than its
/// quantity, and a stopped or ended coupon takes none (CODES-1).
fn upload_codes(
    transaction: &Transaction<'_>,
    store: &StoreRow,
    request: UploadCodesRequest,
    now: Timestamp,
) -> Result<UploadCodesResult, ApiError> {
    if request.codes.is_empty() || request.codes.len() > MAXIMUM_CODES_PER_UPLOAD {
        return Err(ApiError::invalid_request(format!(
            "codes must hold 1 to {MAXIMUM_CODES_PER_UPLOAD} codes, not {}",
            request.codes.len()
        )));
    }
    let channel =
        request.channel.as_deref().map(|channel| Channel::parse("channel", channel)).transpose()?;
    let mut seen = HashSet::with_capacity(request.codes.len());
    for (index, code) in request.codes.iter().enumerate() {
        if !is_normalised_code(code) {
            return Err(ApiError::invalid_request(format!(
                "codes[{index}]: \"{code}\" is not a normalised code (1 to {MAXIMUM_CODE_CHARS} \
                 upper-case letters and digits, no dashes)"
            )));
        }
        if !seen.insert(code.as_str()) {
            return Err(ApiError::invalid_request(format!(
                "codes[{index}]: \"{code}\" appears twice in this call"
            )));
        }
    }
    let mut coupon = load_coupon(transaction, &store.store_id, &request.coupon_id)?
        .ok_or_else(|| coupon_not_found(store, &request.coupon_id))?;
    match coupon.state {
        CouponState::Published => {}
        CouponState::Stopped => {
            return Err(ApiError::rule_violation(format!(
                "coupon {} was stopped, so it takes no new codes [CODES-1]",
                request.coupon_id
            )));
        }
        _ => {
            return Err(ApiError::rule_violation(format!(
                "coupon {} is not published, so it takes no codes [CODES-1]",
                request.coupon_id
            )));
        }
    }
    let valid_to = parse_time("valid_to", &coupon.terms.valid_to)?;
    if valid_to <= now {
        return Err(ApiError::rule_violation(format!(
            "coupon {} ended at {valid_to}, so it takes no new codes [CODES-1]",
            request.coupon_id
        )));
    }

    let changed_at = now.to_string();
    let mut stored: u32 = 0;
    let mut already_held: u32 = 0;
    let mut taken = Vec::new();
    for code in &request.codes {
        let new_code = NewCode {
            store_id: &store.store_id,
            coupon_id: &request.coupon_id,
            code,
            batch_id: request.batch_id,
            channel: channel.as_ref().map(Channel::as_str),
            status: CouponStatus::Valid,
            buyer_id: None,
            changed_at: &changed_at,
        };
        match insert_code(transaction, &new_code)? {
            CodeInsertion::Stored => stored += 1,
            CodeInsertion::AlreadyHeld => already_held += 1,
            CodeInsertion::Taken => taken.push(code.clone()),
        }
    }
    let code_count = coupon.code_count + stored;
    if code_count > coupon.terms.quantity {
        // Returning the error drops the transaction, so none of the batch is stored.
        return Err(ApiError::rule_violation(format!(
            "coupon {} can be given to {} buyers and already has {} codes, so it cannot take \
             {stored} more [CODES-1]",
            request.coupon_id, coupon.terms.quantity, coupon.code_count
        )));
    }
    if stored > 0 {
        // The coupon enters its feed again with its new count, so that every desk of the store
        // counts these codes against its quantity.
        coupon.code_count = code_count;
        save_coupon(transaction, &coupon)?;
    }
    Ok(UploadCodesResult { accepted: stored + already_held, taken })
}

/// `seller.refund.decide`: decides a buyer's refund request once. The same decision again answers
/// as the first time; a different one is refused.
fn decide_refund(
    transaction: &Transaction<'_>,
    store: &StoreRow,
    request: DecideRefundRequest,
    now: Timestamp,
) -> Result<DecideRefundResult, ApiError> {
    let mut refund_request =
        load_refund_request(transaction, &store.store_id, &request.request_id)?.ok_or_else(
            || {
                ApiError::not_found(format!(
                    "store {} has no refund request {}",
                    store.store_id, request.request_id
                ))
            },
        )?;
    match (refund_request.change.decision, refund_request.change.decided_at.clone()) {
        (Some(decision), Some(decided_at)) if decision == request.decision => {
            Ok(DecideRefundResult { request_id: request.request_id, decision, decided_at })
        }
        (Some(decision), decided_at) => Err(ApiError::rule_violation(format!(
            "refund request {} was already decided ({}) at {}; a refund request is decided once",
            request.request_id,
            decision_as_str(decision),
            decided_at.unwrap_or_default()
        ))),
        (None, _) => {
            let decided_at = now.to_string();
            refund_request.change.decision = Some(request.decision);
            refund_request.change.decided_at = Some(decided_at.clone());
            save_refund_request(transaction, &refund_request)?;
            Ok(DecideRefundResult {
                request_id: request.request_id,
                decision: request.decision,
                decided_at,
            })
        }
    }
}

/// `seller.coupons.list`: the store's coupons by id, a page at a time.
fn list_coupons(
    connection: &Connection,
    store: &StoreRow,
    request: PageRequest,
) -> Result<Page<CouponChange>, ApiError> {
    if request.page == 0 {
        return Err(ApiError::invalid_request("page counts from 1"));
    }
    if !(1..=MAXIMUM_PAGE_SIZE).contains(&request.page_size) {
        return Err(ApiError::invalid_request(format!(
            "page_size must be from 1 to {MAXIMUM_PAGE_SIZE}, not {}",
            request.page_size
        )));
    }
    let offset = u64::from(request.page - 1) * u64::from(request.page_size);
    let items = coupons_of_store(connection, &store.store_id, offset, request.page_size)?
        .iter()
        .map(CouponRow::change)
        .collect();
    let total = count_coupons_of_store(connection, &store.store_id)?;
    Ok(Page { items, page: request.page, page_size: request.page_size, total })
}
