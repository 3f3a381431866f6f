//! Refund preview on a combined payment of 10 orders, 50 lines and 11 coupons.
//!
//! `core` measures the computation alone (checked domain values in, preview out);
//! `json` adds parsing and checking the JSON text, which is what the CLI and the app pay.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use sellerdesk_core::Timestamp;
use sellerdesk_core::contract;

const PAYMENT: &str = include_str!("data/combined-10-orders-50-lines.json");

fn refund_preview(c: &mut Criterion) {
    let now: Timestamp = "2026-11-24T12:00:00Z".parse().expect("a valid time");
    let input = contract::parse_input_json(PAYMENT).expect("the bench payment is valid");
    let request = contract::check_input(&input, now).expect("the bench payment is valid");
    let mut group = c.benchmark_group("refund_preview_10_orders_50_lines_11_coupons");
    group.bench_function("core", |b| {
        b.iter(|| contract::preview_checked(black_box(&request)).expect("previews"))
    });
    group.bench_function("json", |b| {
        b.iter(|| {
            let input = contract::parse_input_json(black_box(PAYMENT)).expect("parses");
            contract::preview(&input, now).expect("previews")
        })
    });
    group.finish();
}

criterion_group!(benches, refund_preview);
criterion_main!(benches);
