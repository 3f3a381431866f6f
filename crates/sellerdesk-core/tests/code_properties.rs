//! Properties of coupon codes (CODES-1 to CODES-5), checked on generated formats and batches.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use sellerdesk_core::codes::{
    self, CheckCharacter, CodeBatchRequest, CodeFormat, CodeFormatRequest, LONGEST_LENGTH,
};

/// Every letter and digit, in an order that mixes them.
const LETTERS_AND_DIGITS: &str = "Q7W3E9R1T5Y0U2I8O4P6ASDFGHJKLZXCVBNM";

/// The alphabet sizes that can carry a check character.
const PRIME_SIZES: [usize; 10] = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31];

/// A format request with a length left to the test, and a seed for the generator.
#[derive(Debug, Clone)]
struct GeneratedFormat {
    request: CodeFormatRequest,
    extra_length: u32,
    seed: u64,
}

/// An alphabet: the default one, or a run of `LETTERS_AND_DIGITS` of any size, or of a prime
/// size when the format has a check character.
fn alphabet(check_character: CheckCharacter) -> BoxedStrategy<Option<String>> {
    let sizes: Vec<usize> = match check_character {
        CheckCharacter::None => (2..=36).collect(),
        CheckCharacter::Appended => PRIME_SIZES.to_vec(),
    };
    prop_oneof![
        Just(None),
        (prop::sample::select(sizes), 0..36_usize).prop_map(|(size, start)| {
            Some(LETTERS_AND_DIGITS.chars().cycle().skip(start).take(size).collect())
        }),
    ]
    .boxed()
}

fn format() -> impl Strategy<Value = GeneratedFormat> {
    prop_oneof![Just(CheckCharacter::None), Just(CheckCharacter::Appended)]
        .prop_flat_map(|check_character| {
            (
                Just(check_character),
                alphabet(check_character),
                "[A-Za-z0-9]{0,4}",
                "[A-Za-z0-9]{0,3}",
                prop::option::of(2_u32..=16),
                1_u32..=12,
                0_u32..4,
                any::<u64>(),
            )
        })
        .prop_map(
            |(check_character, alphabet, prefix, suffix, group, length, extra_length, seed)| {
                GeneratedFormat {
                    request: CodeFormatRequest {
                        length,
                        prefix,
                        suffix,
                        group,
                        alphabet,
                        check_character,
                    },
                    extra_length,
                    seed,
                }
            },
        )
}

fn validate(request: &CodeFormatRequest) -> CodeFormat {
    request.clone().validate().expect("generated requests are valid")
}

/// Checks that `code` has the shape of `format`, character by character.
fn check_shape(format: &CodeFormat, code: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(code.len(), format.code_chars());
    prop_assert!(code.starts_with(format.prefix()), "{code} lacks {}", format.prefix());
    prop_assert!(code.ends_with(format.suffix()), "{code} lacks {}", format.suffix());
    let middle = &code[format.prefix().len()..code.len() - format.suffix().len()];
    for character in middle.chars() {
        prop_assert!(format.alphabet().position(character).is_some(), "{character} in {code}");
    }
    prop_assert!(format.matches(code), "{code}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Single codes of any valid format have its shape, and display and typing them back
    /// normalises to the same code.
    #[test]
    fn generated_codes_have_the_format_codes_1(generated in format()) {
        let mut request = generated.request.clone();
        request.length = (request.length + generated.extra_length * 5).min(LONGEST_LENGTH);
        let format = validate(&request);
        let mut rng = StdRng::seed_from_u64(generated.seed);
        for _ in 0..20 {
            let code = format.generate_one(&mut rng);
            check_shape(&format, &code)?;
            let displayed = format.display(&code);
            prop_assert_eq!(codes::normalize_typed_code(&displayed), code.as_str());
            let typed = format!("  {} ", displayed.to_lowercase().replace('-', " - "));
            prop_assert_eq!(codes::normalize_typed_code(&typed), code.as_str());
            if let Some(group) = format.group() {
                for part in displayed.split('-') {
                    prop_assert!(part.len() <= group as usize && !part.is_empty(), "{displayed}");
                }
            }
        }
    }

    /// A batch that passes the guard is as long as asked, distinct, and every code has the shape.
    #[test]
    fn batches_are_distinct_codes_2(generated in format(), count in 1_u32..400) {
        let format = validate(&generated.request);
        let shortest = codes::shortest_safe_length(format.alphabet(), u64::from(count));
        prop_assume!(shortest + generated.extra_length <= LONGEST_LENGTH);
        let mut request = generated.request.clone();
        request.length = shortest + generated.extra_length;
        let format = validate(&request);
        let batch = CodeBatchRequest { count, maximum_count: count, live_codes: 0 }
            .validate(&format)
            .expect("the length is safe");
        let codes = batch.generate(&mut StdRng::seed_from_u64(generated.seed));
        prop_assert_eq!(codes.len(), count as usize);
        let distinct: HashSet<&str> = codes.iter().collect();
        prop_assert_eq!(distinct.len(), count as usize);
        for code in codes.iter() {
            check_shape(&format, code)?;
        }
    }

    /// Every single substitution by a letter or digit, anywhere in the code, and every swap of two
    /// different neighbours is caught by the check character or by the fixed prefix and suffix.
    #[test]
    fn check_character_catches_every_typo_and_adjacent_swap_codes_3(
        generated in format().prop_filter("a check character", |generated| {
            generated.request.check_character == CheckCharacter::Appended
        }),
    ) {
        let mut request = generated.request.clone();
        request.length = (request.length + generated.extra_length * 7).min(LONGEST_LENGTH);
        let format = validate(&request);
        let code = format.generate_one(&mut StdRng::seed_from_u64(generated.seed));
        prop_assert!(codes::verify_check_character(&format, &code).is_ok());
        let characters: Vec<char> = code.chars().collect();
        for index in 0..characters.len() {
            for substitute in LETTERS_AND_DIGITS.chars() {
                if substitute == characters[index] {
                    continue;
                }
                let mut typo = characters.clone();
                typo[index] = substitute;
                let typo: String = typo.into_iter().collect();
                prop_assert!(codes::verify_check_character(&format, &typo).is_err(), "{typo}");
            }
            if index + 1 < characters.len() && characters[index] != characters[index + 1] {
                let mut swapped = characters.clone();
                swapped.swap(index, index + 1);
                let swapped: String = swapped.into_iter().collect();
                prop_assert!(
                    codes::verify_check_character(&format, &swapped).is_err(),
                    "{swapped}"
                );
            }
        }
    }

    /// Normalising is idempotent and leaves no separators or lowercase ASCII letters.
    #[test]
    fn normalising_is_idempotent_codes_4(typed in "[ a-zA-Z0-9_\\-\u{2013}\u{00A0}é]{0,24}") {
        let normalized = codes::normalize_typed_code(&typed);
        prop_assert_eq!(codes::normalize_typed_code(&normalized), normalized.clone());
        let leftover = |c: char| {
            c.is_whitespace() || matches!(c, '-' | '_' | '\u{2013}') || c.is_ascii_lowercase()
        };
        prop_assert!(!normalized.chars().any(leftover), "{normalized:?}");
    }

    /// The guard accepts exactly the formats whose code space holds 10^6 times the live codes.
    #[test]
    fn guard_accepts_exactly_the_safe_formats_codes_5(
        generated in format(),
        count in 1_u32..2_000,
        live_codes in prop_oneof![0_u64..10_000, any::<u64>()],
    ) {
        let format = validate(&generated.request);
        let live_codes_after = live_codes.saturating_add(u64::from(count));
        let safe = format.code_space() >= 1_000_000 * u128::from(live_codes_after);
        let request = CodeBatchRequest { count, maximum_count: 2_000, live_codes };
        prop_assert_eq!(request.validate(&format).is_ok(), safe);
        let shortest = codes::shortest_safe_length(format.alphabet(), live_codes_after);
        prop_assert_eq!(format.length() >= shortest, safe);
    }
}
