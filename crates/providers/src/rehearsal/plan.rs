//! `plan`: a welcome, one body segment per research angle (as many as the length allows), and a wrap-up,
//! with time budgets that add up to the target exactly.

use showrunner_domain::artifacts::{EpisodePlan, PlannedSegment, ResearchPackage};
use showrunner_domain::BrandVoice;

use super::context::Context;
use super::research::{angle_of_statement, topic_phrase, ANGLES};
use super::text::{join_names, lower_first, strip_end, upper_first};
use crate::ProviderError;

pub(crate) const WELCOME: &str = "Welcome";
pub(crate) const WRAP_UP: &str = "Wrap-up";

/// Body segments an episode of this length has room for.
fn max_body_segments(minutes: u32) -> usize {
    match minutes {
        0..=2 => 1,
        3..=5 => 2,
        6..=11 => 3,
        12..=19 => 4,
        20..=39 => 5,
        _ => 6,
    }
}

/// Facts grouped by the angle they came from, in fact order; facts that are not ours go in pairs.
fn fact_groups(research: &ResearchPackage) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(Option<usize>, String, Vec<String>)> = Vec::new();
    for fact in &research.facts {
        let angle = angle_of_statement(&research.topic, &fact.statement);
        match groups.last_mut() {
            Some((a, _, ids)) if angle.is_some() && *a == angle => ids.push(fact.id.clone()),
            Some((None, _, ids)) if angle.is_none() && ids.len() < 2 => ids.push(fact.id.clone()),
            _ => {
                let title = match angle {
                    Some(a) => ANGLES[a].title.to_owned(),
                    None => format!("Part {}", groups.len() + 1),
                };
                groups.push((angle, title, vec![fact.id.clone()]));
            }
        }
    }
    groups.into_iter().map(|(_, title, ids)| (title, ids)).collect()
}

/// The episode's title from its topic.
pub(crate) fn episode_title(topic: &str) -> String {
    upper_first(strip_end(topic))
}

pub(crate) fn plan(ctx: &Context) -> Result<EpisodePlan, ProviderError> {
    let topic = ctx.text("topic")?;
    let brand: BrandVoice = ctx.get("brand")?;
    let research: ResearchPackage = ctx.get("research")?;
    let minutes = ctx
        .optional::<u32>("target_minutes")?
        .filter(|m| *m > 0)
        .unwrap_or(brand.target_minutes)
        .max(1);
    let hosts = brand.host_names();
    if hosts.is_empty() {
        return Err(ProviderError::invalid_request(
            "The show has no hosts to speak the episode.",
        ));
    }

    let mut groups = fact_groups(&research);
    groups.truncate(max_body_segments(minutes));
    if groups.is_empty() {
        groups.push(("The story".to_owned(), Vec::new()));
    }

    let total = minutes * 60;
    let intro = (total as f64 * 0.08).round().clamp(15.0, 150.0) as u32;
    let outro = (total as f64 * 0.06).round().clamp(12.0, 120.0) as u32;
    let body_total = total - intro - outro;
    let body_count = groups.len() as u32;
    let (share, extra) = (body_total / body_count, body_total % body_count);

    let t = topic_phrase(&topic);
    let titles: Vec<String> = groups.iter().map(|(title, _)| lower_first(title)).collect();
    let mut segments = vec![PlannedSegment {
        id: "S1".into(),
        title: WELCOME.into(),
        goal: format!(
            "Open with the show's intro line, introduce the hosts ({}) and the topic, {t}, and preview {}.",
            join_names(&hosts),
            join_names(&titles)
        ),
        seconds: intro,
        speakers: hosts.clone(),
        facts: Vec::new(),
    }];
    for (i, (title, facts)) in groups.into_iter().enumerate() {
        let goal = if facts.is_empty() {
            format!("Cover \"{title}\" for {t} in conversation.")
        } else {
            format!("Cover \"{title}\" for {t}, citing {}.", join_names(&facts))
        };
        segments.push(PlannedSegment {
            id: format!("S{}", i + 2),
            title,
            goal,
            seconds: share + u32::from((i as u32) < extra),
            speakers: hosts.clone(),
            facts,
        });
    }
    segments.push(PlannedSegment {
        id: format!("S{}", segments.len() + 1),
        title: WRAP_UP.into(),
        goal: "Recap the key facts and close with the show's outro line.".into(),
        seconds: outro,
        speakers: hosts.clone(),
        facts: Vec::new(),
    });
    Ok(EpisodePlan {
        title: episode_title(&topic),
        target_seconds: total,
        segments,
    })
}
