//! An in-memory platform for tests, offline: it keeps the platform's rules of
//! `docs/platform-api.md` (mutation ids applied once per store, codes unique on the whole
//! platform, a refund decided once, feeds read by cursor) for one store, and fails on request:
//! at random (before applying a call, or after applying it with the answer lost) or as scripted.
//!
//! It also watches the client: a mutation id sent again with a different body, a coupon created
//! twice or a code uploaded twice are counted, so tests can prove that nothing was applied twice.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sellerdesk_core::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::{
    ChangesPage, ChangesRequest, CodeChange, CouponChange, CreateCouponRequest, CreateCouponResult,
    DecideRefundRequest, DecideRefundResult, MAXIMUM_CHANGES_PER_PAGE, MAXIMUM_CODES_PER_UPLOAD,
    MAXIMUM_MUTATION_ID_CHARS, RefundRequestChange, RetitleCouponRequest, RetitleCouponResult,
    StopCouponRequest, StopCouponResult, UploadCodesRequest, UploadCodesResult, methods,
};
use crate::connector::PlatformKind;
use crate::platform_api::{CallError, CodeBatchContext, PlatformApi};

/// How often calls fail at random, each a probability from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FaultRates {
    /// The call fails with HTTP 503 before anything is applied.
    pub before_applying: f64,
    /// The call is applied, then its answer is lost (the connection drops).
    pub after_applying: f64,
}

/// A failure to script for the next call of one method.
#[derive(Debug, Clone, PartialEq)]
pub enum ScriptedFault {
    /// Fails with this error before applying anything.
    BeforeApplying(CallError),
    /// Applies the call, then fails with this error.
    AfterApplying(CallError),
    /// Applies the call, then answers this JSON instead of the real answer (when it does not fit
    /// the method's result type, the call fails with a bad response, as the HTTP client would).
    InsteadOfAnswer(serde_json::Value),
}

/// The in-memory platform, for one store.
#[derive(Debug)]
pub struct FakePlatform {
    state: Mutex<FakeState>,
}

#[derive(Debug)]
struct FakeState {
    random: StdRng,
    fault_rates: FaultRates,
    scripted: VecDeque<(String, ScriptedFault)>,
    refused_coupons: HashMap<String, String>,
    /// Applied mutations: their request and first answer, as JSON.
    applied: HashMap<String, (serde_json::Value, serde_json::Value)>,
    conflicting_mutations: Vec<String>,
    coupons: BTreeMap<String, CouponChange>,
    repeated_coupon_creations: u64,
    /// Codes of this store, with their coupon and batch.
    codes: BTreeMap<String, (String, i64)>,
    /// Codes other sellers hold.
    foreign_codes: BTreeSet<String>,
    repeated_code_uploads: u64,
    injected_faults: u64,
    refunds: BTreeMap<String, RefundRequestChange>,
    coupon_feed: Vec<CouponChange>,
    code_feed: Vec<CodeChange>,
    refund_feed: Vec<RefundRequestChange>,
    calls: HashMap<String, u64>,
}

impl Default for FakePlatform {
    fn default() -> FakePlatform {
        FakePlatform::new(0)
    }
}

impl FakePlatform {
    /// A platform that never fails until told to; `seed` fixes its random faults.
    pub fn new(seed: u64) -> FakePlatform {
        FakePlatform {
            state: Mutex::new(FakeState {
                random: StdRng::seed_from_u64(seed),
                fault_rates: FaultRates::default(),
                scripted: VecDeque::new(),
                refused_coupons: HashMap::new(),
                applied: HashMap::new(),
                conflicting_mutations: Vec::new(),
                coupons: BTreeMap::new(),
                repeated_coupon_creations: 0,
                codes: BTreeMap::new(),
                foreign_codes: BTreeSet::new(),
                repeated_code_uploads: 0,
                injected_faults: 0,
                refunds: BTreeMap::new(),
                coupon_feed: Vec::new(),
                code_feed: Vec::new(),
                refund_feed: Vec::new(),
                calls: HashMap::new(),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_fault_rates(&self, rates: FaultRates) {
        self.state().fault_rates = rates;
    }

    /// The next call of `method` fails as `fault` says (faults queue up in order).
    pub fn script(&self, method: &str, fault: ScriptedFault) {
        self.state().scripted.push_back((method.to_owned(), fault));
    }

    /// Creating the coupon `coupon_id` is refused as a rule violation with `message`.
    pub fn refuse_coupon(&self, coupon_id: &str, message: &str) {
        self.state().refused_coupons.insert(coupon_id.to_owned(), message.to_owned());
    }

    /// Another seller holds `code`: uploading it reports it taken.
    pub fn hold_foreign_code(&self, code: &str) {
        self.state().foreign_codes.insert(code.to_owned());
    }

    /// A coupon's change, as another channel (the platform's own site) made it.
    pub fn report_coupon(&self, change: CouponChange) {
        let mut state = self.state();
        state.coupons.insert(change.terms.coupon_id.clone(), change.clone());
        state.coupon_feed.push(change);
    }

    /// The platform restored from an older backup: the codes feed holds only what it held
    /// then, and a cursor beyond it is answered `410 cursor_reset`.
    pub fn reset_code_history(&self, kept: usize) {
        self.state().code_feed.truncate(kept);
    }

    /// A code's status change, taken as it is (an unknown status too).
    pub fn report_code_status(&self, change: CodeChange) {
        self.state().code_feed.push(change);
    }

    /// A buyer's refund request, or a change to one.
    pub fn report_refund_request(&self, change: RefundRequestChange) {
        let mut state = self.state();
        state.refunds.insert(change.request_id.clone(), change.clone());
        state.refund_feed.push(change);
    }

    pub fn coupon(&self, coupon_id: &str) -> Option<CouponChange> {
        self.state().coupons.get(coupon_id).cloned()
    }

    pub fn coupon_count(&self) -> usize {
        self.state().coupons.len()
    }

    /// The codes of this store's batch, in code order.
    pub fn codes_of_batch(&self, batch_id: i64) -> Vec<String> {
        self.state()
            .codes
            .iter()
            .filter(|(_, (_, batch))| *batch == batch_id)
            .map(|(code, _)| code.clone())
            .collect()
    }

    pub fn refund_request(&self, request_id: &str) -> Option<RefundRequestChange> {
        self.state().refunds.get(request_id).cloned()
    }

    /// How many calls of `method` arrived (failed ones too).
    pub fn calls(&self, method: &str) -> u64 {
        self.state().calls.get(method).copied().unwrap_or_default()
    }

    /// Mutation ids that came again with a different body: a client bug, never expected.
    pub fn conflicting_mutations(&self) -> Vec<String> {
        self.state().conflicting_mutations.clone()
    }

    /// Creations of a coupon that already existed, under a new mutation id.
    pub fn repeated_coupon_creations(&self) -> u64 {
        self.state().repeated_coupon_creations
    }

    /// Codes uploaded again to the batch that already had them, under a new mutation id.
    pub fn repeated_code_uploads(&self) -> u64 {
        self.state().repeated_code_uploads
    }

    /// How many random faults were injected.
    pub fn injected_faults(&self) -> u64 {
        self.state().injected_faults
    }

    /// Runs one mutation: scripted or random faults, then the first answer again for a known
    /// mutation id, or `apply` once.
    fn mutate<Request, Answer>(
        &self,
        method: &str,
        mutation_id: &str,
        request: &Request,
        apply: impl FnOnce(&mut FakeState) -> Result<Answer, CallError>,
    ) -> Result<Answer, CallError>
    where
        Request: Serialize,
        Answer: Serialize + DeserializeOwned,
    {
        let mut state = self.state();
        *state.calls.entry(method.to_owned()).or_default() += 1;
        let scripted = state.take_scripted(method);
        if let Some(ScriptedFault::BeforeApplying(error)) = scripted {
            return Err(error);
        }
        let rates = state.fault_rates;
        if state.chance(rates.before_applying) {
            return Err(CallError::Unavailable {
                status: 503,
                retry_after: None,
                message: "the platform is restarting".into(),
            });
        }
        if mutation_id.is_empty() || mutation_id.len() > MAXIMUM_MUTATION_ID_CHARS {
            return Err(invalid_request("mutation_id must be 1 to 64 characters"));
        }
        let request_json = to_json(request);
        let answer_json = match state.applied.get(mutation_id).cloned() {
            Some((first_request, first_answer)) => {
                if first_request != request_json {
                    state.conflicting_mutations.push(mutation_id.to_owned());
                }
                first_answer
            }
            None => {
                let answer = apply(&mut state)?;
                let answer_json = to_json(&answer);
                state.applied.insert(mutation_id.to_owned(), (request_json, answer_json.clone()));
                answer_json
            }
        };
        match scripted {
            Some(ScriptedFault::AfterApplying(error)) => return Err(error),
            Some(ScriptedFault::InsteadOfAnswer(replacement)) => {
                return serde_json::from_value(replacement).map_err(|error| {
                    CallError::BadResponse { method: method.to_owned(), message: error.to_string() }
                });
            }
            Some(ScriptedFault::BeforeApplying(_)) | None => {}
        }
        if state.chance(rates.after_applying) {
            return Err(CallError::Unreachable {
                message: "the connection dropped after the platform applied the call".into(),
            });
        }
        serde_json::from_value(answer_json).map_err(|error| CallError::BadResponse {
            method: method.to_owned(),
            message: error.to_string(),
        })
    }

    /// Reads one page of a feed: scripted or random faults, then the page.
    fn read_feed<Item: Clone + Serialize + DeserializeOwned>(
        &self,
        method: &str,
        request: &ChangesRequest,
        feed: impl FnOnce(&FakeState) -> &Vec<Item>,
    ) -> Result<ChangesPage<Item>, CallError> {
        let mut state = self.state();
        *state.calls.entry(method.to_owned()).or_default() += 1;
        let scripted = state.take_scripted(method);
        match scripted {
            Some(ScriptedFault::BeforeApplying(error) | ScriptedFault::AfterApplying(error)) => {
                return Err(error);
            }
            Some(ScriptedFault::InsteadOfAnswer(replacement)) => {
                return serde_json::from_value(replacement).map_err(|error| {
                    CallError::BadResponse { method: method.to_owned(), message: error.to_string() }
                });
            }
            None => {}
        }
        let rates = state.fault_rates;
        if state.chance(rates.before_applying) || state.chance(rates.after_applying) {
            return Err(CallError::Unavailable {
                status: 503,
                retry_after: None,
                message: "the platform is restarting".into(),
            });
        }
        let start = match request.cursor.as_deref() {
            None | Some("") => 0,
            Some(text) => {
                text.parse::<usize>().map_err(|_| invalid_request("cursor is not one of ours"))?
            }
        };
        let limit = request.limit.unwrap_or(1_000);
        if !(1..=MAXIMUM_CHANGES_PER_PAGE).contains(&limit) {
            return Err(invalid_request("limit must be 1 to 5000"));
        }
        let items = feed(&state);
        if start > items.len() {
            return Err(CallError::Rejected {
                status: 410,
                code: "cursor_reset".into(),
                message: format!("cursor {start} is beyond this feed's {} changes", items.len()),
            });
        }
        let end = start.saturating_add(limit as usize).min(items.len());
        Ok(ChangesPage {
            items: items[start..end].to_vec(),
            next_cursor: end.to_string(),
            has_more: end < items.len(),
            unusable: Vec::new(),
        })
    }
}

impl FakeState {
    fn take_scripted(&mut self, method: &str) -> Option<ScriptedFault> {
        let position = self.scripted.iter().position(|(name, _)| name == method)?;
        self.scripted.remove(position).map(|(_, fault)| fault)
    }

    /// Draws whether a random fault happens now, counting those that do.
    fn chance(&mut self, probability: f64) -> bool {
        let fault = probability > 0.0 && self.random.random_bool(probability.clamp(0.0, 1.0));
        if fault {
            self.injected_faults += 1;
        }
        fault
    }
}

fn to_json(value: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

fn invalid_request(message: &str) -> CallError {
    CallError::Rejected { status: 400, code: "invalid_request".into(), message: message.into() }
}

fn not_found(message: String) -> CallError {
    CallError::Rejected { status: 404, code: "not_found".into(), message }
}

fn rule_violation(message: String) -> CallError {
    CallError::Rejected { status: 409, code: "rule_violation".into(), message }
}

impl PlatformApi for FakePlatform {
    /// It plays the Seller Desk platform API.
    fn kind(&self) -> PlatformKind {
        PlatformKind::Sellerdesk
    }

    async fn create_coupon(
        &self,
        request: &CreateCouponRequest,
    ) -> Result<CreateCouponResult, CallError> {
        self.mutate(methods::COUPON_CREATE, &request.mutation_id, request, |state| {
            let coupon_id = &request.coupon.coupon_id;
            if let Some(message) = state.refused_coupons.get(coupon_id) {
                return Err(rule_violation(message.clone()));
            }
            if state.coupons.contains_key(coupon_id) {
                state.repeated_coupon_creations += 1;
                return Err(rule_violation(format!("coupon {coupon_id} exists already")));
            }
            let change = CouponChange {
                terms: request.coupon.clone(),
                state: "published".into(),
                reason: None,
                claimed: None,
                codes: None,
            };
            state.coupons.insert(coupon_id.clone(), change.clone());
            state.coupon_feed.push(change);
            Ok(CreateCouponResult { coupon_id: coupon_id.clone(), state: "published".into() })
        })
    }

    async fn retitle_coupon(
        &self,
        request: &RetitleCouponRequest,
    ) -> Result<RetitleCouponResult, CallError> {
        self.mutate(methods::COUPON_RETITLE, &request.mutation_id, request, |state| {
            let Some(coupon) = state.coupons.get_mut(&request.coupon_id) else {
                return Err(not_found(format!("coupon {} does not exist", request.coupon_id)));
            };
            coupon.terms.title = request.title.clone();
            let change = coupon.clone();
            state.coupon_feed.push(change);
            Ok(RetitleCouponResult::as_asked(request))
        })
    }

    async fn stop_coupon(
        &self,
        request: &StopCouponRequest,
    ) -> Result<StopCouponResult, CallError> {
        self.mutate(methods::COUPON_STOP, &request.mutation_id, request, |state| {
            let Some(coupon) = state.coupons.get_mut(&request.coupon_id) else {
                return Err(not_found(format!("coupon {} does not exist", request.coupon_id)));
            };
            coupon.state = "stopped".into();
            coupon.terms.valid_to = request.stopped_at.clone();
            let change = coupon.clone();
            state.coupon_feed.push(change);
            Ok(StopCouponResult::as_asked(request))
        })
    }

    async fn upload_codes(
        &self,
        request: &UploadCodesRequest,
        _batch: &CodeBatchContext<'_>,
    ) -> Result<UploadCodesResult, CallError> {
        self.mutate(methods::CODES_UPLOAD, &request.mutation_id, request, |state| {
            if request.codes.len() > MAXIMUM_CODES_PER_UPLOAD {
                return Err(invalid_request("at most 1000 codes per upload"));
            }
            if !state.coupons.contains_key(&request.coupon_id) {
                return Err(not_found(format!("coupon {} does not exist", request.coupon_id)));
            }
            let mut accepted = 0;
            let mut taken = Vec::new();
            for code in &request.codes {
                if state.foreign_codes.contains(code) {
                    taken.push(code.clone());
                    continue;
                }
                match state.codes.get(code) {
                    Some((_, batch_id)) => {
                        if *batch_id == request.batch_id {
                            state.repeated_code_uploads += 1;
                        }
                        taken.push(code.clone());
                    }
                    None => {
                        state
                            .codes
                            .insert(code.clone(), (request.coupon_id.clone(), request.batch_id));
                        accepted += 1;
                    }
                }
            }
            Ok(UploadCodesResult { accepted, taken })
        })
    }

    async fn decide_refund(
        &self,
        request: &DecideRefundRequest,
    ) -> Result<DecideRefundResult, CallError> {
        self.mutate(methods::REFUND_DECIDE, &request.mutation_id, request, |state| {
            let Some(refund) = state.refunds.get_mut(&request.request_id) else {
                return Err(not_found(format!(
                    "refund request {} does not exist",
                    request.request_id
                )));
            };
            if refund.decision.is_some() {
                return Err(rule_violation(format!(
                    "refund request {} is decided already; a refund request is decided once",
                    request.request_id
                )));
            }
            let decided_at = Timestamp::now().to_string();
            refund.decision = Some(request.decision);
            refund.decided_at = Some(decided_at.clone());
            let change = refund.clone();
            state.refund_feed.push(change);
            Ok(DecideRefundResult::as_asked(request, decided_at))
        })
    }

    async fn coupon_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<CouponChange>, CallError> {
        self.read_feed(methods::COUPONS_CHANGES, request, |state| &state.coupon_feed)
    }

    async fn code_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<CodeChange>, CallError> {
        self.read_feed(methods::CODES_CHANGES, request, |state| &state.code_feed)
    }

    async fn refund_changes(
        &self,
        request: &ChangesRequest,
    ) -> Result<ChangesPage<RefundRequestChange>, CallError> {
        self.read_feed(methods::REFUNDS_CHANGES, request, |state| &state.refund_feed)
    }
}
