//! Seller Desk against a real Medusa 2 server (`scripts/medusa.sh`), through the facade as the CLI
//! and the app call it: connecting with a secret key, a coupon that becomes a campaign, codes that
//! become single-use promotions, a buyer who redeems an exported code through Medusa's Store API,
//! the use coming back with the sync, and a stop that Medusa enforces.
//!
//! The server is `sellerdesk_testkit::Medusa`'s: the run's, or one of its own.

#![allow(clippy::unwrap_used)]

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;

use sellerdesk_facade::{
    ByteOrderMark, Clock, ConnectMedusaInput, CouponChangesInput, DatabaseLocation, ErrorCode,
    ExportInput, GenerateCodesInput, MemoryVault, NewCouponInput, NewStoreInput, PlatformKind,
    RefundAnswer, SellerDesk,
};
use sellerdesk_testkit::Medusa;
use serde_json::json;

fn desk(directory: &tempfile::TempDir) -> SellerDesk {
    let desk = SellerDesk::with_settings(
        DatabaseLocation::Path(directory.path().join("desk.db")),
        Clock::System,
    )
    .with_vault(Arc::new(MemoryVault::default()));
    desk.add_store(&NewStoreInput {
        store_id: "M1".into(),
        name: "Medusa shop".into(),
        currency: "USD".into(),
    })
    .unwrap();
    desk
}

/// The codes of an export, as the CSV shows them (the first column, after the header).
fn exported_codes(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().skip(1).map(|line| line.split(',').next().unwrap().to_owned()).collect()
}

#[test]
fn a_seller_runs_a_campaign_on_a_real_medusa_server() {
    let medusa = Medusa::get();
    let local = tempfile::tempdir().unwrap();
    let desk = desk(&local);

    // A wrong key is refused naming the field, and nothing is kept.
    let refused = desk
        .connect_medusa_blocking(&ConnectMedusaInput {
            store_id: "M1".into(),
            base_url: medusa.url().into(),
            api_key: "sk_wrong".into(),
        })
        .unwrap_err();
    assert_eq!(
        (refused.code, refused.field.as_deref()),
        (ErrorCode::InvalidInput, Some("api_key"))
    );
    let store_id = sellerdesk_core::ids::StoreId::parse("store", "M1").unwrap();
    assert_eq!(desk.platform_of(&store_id).unwrap(), None);
    // A server out of reach is refused too.
    let unreachable = desk
        .connect_medusa_blocking(&ConnectMedusaInput {
            store_id: "M1".into(),
            base_url: "http://127.0.0.1:9".into(),
            api_key: medusa.var("MEDUSA_SECRET_KEY").into(),
        })
        .unwrap_err();
    assert_eq!(unreachable.code, ErrorCode::Platform, "{}", unreachable.message);
    assert_eq!(desk.platform_of(&store_id).unwrap(), None);

    let connected = desk
        .connect_medusa_blocking(&ConnectMedusaInput {
            store_id: "M1".into(),
            base_url: medusa.url().into(),
            api_key: medusa.var("MEDUSA_SECRET_KEY").into(),
        })
        .unwrap();
    assert_eq!((connected.platform.as_str(), connected.app_key), ("medusa", None));
    assert_eq!(desk.platform_of(&store_id).unwrap(), Some(PlatformKind::Medusa));
    // What Medusa cannot enforce is said when connecting.
    let unenforced: Vec<&str> =
        connected.unenforced_rules.iter().map(|rule| rule.split(':').next().unwrap()).collect();
    assert_eq!(unenforced, ["APPLY-1", "APPLY-3", "CREATE-4", "CODES-4"]);

    // $5.00 off above $40.00 for 1,000 buyers, 300 codes for Instagram, shown in groups of 4.
    let coupon = desk
        .create_coupon(&NewCouponInput {
            store_id: "M1".into(),
            title: "Spring 5 off 40".into(),
            discount: "5.00".into(),
            min_purchase: "40.00".into(),
            valid_from: "2026-01-01T00:00:00Z".into(),
            valid_to: "2099-01-01T00:00:00Z".into(),
            quantity: 1_000,
        })
        .unwrap();
    desk.generate_codes(
        &GenerateCodesInput {
            store_id: "M1".into(),
            coupon_id: coupon.coupon_id.clone(),
            count: 300,
            channel: Some("instagram".into()),
            group: Some(4),
            ..GenerateCodesInput::default()
        },
        |_| {},
    )
    .unwrap();
    let csv = local.path().join("instagram.csv");
    desk.export_codes(
        &ExportInput {
            store_id: "M1".into(),
            coupon_id: coupon.coupon_id.clone(),
            out: csv.clone(),
            channel: None,
            batch_id: None,
            status: None,
            byte_order_mark: ByteOrderMark::Absent,
        },
        |_| ControlFlow::Continue(()),
    )
    .unwrap();
    let codes = exported_codes(&csv);
    assert_eq!(codes.len(), 300);
    assert!(codes[0].contains('-'), "grouped as exported: {}", codes[0]);

    let report = &desk.sync_blocking(Some("M1")).unwrap()[0];
    assert_eq!(
        (report.sent, report.codes_uploaded, report.pending_left),
        (2, 300, 0),
        "{report:?}"
    );
    assert_eq!(desk.coupon("M1", &coupon.coupon_id).unwrap().state, "published");

    // On Medusa: one campaign for the coupon, its window and budget, and a promotion per code.
    let campaigns = medusa.admin_get(&format!(
        "/admin/campaigns?campaign_identifier={}&fields=id,name,starts_at,ends_at,*budget",
        coupon.coupon_id
    ));
    assert_eq!(campaigns["campaigns"].as_array().unwrap().len(), 1, "{campaigns}");
    let campaign = &campaigns["campaigns"][0];
    assert_eq!(campaign["name"], "Spring 5 off 40");
    assert_eq!(campaign["budget"]["limit"], 1_000);
    assert!(campaign["ends_at"].as_str().unwrap().starts_with("2099-01-01T00:00:00"), "{campaign}");
    let campaign_id = campaign["id"].as_str().unwrap();
    let promotions = medusa
        .admin_get(&format!("/admin/promotions?campaign_id={campaign_id}&limit=1&fields=id,code"));
    assert_eq!(promotions["count"], 300);

    // Nothing goes up twice.
    let again = &desk.sync_blocking(Some("M1")).unwrap()[0];
    assert_eq!((again.sent, again.codes_uploaded), (0, 0));

    // A buyer types an exported code: below the minimum it does nothing, above it takes $5 off.
    let variants = medusa.variants();
    let (_, tee_only) = medusa.cart_with_code(&[&variants[0]], &codes[0]);
    assert_eq!(tee_only["discount_total"], 0, "$30.00 does not exceed $40.00: {tee_only}");
    let (cart_id, both) = medusa.cart_with_code(&[&variants[0], &variants[1]], &codes[0]);
    assert_eq!(both["item_subtotal"], 42.5);
    assert_eq!(both["discount_total"], 5, "{both}");
    let order = medusa.complete(&cart_id);
    assert_eq!(order["discount_total"], 5);

    // The use comes down with the next sync and shows in the channel's results.
    let report = &desk.sync_blocking(Some("M1")).unwrap()[0];
    assert_eq!(report.code_statuses_pulled, 1, "{report:?}");
    let results = desk.campaign_results("M1", Some(&coupon.coupon_id)).unwrap();
    let instagram = results
        .channels
        .iter()
        .find(|channel| channel.channel.as_deref() == Some("instagram"))
        .unwrap();
    assert_eq!(instagram.codes.used, 1, "{instagram:?}");

    // The seller ships the order and takes the money on Medusa; the buyer sends the mug back.
    let order_id = order["id"].as_str().unwrap().to_owned();
    medusa.ship_and_capture(&order_id);
    let mug_line = medusa.line_of_variant(&order, &variants[1]);
    let requested = medusa.store(
        "/store/returns",
        json!({"order_id": order_id, "items": [{"id": mug_line, "quantity": 1}],
               "return_shipping": {"option_id": medusa.var("MEDUSA_RETURN_SHIPPING_OPTION_ID")}}),
    );
    let return_id = requested["return"]["id"].as_str().unwrap().to_owned();

    // It comes down as a refund request, previewed with the shares Medusa recorded: the mug
    // paid 12.50 less its 1.47 share of the $5.00 (Medusa spread it pro rata, 3.53 on the tee).
    // (A server shared with other tests may hold their returns too: this one is found by id.)
    let request_of = |id: &str| {
        desk.refund_requests("M1").unwrap().into_iter().find(|request| request.request_id == id)
    };
    let report = &desk.sync_blocking(Some("M1")).unwrap()[0];
    assert!(report.refund_requests_pulled >= 1, "{report:?}");
    let request = request_of(&return_id).expect("the return came down");
    assert_eq!(request.platform_decision, None);
    let preview = desk.preview_refund_request("M1", &return_id).unwrap();
    assert_eq!(preview.refund_amount, "11.03", "{preview:?}");
    let mug = preview.allocation.iter().find(|line| line.line_id == mug_line).unwrap();
    assert_eq!((mug.seller_discount.as_str(), mug.paid.as_str()), ("1.47", "11.03"));
    assert!(
        preview.coupons.iter().all(|coupon| !coupon.returned),
        "a seller coupon never comes back"
    );

    // Approving it makes Medusa take the mug back and refund exactly what the preview said.
    desk.answer_refund_request("M1", &return_id, RefundAnswer::Approve).unwrap();
    let report = &desk.sync_blocking(Some("M1")).unwrap()[0];
    assert_eq!((report.sent, report.pending_left), (1, 0), "{report:?}");
    let on_medusa = medusa.admin_get(&format!("/admin/returns/{return_id}?fields=id,status"));
    assert_eq!(on_medusa["return"]["status"], "received");
    assert_eq!(medusa.refunds_of(&order_id), ["11.03"]);
    let answered = request_of(&return_id).unwrap();
    assert_eq!(answered.decision_upload.as_deref(), Some("sent"), "{answered:?}");
    // Syncing again refunds nothing twice.
    desk.sync_blocking(Some("M1")).unwrap();
    assert_eq!(medusa.refunds_of(&order_id), ["11.03"]);

    // Another buyer's return is refused: Medusa cancels it and refunds nothing.
    let (cart_id, _) = medusa.cart_with_code(&[&variants[0], &variants[1]], &codes[2]);
    let second = medusa.complete(&cart_id);
    let second_id = second["id"].as_str().unwrap().to_owned();
    medusa.ship_and_capture(&second_id);
    let tee_line = medusa.line_of_variant(&second, &variants[0]);
    let requested = medusa.store(
        "/store/returns",
        json!({"order_id": second_id, "items": [{"id": tee_line, "quantity": 1}],
               "return_shipping": {"option_id": medusa.var("MEDUSA_RETURN_SHIPPING_OPTION_ID")}}),
    );
    let refused_id = requested["return"]["id"].as_str().unwrap().to_owned();
    desk.sync_blocking(Some("M1")).unwrap();
    let preview = desk.preview_refund_request("M1", &refused_id).unwrap();
    assert_eq!(preview.refund_amount, "26.47", "30.00 less its 3.53 share");
    desk.answer_refund_request("M1", &refused_id, RefundAnswer::Refuse { reason: None }).unwrap();
    desk.sync_blocking(Some("M1")).unwrap();
    let on_medusa = medusa.admin_get(&format!("/admin/returns/{refused_id}?fields=id,status"));
    assert_eq!(on_medusa["return"]["status"], "canceled");
    assert!(medusa.refunds_of(&second_id).is_empty());

    // A new title is the campaign's new name on Medusa.
    desk.edit_coupon(
        "M1",
        &coupon.coupon_id,
        &sellerdesk_facade::CouponChangesInput {
            title: Some("Medusa spring, renamed".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let report = &desk.sync_blocking(Some("M1")).unwrap()[0];
    assert_eq!((report.sent, report.pending_left), (1, 0), "{report:?}");
    let campaigns = medusa.admin_get(&format!(
        "/admin/campaigns?campaign_identifier={}&fields=id,name",
        coupon.coupon_id
    ));
    assert_eq!(campaigns["campaigns"][0]["name"], "Medusa spring, renamed");

    // Stopping the coupon ends the campaign on Medusa at once: another code no longer applies.
    desk.stop_coupon("M1", &coupon.coupon_id).unwrap();
    let report = &desk.sync_blocking(Some("M1")).unwrap()[0];
    assert_eq!((report.sent, report.pending_left), (1, 0), "{report:?}");
    let (_, after_stop) = medusa.cart_with_code(&[&variants[0], &variants[1]], &codes[1]);
    assert_eq!(after_stop["discount_total"], 0, "{after_stop}");
}

/// Two desks on one Medusa shop (two databases, one secret key): a coupon made on one desk, its
/// new title and its stop reach the other with its next sync, and the codes made on either desk
/// count against the coupon's quantity on both (Medusa holds a promotion per code).
#[test]
fn two_desks_on_one_medusa_shop_share_coupons_titles_stops_and_code_counts() {
    let medusa = Medusa::get();
    let (first_folder, second_folder) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (first, second) = (desk(&first_folder), desk(&second_folder));
    for desk in [&first, &second] {
        desk.connect_medusa_blocking(&ConnectMedusaInput {
            store_id: "M1".into(),
            base_url: medusa.url().into(),
            api_key: medusa.var("MEDUSA_SECRET_KEY").into(),
        })
        .unwrap();
    }
    let sync = |desk: &SellerDesk| {
        let report = desk.sync_blocking(Some("M1")).unwrap().remove(0);
        assert_eq!(report.pending_left, 0, "{report:?}");
    };
    let codes = |desk: &SellerDesk, coupon_id: &str, count: u32| {
        desk.generate_codes(
            &GenerateCodesInput {
                store_id: "M1".into(),
                coupon_id: coupon_id.into(),
                count,
                channel: Some("team".into()),
                ..GenerateCodesInput::default()
            },
            |_| {},
        )
    };

    let coupon = first
        .create_coupon(&NewCouponInput {
            store_id: "M1".into(),
            title: "Team 2 off 25".into(),
            discount: "2.00".into(),
            min_purchase: "25.00".into(),
            valid_from: "2026-01-01T00:00:00Z".into(),
            valid_to: "2099-01-01T00:00:00Z".into(),
            quantity: 10,
        })
        .unwrap();
    let id = coupon.coupon_id.as_str();
    codes(&first, id, 6).unwrap();
    sync(&first);

    // The second desk learns of the coupon, its terms and its six codes on Medusa.
    sync(&second);
    let seen = second.coupon("M1", id).unwrap();
    assert_eq!(
        (seen.title.as_str(), seen.state.as_str(), seen.discount.as_str()),
        ("Team 2 off 25", "published", "2.00")
    );
    assert_eq!((seen.min_purchase.as_str(), seen.quantity), ("25.00", 10));
    assert_eq!(
        (seen.valid_from.as_str(), seen.valid_to.as_str()),
        (coupon.valid_from.as_str(), coupon.valid_to.as_str())
    );
    assert_eq!(seen.codes_on_platform, Some(6));
    // Five more would make eleven of ten: refused with the rule, saying where the six were made.
    let refused = codes(&second, id, 5).unwrap_err();
    assert_eq!(refused.rule, Some("CODES-1"), "{}", refused.message);
    assert!(
        refused.message.contains("6 codes of it were made on other desks"),
        "{}",
        refused.message
    );
    codes(&second, id, 4).unwrap();
    sync(&second);

    // The first desk now counts the second desk's four: the coupon takes no more.
    sync(&first);
    assert_eq!(first.coupon("M1", id).unwrap().codes_on_platform, Some(10));
    assert_eq!(codes(&first, id, 1).unwrap_err().rule, Some("CODES-1"));

    // A new title on the second desk reaches the first; a stop on the first reaches the second.
    second
        .edit_coupon(
            "M1",
            id,
            &CouponChangesInput {
                title: Some("Team 2 off 25, last days".into()),
                ..CouponChangesInput::default()
            },
        )
        .unwrap();
    sync(&second);
    sync(&first);
    assert_eq!(first.coupon("M1", id).unwrap().title, "Team 2 off 25, last days");
    let stopped = first.stop_coupon("M1", id).unwrap();
    sync(&first);
    sync(&second);
    let seen = second.coupon("M1", id).unwrap();
    assert_eq!(seen.state, "stopped");
    assert!(seen.valid_to < coupon.valid_to, "{} ends before {}", seen.valid_to, coupon.valid_to);
    assert_eq!(stopped.state, "stopped");
}
