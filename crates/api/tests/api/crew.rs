//! A whole episode produced by the real provider clients — Perplexity for research, Claude for writing and
//! coordination, Claude and Gemini as the two evaluators, ElevenLabs for speech — each pointed at its local fake
//! server through `SHOWRUNNER_<PROVIDER>_BASE_URL` with keys from the conventional environment variables.
//! The fakes answer every task with the offline writer's content, so the pipeline's gates judge real artifacts.

use std::path::Path;

use showrunner_api::domain::{BrandVoice, EpisodeStatus, Money, NewEpisode};
use showrunner_api::{episodes, keys, runs, script, shows};
use showrunner_provider_fakes::FakeConfig;
use showrunner_providers::{PriceTable, Usage};

use crate::support::offline_answers::rehearsal_responder;

use crate::support::keyed_app::FakeEnvironment;

const KEYS: [(&str, &str); 4] = [
    ("ANTHROPIC_API_KEY", "sk-ant-fake-key-7f3a9c"),
    ("GEMINI_API_KEY", "AIzaFakeGeminiKey-52b1e8"),
    ("PERPLEXITY_API_KEY", "pplx-fake-key-0d4e61"),
    ("ELEVENLABS_API_KEY", "xi-fake-key-93c2aa"),
];

fn key(var: &str) -> String {
    KEYS.iter()
        .find(|(v, _)| *v == var)
        .map(|(_, k)| k.to_string())
        .unwrap()
}

/// Every file under `dir`, as bytes (the database, its WAL, the audio).
fn all_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(all_bytes(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.display().to_string(), bytes));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_episode_made_by_every_real_client_costs_exactly_what_its_calls_reported() {
    let responder = rehearsal_responder();
    let anthropic =
        showrunner_provider_fakes::anthropic::start(FakeConfig::new(key("ANTHROPIC_API_KEY"), responder.clone())).await;
    let gemini =
        showrunner_provider_fakes::gemini::start(FakeConfig::new(key("GEMINI_API_KEY"), responder.clone())).await;
    let perplexity =
        showrunner_provider_fakes::perplexity::start(FakeConfig::new(key("PERPLEXITY_API_KEY"), responder.clone()))
            .await;
    let elevenlabs =
        showrunner_provider_fakes::elevenlabs::start(FakeConfig::new(key("ELEVENLABS_API_KEY"), responder.clone()))
            .await;
    let mut env = FakeEnvironment::with_keys(&KEYS);
    env.point_at("anthropic", &anthropic);
    env.point_at("gemini", &gemini);
    env.point_at("perplexity", &perplexity);
    env.point_at("elevenlabs", &elevenlabs);

    let dir = tempfile::tempdir().unwrap();
    let app = env.open(dir.path()).await;
    // Two minutes keep CI quick; `SHOWRUNNER_CREW_MINUTES=25` measures a standard episode's bill.
    let minutes: u32 = std::env::var("SHOWRUNNER_CREW_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(2);
    let mut brand = BrandVoice::starter("Harbour Lights");
    brand.target_minutes = minutes;
    let show = shows::create_show(&app, brand).await.unwrap();
    let episode = episodes::start_episode(
        &app,
        NewEpisode {
            show_id: show.id.clone(),
            topic: "How lighthouses kept ships safe".into(),
            target_minutes: minutes,
            budget_cap: Money::from_micros(33_250_000),
            format: Default::default(),
            language: None,
        },
    )
    .await
    .unwrap();
    let request = showrunner_api::estimate::EstimateRequest::plain(minutes, Money::from_micros(33_250_000));
    let estimate = showrunner_api::estimate::estimate_cost(&app, &request).await.unwrap();
    let run_id = episodes::episode(&app, &episode.id).await.unwrap().run_id.unwrap();
    app.engine().drive_to_rest(&run_id).await.unwrap();
    let parked = episodes::episode(&app, &episode.id).await.unwrap();
    assert_eq!(parked.status, EpisodeStatus::AwaitingScriptSignoff, "{parked:?}");
    script::approve_script(&app, &episode.id, "fine").await.unwrap();
    app.engine().drive_to_rest(&run_id).await.unwrap();
    let done = episodes::episode(&app, &episode.id).await.unwrap();
    assert_eq!(done.status, EpisodeStatus::AwaitingRelease, "{done:?}");

    // Each job went to the provider its route names, not to the offline crew.
    let view = runs::run_view(&app, &run_id).await.unwrap();
    let route = |stage: &str| {
        view.stages
            .iter()
            .find(|s| s.stage.as_str() == stage)
            .and_then(|s| s.route.clone())
            .unwrap_or_default()
    };
    assert!(
        route("research.discover").contains("Perplexity"),
        "{}",
        route("research.discover")
    );
    assert!(route("script.write").contains("Claude"), "{}", route("script.write"));
    let evaluate = route("script.evaluate");
    assert!(evaluate.contains("Claude") && evaluate.contains("Gemini"), "{evaluate}");
    assert!(
        route("audio.synthesize").contains("ElevenLabs"),
        "{}",
        route("audio.synthesize")
    );
    assert!(
        !view.rehearsal,
        "no stage should have fallen back to the rehearsal writer"
    );
    for fake in [&anthropic, &gemini, &perplexity, &elevenlabs] {
        assert!(fake.request_count() > 0, "a fake was never called");
    }
    // Each line is voiced with the lines around it as context, so its take joins its neighbours: only the
    // episode's first piece has nothing before it and only its last has nothing after it.
    let spoken: Vec<serde_json::Value> = elevenlabs
        .requests()
        .iter()
        .filter(|r| r.uri.contains("/text-to-speech/"))
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON body"))
        .collect();
    assert!(spoken.len() > 10, "{} speech requests", spoken.len());
    let without = |field: &str| spoken.iter().filter(|b| b.get(field).is_none()).count();
    assert_eq!(without("previous_text"), 1, "requests without previous_text");
    assert_eq!(without("next_text"), 1, "requests without next_text");
    let texts: Vec<&str> = spoken.iter().filter_map(|b| b["text"].as_str()).collect();
    let joined = spoken
        .iter()
        .filter_map(|b| b["previous_text"].as_str())
        .filter(|before| texts.iter().any(|t| t.trim() == before.trim()))
        .count();
    assert!(
        joined + 1 >= spoken.len(),
        "previous_text is a line actually spoken: {joined} of {} match",
        spoken.len()
    );

    // The ledger total is the sum over calls of reported usage × the price row, recomputed here.
    let ledger = app.store().ledger(&run_id).await.unwrap();
    let prices = PriceTable::default_table();
    let mut recomputed = Money::ZERO;
    for call in &ledger.calls {
        let usage: Usage = serde_json::from_value(call.usage.clone().expect("settled calls keep their usage")).unwrap();
        let priced = prices.cost(&call.provider, &call.model, &usage).unwrap();
        assert_eq!(
            priced.cost, call.cost,
            "{} {} was billed differently",
            call.provider, call.model
        );
        assert_eq!(call.price_row.as_deref(), Some(priced.row_id.as_str()));
        recomputed += priced.cost;
    }
    assert!(ledger.calls.len() > 20, "{} calls", ledger.calls.len());
    assert_eq!(ledger.settled, recomputed);
    assert_eq!(ledger.reserved, Money::ZERO);
    assert!(ledger.settled > Money::ZERO);
    assert_eq!(done.spent, ledger.settled, "the episode list shows the ledger's total");
    // Per stage: calls and average tokens, the figures the estimate's usage model is checked against.
    let mut by_stage: std::collections::BTreeMap<String, (u64, u64, u64, u64)> = Default::default();
    for call in &ledger.calls {
        let usage: Usage = serde_json::from_value(call.usage.clone().unwrap_or_default()).unwrap_or_default();
        let entry = by_stage.entry(format!("{} {}", call.stage, call.provider)).or_default();
        entry.0 += 1;
        entry.1 += usage.total_input_tokens();
        entry.2 += usage.output_tokens;
        entry.3 += usage.characters;
    }
    for (stage, (calls, input, output, chars)) in &by_stage {
        eprintln!(
            "  {stage}: {calls} calls, per call {} in, {} out; {chars} characters in all",
            input / calls,
            output / calls
        );
    }
    let dollars = |m: Money| m.micros() as f64 / 1e6;
    let off = (dollars(estimate.total) - dollars(ledger.settled)) / dollars(ledger.settled);
    eprintln!(
        "pre-run estimate ${:.4} ({}) vs actual ${:.4}: {:+.1} %",
        dollars(estimate.total),
        showrunner_api::estimate::phase_costs(&estimate),
        dollars(ledger.settled),
        off * 100.0
    );
    // Per phase: the estimate beside what the fakes billed, so a model that is right in total only by two
    // phases' errors cancelling (−55 % production and +56 % audio, say) fails too.
    let mut misses = Vec::new();
    let ledger_phases: Vec<_> = ledger.by_phase.iter().map(|p| &p.phase).collect();
    let estimate_phases: Vec<_> = estimate.phases.iter().map(|p| &p.phase).collect();
    assert_eq!(
        ledger_phases, estimate_phases,
        "the estimate and the ledger split the same phases"
    );
    for phase in &ledger.by_phase {
        let estimated = estimate.phases.iter().find(|p| p.phase == phase.phase).unwrap().cost;
        let phase_off = (dollars(estimated) - dollars(phase.settled)) / dollars(phase.settled);
        eprintln!(
            "  {:?}: estimated ${:.4}, billed ${:.4}: {:+.1} %",
            phase.phase,
            dollars(estimated),
            dollars(phase.settled),
            phase_off * 100.0
        );
        if phase_off.abs() > 0.10 {
            misses.push(format!("{:?} {:+.1} %", phase.phase, phase_off * 100.0));
        }
    }
    assert!(
        misses.is_empty(),
        "the pre-run estimate misses a phase by more than 10 %: {misses:?}"
    );
    assert!(
        off.abs() <= 0.10,
        "the pre-run estimate is off by {:+.1} %",
        off * 100.0
    );
    eprintln!(
        "{minutes}-minute episode against the fakes: {} calls, ${:.6} ({})",
        ledger.calls.len(),
        ledger.settled.micros() as f64 / 1e6,
        ledger
            .by_phase
            .iter()
            .map(|p| format!("{:?} ${:.4}", p.phase, p.settled.micros() as f64 / 1e6))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // Secrets: no key in the database, its WAL, the journal, the audio, or any reply the UI gets.
    let replies = serde_json::to_string(&(
        &view,
        episodes::list_episodes(&app).await.unwrap(),
        keys::list_providers(&app).await.ok(),
        app.store().events_since(0, 100_000).await.unwrap(),
    ))
    .unwrap();
    for (_, secret) in KEYS {
        assert!(!replies.contains(secret), "a key reached an API reply or the journal");
        for (file, bytes) in all_bytes(dir.path()) {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "a key was written to {file}"
            );
        }
    }
    // And the fakes saw each key only in its own provider's header.
    for fake in [&anthropic, &gemini, &perplexity, &elevenlabs] {
        for request in fake.requests() {
            assert!(
                !request.uri.contains("key="),
                "a key travelled in a URL: {}",
                request.uri
            );
        }
    }
}
