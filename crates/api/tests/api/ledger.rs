use showrunner_api::domain::{Money, PhaseId, StageId};
use showrunner_api::ledger::{self, BudgetLevel, BudgetNoticeKind, CallStatusView};
use showrunner_api::{runs, ErrorCode};

use showrunner_store::{CallSettlement, NewCall};

use crate::{open, settle, show, start};

/// A paid call of `cost` on the run, as a provider's would be recorded.
async fn bill(app: &showrunner_api::App, run: &showrunner_api::domain::RunId, key: &str, cost: Money) {
    let call = NewCall {
        run_id: run.clone(),
        stage: StageId::from("script.write"),
        attempt_id: None,
        call_key: key.into(),
        phase: PhaseId::new("production"),
        provider: "anthropic".into(),
        model: "claude-opus-4-5".into(),
        reserve: cost,
        prompt: None,
        reuse_key: None,
    };
    let reserved = app.store().reserve_call(&call, app.now_ms()).await.unwrap();
    let settlement = CallSettlement {
        cost,
        usage: serde_json::json!({}),
        price_row: None,
        request_id: Some(format!("req-{key}")),
        result: serde_json::json!({ "answer": "a long paid answer" }),
    };
    app.store()
        .settle_call(reserved.call.id, &settlement, app.now_ms())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_run_ledger_shows_calls_by_stage_the_notices_and_a_raise_clears_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 2).await;
    let episode = settle(&app, &start(&app, &show, 2).await).await;
    let run = episode.run_id.clone().unwrap();

    let view = ledger::run_ledger(&app, &run).await.unwrap();
    assert_eq!(view.cap, Money::from_micros(33_250_000));
    assert_eq!(view.level, BudgetLevel::Normal);
    assert!(view.notices.is_empty());
    assert_eq!(view.warn_at, Money::from_micros(26_600_000), "80 % of the cap");
    assert_eq!(view.degrade_at, Money::from_micros(31_587_500), "95 % of the cap");
    assert!(view.can_raise && !view.parked_on_budget);
    let write = view
        .stages
        .iter()
        .find(|s| s.stage.as_str() == "script.write")
        .expect("the writing stage made calls");
    assert!(
        !write.label.is_empty() && write.label != "script.write",
        "stages read as the run view names them"
    );
    let call = &write.calls[0];
    assert_eq!(call.status, CallStatusView::Settled);
    assert!(call.has_answer);
    // The view never carries answers; they come one at a time, when asked for.
    let json = serde_json::to_string(&view).unwrap();
    let answer = ledger::call_answer(&app, &run, call.id).await.unwrap();
    assert!(
        !json.contains(&answer.to_string()),
        "an answer leaked into the ledger view"
    );

    // Spending past 80 % of the cap, then past 95 %.
    bill(&app, &run, "big-1", Money::from_micros(27_000_000)).await;
    let warned = ledger::run_ledger(&app, &run).await.unwrap();
    assert_eq!(warned.level, BudgetLevel::Warn);
    assert!(warned.notices.iter().any(|n| n.kind == BudgetNoticeKind::Warn));
    bill(&app, &run, "big-2", Money::from_micros(5_000_000)).await;
    let degraded = ledger::run_ledger(&app, &run).await.unwrap();
    assert_eq!(degraded.level, BudgetLevel::Degrade);
    let kinds: Vec<BudgetNoticeKind> = degraded.notices.iter().map(|n| n.kind).collect();
    assert!(kinds.contains(&BudgetNoticeKind::Warn) && kinds.contains(&BudgetNoticeKind::Degrade));
    assert!(
        kinds.contains(&BudgetNoticeKind::PhaseOver),
        "production went past its 51 % share"
    );
    let write = degraded
        .stages
        .iter()
        .find(|s| s.stage.as_str() == "script.write")
        .unwrap();
    let big = write
        .calls
        .iter()
        .find(|c| c.request_id.as_deref() == Some("req-big-2"))
        .unwrap();
    assert_eq!(big.cost, Money::from_micros(5_000_000));
    assert_eq!(big.provider_label, "Anthropic (Claude)");
    assert!(degraded.settled >= Money::from_micros(32_000_000));

    // A raise must go up, and not past the most a budget may be.
    let lower = runs::raise_budget(&app, &run, Money::from_micros(20_000_000))
        .await
        .unwrap_err();
    assert_eq!(lower.code, ErrorCode::InvalidInput);
    assert_eq!(lower.details.unwrap()["errors"][0]["field"], "budget_cap");
    assert!(lower.message.contains("$33.25"), "{}", lower.message);
    let huge = runs::raise_budget(&app, &run, Money::from_micros(10_000_000_001))
        .await
        .unwrap_err();
    assert_eq!(huge.details.unwrap()["errors"][0]["field"], "budget_cap");

    let raised = runs::raise_budget(&app, &run, Money::from_micros(60_000_000))
        .await
        .unwrap();
    assert_eq!(raised.budget_cap, Money::from_micros(60_000_000));
    let after = ledger::run_ledger(&app, &run).await.unwrap();
    assert_eq!(after.cap, Money::from_micros(60_000_000));
    assert_eq!(
        after.level,
        BudgetLevel::Normal,
        "the raise takes the run back under 80 %"
    );
    assert_eq!(after.notices, degraded.notices, "notices stay as history");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_wide_episode_event_carries_the_budget_notice_the_run_fired_last() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 2).await;
    let episode = settle(&app, &start(&app, &show, 2).await).await;
    let run = episode.run_id.clone().unwrap();
    let change = showrunner_engine::RunChanged {
        run_id: run.clone(),
        episode_id: Some(episode.id.clone()),
    };

    let kinds = |c: &showrunner_api::dto::EpisodeChanged| c.budget_notices.iter().map(|n| n.kind).collect::<Vec<_>>();
    let quiet = showrunner_api::episodes::episode_changed(&app, &change).await.unwrap();
    assert_eq!(quiet.topic, episode.topic);
    assert!(quiet.budget_notices.is_empty(), "no threshold crossed yet");

    bill(&app, &run, "big-1", Money::from_micros(27_000_000)).await;
    let warned = showrunner_api::episodes::episode_changed(&app, &change).await.unwrap();
    assert_eq!(kinds(&warned), [BudgetNoticeKind::Warn, BudgetNoticeKind::PhaseOver]);
    let warn = &warned.budget_notices[0];
    assert_eq!(warn.cap, Money::from_micros(33_250_000));
    assert!(warn.committed >= Money::from_micros(27_000_000));

    bill(&app, &run, "big-2", Money::from_micros(5_000_000)).await;
    bill(&app, &run, "big-3", Money::from_micros(100_000)).await;
    let later = showrunner_api::episodes::episode_changed(&app, &change).await.unwrap();
    let later = kinds(&later);
    assert_eq!(
        later.iter().filter(|k| **k == BudgetNoticeKind::Warn).count(),
        1,
        "each fires once: {later:?}"
    );
    assert!(later.contains(&BudgetNoticeKind::Degrade), "{later:?}");
}
