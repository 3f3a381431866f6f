//! Campaign results through the facade, as the desktop app's Campaign results screen asks for
//! them, against the real sandbox platform on loopback: codes generated for two channels (and
//! none), one channel exported, everything synced up, simulated buyers claiming and redeeming,
//! synced down again, and the results checked against what the platform itself holds.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use std::sync::Arc;

use sellerdesk_core::Timestamp;
use sellerdesk_facade::{
    ByteOrderMark, CampaignResultsView, ChannelResultsView, Clock, CodeCountsView,
    ConnectPlatformInput, DailyRedemptionsView, DatabaseLocation, ErrorCode, ExportInput,
    GenerateCodesInput, MemoryVault, NewCouponInput, NewStoreInput, SellerDesk,
};
use sellerdesk_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, NewStore, RunningSandbox, SandboxConfig};
use serde_json::Value;

struct Platform {
    runtime: tokio::runtime::Runtime,
    sandbox: RunningSandbox,
    data: tempfile::TempDir,
}

impl Platform {
    /// A sandbox with one store, S1, and no demo data.
    fn start() -> (Platform, String) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let data = tempfile::tempdir().unwrap();
        let sandbox =
            runtime.block_on(sellerdesk_sandbox::start(SandboxConfig::new(data.path()))).unwrap();
        let access = runtime
            .block_on(sandbox.add_store(NewStore {
                store_id: "S1".into(),
                name: "Campaign shop".into(),
                currency: "USD".into(),
            }))
            .unwrap();
        (Platform { runtime, sandbox, data }, access.access_token)
    }

    fn buyers_act(&self, claims: u32) {
        self.runtime.block_on(self.sandbox.simulate_buyers(claims)).unwrap();
    }

    fn dump(&self) -> Value {
        sellerdesk_sandbox::dump(self.data.path()).unwrap()
    }
}

/// A desk on its own database with store S1, connected to the sandbox's S1.
fn connected_desk(platform: &Platform, token: String, database: &std::path::Path) -> SellerDesk {
    let desk =
        SellerDesk::with_settings(DatabaseLocation::Path(database.to_owned()), Clock::System)
            .with_vault(Arc::new(MemoryVault::default()));
    desk.add_store(&NewStoreInput {
        store_id: "S1".into(),
        name: "Campaign shop".into(),
        currency: "USD".into(),
    })
    .unwrap();
    desk.connect_platform(&ConnectPlatformInput {
        store_id: "S1".into(),
        base_url: platform.sandbox.base_url(),
        app_key: DEMO_APP_KEY.into(),
        app_secret: DEMO_APP_SECRET.into(),
        access_token: token,
    })
    .unwrap();
    desk
}

fn create_coupon(desk: &SellerDesk, title: &str) -> String {
    desk.create_coupon(&NewCouponInput {
        store_id: "S1".into(),
        title: title.into(),
        discount: "2.00".into(),
        min_purchase: "15.00".into(),
        valid_from: "2026-01-01T00:00:00Z".into(),
        valid_to: "2099-01-01T00:00:00Z".into(),
        quantity: 5_000,
    })
    .unwrap()
    .coupon_id
}

fn generate(desk: &SellerDesk, coupon_id: &str, count: u32, channel: Option<&str>) {
    desk.generate_codes(
        &GenerateCodesInput {
            store_id: "S1".into(),
            coupon_id: coupon_id.into(),
            count,
            channel: channel.map(str::to_owned),
            ..GenerateCodesInput::default()
        },
        |_| {},
    )
    .unwrap();
}

/// Exports the coupon's facebook codes to `out`; how many rows were written.
fn export_facebook_codes(desk: &SellerDesk, coupon_id: &str, out: &std::path::Path) -> u64 {
    desk.export_codes(
        &ExportInput {
            store_id: "S1".into(),
            coupon_id: coupon_id.into(),
            out: out.to_owned(),
            channel: Some("facebook".into()),
            batch_id: None,
            status: None,
            byte_order_mark: ByteOrderMark::Absent,
        },
        |_| ControlFlow::Continue(()),
    )
    .unwrap()
    .rows
}

/// One code as the platform holds it.
struct PlatformCode {
    coupon_id: String,
    channel: Option<String>,
    status: String,
    changed_at: String,
    /// Whether a buyer holds it: only then has it a buyer-side status the seller hears of.
    held: bool,
}

fn platform_codes(dump: &Value) -> Vec<PlatformCode> {
    dump["codes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["store_id"] == "S1")
        .map(|row| PlatformCode {
            coupon_id: row["coupon_id"].as_str().unwrap().to_owned(),
            channel: row["channel"].as_str().map(str::to_owned),
            status: row["status"].as_str().unwrap().to_owned(),
            changed_at: row["changed_at"].as_str().unwrap().to_owned(),
            held: !row["buyer_id"].is_null(),
        })
        .collect()
}

/// What the results must be, worked out from the platform's own codes: every code went up, so
/// the platform holds each generated code with its status and the time it took it. `exported`
/// names the (coupon, channel) pairs whose codes were all exported. The redemption rates are
/// left blank and returned apart, exact, in the order of the channels.
fn expected_from_platform(
    codes: &[PlatformCode],
    coupon_id: Option<&str>,
    exported: &[(&str, Option<&str>)],
) -> (CampaignResultsView, Vec<f64>) {
    let codes: Vec<&PlatformCode> = codes
        .iter()
        .filter(|code| coupon_id.is_none_or(|coupon_id| code.coupon_id == coupon_id))
        .collect();
    let used_days: BTreeSet<&str> = codes
        .iter()
        .filter(|code| code.status == "used")
        .map(|code| &code.changed_at[..10])
        .collect();
    let mut days = Vec::new();
    if let (Some(first), Some(last)) = (used_days.first(), used_days.last()) {
        let midnight = |day: &str| format!("{day}T00:00:00Z").parse::<Timestamp>().unwrap();
        let mut day = midnight(first);
        while day <= midnight(last) {
            days.push(day.to_string()[..10].to_owned());
            day = Timestamp::from_second(day.as_second() + 86_400).unwrap();
        }
    }
    let mut by_channel: BTreeMap<(bool, Option<String>), Vec<&PlatformCode>> = BTreeMap::new();
    for code in codes {
        by_channel.entry((code.channel.is_none(), code.channel.clone())).or_default().push(code);
    }
    let mut rates = Vec::new();
    let channels = by_channel
        .into_iter()
        .map(|((_, channel), codes)| {
            // Statuses are buyer-side: a code nobody holds is unclaimed, whatever the platform
            // keeps for it.
            let count = |status: &str| {
                codes.iter().filter(|code| code.held && code.status == status).count()
            };
            let generated = codes.len() as u64;
            let handed_out: Vec<&&PlatformCode> = codes
                .iter()
                .filter(|code| {
                    exported.contains(&(code.coupon_id.as_str(), code.channel.as_deref()))
                })
                .collect();
            let used_of = |codes: &[&&PlatformCode]| {
                codes.iter().filter(|code| code.status == "used").count() as f64
            };
            rates.push(if handed_out.is_empty() {
                used_of(&codes.iter().collect::<Vec<_>>()) * 100.0 / generated as f64
            } else {
                used_of(&handed_out) * 100.0 / handed_out.len() as f64
            });
            ChannelResultsView {
                channel,
                codes: CodeCountsView {
                    generated,
                    exported: handed_out.len() as u64,
                    claimed: codes.iter().filter(|code| code.held).count() as u64,
                    valid: count("valid") as u64,
                    inactive: count("inactive") as u64,
                    used: count("used") as u64,
                    expired: count("expired") as u64,
                    pending: count("pending") as u64,
                },
                redemptions: days
                    .iter()
                    .map(|day| DailyRedemptionsView {
                        day: day.clone(),
                        used: codes
                            .iter()
                            .filter(|code| code.status == "used" && code.changed_at[..10] == *day)
                            .count() as u64,
                    })
                    .collect(),
                earlier_redemptions: 0,
                undated_redemptions: 0,
                redemption_rate: String::new(),
            }
        })
        .collect();
    let results = CampaignResultsView {
        store_id: "S1".into(),
        coupon_id: coupon_id.map(str::to_owned),
        channels,
        days,
    };
    (results, rates)
}

/// Compares `results` with what the platform's codes say it must be: the rates as percentages
/// with one decimal, within rounding of the exact ones, and everything else exactly.
fn assert_matches_platform(
    mut results: CampaignResultsView,
    codes: &[PlatformCode],
    coupon_id: Option<&str>,
    exported: &[(&str, Option<&str>)],
) {
    let (expected, rates) = expected_from_platform(codes, coupon_id, exported);
    assert_eq!(results.channels.len(), rates.len(), "{results:#?}");
    for (channel, exact) in results.channels.iter_mut().zip(rates) {
        let rate = std::mem::take(&mut channel.redemption_rate);
        let (whole, tenths) = rate.split_once('.').unwrap();
        assert!(whole.parse::<u64>().is_ok() && tenths.len() == 1, "{rate}");
        let shown: f64 = rate.parse().unwrap();
        assert!((shown - exact).abs() <= 0.05 + 1e-9, "{rate} for {exact} ({:?})", channel.channel);
    }
    assert_eq!(results, expected);
}

#[test]
fn campaign_results_match_what_the_platform_reports_per_channel_and_day() {
    let (platform, token) = Platform::start();
    let local = tempfile::tempdir().unwrap();
    let database = local.path().join("desk.db");
    let desk = connected_desk(&platform, token, &database);

    let spring = create_coupon(&desk, "Spring");
    generate(&desk, &spring, 400, Some("facebook"));
    generate(&desk, &spring, 300, Some("newsletter"));
    generate(&desk, &spring, 100, None);
    let summer = create_coupon(&desk, "Summer");
    generate(&desk, &summer, 200, Some("facebook"));
    let exported = export_facebook_codes(&desk, &spring, &local.path().join("facebook.csv"));
    assert_eq!(exported, 400);

    // Before any sync: codes generated and exported, none with a status, nothing redeemed.
    let before = desk.campaign_results("S1", Some(&spring)).unwrap();
    let facebook = &before.channels[0];
    assert_eq!(facebook.channel.as_deref(), Some("facebook"));
    assert_eq!((facebook.codes.generated, facebook.codes.exported), (400, 400));
    assert_eq!((facebook.codes.claimed, facebook.redemption_rate.as_str()), (0, "0.0"));
    assert!(before.days.is_empty() && facebook.redemptions.is_empty());

    let up = desk.sync_blocking(Some("S1")).unwrap();
    assert_eq!((up[0].codes_uploaded, up[0].pending_left), (1_000, 0));
    // Buyers claim codes and apply them to orders; later ticks close (or cancel) those orders,
    // which redeems the codes, and claim more.
    for _ in 0..4 {
        platform.buyers_act(250);
    }
    let down = desk.sync_blocking(Some("S1")).unwrap();
    assert!(down[0].code_statuses_pulled > 1_000, "{down:?}");

    let codes = platform_codes(&platform.dump());
    assert_eq!(codes.len(), 1_000);
    let exported_channels = [(spring.as_str(), Some("facebook"))];

    let whole_store = desk.campaign_results("S1", None).unwrap();
    let channels: Vec<Option<&str>> =
        whole_store.channels.iter().map(|channel| channel.channel.as_deref()).collect();
    assert_eq!(channels, [Some("facebook"), Some("newsletter"), None]);
    for channel in &whole_store.channels {
        assert!(channel.codes.used > 0, "the buyers redeemed codes of {:?}", channel.channel);
        assert_eq!(channel.redemptions.len(), whole_store.days.len());
    }
    assert!(!whole_store.days.is_empty());
    assert_eq!(whole_store.channels[0].codes.exported, 400, "spring's facebook batch only");
    assert_matches_platform(whole_store, &codes, None, &exported_channels);

    let of_spring = desk.campaign_results("S1", Some(&spring)).unwrap();
    assert_eq!(of_spring.coupon_id.as_deref(), Some(spring.as_str()));
    assert_matches_platform(of_spring, &codes, Some(&spring), &exported_channels);
    let of_summer = desk.campaign_results("S1", Some(&summer)).unwrap();
    assert_eq!(of_summer.channels.len(), 1, "summer has facebook codes only");
    assert_matches_platform(of_summer, &codes, Some(&summer), &exported_channels);

    // Each code holds the time the platform gave its last status change.
    let platform_times: BTreeMap<String, (String, String)> = platform.dump()["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let text = |field: &str| row[field].as_str().unwrap().to_owned();
            (text("code"), (text("status"), text("changed_at")))
        })
        .collect();
    let connection = rusqlite::Connection::open(&database).unwrap();
    let mut statement =
        connection.prepare("SELECT code, status, status_changed_at FROM codes").unwrap();
    let local_times: BTreeMap<String, (String, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(local_times, platform_times);
}

#[test]
fn unknown_stores_and_coupons_are_not_found_and_bad_ids_are_refused() {
    let local = tempfile::tempdir().unwrap();
    let desk = SellerDesk::with_settings(
        DatabaseLocation::Path(local.path().join("desk.db")),
        Clock::Fixed("2026-11-24T12:00:00Z".parse().unwrap()),
    );
    for store_id in ["S1", "S2"] {
        desk.add_store(&NewStoreInput {
            store_id: store_id.into(),
            name: store_id.into(),
            currency: "USD".into(),
        })
        .unwrap();
    }
    let coupon_of_s2 = desk
        .create_coupon(&NewCouponInput {
            store_id: "S2".into(),
            title: "Theirs".into(),
            discount: "2.00".into(),
            min_purchase: "15.00".into(),
            valid_from: "2026-12-01T00:00:00Z".into(),
            valid_to: "2027-01-01T00:00:00Z".into(),
            quantity: 10,
        })
        .unwrap()
        .coupon_id;

    let empty = desk.campaign_results("S1", None).unwrap();
    assert_eq!(
        empty,
        CampaignResultsView {
            store_id: "S1".into(),
            coupon_id: None,
            channels: Vec::new(),
            days: Vec::new()
        }
    );
    assert_eq!(desk.campaign_results("S9", None).unwrap_err().code, ErrorCode::NotFound);
    let foreign = desk.campaign_results("S1", Some(&coupon_of_s2)).unwrap_err();
    assert_eq!(foreign.code, ErrorCode::NotFound);
    assert_eq!(desk.campaign_results("S1", Some("CNOPE")).unwrap_err().code, ErrorCode::NotFound);
    let bad_store = desk.campaign_results("a b", None).unwrap_err();
    assert_eq!(
        (bad_store.code, bad_store.field.as_deref()),
        (ErrorCode::InvalidInput, Some("store"))
    );
    let bad_coupon = desk.campaign_results("S1", Some("../etc")).unwrap_err();
    assert_eq!(
        (bad_coupon.code, bad_coupon.field.as_deref()),
        (ErrorCode::InvalidInput, Some("coupon"))
    );
}

#[test]
fn every_day_from_the_first_redemption_to_the_last_is_on_the_axis() {
    let local = tempfile::tempdir().unwrap();
    let database = local.path().join("desk.db");
    let desk = SellerDesk::with_settings(
        DatabaseLocation::Path(database.clone()),
        Clock::Fixed("2026-11-24T12:00:00Z".parse().unwrap()),
    );
    desk.add_store(&NewStoreInput {
        store_id: "S1".into(),
        name: "S1".into(),
        currency: "USD".into(),
    })
    .unwrap();
    let coupon_id = desk
        .create_coupon(&NewCouponInput {
            store_id: "S1".into(),
            title: "December".into(),
            discount: "2.00".into(),
            min_purchase: "15.00".into(),
            valid_from: "2026-12-01T00:00:00Z".into(),
            valid_to: "2027-01-01T00:00:00Z".into(),
            quantity: 100,
        })
        .unwrap()
        .coupon_id;
    generate(&desk, &coupon_id, 10, Some("facebook"));
    generate(&desk, &coupon_id, 10, Some("newsletter"));
    export_facebook_codes(&desk, &coupon_id, &local.path().join("facebook.csv"));

    // Statuses as a sync would have left them, on days with a gap between them; one used code
    // came down before times were kept.
    let connection = rusqlite::Connection::open(&database).unwrap();
    let codes_of = |channel: &str| -> Vec<String> {
        connection
            .prepare(
                "SELECT code FROM codes JOIN code_batches USING (batch_id) WHERE channel = ?1 \
                 ORDER BY code",
            )
            .unwrap()
            .query_map([channel], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let (facebook, newsletter) = (codes_of("facebook"), codes_of("newsletter"));
    let statuses = [
        (&facebook[0], "used", Some("2026-12-05T00:00:00Z")),
        (&facebook[1], "used", Some("2026-12-05T13:14:15.5Z")),
        (&facebook[2], "used", Some("2026-12-05T23:59:59Z")),
        (&facebook[3], "used", Some("2026-12-08T09:00:00Z")),
        (&facebook[4], "inactive", Some("2026-12-07T09:00:00Z")),
        (&newsletter[0], "used", Some("2026-12-06T00:00:00Z")),
        (&newsletter[1], "used", None),
        (&newsletter[2], "expired", Some("2026-12-09T00:00:00Z")),
    ];
    for (code, status, changed_at) in statuses {
        connection
            .execute(
                "UPDATE codes SET status = ?2, status_changed_at = ?3 WHERE code = ?1",
                (code, status, changed_at),
            )
            .unwrap();
    }

    let results = desk.campaign_results("S1", Some(&coupon_id)).unwrap();

    let days = ["2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08"];
    let per_day = |used: [u64; 4]| -> Vec<DailyRedemptionsView> {
        days.iter()
            .zip(used)
            .map(|(day, used)| DailyRedemptionsView { day: (*day).to_owned(), used })
            .collect()
    };
    let counts = |exported, used, inactive, expired| CodeCountsView {
        generated: 10,
        exported,
        claimed: used + inactive + expired,
        used,
        inactive,
        expired,
        ..CodeCountsView::default()
    };
    assert_eq!(
        results,
        CampaignResultsView {
            store_id: "S1".into(),
            coupon_id: Some(coupon_id.clone()),
            channels: vec![
                ChannelResultsView {
                    channel: Some("facebook".into()),
                    codes: counts(10, 4, 1, 0),
                    redemptions: per_day([3, 0, 0, 1]),
                    earlier_redemptions: 0,
                    undated_redemptions: 0,
                    redemption_rate: "40.0".into(),
                },
                ChannelResultsView {
                    channel: Some("newsletter".into()),
                    codes: counts(0, 2, 0, 1),
                    redemptions: per_day([0, 1, 0, 0]),
                    earlier_redemptions: 0,
                    undated_redemptions: 1,
                    redemption_rate: "20.0".into(),
                },
            ],
            days: days.map(str::to_owned).to_vec(),
        }
    );
    // What the desktop app receives.
    let json = serde_json::to_value(&results).unwrap();
    assert_eq!(json["days"][1], "2026-12-06");
    assert_eq!(
        json["channels"][0]["redemptions"][3],
        serde_json::json!({"day": "2026-12-08", "used": 1})
    );
    assert_eq!(json["channels"][1]["codes"]["used"], 2);

    // A redemption the platform dates far back does not make the axis endless: it keeps the last
    // two years and counts the earlier ones apart.
    connection
        .execute(
            "UPDATE codes SET status = 'used', status_changed_at = '1999-01-01T00:00:00Z' WHERE code = ?1",
            [&facebook[5]],
        )
        .unwrap();
    let results = desk.campaign_results("S1", Some(&coupon_id)).unwrap();
    assert_eq!(results.days.len(), 731);
    assert_eq!(results.days.last().map(String::as_str), Some("2026-12-08"));
    assert_eq!(results.days.first().map(String::as_str), Some("2024-12-08"));
    assert_eq!(results.channels[0].earlier_redemptions, 1);
    assert_eq!(results.channels[0].codes.used, 5);
}

#[test]
fn the_codes_nobody_claimed_stay_unclaimed_once_the_campaign_has_ended() {
    let (platform, token) = Platform::start();
    let local = tempfile::tempdir().unwrap();
    let desk = connected_desk(&platform, token, &local.path().join("desk.db"));
    let spring = create_coupon(&desk, "Spring");
    generate(&desk, &spring, 50, Some("facebook"));
    desk.sync_blocking(Some("S1")).unwrap();
    // Buyers claim 10 of the 50 codes; then the seller stops the campaign, and the platform
    // expires the 40 codes nobody holds.
    platform.buyers_act(10);
    desk.stop_coupon("S1", &spring).unwrap();
    desk.sync_blocking(Some("S1")).unwrap();
    let unclaimed_expired = platform_codes(&platform.dump())
        .iter()
        .filter(|code| !code.held && code.status == "expired")
        .count();
    assert_eq!(unclaimed_expired, 40, "the platform expired the codes nobody held");

    let results = desk.campaign_results("S1", Some(&spring)).unwrap();
    let facebook = &results.channels[0];
    assert_eq!((facebook.codes.generated, facebook.codes.claimed), (50, 10));
    assert_eq!(facebook.codes.expired, 0, "no buyer held a code that expired");
    let coupon = desk.coupon("S1", &spring).unwrap();
    assert_eq!((coupon.codes.generated, coupon.codes.claimed), (50, 10));
}
