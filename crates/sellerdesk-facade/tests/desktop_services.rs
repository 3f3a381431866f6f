//! Facade services the desktop app leans on: the live code-space hint of the code generator
//! form, adding a store only when it is new (when a store is connected from Settings), and the
//! first coupons of a long list for the first screen.

#![allow(clippy::unwrap_used)]

use std::ops::ControlFlow;
use std::sync::Arc;

use sellerdesk_facade::{
    CheckCharacterChoice, Clock, ConnectPlatformInput, DatabaseLocation, ErrorCode,
    GenerateCodesInput, GenerationProgress, MemoryVault, NewCouponInput, NewStoreInput, SellerDesk,
};

fn desk(directory: &tempfile::TempDir) -> SellerDesk {
    SellerDesk::with_settings(
        DatabaseLocation::Path(directory.path().join("desk.db")),
        Clock::Fixed("2026-11-24T12:00:00Z".parse().unwrap()),
    )
    .with_vault(Arc::new(MemoryVault::default()))
}

fn store(store_id: &str, currency: &str) -> NewStoreInput {
    NewStoreInput { store_id: store_id.into(), name: "Acme".into(), currency: currency.into() }
}

fn coupon_with_quantity(desk: &SellerDesk, quantity: u32) -> String {
    desk.add_store(&store("S1", "EUR")).unwrap();
    desk.create_coupon(&NewCouponInput {
        store_id: "S1".into(),
        title: "Winter".into(),
        discount: "5.00".into(),
        min_purchase: "50.00".into(),
        valid_from: "2026-12-01T00:00:00Z".into(),
        valid_to: "2027-01-01T00:00:00Z".into(),
        quantity,
    })
    .unwrap()
    .coupon_id
}

fn request(coupon_id: &str, count: u32) -> GenerateCodesInput {
    GenerateCodesInput {
        store_id: "S1".into(),
        coupon_id: coupon_id.into(),
        count,
        prefix: "WIN".into(),
        group: Some(4),
        ..GenerateCodesInput::default()
    }
}

#[test]
fn the_hint_shows_the_format_the_batch_then_gets() {
    let directory = tempfile::tempdir().unwrap();
    let desk = desk(&directory);
    let coupon = coupon_with_quantity(&desk, 50_000);
    let input = request(&coupon, 20_000);

    let hint = desk.code_space_hint(&input).unwrap();
    assert_eq!(hint.alphabet_size, 31);
    assert_eq!(hint.codes_left, 50_000);
    assert_eq!(hint.live_codes_after, 20_000);
    assert_eq!(hint.problem, None);
    let space: u128 = hint.code_space.parse().unwrap();
    assert_eq!(space, 31_u128.pow(hint.length));
    assert_eq!(hint.guess_one_in, (space / 20_000).to_string());
    assert!(hint.example.starts_with("WIN"), "{}", hint.example);

    let batch = desk.generate_codes(&input, |_| {}).unwrap();
    assert_eq!(batch.format.length, hint.length);

    // The next batch shares the code space with the first one's live codes.
    let next = desk.code_space_hint(&request(&coupon, 10_000)).unwrap();
    assert_eq!(next.live_codes_after, 30_000);
    assert_eq!(next.codes_left, 30_000);
}

#[test]
fn a_length_too_short_for_the_batch_is_described_with_the_rule_codes_5() {
    let directory = tempfile::tempdir().unwrap();
    let desk = desk(&directory);
    let coupon = coupon_with_quantity(&desk, 10_000);
    let input = GenerateCodesInput { length: Some(4), ..request(&coupon, 1_000) };

    let hint = desk.code_space_hint(&input).unwrap();
    assert_eq!(hint.length, 4);
    let problem = hint.problem.unwrap();
    assert!(problem.message.ends_with("[CODES-5]"), "{problem:?}");
    // What the app words it from: the rule, the reason, and the length that would do
    // (31^6 < 10^6 · 1,000 ≤ 31^7).
    assert_eq!((problem.rule.as_str(), problem.reason.as_deref()), ("CODES-5", Some("guessable")));
    assert_eq!(problem.params.get("advice").map(String::as_str), Some("length"));
    assert_eq!(problem.params.get("shortest").map(String::as_str), Some("7"));
    // And generating it is refused for the same reason.
    let refused = desk.generate_codes(&input, |_| {}).unwrap_err();
    assert_eq!((refused.rule, refused.reason), (Some("CODES-5"), Some("guessable")));
}

#[test]
fn a_bad_format_is_refused_naming_its_field() {
    let directory = tempfile::tempdir().unwrap();
    let desk = desk(&directory);
    let coupon = coupon_with_quantity(&desk, 10_000);
    let input = GenerateCodesInput {
        alphabet: Some("AAB".into()),
        check_character: CheckCharacterChoice::With,
        ..request(&coupon, 10)
    };
    let error = desk.code_space_hint(&input).unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(error.field.as_deref(), Some("alphabet"));
}

#[test]
fn ensure_store_adds_a_new_store_once_and_refuses_another_currency() {
    let directory = tempfile::tempdir().unwrap();
    let desk = desk(&directory);
    let added = desk.ensure_store(&store("S7", "JPY")).unwrap();
    assert_eq!(added.currency, "JPY");
    let again = desk.ensure_store(&store("S7", "jpy")).unwrap();
    assert_eq!(again, added);
    assert_eq!(desk.stores().unwrap().len(), 1);

    let conflict = desk.ensure_store(&store("S7", "EUR")).unwrap_err();
    assert_eq!(conflict.code, ErrorCode::Conflict);
    assert_eq!(conflict.field.as_deref(), Some("currency"));
    assert_eq!(conflict.message, "currency: store S7 is already on this desk in JPY, not EUR");
}

#[test]
fn a_cancelled_generation_keeps_no_code_and_queues_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let desk = desk(&directory);
    let coupon = coupon_with_quantity(&desk, 200_000);
    let pending_before = desk.sync_status(Some("S1")).unwrap()[0].pending_changes;

    let mut steps = 0;
    let refused = desk
        .generate_codes_cancellable(&request(&coupon, 120_000), |step| {
            steps += 1;
            match step {
                GenerationProgress::Written { .. } => ControlFlow::Break(()),
                GenerationProgress::Generated { .. } => ControlFlow::Continue(()),
            }
        })
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Cancelled);
    assert_eq!(steps, 2, "it stops at the first report of written codes");
    assert!(desk.code_batches("S1", &coupon).unwrap().is_empty());
    assert_eq!(desk.coupon("S1", &coupon).unwrap().codes.generated, 0);
    assert_eq!(desk.sync_status(Some("S1")).unwrap()[0].pending_changes, pending_before);

    // The same batch goes through afterwards.
    let batch = desk.generate_codes(&request(&coupon, 120_000), |_| {}).unwrap();
    assert_eq!(batch.code_count, 120_000);
}

#[test]
fn the_first_coupons_are_the_head_of_the_whole_list_with_the_whole_lists_counts() {
    let directory = tempfile::tempdir().unwrap();
    let desk = desk(&directory);
    coupon_with_quantity(&desk, 100);
    for title in ["Spring", "Summer", "Autumn"] {
        desk.create_coupon(&NewCouponInput {
            store_id: "S1".into(),
            title: title.into(),
            discount: "5.00".into(),
            min_purchase: "50.00".into(),
            valid_from: "2026-12-01T00:00:00Z".into(),
            valid_to: "2027-01-01T00:00:00Z".into(),
            quantity: 10,
        })
        .unwrap();
    }
    let whole = desk.coupons("S1").unwrap();
    assert_eq!(whole.total, 4);
    assert_eq!(whole.coupons.len(), 4);

    let first = desk.first_coupons("S1", 2).unwrap();
    assert_eq!(first.total, 4);
    assert_eq!(first.coupons, whole.coupons[..2].to_vec());
    assert_eq!(first.state_counts, whole.state_counts);

    // More than there are: the whole list.
    assert_eq!(desk.first_coupons("S1", 10).unwrap(), whole);
    // An unknown store is refused as the whole list refuses it.
    assert_eq!(desk.first_coupons("S9", 2).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn connecting_a_store_new_to_the_desk_adds_it_and_keeps_its_credentials() {
    let directory = tempfile::tempdir().unwrap();
    let desk = desk(&directory);
    let connection = |store_id: &str| ConnectPlatformInput {
        store_id: store_id.into(),
        base_url: "http://127.0.0.1:9".into(),
        app_key: "key".into(),
        app_secret: "secret".into(),
        access_token: "token".into(),
    };
    let connected = desk.connect_store(&store("S8", "EUR"), &connection("S8")).unwrap();
    assert_eq!(connected.store_id, "S8");
    assert_eq!(desk.stores().unwrap().len(), 1);
    assert!(desk.sync_status(Some("S8")).unwrap()[0].connected);

    // A connection for another store than the one named is refused, and nothing is added.
    let error = desk.connect_store(&store("S9", "EUR"), &connection("S8")).unwrap_err();
    assert_eq!((error.code, error.field.as_deref()), (ErrorCode::InvalidInput, Some("store_id")));
    assert_eq!(desk.stores().unwrap().len(), 1);
}
