//! Simulated buyers: they claim codes and apply them to orders, orders close or are cancelled,
//! and codes expire when their coupon ends. Every status change follows STATUS-2 and is appended
//! to the codes feed, so clients see the kind of traffic the platform sends.
//!
//! A tick, in one transaction:
//! 1. codes still valid on a coupon that has ended expire (valid → expired);
//! 2. up to `claims` codes already claimed move on: pending → inactive, inactive → used (most
//!    orders close) or → valid (some are cancelled), a cancelled one → inactive again;
//! 3. up to `claims` unclaimed codes of live coupons are claimed by new buyers, one claim per
//!    buyer account, and applied to an order: valid → inactive, or now and then to the legacy
//!    `pending` status.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::{Connection, TransactionBehavior};
use sellerdesk_core::Timestamp;
use sellerdesk_core::status::{CouponStatus, StatusEvent};
use tokio::sync::watch;

use crate::config::RedeemRate;
use crate::database::Database;
use crate::error::{ApiError, SandboxError};
use crate::records::{change_code_status, expire_ended_codes};

/// How often the simulated buyers act.
const TICK: Duration = Duration::from_millis(100);

/// The most codes expired in one tick, so that a tick never holds the database for long.
const MAXIMUM_EXPIRIES_PER_TICK: u32 = 1_000;

/// The share of orders cancelled before they close.
const CANCELLATION_RATE: f64 = 0.15;

/// The share of claims the platform reports in the legacy `pending` status.
const LEGACY_PENDING_RATE: f64 = 0.05;

/// What one tick of simulated buyers did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuyerActivity {
    /// Codes claimed by a new buyer and applied to an order.
    pub claimed: u32,
    /// Claimed codes whose order moved on.
    pub progressed: u32,
    /// Valid codes of ended coupons that expired.
    pub expired: u32,
}

/// Runs one tick at `now` with up to `claims` claims (see the module comment).
pub fn simulate_tick(
    connection: &mut Connection,
    now: Timestamp,
    claims: u32,
) -> Result<BuyerActivity, SandboxError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let activity = tick(&transaction, now, claims).map_err(|error| SandboxError::TaskFailed {
        message: format!("simulated buyers: {error}"),
    })?;
    transaction.commit()?;
    Ok(activity)
}

fn tick(connection: &Connection, now: Timestamp, claims: u32) -> Result<BuyerActivity, ApiError> {
    let changed_at = now.to_string();
    let expired = expire_ended_codes(connection, now, MAXIMUM_EXPIRIES_PER_TICK)?;

    let in_progress: Vec<(String, String, String, String, String)> = connection
        .prepare_cached(
            "SELECT code, store_id, coupon_id, status, buyer_id FROM codes
             WHERE buyer_id IS NOT NULL AND status IN ('valid', 'inactive', 'pending')
             ORDER BY changed_at LIMIT ?1",
        )?
        .query_map([claims], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut progressed = 0;
    for (code, store_id, coupon_id, status, buyer_id) in &in_progress {
        let Ok(status) = status.parse::<CouponStatus>() else { continue };
        let event = match status {
            CouponStatus::Inactive if rand::random_bool(CANCELLATION_RATE) => {
                StatusEvent::OrderCancelledBeforeClosing
            }
            CouponStatus::Inactive => StatusEvent::TransactionClosed,
            _ => StatusEvent::AppliedToOrder,
        };
        if let Ok(next) = status.after(event) {
            change_code_status(
                connection,
                store_id,
                coupon_id,
                code,
                next,
                Some(buyer_id),
                &changed_at,
            )?;
            progressed += 1;
        }
    }

    let unclaimed: Vec<(String, String, String)> = connection
        .prepare_cached(
            "SELECT codes.code, codes.store_id, codes.coupon_id
             FROM coupons JOIN codes
                 ON codes.store_id = coupons.store_id AND codes.coupon_id = coupons.coupon_id
             WHERE codes.buyer_id IS NULL AND codes.status = 'valid'
                 AND coupons.state = 'published'
                 AND julianday(coupons.valid_from) <= julianday(?1)
                 AND julianday(coupons.valid_to) > julianday(?1)
             LIMIT ?2",
        )?
        .query_map((&changed_at, claims), |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut next_buyer: i64 =
        connection.query_row("SELECT COUNT(*) FROM buyers", [], |row| row.get(0))?;
    let mut claimed = 0;
    for (code, store_id, coupon_id) in &unclaimed {
        // A new buyer account for every claim keeps to one claim per buyer.
        let buyer_id = loop {
            next_buyer += 1;
            let buyer_id = format!("B{next_buyer:06}");
            let inserted = connection
                .prepare_cached(
                    "INSERT INTO buyers (buyer_id, name) VALUES (?1, ?2)
                     ON CONFLICT (buyer_id) DO NOTHING",
                )?
                .execute((&buyer_id, format!("Simulated buyer {next_buyer}")))?;
            if inserted == 1 {
                break buyer_id;
            }
        };
        let status = if rand::random_bool(LEGACY_PENDING_RATE) {
            CouponStatus::Pending
        } else {
            CouponStatus::Inactive
        };
        change_code_status(
            connection,
            store_id,
            coupon_id,
            code,
            status,
            Some(&buyer_id),
            &changed_at,
        )?;
        claimed += 1;
    }
    Ok(BuyerActivity { claimed, progressed, expired })
}

/// Runs ticks at `rate` until `shutdown` turns true. Claims owed for a fraction of a code carry
/// over to the next tick, so any rate is kept on average.
pub async fn run_buyers(
    database: Arc<Database>,
    rate: RedeemRate,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut owed_thousandths: u128 = 0;
    let mut last_tick = Instant::now();
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = shutdown.wait_for(|stopping| *stopping) => break,
        }
        let elapsed = last_tick.elapsed();
        last_tick = Instant::now();
        owed_thousandths += u128::from(rate.codes_per_second) * elapsed.as_millis();
        let claims = u32::try_from(owed_thousandths / 1_000).unwrap_or(u32::MAX);
        owed_thousandths -= u128::from(claims) * 1_000;
        if claims == 0 {
            continue;
        }
        let result =
            database.run(move |connection| simulate_tick(connection, crate::now(), claims)).await;
        if let Err(error) = result {
            // The buyers are background traffic: a failed tick is reported and the next one
            // tries again.
            eprintln!("sellerdesk-sandbox: {error}");
        }
    }
}
