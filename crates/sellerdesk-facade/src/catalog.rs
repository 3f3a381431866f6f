//! Stores and their seller coupons: add a store, create, list, edit and stop coupons.
//!
//! Every change that the platform must learn of is queued in the outbox in the same transaction.

use std::collections::BTreeMap;

use sellerdesk_core::ids::{CouponId, StoreId};
use sellerdesk_core::money::{Currency, Money};
use sellerdesk_core::rules::Reason;
use sellerdesk_core::seller_coupon::{Amendment, CouponState, SellerCouponRequest};
use sellerdesk_core::{InputError, RuleId, Timestamp};
use sellerdesk_platform::change::{OutboxChange, coupon_terms};
use sellerdesk_platform::connector::{Capability, PlatformKind};
use sellerdesk_store::{CodeCounts, CouponRecord, StoreRecord};

use crate::sync::check_capability;
use crate::views::{
    CodeCountsView, CouponListView, CouponView, EntryFieldView, PlatformEntryView,
    StorePlatformView, StoreView,
};
use crate::{ErrorCode, FacadeError, SellerDesk};

/// A store as the seller types it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStoreInput {
    pub store_id: String,
    pub name: String,
    pub currency: String,
}

/// A seller coupon as the seller types it; nothing checked yet. Amounts are decimal strings in the
/// store's currency; times are RFC 3339. The window sends it as it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct NewCouponInput {
    pub store_id: String,
    pub title: String,
    pub discount: String,
    pub min_purchase: String,
    pub valid_from: String,
    pub valid_to: String,
    pub quantity: u32,
}

/// Changes to an existing coupon; `None` (or a term left out) leaves a term as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CouponChangesInput {
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub title: Option<String>,
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub discount: Option<String>,
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub min_purchase: Option<String>,
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub valid_from: Option<String>,
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub valid_to: Option<String>,
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub quantity: Option<u32>,
}

pub(crate) fn parse_store_id(text: &str) -> Result<StoreId, FacadeError> {
    Ok(StoreId::parse("store", text)?)
}

pub(crate) fn parse_coupon_id(text: &str) -> Result<CouponId, FacadeError> {
    Ok(CouponId::parse("coupon", text)?)
}

fn parse_amount(currency: Currency, field: &str, text: &str) -> Result<Money, FacadeError> {
    currency.parse_amount(text.trim()).map_err(|error| error.at(field).into())
}

/// The value, trimmed, unless nothing is left of it.
pub(crate) fn required(field: &str, value: &str) -> Result<String, FacadeError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(InputError::new(field, RuleId::Input1, "must not be empty")
            .because(Reason::Required)
            .into());
    }
    Ok(value.to_owned())
}

/// A platform's address refused by its client (https, or http on loopback only).
pub(crate) fn refused_address(error: impl std::fmt::Display) -> FacadeError {
    InputError::new("url", RuleId::Input1, error.to_string()).because(Reason::Address).into()
}

pub(crate) fn parse_time(field: &str, text: &str) -> Result<Timestamp, FacadeError> {
    Ok(sellerdesk_core::time::parse_time(field, text, "2026-12-01T00:00:00Z")?)
}

impl SellerDesk {
    pub fn add_store(&self, input: &NewStoreInput) -> Result<StoreView, FacadeError> {
        let store_id = parse_store_id(&input.store_id)?;
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(InputError::new(
                "name",
                RuleId::Input1,
                "a store name has 1 to 120 characters",
            )
            .because(Reason::TooLong)
            .with("maximum", 120)
            .into());
        }
        sellerdesk_core::text::check_shown_text("name", name)?;
        let currency =
            Currency::from_code(input.currency.trim()).map_err(|error| error.at("currency"))?;
        let record =
            StoreRecord { store_id, name: name.to_owned(), currency, created_at: self.now() };
        self.store()?.write(|writer| writer.add_store(&record).map_err(FacadeError::from))?;
        Ok(self.store_view(&record))
    }

    /// The store `input` names, added when this desk does not know it yet. A store already here
    /// keeps its name; one in another currency is a conflict, since its amounts could not mix.
    pub fn ensure_store(&self, input: &NewStoreInput) -> Result<StoreView, FacadeError> {
        let store_id = parse_store_id(&input.store_id)?;
        let existing = self.store()?.read(|reader| {
            reader.stores().map(|stores| stores.into_iter().find(|s| s.store_id == store_id))
        })?;
        let Some(existing) = existing else { return self.add_store(input) };
        if existing.currency.code() != input.currency.trim().to_ascii_uppercase() {
            let mut conflict = FacadeError::new(
                ErrorCode::Conflict,
                format!(
                    "currency: store {store_id} is already on this desk in {}, not {}",
                    existing.currency.code(),
                    input.currency.trim()
                ),
            );
            conflict.field = Some("currency".to_owned());
            return Err(conflict);
        }
        Ok(self.store_view(&existing))
    }

    pub fn stores(&self) -> Result<Vec<StoreView>, FacadeError> {
        let stores = self.store()?.read(|reader| reader.stores().map_err(FacadeError::from))?;
        Ok(stores.iter().map(|store| self.store_view(store)).collect())
    }

    /// Creates a seller coupon and queues it for the platform (rules CREATE-1 to CREATE-4). On a
    /// platform whose API creates no coupon but brings coupons down (AliExpress), it is kept as a
    /// draft instead, for the seller to enter on the platform by hand
    /// ([`SellerDesk::platform_entry`]); it becomes the platform's coupon when that comes down.
    pub fn create_coupon(&self, input: &NewCouponInput) -> Result<CouponView, FacadeError> {
        let store_id = parse_store_id(&input.store_id)?;
        let now = self.now();
        let store = self.store()?;
        let shop = store.read(|reader| reader.store(&store_id).map_err(FacadeError::from))?;
        // A keyring out of reach is no reason to stop local work: the coupon is queued, and the
        // push stage holds it if its platform cannot take it.
        let kind = self.reachable_kind(&store_id);
        let drafted = kind.is_some_and(PlatformKind::drafts_coupons);
        if !drafted {
            check_capability(
                &store_id,
                kind,
                Capability::CreateCoupon,
                "create it on the platform itself; it comes down with the next sync",
            )?;
        }
        let terms = SellerCouponRequest {
            title: input.title.clone(),
            currency: shop.currency,
            discount: parse_amount(shop.currency, "discount", &input.discount)?,
            min_purchase: parse_amount(shop.currency, "min_purchase", &input.min_purchase)?,
            valid_from: parse_time("valid_from", &input.valid_from)?,
            valid_to: parse_time("valid_to", &input.valid_to)?,
            quantity: input.quantity,
        }
        .validate(now)?;
        let record = CouponRecord {
            coupon_id: new_coupon_id(),
            store_id: store_id.clone(),
            terms,
            state: if drafted { CouponState::Draft } else { CouponState::Pending },
            rejection_reason: None,
            platform_counts: Default::default(),
            created_at: now,
            updated_at: now,
        };
        store.write(|writer| {
            writer.insert_coupon(&record)?;
            if !drafted {
                writer.enqueue(
                    &OutboxChange::CreateCoupon(coupon_terms(&record)).entry(&store_id, now),
                )?;
            }
            Ok::<_, FacadeError>(())
        })?;
        Ok(coupon_view(&record, CodeCounts::default()))
    }

    /// The store's coupons with their code counts, and how many coupons are in each state.
    pub fn coupons(&self, store_id: &str) -> Result<CouponListView, FacadeError> {
        self.coupon_list(store_id, usize::MAX)
    }

    /// The first `count` coupons of the list `coupons` returns, with the counts of the whole
    /// list: enough for a first screen, which then asks for the rest. Carrying a long list to a
    /// window takes far longer than reading it.
    pub fn first_coupons(
        &self,
        store_id: &str,
        count: usize,
    ) -> Result<CouponListView, FacadeError> {
        self.coupon_list(store_id, count)
    }

    fn coupon_list(&self, store_id: &str, count: usize) -> Result<CouponListView, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let (coupons, counts) = self.store()?.read(|reader| {
            reader.store(&store_id)?;
            Ok::<_, FacadeError>((reader.coupons(&store_id)?, reader.code_counts(&store_id)?))
        })?;
        let mut state_counts: BTreeMap<String, u64> =
            CouponState::ALL.iter().map(|state| (state.as_str().to_owned(), 0)).collect();
        for coupon in &coupons {
            *state_counts.entry(coupon.state.as_str().to_owned()).or_default() += 1;
        }
        Ok(CouponListView {
            store_id: store_id.to_string(),
            total: coupons.len() as u64,
            coupons: coupons
                .iter()
                .take(count)
                .map(|coupon| {
                    coupon_view(coupon, counts.get(&coupon.coupon_id).copied().unwrap_or_default())
                })
                .collect(),
            state_counts,
        })
    }

    pub fn coupon(&self, store_id: &str, coupon_id: &str) -> Result<CouponView, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let coupon_id = parse_coupon_id(coupon_id)?;
        self.store()?.read(|reader| {
            let coupon = reader.coupon(&store_id, &coupon_id)?;
            let counts = reader.code_counts(&store_id)?.remove(&coupon_id).unwrap_or_default();
            Ok(coupon_view(&coupon, counts))
        })
    }

    /// What to enter on the store's platform by hand for a drafted coupon (a platform whose API
    /// creates no coupon), where; `None` for any other coupon.
    pub fn platform_entry(
        &self,
        store_id: &str,
        coupon_id: &str,
    ) -> Result<Option<PlatformEntryView>, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let coupon_id = parse_coupon_id(coupon_id)?;
        let coupon = self.store()?.read(|reader| reader.coupon(&store_id, &coupon_id))?;
        let Some(kind) = self.platform_of(&store_id)? else { return Ok(None) };
        if coupon.state != CouponState::Draft {
            return Ok(None);
        }
        let Some(entry) = kind.coupon_entry(&coupon_terms(&coupon)) else { return Ok(None) };
        let entry = entry.map_err(|message| FacadeError::new(ErrorCode::Internal, message))?;
        Ok(Some(PlatformEntryView {
            platform: kind.shown_name().to_owned(),
            link: entry.link.to_owned(),
            fields: entry
                .fields
                .into_iter()
                .map(|(label, value)| EntryFieldView { label: label.to_owned(), value })
                .collect(),
        }))
    }

    /// Changes a coupon's terms. Once submitted, only the title may change (CREATE-5).
    pub fn edit_coupon(
        &self,
        store_id: &str,
        coupon_id: &str,
        changes: &CouponChangesInput,
    ) -> Result<CouponView, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let coupon_id = parse_coupon_id(coupon_id)?;
        // A submitted coupon's new title goes to the platform, where its API takes one: every
        // desk of the store then has it. A draft or a refused coupon concerns this desk only.
        let state = self.store()?.read(|reader| reader.coupon(&store_id, &coupon_id))?.state;
        let submitted = !matches!(state, CouponState::Draft | CouponState::Rejected);
        if submitted && changes.title.is_some() {
            self.require(
                &store_id,
                Capability::UpdateCouponTitle,
                "change it on the platform itself; the next sync brings it down",
            )?;
        }
        let now = self.now();
        self.store()?.write(|writer| {
            let mut coupon = writer.reader().coupon(&store_id, &coupon_id)?;
            let title_before = coupon.terms.title().to_owned();
            let currency = coupon.terms.currency();
            let mut amendments = Vec::new();
            if let Some(title) = &changes.title {
                amendments.push(Amendment::Title(title.clone()));
            }
            if let Some(text) = &changes.discount {
                amendments.push(Amendment::Discount(parse_amount(currency, "discount", text)?));
            }
            if let Some(text) = &changes.min_purchase {
                amendments.push(Amendment::MinPurchase(parse_amount(
                    currency,
                    "min_purchase",
                    text,
                )?));
            }
            if let Some(text) = &changes.valid_from {
                amendments.push(Amendment::ValidFrom(parse_time("valid_from", text)?));
            }
            if let Some(text) = &changes.valid_to {
                amendments.push(Amendment::ValidTo(parse_time("valid_to", text)?));
            }
            if let Some(quantity) = changes.quantity {
                amendments.push(Amendment::Quantity(quantity));
            }
            if amendments.is_empty() {
                return Err(FacadeError::from(
                    InputError::new("changes", RuleId::Input1, "name at least one term to change")
                        .because(Reason::Required),
                ));
            }
            for amendment in amendments {
                coupon.terms = coupon.terms.amend(coupon.state.publication(), amendment, now)?;
            }
            if coupon.terms.quantity()
                < u32::try_from(writer.reader().code_count(&store_id, &coupon_id)?)
                    .unwrap_or(u32::MAX)
            {
                return Err(FacadeError::from(
                    InputError::new(
                        "quantity",
                        RuleId::Create3,
                        "the coupon already has more codes than that quantity",
                    )
                    .because(Reason::QuantityBelowCodes),
                ));
            }
            coupon.updated_at = now;
            writer.update_coupon(&coupon)?;
            // A coupon the platform refused goes up again, corrected. A submitted coupon can only
            // have changed its title, which goes up on its own.
            if coupon.state != CouponState::Rejected
                && coupon.state != CouponState::Draft
                && coupon.terms.title() != title_before
            {
                writer.enqueue(
                    &OutboxChange::UpdateCouponTitle(coupon_terms(&coupon)).entry(&store_id, now),
                )?;
            }
            if coupon.state == CouponState::Rejected {
                coupon.state = CouponState::Pending;
                coupon.rejection_reason = None;
                writer.update_coupon(&coupon)?;
                writer.enqueue(
                    &OutboxChange::CreateCoupon(coupon_terms(&coupon)).entry(&store_id, now),
                )?;
            }
            let counts =
                writer.reader().code_counts(&store_id)?.remove(&coupon_id).unwrap_or_default();
            Ok(coupon_view(&coupon, counts))
        })
    }

    /// Stops a coupon early: its validity ends now (CREATE-5).
    pub fn stop_coupon(&self, store_id: &str, coupon_id: &str) -> Result<CouponView, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let coupon_id = parse_coupon_id(coupon_id)?;
        // A draft lives on this desk only: stopping it concerns no platform.
        let state = self.store()?.read(|reader| reader.coupon(&store_id, &coupon_id))?.state;
        let draft = state == CouponState::Draft;
        if !draft {
            self.require(&store_id, Capability::StopCoupon, "stop it on the platform itself")?;
        }
        let now = self.now();
        self.store()?.write(|writer| {
            let mut coupon = writer.reader().coupon(&store_id, &coupon_id)?;
            if coupon.state == CouponState::Stopped {
                return Err(FacadeError::from(
                    InputError::new(
                        "coupon",
                        RuleId::Create5,
                        format!("coupon {coupon_id} is already stopped"),
                    )
                    .because(Reason::AlreadyStopped),
                ));
            }
            coupon.terms = coupon.terms.stop(now)?;
            coupon.state = CouponState::Stopped;
            coupon.updated_at = now;
            writer.update_coupon(&coupon)?;
            if !draft {
                writer.enqueue(
                    &OutboxChange::StopCoupon(coupon_terms(&coupon)).entry(&store_id, now),
                )?;
            }
            let counts =
                writer.reader().code_counts(&store_id)?.remove(&coupon_id).unwrap_or_default();
            Ok(coupon_view(&coupon, counts))
        })
    }
}

/// A new coupon id: `C` and 16 random characters, unguessable and unique for all practical uses.
fn new_coupon_id() -> CouponId {
    let text = format!("C{}", random_token(16));
    CouponId::parse("coupon", &text).expect("random tokens hold only letters and digits")
}

/// Random upper-case letters and digits from the operating system's secure source.
fn random_token(length: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = vec![0_u8; length];
    rand::fill(&mut bytes[..]);
    bytes.iter().map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()])).collect()
}

impl SellerDesk {
    /// A store as front ends show it, with its platform (a keyring out of reach shows none).
    pub(crate) fn store_view(&self, store: &StoreRecord) -> StoreView {
        let platform = self.reachable_kind(&store.store_id).map(|kind| StorePlatformView {
            kind: kind.as_str().to_owned(),
            name: kind.shown_name().to_owned(),
            capabilities: Capability::ALL
                .iter()
                .filter(|capability| kind.can(**capability))
                .map(|capability| capability.as_str().to_owned())
                .collect(),
        });
        StoreView {
            store_id: store.store_id.to_string(),
            name: store.name.clone(),
            currency: store.currency.code().to_owned(),
            created_at: store.created_at.to_string(),
            platform,
        }
    }
}

pub(crate) fn coupon_view(coupon: &CouponRecord, counts: CodeCounts) -> CouponView {
    let terms = &coupon.terms;
    CouponView {
        coupon_id: coupon.coupon_id.to_string(),
        store_id: coupon.store_id.to_string(),
        title: terms.title().to_owned(),
        currency: terms.currency().code().to_owned(),
        discount: terms.discount().to_string(),
        min_purchase: terms.min_purchase().to_string(),
        valid_from: terms.valid_from().to_string(),
        valid_to: terms.valid_to().to_string(),
        quantity: terms.quantity(),
        limit_per_buyer: terms.limit_per_buyer(),
        state: coupon.state.as_str().to_owned(),
        rejection_reason: coupon.rejection_reason.clone(),
        created_at: coupon.created_at.to_string(),
        updated_at: coupon.updated_at.to_string(),
        codes: code_counts_view(counts),
        claimed_on_platform: coupon.platform_counts.claimed,
        codes_on_platform: coupon.platform_counts.codes,
    }
}

pub(crate) fn code_counts_view(counts: CodeCounts) -> CodeCountsView {
    CodeCountsView {
        generated: counts.generated,
        exported: counts.exported,
        claimed: counts.claimed,
        valid: counts.valid,
        inactive: counts.inactive,
        used: counts.used,
        expired: counts.expired,
        pending: counts.pending,
    }
}
