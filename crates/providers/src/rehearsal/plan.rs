//! `plan`: a welcome, one body segment per research angle (as many as the length allows), and a wrap-up,
//! with time budgets that add up to the target exactly, shaped by the episode's format: a brief has one body
//! segment of its top facts, an interview's segments are asked and answered, a debate gives each side a
//! segment of its own before the cross-examination, and solo narration has one speaker throughout.

use showrunner_domain::artifacts::{EpisodePlan, PlannedSegment, ResearchPackage};
use showrunner_domain::{BrandVoice, EpisodeFormat};

use super::context::Context;
use super::research::{angle_of_statement, topic_phrase, ANGLES};
use super::text::{join_names, lower_first, strip_end, upper_first};
use crate::ProviderError;

pub(crate) const WELCOME: &str = "Welcome";
pub(crate) const WRAP_UP: &str = "Wrap-up";
/// About how long one cited fact takes in conversation.
const SECONDS_PER_FACT: u32 = 15;

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
    let format = ctx.format()?;
    let minutes = ctx
        .optional::<u32>("target_minutes")?
        .filter(|m| *m > 0)
        .unwrap_or(brand.target_minutes)
        .max(1);
    let hosts = brand.host_names();
    if hosts.len() < format.hosts_needed().max(1) {
        return Err(ProviderError::invalid_request(format!(
            "{} needs {} hosts and the show has {}.",
            format.label(),
            format.hosts_needed().max(1),
            hosts.len()
        )));
    }
    let t = topic_phrase(&topic);
    let shape = Shape::of(format, &hosts);

    let mut groups = fact_groups(&research);
    let most = match format {
        // A brief has room for one body segment: the facts that matter most.
        EpisodeFormat::Brief => 1,
        // A debate's sides each get a segment before the cross-examination.
        EpisodeFormat::Debate => max_body_segments(minutes).max(2),
        _ => max_body_segments(minutes),
    };
    if format == EpisodeFormat::Brief {
        let facts: Vec<String> = groups.iter().flat_map(|(_, ids)| ids.clone()).take(3).collect();
        groups = vec![("The short version".to_owned(), facts)];
    }
    groups.truncate(most);
    let fewest = if format == EpisodeFormat::Debate { 2 } else { 1 };
    while groups.len() < fewest {
        groups.push(("The story".to_owned(), Vec::new()));
    }

    let total = minutes * 60;
    let intro = (total as f64 * 0.08).round().clamp(15.0, 150.0) as u32;
    let outro = (total as f64 * 0.06).round().clamp(12.0, 120.0) as u32;
    let body_total = total - intro - outro;
    let body_count = groups.len() as u32;
    let (share, extra) = (body_total / body_count, body_total % body_count);

    let titles: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(i, (title, _))| lower_first(&shape.body_title(i, title)))
        .collect();
    let mut segments = vec![PlannedSegment {
        id: "S1".into(),
        title: WELCOME.into(),
        goal: shape.welcome_goal(&t, &titles),
        seconds: intro,
        speakers: shape.everyone.clone(),
        facts: Vec::new(),
    }];
    for (i, (title, mut facts)) in groups.into_iter().enumerate() {
        let seconds = share + u32::from((i as u32) < extra);
        // A fact takes about 15 s to say and discuss: a short segment cites only what it has time for.
        facts.truncate((seconds / SECONDS_PER_FACT).max(1) as usize);
        let cites = if facts.is_empty() {
            String::new()
        } else {
            format!(", citing {}", join_names(&facts))
        };
        segments.push(PlannedSegment {
            id: format!("S{}", i + 2),
            title: shape.body_title(i, &title),
            goal: shape.body_goal(i, &title, &t, &cites),
            seconds,
            speakers: shape.body_speakers(i),
            facts,
        });
    }
    segments.push(PlannedSegment {
        id: format!("S{}", segments.len() + 1),
        title: shape.wrap_up_title().into(),
        goal: shape.wrap_up_goal(),
        seconds: outro,
        speakers: shape.everyone.clone(),
        facts: Vec::new(),
    });
    Ok(EpisodePlan {
        title: episode_title(&topic),
        target_seconds: total,
        segments,
    })
}

/// Who speaks where, and what each segment is for, in one format.
struct Shape {
    format: EpisodeFormat,
    /// The hosts who speak in the welcome and the wrap-up, in speaking order.
    everyone: Vec<String>,
    hosts: Vec<String>,
}

/// A debate's first two body segments: each side's case, said by that side alone.
pub(crate) const CASE_FOR: &str = "The case for";
pub(crate) const CASE_AGAINST: &str = "The case against";

impl Shape {
    fn of(format: EpisodeFormat, hosts: &[String]) -> Shape {
        Shape {
            format,
            everyone: format.speakers(hosts).to_vec(),
            hosts: hosts.to_vec(),
        }
    }

    fn body_title(&self, i: usize, title: &str) -> String {
        match (self.format, i) {
            (EpisodeFormat::Debate, 0) => CASE_FOR.to_owned(),
            (EpisodeFormat::Debate, 1) => CASE_AGAINST.to_owned(),
            (EpisodeFormat::Debate, _) => format!("Cross-examination: {}", lower_first(title)),
            _ => title.to_owned(),
        }
    }

    fn body_speakers(&self, i: usize) -> Vec<String> {
        match (self.format, i) {
            (EpisodeFormat::Debate, 0) => vec![self.hosts[0].clone()],
            (EpisodeFormat::Debate, 1) => vec![self.hosts[1].clone()],
            _ => self.everyone.clone(),
        }
    }

    fn welcome_goal(&self, t: &str, titles: &[String]) -> String {
        let host = &self.hosts[0];
        match self.format {
            EpisodeFormat::Solo => format!(
                "Open with the show's intro line; {host} introduces the topic, {t}, alone and previews {}.",
                join_names(titles)
            ),
            EpisodeFormat::Interview => format!(
                "Open with the show's intro line; {host} introduces the guest, {}, and the topic, {t}.",
                self.hosts[1]
            ),
            EpisodeFormat::Debate => format!(
                "Open with the show's intro line and state the question, {t}: {host} argues for, {} against.",
                self.hosts[1]
            ),
            EpisodeFormat::Brief => format!("Open with the show's intro line and say in one breath what {t} is about."),
            EpisodeFormat::DeepDive => format!(
                "Open with the show's intro line, introduce the hosts ({}) and the topic, {t}, and preview {}.",
                join_names(&self.hosts),
                join_names(titles)
            ),
        }
    }

    fn body_goal(&self, i: usize, title: &str, t: &str, cites: &str) -> String {
        match (self.format, i) {
            (EpisodeFormat::Interview, _) => format!(
                "{} asks about \"{title}\" for {t}; {} answers{cites}.",
                self.hosts[0], self.hosts[1]
            ),
            (EpisodeFormat::Debate, 0) => format!("{} makes the case for{cites}.", self.hosts[0]),
            (EpisodeFormat::Debate, 1) => format!("{} makes the case against{cites}.", self.hosts[1]),
            (EpisodeFormat::Debate, _) => format!(
                "{} and {} argue over \"{}\"{cites}.",
                self.hosts[0],
                self.hosts[1],
                lower_first(title)
            ),
            (EpisodeFormat::Brief, _) => format!("The facts that matter most about {t}{cites}."),
            _ if cites.is_empty() => format!("Cover \"{title}\" for {t} in conversation."),
            _ => format!("Cover \"{title}\" for {t}{cites}."),
        }
    }

    fn wrap_up_title(&self) -> &'static str {
        match self.format {
            EpisodeFormat::Debate => "Closing statements",
            EpisodeFormat::Brief => "The takeaway",
            _ => WRAP_UP,
        }
    }

    fn wrap_up_goal(&self) -> String {
        match self.format {
            EpisodeFormat::Debate => format!(
                "{} and {} each give a final word, and close with the show's outro line.",
                self.hosts[0], self.hosts[1]
            ),
            EpisodeFormat::Interview => format!(
                "{} thanks {}, recaps the key facts and closes with the show's outro line.",
                self.hosts[0], self.hosts[1]
            ),
            EpisodeFormat::Brief => "Give the one takeaway and close with the show's outro line.".into(),
            _ => "Recap the key facts and close with the show's outro line.".into(),
        }
    }
}
