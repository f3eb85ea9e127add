//! Billing reconciliation: every real provider client against its fake, one reply kind at a time. What the
//! ledger would record for each reply (an answer priced from its usage, a failure priced by
//! [`failed_call`](crate::failure_bill::failed_call), earlier speech pieces kept when a later one fails) must
//! equal what the fake's meter says it billed, priced with the same table; a reply whose usage cannot be read
//! counts at its reservation, never less than the bill. The whole table is printed before any assertion so a
//! failing run still shows every row.

mod calls;
mod subjects;

use showrunner_domain::Money;
use showrunner_provider_fakes::{Bill, FakeServer, Fault};
use showrunner_providers::{PriceTable, Usage};

use subjects::{Client, Subject};

/// A kind of reply a provider sends, and is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ok,
    /// Cut off at the output limit (`max_tokens`, `MAX_TOKENS`, `length`).
    MaxTokens,
    /// The model declined (Anthropic `refusal`, OpenAI `message.refusal`).
    Refusal,
    /// A safety filter withheld the answer (Gemini `SAFETY`, OpenAI `content_filter`).
    Safety,
    /// Well-formed JSON that is not the asked-for answer, or speech whose audio cannot be read.
    Malformed,
    /// A 2xx whose body stops halfway.
    TruncatedBody,
    /// A line spoken in several pieces whose last piece fails after the earlier ones were billed: the
    /// speech stage splits it and keeps what the earlier pieces cost.
    PartialSpeech,
    /// The same, split by the engine itself within one call (a line longer than the engine takes).
    PartialSpeechInEngine,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Ok => "ok",
            Kind::MaxTokens => "max_tokens",
            Kind::Refusal => "refusal",
            Kind::Safety => "safety",
            Kind::Malformed => "malformed",
            Kind::TruncatedBody => "truncated body",
            Kind::PartialSpeech => "partial speech",
            Kind::PartialSpeechInEngine => "partial speech (engine split)",
        }
    }

    /// The fake's script for this kind; `pieces` is how many requests the call makes.
    fn script(self, server: &FakeServer, pieces: usize) {
        let fault = match self {
            Kind::Ok | Kind::MaxTokens => return,
            Kind::Refusal => Fault::Refusal,
            Kind::Safety => Fault::Safety,
            Kind::Malformed => Fault::SchemaInvalid,
            Kind::TruncatedBody => Fault::TruncatedJson,
            Kind::PartialSpeech | Kind::PartialSpeechInEngine => {
                let spoken = std::iter::repeat_n(None, pieces.saturating_sub(1));
                server.script().push(spoken.chain([Some(Fault::ServerError)]));
                return;
            }
        };
        server.script().fail_next(fault);
    }
}

/// How the ledger must stand against the bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The ledger equals the bill to the micro-dollar.
    Exact,
    /// The usage was unreadable: counted at the reservation, which is never below the bill.
    AtReservation,
}

/// One case of the table: a reply kind, what the client must make of it, and how the ledger must stand.
#[derive(Debug, Clone, Copy)]
struct Case {
    kind: Kind,
    /// `answer`, or the error code the client must return.
    outcome: &'static str,
    expect: Expect,
}

const fn case(kind: Kind, outcome: &'static str, expect: Expect) -> Case {
    Case { kind, outcome, expect }
}

/// What one call came to on both sides of the books.
struct Row {
    provider: &'static str,
    case: Case,
    outcome: String,
    /// Replies the fake billed during the call, and how many it should have.
    replies: (u64, u64),
    billed: Money,
    ledger: Money,
    at_reservation: bool,
}

/// What the ledger recorded for one call.
struct Recorded {
    outcome: String,
    ledger: Money,
    at_reservation: bool,
    /// How many replies the fake should have billed for the call.
    billed_replies: u64,
}

fn delta(before: Bill, after: Bill) -> Bill {
    Bill {
        replies: after.replies - before.replies,
        input_tokens: after.input_tokens - before.input_tokens,
        cache_write_5m_tokens: after.cache_write_5m_tokens - before.cache_write_5m_tokens,
        cache_write_1h_tokens: after.cache_write_1h_tokens - before.cache_write_1h_tokens,
        cache_read_tokens: after.cache_read_tokens - before.cache_read_tokens,
        output_tokens: after.output_tokens - before.output_tokens,
        characters: after.characters - before.characters,
        search_requests: after.search_requests - before.search_requests,
    }
}

/// The fake's meter as usage the price table reads; Perplexity's request fee is at the context size asked.
fn usage_of(bill: Bill, search_context: Option<&str>) -> Usage {
    Usage {
        input_tokens: bill.input_tokens,
        cache_write_5m_tokens: bill.cache_write_5m_tokens,
        cache_write_1h_tokens: bill.cache_write_1h_tokens,
        cache_read_tokens: bill.cache_read_tokens,
        output_tokens: bill.output_tokens,
        characters: bill.characters,
        search_requests: bill.search_requests,
        search_context: search_context.map(str::to_owned),
        ..Usage::default()
    }
}

async fn reconcile(prices: &PriceTable, subject: &Subject, case: Case) -> Row {
    let before = subject.server.script().billed();
    let recorded = match &subject.client {
        Client::Model(model) => calls::complete(prices, model.as_ref(), &subject.server, case.kind).await,
        Client::Speech(engine) => calls::speak(prices, engine.as_ref(), &subject.server, case.kind).await,
    };
    let bill = delta(before, subject.server.script().billed());
    let (id, model) = subject.client.priced_as();
    let billed = prices
        .cost(id, model, &usage_of(bill, subject.search_context))
        .expect("the table prices what the fake billed")
        .cost;
    Row {
        provider: subject.provider,
        case,
        outcome: recorded.outcome,
        replies: (bill.replies, recorded.billed_replies),
        billed,
        ledger: recorded.ledger,
        at_reservation: recorded.at_reservation,
    }
}

fn print(rows: &[Row]) {
    eprintln!("| provider | kind | outcome | billed | ledger | at reservation |");
    eprintln!("|---|---|---|---|---|---|");
    for r in rows {
        eprintln!(
            "| {} | {} | {} | {} | {} | {} |",
            r.provider,
            r.case.kind.label(),
            r.outcome,
            r.billed,
            r.ledger,
            if r.at_reservation { "yes" } else { "no" }
        );
    }
}

fn check(row: &Row) {
    let name = format!("{} {}", row.provider, row.case.kind.label());
    assert_eq!(
        row.outcome, row.case.outcome,
        "{name}: the client's reading of the reply"
    );
    assert_eq!(row.replies.0, row.replies.1, "{name}: replies the fake billed");
    assert!(row.billed > Money::ZERO, "{name}: the fake billed nothing");
    match row.case.expect {
        Expect::Exact => {
            assert!(!row.at_reservation, "{name}: the usage was readable");
            assert_eq!(row.ledger, row.billed, "{name}: the ledger must equal the bill");
        }
        Expect::AtReservation => {
            assert!(
                row.at_reservation,
                "{name}: an unreadable reply counts at its reservation"
            );
            assert!(
                row.ledger >= row.billed,
                "{name}: the worst case is never below the bill"
            );
        }
    }
}

#[tokio::test]
async fn every_billed_reply_of_every_provider_is_on_the_ledger_at_what_the_fake_billed() {
    let prices = PriceTable::default_table();
    let mut rows = Vec::new();
    for subject in subjects::all().await {
        for case in subject.cases {
            rows.push(reconcile(&prices, &subject, *case).await);
        }
    }
    print(&rows);
    let kinds = |provider: &str| rows.iter().filter(|r| r.provider == provider).count();
    for provider in [
        "anthropic",
        "gemini",
        "openai",
        "perplexity",
        "elevenlabs",
        "openai_tts",
    ] {
        assert!(kinds(provider) >= 4, "{provider} is reconciled");
    }
    rows.iter().for_each(check);
}
