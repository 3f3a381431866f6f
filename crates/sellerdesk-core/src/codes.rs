//! Coupon codes (`docs/rules.md` CODES-1 to CODES-5): their format, how they are drawn from a
//! cryptographically secure generator, the optional check character, how typed codes are
//! normalised, and the guard that keeps codes from being guessed.
//!
//! # Layout
//!
//! A code is `prefix`, then the random part, then the check character when the format has one,
//! then `suffix`: with prefix `BF`, 8 random characters and a check character, `BF7KQ2MX9PJ`.
//!
//! # Stored normalised, dashes for display only
//!
//! Codes are stored, compared and looked up in their normalised form: uppercase letters and digits,
//! no dashes, no spaces (`BF7KQ2MX9PJ`). Dashes are for display and export only:
//! [`CodeFormat::display`] adds one every `group` characters of the whole code (`BF7K-Q2MX-9PJ`),
//! and [`normalize_typed_code`] takes them out again, along with spaces, underscores and case,
//! before a typed code is verified or looked up.
//!
//! # The check character
//!
//! The alphabet's size `p` must be a prime of at least 3 (the default alphabet has 31 characters).
//! A character's value is its position in the alphabet. The check character covers the random part
//! and itself: with values `v_0 … v_n` (the check character last) and weights
//! `w_i = (i mod (p - 1)) + 1`, a code is valid when `Σ w_i · v_i ≡ 0 (mod p)`.
//!
//! - Changing one value `v_i` into another changes the sum by `w_i · (v'_i - v_i)`. Both factors are
//!   in `1..p` up to sign, and `p` is prime, so the product is not a multiple of `p`.
//! - Swapping two different neighbours `v_i`, `v_(i+1)` changes the sum by
//!   `(w_i - w_(i+1)) · (v_(i+1) - v_i)`. Neighbouring weights are consecutive values of
//!   `i mod (p - 1)` shifted by one, so they differ whenever `p - 1 > 1`, and both lie in `1..p`, so
//!   their difference is not a multiple of `p` either. This is why a size of 2 is refused too.
//!
//! The prefix and the suffix are fixed for every code of a format, so they take no part in the sum:
//! they may even hold characters that are not in the alphabet. They are compared literally instead,
//! which catches any typo in them and any swap across their border with the random part or the check
//! character (the two characters of such a swap differ, so the fixed one changes).
//!
//! # Uniqueness
//!
//! A [`CodeBatch`] makes codes that are distinct within the batch. Codes must be unique on the
//! whole platform: the store keeps them under a uniqueness constraint and replaces the rare one
//! already taken with [`CodeFormat::generate_one`]. The guessability guard makes such a collision
//! rarer than 1 in 1,000,000 per code within its code space.

use std::collections::HashSet;

use rand_core::CryptoRng;

use crate::rules::{InputError, Reason, RuleId};

/// The alphabet used unless the seller gives one: digits and uppercase letters without the
/// look-alikes 0/O and 1/I/L. It has 31 characters, a prime, so it can carry a check character.
pub const DEFAULT_ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// The shortest random part, in characters.
pub const SHORTEST_LENGTH: u32 = 1;

/// The longest random part, in characters.
pub const LONGEST_LENGTH: u32 = 32;

/// The longest prefix and the longest suffix, in characters.
pub const LONGEST_AFFIX_CHARS: usize = 16;

/// The smallest number of characters between two dashes of the displayed code.
pub const SMALLEST_GROUP: u32 = 2;

/// The largest number of characters between two dashes of the displayed code.
pub const LARGEST_GROUP: u32 = 16;

/// The fewest characters an alphabet can have. The most is 36, every letter and digit.
pub const SMALLEST_ALPHABET: usize = 2;

/// A random guess may hit a live code with a probability of at most 1 in this many (CODES-5).
pub const GUESS_ODDS: u128 = 1_000_000;

/// How the guessability rule is written in messages.
const GUESS_ODDS_TEXT: &str = "1 in 1,000,000";

/// Marks a byte that stands for no position in the alphabet.
const NO_POSITION: u8 = u8::MAX;

/// The characters codes are made of, in order: a character's value is its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alphabet {
    /// Distinct characters from `A-Z` and `0-9`, at least two.
    characters: String,
    /// For each ASCII byte, its position in `characters`, or [`NO_POSITION`].
    positions: [u8; 128],
    /// For each random byte, the position it draws, or [`NO_POSITION`] when it is rejected.
    /// See [`position_from_byte`].
    drawn_positions: [u8; 256],
}

impl Alphabet {
    /// Reads a seller's alphabet: surrounding spaces are dropped and letters uppercased.
    pub fn parse(text: &str) -> Result<Alphabet, InputError> {
        let characters = text.trim().to_ascii_uppercase();
        let refuse = |reason: Reason, message: String| {
            InputError::new("alphabet", RuleId::Codes1, message).because(reason)
        };
        if let Some(character) = characters.chars().find(|c| !is_code_character(*c)) {
            return Err(refuse(
                Reason::AlphabetCharacters,
                format!("the alphabet may only hold letters A-Z and digits 0-9, not {character:?}"),
            )
            .with("character", character));
        }
        let mut seen = [false; 128];
        for byte in characters.bytes() {
            let seen = &mut seen[usize::from(byte & 0x7f)];
            if *seen {
                let character = char::from(byte);
                return Err(refuse(
                    Reason::AlphabetRepeats,
                    format!("{character:?} appears more than once in the alphabet"),
                )
                .with("character", character));
            }
            *seen = true;
        }
        if characters.len() < SMALLEST_ALPHABET {
            return Err(refuse(
                Reason::AlphabetTooSmall,
                format!(
                    "an alphabet needs at least {SMALLEST_ALPHABET} different characters, not {}",
                    characters.len()
                ),
            )
            .with("smallest", SMALLEST_ALPHABET));
        }
        Ok(Alphabet::from_checked(characters))
    }

    /// Builds the lookup tables of an alphabet that passed [`Alphabet::parse`]'s checks.
    fn from_checked(characters: String) -> Alphabet {
        let mut positions = [NO_POSITION; 128];
        for (position, byte) in characters.bytes().enumerate() {
            // At most 36 ASCII characters: both fit.
            positions[usize::from(byte & 0x7f)] = position as u8;
        }
        let size = characters.len() as u8;
        let mut drawn_positions = [NO_POSITION; 256];
        for (byte, drawn) in (0..=u8::MAX).zip(drawn_positions.iter_mut()) {
            *drawn = position_from_byte(byte, size).unwrap_or(NO_POSITION);
        }
        Alphabet { characters, positions, drawn_positions }
    }

    pub fn as_str(&self) -> &str {
        &self.characters
    }

    /// How many characters the alphabet has: from 2 to 36.
    pub fn size(&self) -> u32 {
        self.characters.len() as u32
    }

    /// The position of `character` in the alphabet, if it is one of its characters.
    pub fn position(&self, character: char) -> Option<u32> {
        let byte = u8::try_from(character).ok()?;
        let position = *self.positions.get(usize::from(byte))?;
        (position != NO_POSITION).then_some(u32::from(position))
    }

    /// Whether the alphabet's size is a prime of at least 3, as a check character needs.
    pub fn can_carry_check_character(&self) -> bool {
        is_odd_prime(self.size())
    }

    /// The character at `position`, which callers take from this alphabet.
    fn character_at(&self, position: u8) -> char {
        self.characters.as_bytes().get(usize::from(position)).map_or('?', |byte| char::from(*byte))
    }
}

impl Default for Alphabet {
    /// The [`DEFAULT_ALPHABET`], which passes [`Alphabet::parse`] as the CODES-1 tests check.
    fn default() -> Alphabet {
        Alphabet::from_checked(DEFAULT_ALPHABET.to_owned())
    }
}

/// Whether a code has a check character after its random part (CODES-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckCharacter {
    None,
    Appended,
}

/// The options a seller gives for a format of codes, as typed in the CLI or the app, before any
/// rule has been checked (CODES-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeFormatRequest {
    /// Characters in the random part.
    pub length: u32,
    pub prefix: String,
    pub suffix: String,
    /// Characters between two dashes when a code is displayed, or `None` for no dashes.
    pub group: Option<u32>,
    /// `None` for [`DEFAULT_ALPHABET`].
    pub alphabet: Option<String>,
    pub check_character: CheckCharacter,
}

/// A format of codes that passed CODES-1 and CODES-3. Only this module makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeFormat {
    length: u32,
    prefix: String,
    suffix: String,
    group: Option<u32>,
    alphabet: Alphabet,
    check_character: CheckCharacter,
    /// The inverse, modulo the alphabet size, of the check character's weight, so that making a
    /// check character takes no search. Only used with a check character.
    check_inverse_weight: u32,
}

impl CodeFormatRequest {
    /// Checks the options (CODES-1, and CODES-3 for the check character) and returns the format.
    /// Prefix, suffix and alphabet are trimmed and uppercased.
    pub fn validate(self) -> Result<CodeFormat, InputError> {
        if !(SHORTEST_LENGTH..=LONGEST_LENGTH).contains(&self.length) {
            return Err(InputError::new(
                "length",
                RuleId::Codes1,
                format!(
                    "the random part has {SHORTEST_LENGTH} to {LONGEST_LENGTH} characters, \
                     not {}",
                    self.length
                ),
            )
            .because(Reason::LengthRange)
            .with("shortest", SHORTEST_LENGTH)
            .with("longest", LONGEST_LENGTH));
        }
        let prefix = affix("prefix", &self.prefix)?;
        let suffix = affix("suffix", &self.suffix)?;
        if let Some(group) = self.group
            && !(SMALLEST_GROUP..=LARGEST_GROUP).contains(&group)
        {
            return Err(InputError::new(
                "group",
                RuleId::Codes1,
                format!(
                    "dashes go every {SMALLEST_GROUP} to {LARGEST_GROUP} characters, not every \
                     {group}"
                ),
            )
            .because(Reason::GroupRange)
            .with("smallest", SMALLEST_GROUP)
            .with("largest", LARGEST_GROUP));
        }
        let alphabet = match &self.alphabet {
            Some(text) => Alphabet::parse(text)?,
            None => Alphabet::default(),
        };
        if self.check_character == CheckCharacter::Appended && !alphabet.can_carry_check_character()
        {
            return Err(InputError::new(
                "check_char",
                RuleId::Codes3,
                format!(
                    "a check character needs an alphabet whose size is a prime number of at least \
                     3 (it is a weighted sum modulo the size, and only a prime size catches every \
                     typo and every swap of neighbours); this alphabet has {} characters, {}; the \
                     default alphabet (31 characters) works",
                    alphabet.size(),
                    nearest_primes(alphabet.size()),
                ),
            )
            .because(Reason::CheckNeedsPrime)
            .with("size", alphabet.size()));
        }
        let check_inverse_weight = check_inverse_weight(self.length, alphabet.size());
        Ok(CodeFormat {
            length: self.length,
            prefix,
            suffix,
            group: self.group,
            alphabet,
            check_character: self.check_character,
            check_inverse_weight,
        })
    }
}

/// Checks a prefix or suffix and returns it uppercased.
fn affix(field: &str, text: &str) -> Result<String, InputError> {
    let affix = text.trim().to_ascii_uppercase();
    if let Some(character) = affix.chars().find(|c| !is_code_character(*c)) {
        let hint = if matches!(character, '-' | ' ' | '_') {
            " (dashes in displayed codes come from the group option)"
        } else {
            ""
        };
        return Err(InputError::new(
            field,
            RuleId::Codes1,
            format!(
                "the {field} may only hold letters A-Z and digits 0-9, not {character:?}{hint}"
            ),
        )
        .because(Reason::AffixCharacters)
        .with("character", character));
    }
    let chars = affix.len();
    if chars > LONGEST_AFFIX_CHARS {
        return Err(InputError::new(
            field,
            RuleId::Codes1,
            format!("the {field} has at most {LONGEST_AFFIX_CHARS} characters, not {chars}"),
        )
        .because(Reason::AffixTooLong)
        .with("maximum", LONGEST_AFFIX_CHARS));
    }
    Ok(affix)
}

impl CodeFormat {
    /// Characters in the random part.
    pub fn length(&self) -> u32 {
        self.length
    }
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
    pub fn suffix(&self) -> &str {
        &self.suffix
    }
    /// Characters between two dashes when a code is displayed, or `None` for no dashes.
    pub fn group(&self) -> Option<u32> {
        self.group
    }
    pub fn alphabet(&self) -> &Alphabet {
        &self.alphabet
    }
    pub fn check_character(&self) -> CheckCharacter {
        self.check_character
    }

    /// Characters in a whole normalised code: prefix, random part, check character and suffix.
    pub fn code_chars(&self) -> usize {
        let check_chars = match self.check_character {
            CheckCharacter::None => 0,
            CheckCharacter::Appended => 1,
        };
        self.prefix.len() + self.length as usize + check_chars + self.suffix.len()
    }

    /// How many different random parts the format can make: `alphabet size ^ length`.
    ///
    /// It stops at `u128::MAX` (36^32 is larger), which is far more than any guessability guard
    /// asks for. The check character adds no codes: it follows from the random part.
    pub fn code_space(&self) -> u128 {
        u128::from(self.alphabet.size()).saturating_pow(self.length)
    }

    /// Makes one code, not compared with any other: for replacing a code of a batch that turned
    /// out to be taken already on the platform.
    pub fn generate_one(&self, rng: &mut (impl CryptoRng + ?Sized)) -> String {
        let mut sampler = PositionSampler::new(rng, &self.alphabet);
        let mut random_part = [0_u8; LONGEST_LENGTH as usize];
        let random_part = &mut random_part[..self.length as usize];
        sampler.fill(random_part);
        let mut code = String::with_capacity(self.code_chars());
        self.write_code(random_part, &mut code);
        code
    }

    /// A normalised code with a dash every `group` characters, for display and export.
    pub fn display(&self, normalized: &str) -> String {
        let Some(group) = self.group else { return normalized.to_owned() };
        let mut displayed = String::with_capacity(normalized.len() * 2);
        for (index, character) in normalized.chars().enumerate() {
            if index > 0 && index.is_multiple_of(group as usize) {
                displayed.push('-');
            }
            displayed.push(character);
        }
        displayed
    }

    /// Whether a normalised code has this format, and its check character matches if it has one.
    pub fn matches(&self, normalized: &str) -> bool {
        self.mismatch(normalized).is_none()
    }

    /// Appends prefix, random part, check character and suffix to `code`.
    fn write_code(&self, random_part: &[u8], code: &mut String) {
        code.push_str(&self.prefix);
        code.extend(random_part.iter().map(|position| self.alphabet.character_at(*position)));
        if self.check_character == CheckCharacter::Appended {
            // The check value c makes the sum 0: w · c ≡ -sum, so c = -sum · w⁻¹ (mod p).
            let modulus = self.alphabet.size();
            let values = random_part.iter().map(|position| u32::from(*position));
            let sum = weighted_sum(values, modulus) % modulus;
            let check = (modulus - sum) % modulus * self.check_inverse_weight % modulus;
            code.push(self.alphabet.character_at(check as u8));
        }
        code.push_str(&self.suffix);
    }

    /// The random part read as a number in base alphabet size, wrapping at 2^128: equal random
    /// parts give equal numbers. Up to 2^128 possible random parts the number is the random part
    /// itself; past that, two different ones may share it, which only costs a redraw.
    fn pack(&self, random_part: &[u8]) -> u128 {
        let base = u128::from(self.alphabet.size());
        random_part.iter().fold(0, |packed, position| {
            packed.wrapping_mul(base).wrapping_add(u128::from(*position))
        })
    }

    /// What is wrong with a normalised code for this format, if anything.
    fn mismatch(&self, normalized: &str) -> Option<Mismatch> {
        let chars = normalized.chars().count();
        if chars != self.code_chars() {
            return Some(Mismatch::Length { chars });
        }
        let Some(rest) = normalized.strip_prefix(self.prefix.as_str()) else {
            return Some(Mismatch::Prefix);
        };
        let Some(middle) = rest.strip_suffix(self.suffix.as_str()) else {
            return Some(Mismatch::Suffix);
        };
        if let Some(character) = middle.chars().find(|c| self.alphabet.position(*c).is_none()) {
            return Some(Mismatch::Character { character });
        }
        let modulus = self.alphabet.size();
        let values = middle.chars().filter_map(|character| self.alphabet.position(character));
        match self.check_character {
            CheckCharacter::Appended if weighted_sum(values, modulus) % modulus != 0 => {
                Some(Mismatch::CheckCharacter)
            }
            CheckCharacter::Appended | CheckCharacter::None => None,
        }
    }
}

/// Why a normalised code does not fit a format.
enum Mismatch {
    Length { chars: usize },
    Prefix,
    Suffix,
    Character { character: char },
    CheckCharacter,
}

/// Verifies a typed code, normalised by [`normalize_typed_code`], against its format: length,
/// prefix, suffix, characters, and the check character when the format has one (CODES-4).
pub fn verify_check_character(format: &CodeFormat, normalized: &str) -> Result<(), InputError> {
    let Some(mismatch) = format.mismatch(normalized) else { return Ok(()) };
    let shown = format.display(normalized);
    let refusal = |reason: Reason, message: String| {
        InputError::new("code", RuleId::Codes4, message).because(reason).with("code", &shown)
    };
    Err(match mismatch {
        Mismatch::Length { chars } => refusal(
            Reason::CodeLength,
            format!(
                "\"{shown}\" has {chars} characters but this coupon's codes have {}",
                format.code_chars()
            ),
        )
        .with("length", chars)
        .with("expected", format.code_chars()),
        Mismatch::Prefix => refusal(
            Reason::CodePrefix,
            format!("\"{shown}\" does not start with this coupon's prefix \"{}\"", format.prefix),
        )
        .with("prefix", &format.prefix),
        Mismatch::Suffix => refusal(
            Reason::CodeSuffix,
            format!("\"{shown}\" does not end with this coupon's suffix \"{}\"", format.suffix),
        )
        .with("suffix", &format.suffix),
        Mismatch::Character { character } => refusal(
            Reason::CodeCharacter,
            format!(
                "\"{shown}\" holds {character:?}, which is not one of the code characters {}",
                format.alphabet.as_str()
            ),
        )
        .with("character", character),
        Mismatch::CheckCharacter => refusal(
            Reason::CodeTypo,
            format!(
                "\"{shown}\" has a typo: its check character does not match (look for a \
                 mistyped character or two swapped ones)"
            ),
        ),
    })
}

/// A typed code as codes are stored: without spaces, dashes or underscores (anywhere, so also
/// trimmed), letters uppercased, and full-width letters and digits (from Japanese or Korean
/// keyboards) read as their ASCII forms. Other characters are kept, so that verification can
/// name them.
pub fn normalize_typed_code(typed: &str) -> String {
    typed
        .chars()
        .map(from_full_width)
        .filter(|character| !is_separator(*character))
        .map(|character| character.to_ascii_uppercase())
        .collect()
}

/// The ASCII form of a full-width form (`Ａ` is `A`), or the character itself.
fn from_full_width(character: char) -> char {
    match u32::from(character) {
        full_width @ 0xFF01..=0xFF5E => char::from_u32(full_width - 0xFEE0).unwrap_or(character),
        _ => character,
    }
}

/// Whether a character only separates parts of a typed code: white space, dashes of every kind,
/// underscores and invisible joiners that copying from documents brings along.
fn is_separator(character: char) -> bool {
    character.is_whitespace()
        || matches!(
            character,
            '-' | '_'
                | '\u{2010}'..='\u{2015}'
                | '\u{2212}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
        )
}

/// How many codes to make in one batch, and how many the code space holds already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeBatchRequest {
    pub count: u32,
    /// The most codes the batch may have: what the coupon's quantity still allows.
    pub maximum_count: u32,
    /// Live codes already in the same code space (same prefix, suffix, length, alphabet and check
    /// character: unclaimed, valid, inactive or pending), which a random guess could hit as well.
    pub live_codes: u64,
}

/// A batch that passed CODES-1 and CODES-5: its count is within the coupon's quantity and its
/// codes cannot be guessed. Only this module makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBatch {
    format: CodeFormat,
    count: u32,
}

impl CodeBatchRequest {
    /// Checks the count (CODES-1) and the guessability of the format with this many more live
    /// codes (CODES-5).
    pub fn validate(self, format: &CodeFormat) -> Result<CodeBatch, InputError> {
        let count = self.count;
        if count == 0 {
            return Err(InputError::new(
                "count",
                RuleId::Codes1,
                "a batch needs at least one code",
            )
            .because(Reason::CountNone));
        }
        if count > self.maximum_count {
            return Err(InputError::new(
                "count",
                RuleId::Codes1,
                format!(
                    "a batch of {} is more than the {} the coupon's quantity still allows",
                    plural(u128::from(count), "code"),
                    self.maximum_count
                ),
            )
            .because(Reason::CountAboveLeft)
            .with("left", self.maximum_count));
        }
        let live_codes_after = self.live_codes.saturating_add(u64::from(count));
        if u128::from(count) > format.code_space() {
            let refusal = InputError::new(
                "count",
                RuleId::Codes5,
                format!(
                    "{} are more than the {} different ones that {} from {} can make; {}",
                    plural(u128::from(count), "code"),
                    format.code_space(),
                    plural(u128::from(format.length), "character"),
                    format.alphabet.size(),
                    safe_length_advice(&format.alphabet, live_codes_after),
                ),
            )
            .because(Reason::MoreThanSpace);
            return Err(with_safe_length(refusal, &format.alphabet, live_codes_after));
        }
        check_guessability(format, live_codes_after)?;
        Ok(CodeBatch { format: format.clone(), count })
    }
}

impl CodeBatch {
    pub fn format(&self) -> &CodeFormat {
        &self.format
    }
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Makes the batch's codes, distinct from each other, normalised (CODES-2).
    pub fn generate(&self, rng: &mut (impl CryptoRng + ?Sized)) -> GeneratedCodes {
        let format = &self.format;
        let count = self.count as usize;
        let code_chars = format.code_chars();
        let mut text = String::with_capacity(count * code_chars);
        let mut packed_codes = Vec::with_capacity(count);
        let mut sampler = PositionSampler::new(rng, &format.alphabet);
        let mut random_part = [0_u8; LONGEST_LENGTH as usize];
        let random_part = &mut random_part[..format.length as usize];
        for _ in 0..count {
            sampler.fill(random_part);
            packed_codes.push(format.pack(random_part));
            format.write_code(random_part, &mut text);
        }
        // The guessability guard keeps repeats rare: about count² / 2S of them, at most one in two
        // batches at its limit and one in 1,600 for a million codes of 10 characters from 31.
        // Each is simply drawn again until there are none.
        let mut code = String::with_capacity(code_chars);
        loop {
            let repeated = repeated_indices(&packed_codes);
            if repeated.is_empty() {
                break;
            }
            for index in repeated {
                sampler.fill(random_part);
                packed_codes[index] = format.pack(random_part);
                code.clear();
                format.write_code(random_part, &mut code);
                let start = index * code_chars;
                text.replace_range(start..start + code_chars, &code);
            }
        }
        GeneratedCodes { text, code_chars }
    }
}

/// The indices of the packed codes that an earlier one repeats.
///
/// Repeats are found by sorting a copy: for a million codes that is several times faster than a
/// hash set, whose lookups all miss the processor's cache.
fn repeated_indices(packed_codes: &[u128]) -> Vec<usize> {
    let mut sorted = packed_codes.to_vec();
    sorted.sort_unstable();
    let repeated: HashSet<u128> =
        sorted.windows(2).filter(|pair| pair[0] == pair[1]).map(|pair| pair[0]).collect();
    if repeated.is_empty() {
        return Vec::new();
    }
    let mut seen = HashSet::new();
    packed_codes
        .iter()
        .enumerate()
        .filter(|(_, packed)| repeated.contains(*packed) && !seen.insert(**packed))
        .map(|(index, _)| index)
        .collect()
}

/// The codes of a batch, normalised, held in one string since they all have the same length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCodes {
    text: String,
    /// The length of every code, at least 1.
    code_chars: usize,
}

impl GeneratedCodes {
    pub fn len(&self) -> usize {
        self.text.len() / self.code_chars.max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        let start = index.checked_mul(self.code_chars)?;
        self.text.get(start..start.checked_add(self.code_chars)?)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|index| self.get(index).unwrap_or_default())
    }
}

/// Refuses a format under which a random guess would hit one of `live_codes_after` live codes
/// with a probability above 1 in [`GUESS_ODDS`]: the code space must hold at least
/// `GUESS_ODDS · live_codes_after` random parts (CODES-5).
pub fn check_guessability(format: &CodeFormat, live_codes_after: u64) -> Result<(), InputError> {
    // At most 10^6 · 2^64 < 2^84: no overflow.
    let needed = GUESS_ODDS * u128::from(live_codes_after);
    if format.code_space() >= needed {
        return Ok(());
    }
    let refusal = InputError::new(
        "length",
        RuleId::Codes5,
        format!(
            "{} from {} give {}, too few for {} (a guess would hit one with probability above \
             {GUESS_ODDS_TEXT}); {}",
            plural(u128::from(format.length), "character"),
            format.alphabet.size(),
            plural(format.code_space(), "code"),
            plural(u128::from(live_codes_after), "live code"),
            safe_length_advice(&format.alphabet, live_codes_after),
        ),
    )
    .because(Reason::Guessable);
    Err(with_safe_length(refusal, &format.alphabet, live_codes_after))
}

/// The shortest random part whose code space is safe for `live_codes_after` live codes
/// (CODES-5). It may be more than [`LONGEST_LENGTH`]: then the alphabet is too small.
pub fn shortest_safe_length(alphabet: &Alphabet, live_codes_after: u64) -> u32 {
    let needed = GUESS_ODDS * u128::from(live_codes_after);
    let base = u128::from(alphabet.size());
    let mut length = SHORTEST_LENGTH;
    let mut code_space = base;
    // The alphabet has at least 2 characters and `needed` is below 2^84, so this ends.
    while code_space < needed {
        code_space = code_space.saturating_mul(base);
        length += 1;
    }
    length
}

/// Names what would do in a CODES-5 refusal: `advice` `length` with the `shortest` length, or
/// `alphabet` when no length is enough with this alphabet.
fn with_safe_length(refusal: InputError, alphabet: &Alphabet, live_codes_after: u64) -> InputError {
    let shortest = shortest_safe_length(alphabet, live_codes_after);
    if shortest <= LONGEST_LENGTH {
        refusal.with("advice", "length").with("shortest", shortest)
    } else {
        refusal.with("advice", "alphabet")
    }
}

fn safe_length_advice(alphabet: &Alphabet, live_codes_after: u64) -> String {
    let shortest = shortest_safe_length(alphabet, live_codes_after);
    if shortest <= LONGEST_LENGTH {
        format!("use a length of at least {shortest}")
    } else {
        format!(
            "no length up to {LONGEST_LENGTH} is enough with {} characters: use a larger \
             alphabet (the default has 31)",
            alphabet.size()
        )
    }
}

/// `1 code`, `2 codes`.
fn plural(amount: u128, noun: &str) -> String {
    match amount {
        1 => format!("1 {noun}"),
        _ => format!("{amount} {noun}s"),
    }
}

/// Draws positions in an alphabet from a cryptographically secure generator, each position
/// equally likely (CODES-2). Bytes are drawn a block at a time and read through the alphabet's
/// table of [`position_from_byte`].
struct PositionSampler<'a, R: ?Sized> {
    rng: &'a mut R,
    drawn_positions: &'a [u8; 256],
    bytes: [u8; 64],
    next_byte: usize,
}

impl<'a, R: CryptoRng + ?Sized> PositionSampler<'a, R> {
    fn new(rng: &'a mut R, alphabet: &'a Alphabet) -> PositionSampler<'a, R> {
        PositionSampler {
            rng,
            drawn_positions: &alphabet.drawn_positions,
            bytes: [0; 64],
            next_byte: 64,
        }
    }

    fn fill(&mut self, positions: &mut [u8]) {
        for slot in positions {
            *slot = self.next_position();
        }
    }

    fn next_position(&mut self) -> u8 {
        loop {
            if self.next_byte >= self.bytes.len() {
                self.rng.fill_bytes(&mut self.bytes);
                self.next_byte = 0;
            }
            let byte = self.bytes[self.next_byte];
            self.next_byte += 1;
            let position = self.drawn_positions[usize::from(byte)];
            if position != NO_POSITION {
                return position;
            }
        }
    }
}

/// The position a uniformly random byte draws in an alphabet of `alphabet_size`, or `None` to
/// draw again (rejection sampling). Only bytes below the largest multiple of the size that fits in
/// 256 are kept, so each position is drawn by exactly as many bytes as any other: no modulo bias.
fn position_from_byte(byte: u8, alphabet_size: u8) -> Option<u8> {
    let size = u16::from(alphabet_size.max(1));
    let kept_bytes = 256 - 256 % size;
    (u16::from(byte) < kept_bytes).then(|| (u16::from(byte) % size) as u8)
}

/// The weights of the random part's characters and then the check character's:
/// `w_i = (i mod (p - 1)) + 1`, that is 1, 2, …, p - 1 and again. Each is from 1 to `modulus - 1`,
/// and different from its neighbours' when `modulus >= 3`.
fn check_weights(modulus: u32) -> impl Iterator<Item = u32> {
    (1..modulus).cycle()
}

/// `Σ w_i · v_i`, not reduced: at most 35 · 35 · 33, far below `u32::MAX`.
fn weighted_sum(values: impl Iterator<Item = u32>, modulus: u32) -> u32 {
    values.zip(check_weights(modulus)).map(|(value, weight)| value * weight).sum()
}

/// The inverse modulo the prime `modulus` of the check character's weight after a random part of
/// `length` characters: `w^(p-2)`, by Fermat's little theorem.
fn check_inverse_weight(length: u32, modulus: u32) -> u32 {
    let weight = check_weights(modulus).nth(length as usize).unwrap_or(1);
    power_modulo(weight, modulus.saturating_sub(2), modulus)
}

fn power_modulo(base: u32, exponent: u32, modulus: u32) -> u32 {
    (0..exponent).fold(1 % modulus, |power, _| power * base % modulus)
}

fn is_code_character(character: char) -> bool {
    character.is_ascii_uppercase() || character.is_ascii_digit()
}

fn is_odd_prime(number: u32) -> bool {
    number >= 3 && (2..number).take_while(|d| d * d <= number).all(|d| !number.is_multiple_of(d))
}

/// The primes of at most 36 next to `size`, as advice for an alphabet that cannot carry a check
/// character.
fn nearest_primes(size: u32) -> String {
    let below = (3..size).rev().find(|number| is_odd_prime(*number));
    let above = (size + 1..=36).find(|number| is_odd_prime(*number));
    match (below, above) {
        (Some(below), Some(above)) => {
            format!("not a prime: remove characters to reach {below} or add some to reach {above}")
        }
        (Some(below), None) => format!("not a prime: remove characters to reach {below}"),
        (None, Some(above)) => format!("not an odd prime: add characters to reach {above}"),
        (None, None) => "not a prime".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use rand_core::{TryCryptoRng, TryRng};

    use super::*;

    fn request() -> CodeFormatRequest {
        CodeFormatRequest {
            length: 10,
            prefix: String::new(),
            suffix: String::new(),
            group: None,
            alphabet: None,
            check_character: CheckCharacter::None,
        }
    }

    fn format_with(change: impl FnOnce(&mut CodeFormatRequest)) -> CodeFormat {
        let mut request = request();
        change(&mut request);
        request.validate().unwrap()
    }

    /// Checks a request built by `change` from a good one: `None` means it is accepted.
    fn check_format(change: impl FnOnce(&mut CodeFormatRequest), expected: Option<(&str, RuleId)>) {
        let mut request = request();
        change(&mut request);
        let shown = format!("{request:?}");
        let actual = request.validate().err().map(|error| (error.field, error.rule));
        assert_eq!(
            actual.as_ref().map(|(field, rule)| (field.as_str(), *rule)),
            expected,
            "{shown}"
        );
    }

    #[test]
    fn default_alphabet_has_no_look_alikes_codes_1() {
        let alphabet = Alphabet::default();
        assert_eq!(alphabet.as_str(), DEFAULT_ALPHABET);
        assert_eq!(alphabet.size(), 31);
        for look_alike in ['0', 'O', '1', 'I', 'L'] {
            assert_eq!(alphabet.position(look_alike), None, "{look_alike}");
        }
        let expected: String =
            ('2'..='9').chain('A'..='Z').filter(|c| !"OIL".contains(*c)).collect();
        assert_eq!(alphabet.as_str(), expected);
    }

    #[test]
    fn format_options_are_checked_codes_1() {
        check_format(|_| {}, None);
        check_format(|r| r.length = 0, Some(("length", RuleId::Codes1)));
        check_format(|r| r.length = 1, None);
        check_format(|r| r.length = 32, None);
        check_format(|r| r.length = 33, Some(("length", RuleId::Codes1)));
        check_format(|r| r.prefix = " bf26 ".into(), None);
        check_format(|r| r.prefix = "A".repeat(16), None);
        check_format(|r| r.prefix = "A".repeat(17), Some(("prefix", RuleId::Codes1)));
        check_format(|r| r.prefix = "BF-".into(), Some(("prefix", RuleId::Codes1)));
        check_format(|r| r.prefix = "É".into(), Some(("prefix", RuleId::Codes1)));
        check_format(|r| r.suffix = "x9".into(), None);
        check_format(|r| r.suffix = "X 9".into(), Some(("suffix", RuleId::Codes1)));
        check_format(|r| r.suffix = "9".repeat(17), Some(("suffix", RuleId::Codes1)));
        check_format(|r| r.group = Some(1), Some(("group", RuleId::Codes1)));
        check_format(|r| r.group = Some(2), None);
        check_format(|r| r.group = Some(16), None);
        check_format(|r| r.group = Some(17), Some(("group", RuleId::Codes1)));
        check_format(|r| r.alphabet = Some("ab".into()), None);
        check_format(|r| r.alphabet = Some("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".into()), None);
        check_format(|r| r.alphabet = Some("A".into()), Some(("alphabet", RuleId::Codes1)));
        check_format(|r| r.alphabet = Some("".into()), Some(("alphabet", RuleId::Codes1)));
        check_format(|r| r.alphabet = Some("ABCA".into()), Some(("alphabet", RuleId::Codes1)));
        check_format(|r| r.alphabet = Some("AbCa".into()), Some(("alphabet", RuleId::Codes1)));
        check_format(|r| r.alphabet = Some("AB-C".into()), Some(("alphabet", RuleId::Codes1)));

        let format = format_with(|r| {
            r.prefix = " bf ".into();
            r.suffix = "x".into();
            r.alphabet = Some(" xyz ".into());
        });
        assert_eq!((format.prefix(), format.suffix()), ("BF", "X"));
        assert_eq!(format.alphabet().as_str(), "XYZ");
        assert_eq!(format.code_chars(), 13);
        assert_eq!(format.code_space(), 3_u128.pow(10));
        assert_eq!(format_with(|r| r.length = 32).code_space(), u128::MAX);
    }

    #[test]
    fn format_errors_name_the_option_codes_1() {
        let error = request_error(|r| r.prefix = "BF-".into());
        assert_eq!(
            error,
            "prefix: the prefix may only hold letters A-Z and digits 0-9, not '-' (dashes in \
             displayed codes come from the group option) [CODES-1]"
        );
        let error = request_error(|r| r.alphabet = Some("ABCA".into()));
        assert_eq!(error, "alphabet: 'A' appears more than once in the alphabet [CODES-1]");
    }

    fn request_error(change: impl FnOnce(&mut CodeFormatRequest)) -> String {
        let mut request = request();
        change(&mut request);
        request.validate().unwrap_err().to_string()
    }

    fn check_display(group: Option<u32>, normalized: &str, expected: &str) {
        let format = format_with(|r| r.group = group);
        assert_eq!(format.display(normalized), expected);
        assert_eq!(normalize_typed_code(expected), normalized);
    }

    #[test]
    fn dashes_group_the_whole_code_for_display_codes_1() {
        check_display(None, "BF7KQ2MX9P", "BF7KQ2MX9P");
        check_display(Some(4), "BF7KQ2MX9P", "BF7K-Q2MX-9P");
        check_display(Some(5), "BF7KQ2MX9P", "BF7KQ-2MX9P");
        check_display(Some(2), "BF7", "BF-7");
        check_display(Some(16), "BF7KQ2MX9P", "BF7KQ2MX9P");
        check_display(Some(4), "", "");
    }

    /// Checks the codes a batch request gives, or the error line it is refused with.
    fn check_batch(
        change: impl FnOnce(&mut CodeFormatRequest),
        batch: CodeBatchRequest,
        expected: Result<(), &str>,
    ) {
        let format = format_with(change);
        let actual = batch.validate(&format).err().map(|error| error.to_string());
        assert_eq!(actual.as_deref(), expected.err(), "{batch:?}");
    }

    fn batch(count: u32, maximum_count: u32, live_codes: u64) -> CodeBatchRequest {
        CodeBatchRequest { count, maximum_count, live_codes }
    }

    #[test]
    fn count_is_within_the_coupon_quantity_codes_1() {
        check_batch(|_| {}, batch(1, 1, 0), Ok(()));
        check_batch(|_| {}, batch(500, 500, 0), Ok(()));
        check_batch(
            |_| {},
            batch(0, 500, 0),
            Err("count: a batch needs at least one code [CODES-1]"),
        );
        check_batch(
            |_| {},
            batch(501, 500, 0),
            Err("count: a batch of 501 codes is more than the 500 the coupon's quantity still \
                 allows [CODES-1]"),
        );
    }

    /// A generator that gives the bytes it was made with, over and over.
    struct RepeatedBytes {
        bytes: Vec<u8>,
        next: usize,
    }

    impl TryRng for RepeatedBytes {
        type Error = Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Infallible> {
            let mut word = [0; 4];
            self.try_fill_bytes(&mut word)?;
            Ok(u32::from_le_bytes(word))
        }
        fn try_next_u64(&mut self) -> Result<u64, Infallible> {
            let mut word = [0; 8];
            self.try_fill_bytes(&mut word)?;
            Ok(u64::from_le_bytes(word))
        }
        fn try_fill_bytes(&mut self, destination: &mut [u8]) -> Result<(), Infallible> {
            for byte in destination {
                *byte = self.bytes[self.next % self.bytes.len()];
                self.next += 1;
            }
            Ok(())
        }
    }

    /// Not secure at all; it only stands in for one so that the tests know every byte drawn.
    impl TryCryptoRng for RepeatedBytes {}

    #[test]
    fn every_position_is_drawn_by_as_many_bytes_codes_2() {
        for size in 2..=36_u8 {
            let mut drawn_by = vec![0_u32; usize::from(size)];
            for byte in 0..=u8::MAX {
                if let Some(position) = position_from_byte(byte, size) {
                    drawn_by[usize::from(position)] += 1;
                }
            }
            let expected = 256 / u32::from(size);
            assert!(drawn_by.iter().all(|count| *count == expected), "size {size}: {drawn_by:?}");
        }
        // 31 · 8 = 248: the top 8 byte values are thrown away for the default alphabet.
        assert_eq!(position_from_byte(247, 31), Some(30));
        assert_eq!(position_from_byte(248, 31), None);
        assert_eq!(position_from_byte(255, 32), Some(31));
    }

    #[test]
    fn codes_come_from_the_generator_by_rejection_codes_2() {
        let format = format_with(|r| {
            r.length = 4;
            r.prefix = "BF".into();
            r.suffix = "X".into();
        });
        // 250 and 255 are rejected; 0 and 31 are '2', 247 is 'Z', 33 is '4'.
        let mut rng = RepeatedBytes { bytes: vec![250, 0, 255, 31, 247, 33], next: 0 };
        assert_eq!(format.generate_one(&mut rng), "BF22Z4X");

        let mut rng = StdRng::seed_from_u64(7);
        let batch = batch(1000, 1000, 0).validate(&format_with(|_| {})).unwrap();
        let codes = batch.generate(&mut rng);
        assert_eq!(codes.len(), 1000);
        let distinct: HashSet<&str> = codes.iter().collect();
        assert_eq!(distinct.len(), 1000);
        assert!(codes.iter().all(|code| batch.format().matches(code)));
        assert_eq!(codes.get(999).map(str::len), Some(10));
        assert_eq!(codes.get(1000), None);
    }

    #[test]
    fn batches_are_distinct_even_from_a_repeating_generator_codes_2() {
        // A generator that repeats itself: the second "12345" is drawn again.
        let format = format_with(|r| {
            r.length = 5;
            r.alphabet = Some("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".into());
        });
        let batch = batch(2, 2, 0).validate(&format).unwrap();
        let bytes = vec![1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        let mut rng = RepeatedBytes { bytes, next: 0 };
        assert_eq!(batch.generate(&mut rng).iter().collect::<Vec<_>>(), ["12345", "6789A"]);
    }

    #[test]
    fn check_character_needs_a_prime_alphabet_codes_3() {
        let with_check = |alphabet: Option<&str>| {
            let alphabet = alphabet.map(str::to_owned);
            move |r: &mut CodeFormatRequest| {
                r.alphabet = alphabet;
                r.check_character = CheckCharacter::Appended;
            }
        };
        check_format(with_check(None), None);
        check_format(with_check(Some("ABC")), None);
        check_format(with_check(Some("ABCDE")), None);
        check_format(with_check(Some("AB")), Some(("check_char", RuleId::Codes3)));
        check_format(with_check(Some("ABCD")), Some(("check_char", RuleId::Codes3)));
        check_format(
            with_check(Some("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
            Some(("check_char", RuleId::Codes3)),
        );
        let mut thirty_two = request();
        with_check(Some("23456789ABCDEFGHJKMNPQRSTUVWXYZ0"))(&mut thirty_two);
        assert_eq!(
            thirty_two.validate().unwrap_err().to_string(),
            "check_char: a check character needs an alphabet whose size is a prime number of at \
             least 3 (it is a weighted sum modulo the size, and only a prime size catches every \
             typo and every swap of neighbours); this alphabet has 32 characters, not a prime: \
             remove characters to reach 31; the default alphabet (31 characters) works [CODES-3]"
        );
        let mut twelve = request();
        with_check(Some("ABCDEFGHIJKL"))(&mut twelve);
        assert!(twelve.validate().unwrap_err().message.contains(
            "has 12 characters, not a prime: remove characters to reach 11 or add some to \
                 reach 13;"
        ));
    }

    /// Checks that `code` is valid and that every single substitution by a letter or digit and
    /// every swap of two different neighbours makes it invalid.
    fn check_typos_are_caught(format: &CodeFormat, code: &str) {
        assert!(format.matches(code), "{code} should be valid");
        let characters: Vec<char> = code.chars().collect();
        for index in 0..characters.len() {
            for substitute in ('0'..='9').chain('A'..='Z') {
                if substitute == characters[index] {
                    continue;
                }
                let mut typo = characters.clone();
                typo[index] = substitute;
                let typo: String = typo.into_iter().collect();
                assert!(!format.matches(&typo), "{typo} (from {code}) was not caught");
            }
            if index + 1 < characters.len() && characters[index] != characters[index + 1] {
                let mut swapped = characters.clone();
                swapped.swap(index, index + 1);
                let swapped: String = swapped.into_iter().collect();
                assert!(!format.matches(&swapped), "{swapped} (from {code}) was not caught");
            }
        }
    }

    #[test]
    fn check_character_catches_every_typo_and_swap_exhaustively_codes_3() {
        // Every random part of up to 6 characters for the small primes, which walks the weights
        // through more than a full cycle, and every random part of 2 characters for 31.
        let cases: [(&str, u32); 5] =
            [("ABC", 6), ("ABCDE", 5), ("ABCDEFG", 4), ("0123456789A", 3), (DEFAULT_ALPHABET, 2)];
        for (alphabet, longest) in cases {
            for length in 1..=longest {
                let format = format_with(|r| {
                    r.length = length;
                    r.prefix = "Q".into();
                    r.suffix = "Z9".into();
                    r.alphabet = Some(alphabet.to_owned());
                    r.check_character = CheckCharacter::Appended;
                });
                let size = alphabet.len() as u32;
                for number in 0..size.pow(length) {
                    let mut random_part = [0_u8; 6];
                    let mut rest = number;
                    for slot in &mut random_part[..length as usize] {
                        *slot = (rest % size) as u8;
                        rest /= size;
                    }
                    let mut code = String::new();
                    format.write_code(&random_part[..length as usize], &mut code);
                    check_typos_are_caught(&format, &code);
                }
            }
        }
    }

    #[test]
    fn check_weights_are_nonzero_and_differ_from_neighbours_codes_3() {
        for modulus in [3, 5, 7, 11, 13, 17, 19, 23, 29, 31] {
            let weights: Vec<u32> =
                check_weights(modulus).take(LONGEST_LENGTH as usize + 1).collect();
            for (index, weight) in weights.iter().enumerate() {
                assert_eq!(*weight, (index as u32 % (modulus - 1)) + 1, "{modulus} at {index}");
            }
            assert!(weights.iter().all(|weight| (1..modulus).contains(weight)));
            assert!(weights.windows(2).all(|pair| pair[0] != pair[1]), "{modulus}");
            for length in SHORTEST_LENGTH..=LONGEST_LENGTH {
                let weight = weights[length as usize];
                assert_eq!(weight * check_inverse_weight(length, modulus) % modulus, 1);
            }
        }
    }

    fn check_normalize(typed: &str, expected: &str) {
        assert_eq!(normalize_typed_code(typed), expected, "{typed:?}");
    }

    #[test]
    fn typed_codes_are_normalised_codes_4() {
        check_normalize("BF7K-Q2MX-9P", "BF7KQ2MX9P");
        check_normalize("  bf7k q2mx 9p\n", "BF7KQ2MX9P");
        check_normalize("bf7k_q2mx_9p", "BF7KQ2MX9P");
        check_normalize("BF7K\u{2013}Q2MX\u{2014}9P", "BF7KQ2MX9P");
        check_normalize("\u{FEFF}BF7K\u{00A0}Q2MX\u{200B}9P", "BF7KQ2MX9P");
        check_normalize("ｂｆ７ｋ－ｑ２ｍｘ\u{3000}９ｐ", "BF7KQ2MX9P");
        check_normalize("BF7K.Q2MX", "BF7K.Q2MX");
        check_normalize("é", "é");
        check_normalize("", "");
    }

    /// Checks the verification of a typed code for the check-character format of `BF`, 8
    /// characters and `X`: `None` means it is accepted.
    fn check_verify(typed: &str, expected: Option<&str>) {
        let format = format_with(|r| {
            r.length = 8;
            r.prefix = "BF".into();
            r.suffix = "X".into();
            r.group = Some(4);
            r.check_character = CheckCharacter::Appended;
        });
        let normalized = normalize_typed_code(typed);
        let actual = verify_check_character(&format, &normalized).err().map(|e| e.to_string());
        assert_eq!(actual.as_deref(), expected, "{typed:?}");
        assert_eq!(format.matches(&normalized), expected.is_none());
    }

    #[test]
    fn typed_codes_are_verified_against_their_format_codes_4() {
        let format = format_with(|r| {
            r.length = 8;
            r.prefix = "BF".into();
            r.suffix = "X".into();
            r.check_character = CheckCharacter::Appended;
        });
        let mut code = String::new();
        format.write_code(&[0, 1, 2, 3, 4, 5, 6, 7], &mut code);
        assert_eq!(code, "BF234567894X");
        check_verify("bf23-4567-894x", None);
        check_verify(" BF234567894X ", None);
        check_verify(
            "BF234567895X",
            Some(
                "code: \"BF23-4567-895X\" has a typo: its check character does not match (look \
                 for a mistyped character or two swapped ones) [CODES-4]",
            ),
        );
        check_verify(
            "BF324567894X",
            Some(
                "code: \"BF32-4567-894X\" has a typo: its check character does not match (look \
                 for a mistyped character or two swapped ones) [CODES-4]",
            ),
        );
        check_verify(
            "BF23456789X",
            Some(
                "code: \"BF23-4567-89X\" has 11 characters but this coupon's codes have 12 [CODES-4]",
            ),
        );
        check_verify(
            "BG234567894X",
            Some(
                "code: \"BG23-4567-894X\" does not start with this coupon's prefix \"BF\" [CODES-4]",
            ),
        );
        check_verify(
            "BF234567894Y",
            Some("code: \"BF23-4567-894Y\" does not end with this coupon's suffix \"X\" [CODES-4]"),
        );
        check_verify(
            "BF2345678O4X",
            Some(
                "code: \"BF23-4567-8O4X\" holds 'O', which is not one of the code characters \
                 23456789ABCDEFGHJKMNPQRSTUVWXYZ [CODES-4]",
            ),
        );
        check_verify(
            "BF23456789ÉX",
            Some(
                "code: \"BF23-4567-89ÉX\" holds 'É', which is not one of the code characters \
                 23456789ABCDEFGHJKMNPQRSTUVWXYZ [CODES-4]",
            ),
        );
        // The example of the module's documentation.
        let example = format_with(|r| {
            r.length = 8;
            r.prefix = "BF".into();
            r.group = Some(4);
            r.check_character = CheckCharacter::Appended;
        });
        assert!(example.matches("BF7KQ2MX9PJ"));
        assert_eq!(example.display("BF7KQ2MX9PJ"), "BF7K-Q2MX-9PJ");
        // Without a check character only the shape is verified.
        let plain = format_with(|r| r.length = 3);
        assert!(verify_check_character(&plain, "ABC").is_ok());
        assert!(verify_check_character(&plain, "AB0").is_err());
    }

    #[test]
    fn guessable_formats_are_refused_codes_5() {
        check_batch(
            |r| r.length = 6,
            batch(1_000, 1_000_000, 999_000),
            Err("length: 6 characters from 31 give 887503681 codes, too few for 1000000 live \
                 codes (a guess would hit one with probability above 1 in 1,000,000); use a \
                 length of at least 9 [CODES-5]"),
        );
        check_batch(|r| r.length = 9, batch(1_000, 1_000_000, 999_000), Ok(()));
        // 31^5 = 28,629,151 ≥ 10^6 · 28 but not 10^6 · 29.
        check_batch(|r| r.length = 5, batch(28, 1_000, 0), Ok(()));
        check_batch(
            |r| r.length = 5,
            batch(1, 1_000, 28),
            Err("length: 5 characters from 31 give 28629151 codes, too few for 29 live codes (a \
                 guess would hit one with probability above 1 in 1,000,000); use a length of at \
                 least 6 [CODES-5]"),
        );
        check_batch(
            |r| r.length = 1,
            batch(1, 1, 0),
            Err("length: 1 character from 31 give 31 codes, too few for 1 live code (a guess \
                 would hit one with probability above 1 in 1,000,000); use a length of at least \
                 5 [CODES-5]"),
        );
        check_batch(
            |r| r.length = 2,
            batch(1_000, 1_000, 0),
            Err("count: 1000 codes are more than the 961 different ones that 2 characters from \
                 31 can make; use a length of at least 7 [CODES-5]"),
        );
        check_batch(
            |r| {
                r.length = 32;
                r.alphabet = Some("AB".into());
            },
            batch(1_000_000, 1_000_000, 0),
            Err("length: 32 characters from 2 give 4294967296 codes, too few for 1000000 live \
                 codes (a guess would hit one with probability above 1 in 1,000,000); no length \
                 up to 32 is enough with 2 characters: use a larger alphabet (the default has 31) \
                 [CODES-5]"),
        );
        // Live codes near the top of u64 neither overflow nor pass.
        check_batch(|r| r.length = 32, batch(1, 1, u64::MAX), Ok(()));
        check_batch(
            |r| r.length = 12,
            batch(1, 1, u64::MAX),
            Err("length: 12 characters from 31 give 787662783788549761 codes, too few for \
                 18446744073709551615 live codes (a guess would hit one with probability above \
                 1 in 1,000,000); use a length of at least 17 [CODES-5]"),
        );
    }

    #[test]
    fn shortest_safe_length_is_the_first_that_holds_codes_5() {
        let default = Alphabet::default();
        for (live_codes, expected) in [(0, 1), (1, 5), (28, 5), (29, 6), (1_000_000, 9)] {
            assert_eq!(shortest_safe_length(&default, live_codes), expected, "{live_codes}");
        }
        let binary = Alphabet::parse("AB").unwrap();
        assert_eq!(shortest_safe_length(&binary, 1), 20);
        assert_eq!(shortest_safe_length(&binary, u64::MAX), 84);
    }
}
