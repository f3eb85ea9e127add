//! Golden costs, exact to the micro-dollar. Each expected figure is worked out in a comment from the shipped
//! row's prices: tokens × USD per million tokens = micro-dollars (µ$); characters × USD per 1K = µ$ / 1,000.

use showrunner_domain::Money;
use showrunner_providers::pricing::{PriceError, PriceRow, PriceTable, RowPrices};
use showrunner_providers::Usage;

fn table() -> PriceTable {
    PriceTable::default_table()
}

fn micros(provider: &str, model: &str, usage: &Usage) -> i64 {
    table().cost(provider, model, usage).unwrap().cost.micros()
}

fn part(call: &showrunner_providers::PricedCall, name: &str) -> i64 {
    let found = call.breakdown.iter().find(|(n, _)| n == name);
    found
        .unwrap_or_else(|| panic!("no {name} in {:?}", call.breakdown))
        .1
        .micros()
}

// 1 ------------------------------------------------------------------------------------------------------------

#[test]
fn sonnet_4_with_a_5_minute_cache_write_costs_exactly_0_054399() {
    let usage = Usage {
        input_tokens: 3,
        cache_write_5m_tokens: 12_304,
        output_tokens: 550,
        ..Usage::default()
    };
    let call = table().cost("anthropic", "claude-sonnet-4-20250514", &usage).unwrap();
    // 3 × $3.00 + 12,304 × $3.75 + 550 × $15.00 per M = 9 + 46,140 + 8,250 = 54,399 µ$
    assert_eq!(call.cost, Money::parse_dollars("0.054399").unwrap());
    assert_eq!(call.row_id, "anthropic/claude-sonnet-4@2025-05-14");
    assert_eq!(call.table_version, table().version());
    assert_eq!(part(&call, "cache write (5 min)"), 46_140);
}

// 2 ------------------------------------------------------------------------------------------------------------

#[test]
fn one_hour_cache_writes_bill_at_their_own_higher_rate() {
    let usage = Usage {
        input_tokens: 100,
        cache_write_5m_tokens: 1_000,
        cache_write_1h_tokens: 2_000,
        cache_read_tokens: 5_000,
        output_tokens: 400,
        ..Usage::default()
    };
    let call = table().cost("anthropic", "claude-sonnet-4", &usage).unwrap();
    // 100 × $3.00 = 300; 1,000 × $3.75 = 3,750; 2,000 × $6.00 = 12,000; 5,000 × $0.30 = 1,500;
    // 400 × $15.00 = 6,000. Total 23,550 µ$.
    assert_eq!(call.cost.micros(), 23_550);
    assert_eq!(part(&call, "cache write (1 hour)"), 12_000);
    assert_eq!(part(&call, "cache read"), 1_500);
    // Treating the 1-hour writes as 5-minute ones would bill 2,000 × $3.75 = 7,500 instead: 19,050 µ$.
    let as_5m = Usage {
        cache_write_5m_tokens: 3_000,
        cache_write_1h_tokens: 0,
        ..usage
    };
    assert_eq!(micros("anthropic", "claude-sonnet-4", &as_5m), 19_050);
}

// 3 ------------------------------------------------------------------------------------------------------------

#[test]
fn openai_cached_prompt_tokens_are_not_billed_twice() {
    // OpenAI reported prompt_tokens 1,200 of which cached_tokens 1,000, completion_tokens 300.
    let normalized = Usage {
        input_tokens: 200,
        cache_read_tokens: 1_000,
        output_tokens: 300,
        ..Usage::default()
    };
    // 200 × $2.50 = 500; 1,000 × $1.25 = 1,250; 300 × $10.00 = 3,000. Total 4,750 µ$.
    assert_eq!(micros("openai", "gpt-4o-2024-08-06", &normalized), 4_750);
    // Billing the raw prompt_tokens at full price AND the cached tokens again: 1,200 × $2.50 = 3,000
    // + 1,250 + 3,000 = 7,250 µ$: 2,500 µ$ too much.
    let double_counted = Usage {
        input_tokens: 1_200,
        ..normalized
    };
    assert_eq!(micros("openai", "gpt-4o", &double_counted), 7_250);
}

// 4 ------------------------------------------------------------------------------------------------------------

#[test]
fn gemini_thinking_tokens_bill_as_output_and_round_half_away_from_zero() {
    // promptTokenCount 1,000 incl. 300 cached; candidates 500 + thoughts 200 → output 700.
    let usage = Usage {
        input_tokens: 700,
        cache_read_tokens: 300,
        output_tokens: 700,
        reasoning_tokens: 200,
        ..Usage::default()
    };
    // 700 × $1.25 = 875; 300 × $0.125 = 37.5; 700 × $10.00 = 7,000. Total 7,912.5 → 7,913 µ$ (half away from 0).
    assert_eq!(micros("gemini", "gemini-2.5-pro", &usage), 7_913);
}

#[test]
fn a_gemini_prompt_over_200k_tokens_bills_the_whole_request_at_long_context_rates() {
    let at_threshold = Usage {
        input_tokens: 200_000,
        output_tokens: 1_000,
        ..Usage::default()
    };
    // Not over the threshold: 200,000 × $1.25 = 250,000; 1,000 × $10.00 = 10,000. Total 260,000 µ$.
    assert_eq!(micros("gemini", "gemini-2.5-pro", &at_threshold), 260_000);

    let over = Usage {
        input_tokens: 250_000,
        ..at_threshold.clone()
    };
    // 250,000 × $2.50 = 625,000; output at the tier's 1,000 × $15.00 = 15,000. Total 640,000 µ$.
    let call = table().cost("gemini", "gemini-2.5-pro", &over).unwrap();
    assert_eq!(call.cost.micros(), 640_000);
    assert_eq!(part(&call, "output (long context)"), 15_000);

    // Cached tokens count toward the prompt size: 150,000 + 60,000 = 210,000 > 200,000.
    let cached = Usage {
        input_tokens: 150_000,
        cache_read_tokens: 60_000,
        ..at_threshold
    };
    // 150,000 × $2.50 = 375,000; 60,000 × $0.25 = 15,000; 1,000 × $15.00 = 15,000. Total 405,000 µ$.
    assert_eq!(micros("gemini", "gemini-2.5-pro", &cached), 405_000);
}

// 5 ------------------------------------------------------------------------------------------------------------

#[test]
fn elevenlabs_character_cost_on_the_default_model() {
    let usage = Usage {
        characters: 1_234,
        ..Usage::default()
    };
    // eleven_multilingual_v2 at $0.10 per 1K characters: 1,234 × 0.10 / 1,000 = $0.1234 = 123,400 µ$.
    assert_eq!(micros("elevenlabs", "eleven_multilingual_v2", &usage), 123_400);
    // Flash v2.5: the same 1,234 characters of text report character-cost 617 (half a credit each), priced
    // $0.10 per 1K billed characters: 61,700 µ$, i.e. the published $0.05 per 1K characters of text.
    let flash = Usage {
        characters: 617,
        ..Usage::default()
    };
    assert_eq!(micros("elevenlabs", "eleven_flash_v2_5", &flash), 61_700);
    // OpenAI tts-1 at $15 per M characters = $0.015 per 1K: 1,234 × 15 = 18,510 µ$.
    assert_eq!(micros("openai_tts", "tts-1", &usage), 18_510);
}

// 6 ------------------------------------------------------------------------------------------------------------

#[test]
fn perplexity_adds_the_request_fee_for_the_search_context_size() {
    let usage = |context: &str| Usage {
        input_tokens: 10,
        output_tokens: 200,
        search_requests: 1,
        search_context: Some(context.to_owned()),
        ..Usage::default()
    };
    // sonar: 10 × $1 + 200 × $1 = 210 µ$, plus one request at $5 / $8 / $12 per 1K requests
    // = 5,000 / 8,000 / 12,000 µ$.
    assert_eq!(micros("perplexity", "sonar", &usage("low")), 5_210);
    assert_eq!(micros("perplexity", "sonar", &usage("medium")), 8_210);
    assert_eq!(micros("perplexity", "sonar", &usage("high")), 12_210);
    // sonar-pro is its own row: 10 × $3 + 200 × $15 = 3,030 µ$ + $6 per 1K = 6,000 µ$.
    assert_eq!(micros("perplexity", "sonar-pro", &usage("low")), 9_030);
}

#[test]
fn perplexitys_reported_cost_is_the_cost() {
    let usage = Usage {
        input_tokens: 10,
        output_tokens: 200,
        search_requests: 1,
        search_context: Some("low".to_owned()),
        reported_cost: Some(Money::parse_dollars("0.006").unwrap()),
        ..Usage::default()
    };
    let call = table().cost("perplexity", "sonar", &usage).unwrap();
    // Our own figure would be 5,210 µ$; the provider says $0.006.
    assert_eq!(call.cost.micros(), 6_000);
    assert_eq!(
        call.breakdown,
        vec![("reported by the provider".to_owned(), Money::from_micros(6_000))]
    );
}

// 7 ------------------------------------------------------------------------------------------------------------

#[test]
fn offline_and_local_providers_cost_nothing() {
    let tokens = Usage {
        input_tokens: 50_000,
        output_tokens: 8_000,
        ..Usage::default()
    };
    assert_eq!(micros("rehearsal", "rehearsal", &tokens), 0);
    assert_eq!(micros("ollama", "llama3.2:3b", &tokens), 0);
    assert_eq!(micros("lmstudio", "qwen2.5-7b-instruct", &tokens), 0);
    let speech = Usage {
        characters: 4_000,
        ..Usage::default()
    };
    assert_eq!(micros("system-speech", "System speech (espeak-ng)", &speech), 0);
}

#[test]
fn an_unknown_model_names_provider_and_model_and_points_to_the_prices_page() {
    let err = table()
        .cost("anthropic", "claude-poem-9", &Usage::default())
        .unwrap_err();
    assert_eq!(
        err,
        PriceError::NoPrice {
            provider: "anthropic".to_owned(),
            model: "claude-poem-9".to_owned()
        }
    );
    let message = err.to_string();
    assert!(message.contains("anthropic") && message.contains("claude-poem-9") && message.contains("Prices page"));
    // A row only matches whole id segments: "claude-sonnet-40" is not a Sonnet 4 snapshot.
    assert!(table().row("anthropic", "claude-sonnet-40").is_none());
}

#[test]
fn the_longest_matching_row_wins() {
    let model_of = |provider: &str, model: &str| table().row(provider, model).unwrap().model.clone();
    assert_eq!(model_of("anthropic", "claude-sonnet-4-5-20250929"), "claude-sonnet-4-5");
    assert_eq!(model_of("anthropic", "claude-opus-4-1-20250805"), "claude-opus-4-1");
    assert_eq!(model_of("gemini", "gemini-2.5-flash-lite"), "gemini-2.5-flash-lite");
    assert_eq!(model_of("openai", "gpt-4o-mini-2024-07-18"), "gpt-4o-mini");
    assert_eq!(model_of("openai_tts", "tts-1-hd"), "tts-1-hd");
    assert_eq!(model_of("perplexity", "sonar-reasoning-pro"), "sonar-reasoning-pro");
}

#[test]
fn an_edited_row_changes_the_cost_and_what_the_call_records() {
    let mut edited = table();
    let mut row = edited.row("anthropic", "claude-sonnet-4").unwrap().clone();
    let RowPrices::Tokens(prices) = &mut row.prices else {
        panic!("Sonnet 4 is priced per token")
    };
    prices.base.input = "4.00".parse().unwrap();
    row.effective = "2026-07-01".to_owned();
    row.source = "Edited on the Prices page".to_owned();
    let old = edited.replace_row(row).unwrap();
    assert_eq!(old.effective, "2025-05-14");

    let usage = Usage {
        input_tokens: 3,
        cache_write_5m_tokens: 12_304,
        output_tokens: 550,
        ..Usage::default()
    };
    let call = edited.cost("anthropic", "claude-sonnet-4", &usage).unwrap();
    // 3 × $4.00 = 12 (was 9) + 46,140 + 8,250 = 54,402 µ$.
    assert_eq!(call.cost.micros(), 54_402);
    assert_eq!(call.row_id, "anthropic/claude-sonnet-4@2026-07-01");
    assert_ne!(call.table_version, table().version());
    assert!(call.table_version.starts_with(table().version()));
    // The edit survives saving and loading.
    let reloaded = PriceTable::from_toml(&edited.to_toml()).unwrap();
    assert_eq!(reloaded, edited);
}

#[test]
fn adding_a_row_prices_a_model_that_had_none() {
    let row = PriceRow {
        provider: "anthropic".to_owned(),
        model: "claude-opus-4-6".to_owned(),
        ..table().row("anthropic", "claude-opus-4-5").unwrap().clone()
    };
    let usage = Usage {
        input_tokens: 1_000,
        output_tokens: 100,
        ..Usage::default()
    };
    // Without its own row the id falls to claude-opus-4: 1,000 × $15 + 100 × $75 = 22,500 µ$.
    assert_eq!(micros("anthropic", "claude-opus-4-6", &usage), 22_500);
    let edited = table().with_row(row).unwrap();
    // With the copied Opus 4.5 prices: 1,000 × $5 + 100 × $25 = 7,500 µ$.
    assert_eq!(
        edited
            .cost("anthropic", "claude-opus-4-6", &usage)
            .unwrap()
            .cost
            .micros(),
        7_500
    );
    assert_eq!(edited.rows().len(), table().rows().len() + 1);
}

const HEADER: &str = "version = \"t1\"\neffective = \"2026-01-01\"\n";

fn row_toml(extra: &str) -> String {
    format!(
        "[[rows]]\nprovider = \"anthropic\"\nmodel = \"claude-test\"\nunit = \"tokens\"\noutput = \"15.00\"\n\
         effective = \"2026-01-01\"\n{extra}\n"
    )
}

fn invalid_field(err: PriceError) -> (String, String) {
    match err {
        PriceError::InvalidRow { row, field, .. } => (row, field),
        other => panic!("expected InvalidRow, got {other:?}"),
    }
}

#[test]
fn a_negative_price_is_rejected_naming_the_row_and_field() {
    let text = format!(
        "{HEADER}{}",
        row_toml("input = \"-1.00\"\nsource = \"https://example.com\"")
    );
    let err = PriceTable::from_toml(&text).unwrap_err();
    assert!(err.to_string().contains("anthropic/claude-test"));
    assert_eq!(
        invalid_field(err),
        ("anthropic/claude-test".to_owned(), "input".to_owned())
    );
}

#[test]
fn a_duplicate_row_is_rejected_naming_it() {
    let row = row_toml("input = \"3.00\"\nsource = \"https://example.com\"");
    let err = PriceTable::from_toml(&format!("{HEADER}{row}{row}")).unwrap_err();
    assert_eq!(
        err,
        PriceError::DuplicateRow {
            row: "anthropic/claude-test".to_owned()
        }
    );
}

#[test]
fn missing_source_unknown_unit_and_inexact_prices_are_rejected() {
    let no_source = format!("{HEADER}{}", row_toml("input = \"3.00\""));
    let (_, field) = invalid_field(PriceTable::from_toml(&no_source).unwrap_err());
    assert_eq!(field, "source");

    let per_minute =
        format!("{HEADER}{}", row_toml("input = \"3.00\"\nsource = \"x\"")).replace("\"tokens\"", "\"minutes\"");
    let err = PriceTable::from_toml(&per_minute).unwrap_err();
    assert!(err.to_string().contains("minutes"));
    assert_eq!(invalid_field(err).1, "unit");

    let float = format!("{HEADER}{}", row_toml("input = 3.1\nsource = \"x\""));
    assert_eq!(invalid_field(PriceTable::from_toml(&float).unwrap_err()).1, "input");
}

#[test]
fn the_shipped_table_round_trips_through_toml() {
    let shipped = table();
    assert_eq!(PriceTable::from_toml(&shipped.to_toml()).unwrap(), shipped);
}

// 8 ------------------------------------------------------------------------------------------------------------

#[test]
fn a_reservation_is_never_below_the_cost_of_the_same_token_counts() {
    let shipped = table();
    let output = 777;
    for row in shipped.rows() {
        let RowPrices::Tokens(prices) = &row.prices else {
            continue;
        };
        let model = if row.model == "*" {
            "any-model"
        } else {
            row.model.as_str()
        };
        for prompt in [1, 1_000, 199_999, 250_000] {
            let estimate = shipped.estimate_llm(&row.provider, model, prompt, output).unwrap();
            let contexts: Vec<Option<&str>> = match prices.request_fee_per_1k {
                Some(_) => vec![Some("low"), Some("medium"), Some("high"), None],
                None => vec![None],
            };
            for split in splits(prompt) {
                for context in &contexts {
                    let usage = Usage {
                        output_tokens: output,
                        search_requests: u64::from(context.is_some()),
                        search_context: context.map(str::to_owned),
                        ..split.clone()
                    };
                    let cost = shipped.cost(&row.provider, model, &usage).unwrap().cost;
                    assert!(
                        estimate >= cost,
                        "{} prompt {prompt}: estimate {estimate} < cost {cost}",
                        row.id()
                    );
                }
            }
        }
    }
}

/// The same prompt size spread over every input category.
fn splits(prompt: u64) -> Vec<Usage> {
    let third = prompt / 3;
    vec![
        Usage {
            input_tokens: prompt,
            ..Usage::default()
        },
        Usage {
            cache_write_5m_tokens: prompt,
            ..Usage::default()
        },
        Usage {
            cache_write_1h_tokens: prompt,
            ..Usage::default()
        },
        Usage {
            cache_read_tokens: prompt,
            ..Usage::default()
        },
        Usage {
            input_tokens: prompt - 2 * third,
            cache_write_1h_tokens: third,
            cache_read_tokens: third,
            ..Usage::default()
        },
    ]
}

#[test]
fn the_worst_case_prompt_is_all_one_hour_cache_writes_and_rounds_up() {
    // Sonnet 4: 10,000 × $6.00 (1-hour write, dearer than $3.00 input) + 500 × $15.00 = 67,500 µ$.
    assert_eq!(
        table()
            .estimate_llm("anthropic", "claude-sonnet-4", 10_000, 500)
            .unwrap()
            .micros(),
        67_500
    );
    // Gemini 2.5 Pro, one token: 1 × $1.25 = 1.25 µ$ reserves 2 µ$; the actual cost rounds to 1 µ$.
    assert_eq!(
        table().estimate_llm("gemini", "gemini-2.5-pro", 1, 0).unwrap().micros(),
        2
    );
    let one = Usage {
        input_tokens: 1,
        ..Usage::default()
    };
    assert_eq!(micros("gemini", "gemini-2.5-pro", &one), 1);
    // Perplexity sonar reserves the dearest request fee: 100 × $1 + 100 × $1 + $12 per 1K = 12,200 µ$.
    assert_eq!(
        table().estimate_llm("perplexity", "sonar", 100, 100).unwrap().micros(),
        12_200
    );
}

#[test]
fn speech_reservations_match_per_character_costs_and_refuse_token_priced_speech() {
    for row in table().rows() {
        let RowPrices::Characters { .. } = row.prices else {
            continue;
        };
        let model = if row.model == "*" {
            "any-voice"
        } else {
            row.model.as_str()
        };
        for characters in [1, 333, 4_096] {
            let estimate = table().estimate_speech(&row.provider, model, characters).unwrap();
            let usage = Usage {
                characters,
                ..Usage::default()
            };
            assert!(
                estimate >= table().cost(&row.provider, model, &usage).unwrap().cost,
                "{}",
                row.id()
            );
        }
    }
    // 1,234 × $0.10 per 1K = 123,400 µ$.
    assert_eq!(
        table()
            .estimate_speech("elevenlabs", "eleven_multilingual_v2", 1_234)
            .unwrap()
            .micros(),
        123_400
    );
    let err = table()
        .estimate_speech("openai_tts", "gpt-4o-mini-tts", 1_000)
        .unwrap_err();
    assert!(matches!(err, PriceError::MissingPrice { ref field, .. } if field == "per_1k_characters"));
}
