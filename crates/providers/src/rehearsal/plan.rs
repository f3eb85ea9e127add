//! `plan`: a welcome, one body segment per research angle (as many as the length allows), and a wrap-up,
//! with time budgets that add up to the target exactly, shaped by the episode's format: a brief has one body
//! segment of its top facts, an interview's segments are asked and answered, a debate gives each side a
//! segment of its own before the cross-examination, and solo narration has one speaker throughout.

use showrunner_domain::artifacts::{EpisodePlan, PlannedSegment, ResearchPackage};
use showrunner_domain::{BrandVoice, EpisodeFormat};

use super::context::Context;
use super::phrasebook::Phrasebook;
use super::research::{angle_of_statement, topic_phrase};
use super::text::{fill, join_names, strip_end, upper_first};
use crate::ProviderError;

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
fn fact_groups(book: &Phrasebook, research: &ResearchPackage) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(Option<usize>, String, Vec<String>)> = Vec::new();
    for fact in &research.facts {
        let angle = angle_of_statement(book, &research.topic, &fact.statement);
        match groups.last_mut() {
            Some((a, _, ids)) if angle.is_some() && *a == angle => ids.push(fact.id.clone()),
            Some((None, _, ids)) if angle.is_none() && ids.len() < 2 => ids.push(fact.id.clone()),
            _ => {
                let title = match angle {
                    Some(a) => book.angles[a].title.to_owned(),
                    None => fill(book.part, &[("n", &(groups.len() + 1).to_string())]),
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
    let book = ctx.phrasebook()?;
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
    let t = topic_phrase(book, &topic);
    let shape = Shape::of(book, format, &hosts);

    let mut groups = fact_groups(book, &research);
    let most = match format {
        // A brief has room for one body segment: the facts that matter most.
        EpisodeFormat::Brief => 1,
        // A debate's sides each get a segment before the cross-examination.
        EpisodeFormat::Debate => max_body_segments(minutes).max(2),
        _ => max_body_segments(minutes),
    };
    if format == EpisodeFormat::Brief {
        let facts: Vec<String> = groups.iter().flat_map(|(_, ids)| ids.clone()).take(3).collect();
        groups = vec![(book.short_version.to_owned(), facts)];
    }
    groups.truncate(most);
    let fewest = if format == EpisodeFormat::Debate { 2 } else { 1 };
    while groups.len() < fewest {
        groups.push((book.the_story.to_owned(), Vec::new()));
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
        .map(|(i, (title, _))| book.in_sentence(&shape.body_title(i, title)))
        .collect();
    let mut segments = vec![PlannedSegment {
        id: "S1".into(),
        title: book.welcome.into(),
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
            fill(book.citing, &[("facts", &join_names(&facts, book.and))])
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
    book: &'static Phrasebook,
    format: EpisodeFormat,
    /// The hosts who speak in the welcome and the wrap-up, in speaking order.
    everyone: Vec<String>,
    hosts: Vec<String>,
}

impl Shape {
    fn of(book: &'static Phrasebook, format: EpisodeFormat, hosts: &[String]) -> Shape {
        Shape {
            book,
            format,
            everyone: format.speakers(hosts).to_vec(),
            hosts: hosts.to_vec(),
        }
    }

    fn body_title(&self, i: usize, title: &str) -> String {
        match (self.format, i) {
            (EpisodeFormat::Debate, 0) => self.book.case_for.to_owned(),
            (EpisodeFormat::Debate, 1) => self.book.case_against.to_owned(),
            (EpisodeFormat::Debate, _) => {
                fill(self.book.cross_examination, &[("title", &self.book.in_sentence(title))])
            }
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

    /// `template` with the hosts' parts and the topic filled in.
    fn said(&self, template: &str, vars: &[(&str, &str)]) -> String {
        let (host, guest) = (&self.hosts[0], self.hosts.get(1).map_or("", String::as_str));
        let hosts = join_names(&self.hosts, self.book.and);
        let mut all = vec![("host", host.as_str()), ("guest", guest), ("hosts", hosts.as_str())];
        all.extend_from_slice(vars);
        fill(template, &all)
    }

    fn welcome_goal(&self, t: &str, titles: &[String]) -> String {
        let book = self.book;
        let template = match self.format {
            EpisodeFormat::Solo => book.goal_welcome_solo,
            EpisodeFormat::Interview => book.goal_welcome_interview,
            EpisodeFormat::Debate => book.goal_welcome_debate,
            EpisodeFormat::Brief => book.goal_welcome_brief,
            EpisodeFormat::DeepDive => book.goal_welcome_deep_dive,
        };
        self.said(template, &[("t", t), ("titles", &join_names(titles, book.and))])
    }

    fn body_goal(&self, i: usize, title: &str, t: &str, cites: &str) -> String {
        let book = self.book;
        let template = match (self.format, i) {
            (EpisodeFormat::Interview, _) => book.goal_interview,
            (EpisodeFormat::Debate, 0) => book.goal_case_for,
            (EpisodeFormat::Debate, 1) => book.goal_case_against,
            (EpisodeFormat::Debate, _) => book.goal_cross_examination,
            (EpisodeFormat::Brief, _) => book.goal_brief,
            _ if cites.is_empty() => book.goal_conversation,
            _ => book.goal_cover,
        };
        let title = match (self.format, i) {
            (EpisodeFormat::Debate, 2..) => self.book.in_sentence(title),
            _ => title.to_owned(),
        };
        self.said(template, &[("title", &title), ("t", t), ("cites", cites)])
    }

    fn wrap_up_title(&self) -> &'static str {
        match self.format {
            EpisodeFormat::Debate => self.book.closing_statements,
            EpisodeFormat::Brief => self.book.takeaway,
            _ => self.book.wrap_up,
        }
    }

    fn wrap_up_goal(&self) -> String {
        let template = match self.format {
            EpisodeFormat::Debate => self.book.goal_closing_statements,
            EpisodeFormat::Interview => self.book.goal_interview_close,
            EpisodeFormat::Brief => self.book.goal_takeaway,
            _ => self.book.goal_recap,
        };
        self.said(template, &[])
    }
}
