//! Generating a batch of 1,000,000 distinct codes of 10 characters from the default alphabet,
//! from the operating system's generator (`SysRng` seeding a `StdRng`) and from `ThreadRng`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::{StdRng, SysRng};
use sellerdesk_core::codes::{CheckCharacter, CodeBatchRequest, CodeFormatRequest};

const COUNT: u32 = 1_000_000;

fn code_generation(c: &mut Criterion) {
    let format = CodeFormatRequest {
        length: 10,
        prefix: String::new(),
        suffix: String::new(),
        group: None,
        alphabet: None,
        check_character: CheckCharacter::None,
    }
    .validate()
    .expect("a valid format");
    let batch = CodeBatchRequest { count: COUNT, maximum_count: COUNT, live_codes: 0 }
        .validate(&format)
        .expect("10 characters from 31 are safe for 1,000,000 codes");
    let with_check = CodeFormatRequest {
        length: 10,
        prefix: "BF".into(),
        suffix: String::new(),
        group: Some(4),
        alphabet: None,
        check_character: CheckCharacter::Appended,
    }
    .validate()
    .expect("a valid format");
    let batch_with_check = CodeBatchRequest { count: COUNT, maximum_count: COUNT, live_codes: 0 }
        .validate(&with_check)
        .expect("safe");

    let mut group = c.benchmark_group("generate_1000000_codes_of_10_characters");
    group.sample_size(10);
    group.bench_function("std_rng_seeded_from_sys_rng", |b| {
        let mut rng = StdRng::try_from_rng(&mut SysRng).expect("the system generator works");
        b.iter(|| black_box(batch.generate(&mut rng)))
    });
    group.bench_function("thread_rng", |b| {
        let mut rng = rand::rng();
        b.iter(|| black_box(batch.generate(&mut rng)))
    });
    group.bench_function("thread_rng_prefix_and_check_character", |b| {
        let mut rng = rand::rng();
        b.iter(|| black_box(batch_with_check.generate(&mut rng)))
    });
    group.finish();
}

criterion_group!(benches, code_generation);
criterion_main!(benches);
