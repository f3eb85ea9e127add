//! One call of a reply kind, recorded the way the stages record it: a model call as `model_call` does, a
//! speech line as the speech stage does (split into pieces, each priced as it comes back, the earlier pieces
//! kept on the bill when a later one fails).

use serde_json::json;
use showrunner_domain::Money;
use showrunner_engine::PaidCallError;
use showrunner_provider_fakes::FakeServer;
use showrunner_providers::{CompletionRequest, LanguageModel, PriceTable, SpeechEngine, SpeechRequest, Usage};

use super::{Kind, Recorded};
use crate::failure_bill::failed_call;
use crate::stages::speech::chunks;

/// Output limit for a reply that must be cut off.
const CUT_OFF_LIMIT: u32 = 5;
/// A line short enough for one request.
const SHORT_LINE: &str = "The keepers climbed one hundred and twelve steps every night.";
/// Three sentences, each its own request at the test's piece size.
const LONG_LINE: &str = "The keepers climbed one hundred and twelve steps every night. They wound the clockwork \
                         that turned the great lens until dawn. Then they wrote the weather in the log and slept.";

fn request(max_output_tokens: u32) -> CompletionRequest {
    CompletionRequest {
        task: "script.write".into(),
        system: "You write podcast scripts for Harbour Lights. ".repeat(20),
        prompt: "Write the segment about lighthouse keepers.".into(),
        context: json!({}),
        output_schema: json!({"type": "object", "properties": {"lines": {"type": "array"}}}),
        max_output_tokens,
    }
}

/// The ledger's figure for a failed call: the bill, or the reservation when the bill cannot be read.
fn on_ledger(paid: &PaidCallError, reservation: Money) -> (Money, bool) {
    if paid.at_reservation {
        (reservation.max(paid.billed), true)
    } else {
        (paid.billed, false)
    }
}

pub(super) async fn complete(
    prices: &PriceTable,
    model: &dyn LanguageModel,
    server: &FakeServer,
    kind: Kind,
) -> Recorded {
    kind.script(server, 1);
    let limit = if kind == Kind::MaxTokens { CUT_OFF_LIMIT } else { 4_000 };
    let reservation = prices
        .estimate_llm(model.id(), model.model(), 2_000, u64::from(limit))
        .expect("a price for the model");
    let (outcome, ledger, at_reservation) = match model.complete(request(limit)).await {
        Ok(done) => {
            let priced = prices.cost(&done.provider_id, &done.model, &done.usage);
            ("answer".to_owned(), priced.expect("a price for the answer").cost, false)
        }
        Err(e) => {
            let code = e.code().to_owned();
            let paid = failed_call(prices, model.id(), e, Money::ZERO, &Usage::default());
            let (ledger, at_reservation) = on_ledger(&paid, reservation);
            (code, ledger, at_reservation)
        }
    };
    Recorded {
        outcome,
        ledger,
        at_reservation,
        billed_replies: 1,
    }
}

pub(super) async fn speak(prices: &PriceTable, engine: &dyn SpeechEngine, server: &FakeServer, kind: Kind) -> Recorded {
    let partial = matches!(kind, Kind::PartialSpeech | Kind::PartialSpeechInEngine);
    let line = if partial { LONG_LINE } else { SHORT_LINE };
    let pieces = chunks(line, engine.max_chars());
    assert_eq!(
        pieces.len() > 1,
        partial,
        "{}: a partial line is spoken in pieces, the others in one",
        engine.id()
    );
    kind.script(server, pieces.len());
    // Every piece's reply is billed, except the 5xx that ends a partial line.
    let billed_replies = pieces.len() as u64 - u64::from(partial);
    // The stage sends one piece per call; a line sent whole is split by the engine into the same pieces.
    let calls = if kind == Kind::PartialSpeechInEngine {
        vec![line.to_owned()]
    } else {
        pieces
    };
    let reservation = prices
        .estimate_speech(engine.id(), engine.model(), line.chars().count() as u64)
        .expect("a price for the voice");
    let mut cost = Money::ZERO;
    let mut usage = Usage::default();
    for text in calls {
        let request = SpeechRequest {
            text,
            ..SpeechRequest::default()
        };
        match engine.synthesize(request).await {
            Ok(audio) => {
                let priced = prices.cost(&audio.provider_id, &audio.model, &audio.usage);
                cost += priced.expect("a price for the take").cost;
                usage.characters += audio.usage.characters;
            }
            Err(e) => {
                let code = e.code().to_owned();
                let paid = failed_call(prices, engine.id(), e, cost, &usage);
                let (ledger, at_reservation) = on_ledger(&paid, reservation);
                return Recorded {
                    outcome: code,
                    ledger,
                    at_reservation,
                    billed_replies,
                };
            }
        }
    }
    Recorded {
        outcome: "answer".to_owned(),
        ledger: cost,
        at_reservation: false,
        billed_replies,
    }
}
