//! Refund preview on a combined payment of 10 orders, 50 lines and 11 coupons, and on one order of
//! 200,000 lines refunded unit by unit (issue #13: linear in lines).
//!
//! `core` measures the computation alone (checked domain values in, preview out);
//! `json` adds parsing and checking the JSON text, which is what the CLI and the app pay.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use sellerdesk_core::Timestamp;
use sellerdesk_core::contract;

const PAYMENT: &str = include_str!("data/combined-10-orders-50-lines.json");

/// Lines of the large payment.
const LARGE_LINES: usize = 200_000;

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

    let large = large_payment(LARGE_LINES);
    let mut group = c.benchmark_group("refund_preview_200000_lines_refunded_by_units");
    group.sample_size(10);
    group.bench_function("json", |b| {
        b.iter(|| {
            let input = contract::parse_input_json(black_box(&large)).expect("parses");
            contract::preview(&input, now).expect("previews")
        })
    });
    group.finish();
}

/// One order of `lines` regular-priced lines with a seller coupon; the refund names every line.
fn large_payment(lines: usize) -> String {
    let order_lines: Vec<String> = (0..lines)
        .map(|line| {
            format!(
                r#"{{"line_id":"l{line}","unit_price":"{}.{:02}","quantity":{},"regular_price":true}}"#,
                1 + line % 50,
                line % 100,
                1 + line % 3
            )
        })
        .collect();
    let refund_lines: Vec<String> =
        (0..lines).rev().map(|line| format!(r#"{{"line_id":"l{line}","quantity":1}}"#)).collect();
    format!(
        r#"{{"payment_id":"P-LARGE","currency":"USD","paid_at":"2026-11-20T10:00:00Z",
            "as_of":"2026-11-24T12:00:00Z",
            "orders":[{{"order_id":"O0","store_id":"S0","lines":[{}]}}],
            "coupons":[{{"coupon_id":"seller-0","issuer":"seller","store_id":"S0","discount":"5.00",
              "min_purchase":"10.00","valid_from":"2026-11-01T00:00:00Z",
              "valid_to":"2026-12-01T00:00:00Z","via_code":true}}],
            "refund":{{"order_id":"O0","lines":[{}]}}}}"#,
        order_lines.join(","),
        refund_lines.join(",")
    )
}

criterion_group!(benches, refund_preview);
criterion_main!(benches);
