//! What the facade hands back to front ends: plain data, money as decimal strings, times as
//! RFC 3339 UTC strings. Serializing one of these gives the CLI's `--json` output.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreView {
    pub store_id: String,
    pub name: String,
    pub currency: String,
    pub created_at: String,
}

/// How many codes of a coupon are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CodeCountsView {
    pub generated: u64,
    pub exported: u64,
    pub claimed: u64,
    pub valid: u64,
    pub inactive: u64,
    pub used: u64,
    pub expired: u64,
    /// The legacy status, counted apart.
    pub pending: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouponView {
    pub coupon_id: String,
    pub store_id: String,
    pub title: String,
    pub currency: String,
    pub discount: String,
    pub min_purchase: String,
    pub valid_from: String,
    pub valid_to: String,
    pub quantity: u32,
    /// Always 1: one per buyer account.
    pub limit_per_buyer: u32,
    /// draft, pending, published, rejected or stopped.
    pub state: String,
    pub rejection_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub codes: CodeCountsView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CouponListView {
    pub store_id: String,
    pub coupons: Vec<CouponView>,
    /// How many coupons are in each local state (every state listed, zeros included).
    pub state_counts: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeFormatView {
    pub length: u32,
    pub prefix: String,
    pub suffix: String,
    pub group: Option<u32>,
    pub alphabet: String,
    pub check_character: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeBatchView {
    pub batch_id: i64,
    pub store_id: String,
    pub coupon_id: String,
    pub channel: Option<String>,
    pub code_count: u64,
    pub format: CodeFormatView,
    pub created_at: String,
    pub first_exported_at: Option<String>,
    /// How many generated codes collided with existing ones and were made again.
    pub regenerated_after_collision: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeCheckView {
    /// The code as typed, normalised (upper case, no spaces or dashes).
    pub normalized: String,
    /// The code as it is printed, with its dashes.
    pub display: String,
    pub store_id: String,
    pub coupon_id: String,
    pub coupon_title: String,
    pub batch_id: i64,
    pub channel: Option<String>,
    /// The buyer-side status, or `unclaimed`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportView {
    pub export_id: i64,
    pub store_id: String,
    pub coupon_id: String,
    pub path: String,
    pub channel: Option<String>,
    pub batch_id: Option<i64>,
    pub status: Option<String>,
    pub excel_byte_order_mark: bool,
    pub rows: u64,
    pub exported_at: String,
}
