//! `script.write`: the plan turned into a conversation between the hosts.
//!
//! Each segment gets its must-say lines first (the intro line, the hosts, the rehearsal notice, one line per
//! planned fact citing it, the outro line), then template sentences until the words spoken so far reach the
//! plan's time budget at [`WORDS_PER_MINUTE`]. Budgets are cumulative, so a segment that runs long is made
//! up by the next, and the last segment tops up to the target before the outro line. No sentence that uses
//! a forbidden phrase is ever placed.

use std::collections::HashSet;

use showrunner_domain::artifacts::{
    EpisodePlan, Line, PlannedSegment, ResearchPackage, Script, ScriptSegment, WORDS_PER_MINUTE,
};
use showrunner_domain::{BrandVoice, EpisodeFormat};

use super::context::Context;
use super::phrasebook::Phrasebook;
use super::plan::episode_title;
use super::research::topic_phrase;
use super::text::{fill, is_clean, join_names, lower_first, stable_hash, strip_end, word_count};
use crate::ProviderError;

/// A line stops taking more sentences at this many words.
const TURN_WORDS: usize = 40;
const TURN_SENTENCES: usize = 3;

struct Turn {
    speaker: usize,
    sentences: Vec<String>,
    facts: Vec<String>,
    open: bool,
}

/// A sentence or a question-and-answer pair, with the facts it cites.
#[derive(Clone)]
struct Item {
    sentences: Vec<String>,
    facts: Vec<String>,
}

impl Item {
    fn of(templates: &[&str]) -> Item {
        Item {
            sentences: templates.iter().map(|s| (*s).to_owned()).collect(),
            facts: Vec::new(),
        }
    }
}

struct Writer<'a> {
    book: &'static Phrasebook,
    brand: &'a BrandVoice,
    hosts: Vec<String>,
    topic: String,
    seed: u64,
    /// Hosts (indices) who may speak in the current segment.
    allowed: Vec<usize>,
    /// The current body segment's title as it reads in a sentence; `None` in the welcome and wrap-up.
    title: Option<String>,
    last_speaker: Option<usize>,
    turns: Vec<Turn>,
    segments: Vec<ScriptSegment>,
    words: usize,
    /// Cursor into the book's body talk, shared by every segment so sentences do not repeat early.
    body_cursor: usize,
    /// Cursor into an interview's question-and-answer pairs, likewise.
    interview_cursor: usize,
    counter: usize,
}

impl<'a> Writer<'a> {
    fn other(&self, speaker: usize) -> usize {
        let pos = self.allowed.iter().position(|&h| h == speaker);
        match pos {
            Some(p) => self.allowed[(p + 1) % self.allowed.len()],
            None => self.allowed[0],
        }
    }

    fn next_speaker(&self) -> usize {
        match self.last_speaker {
            Some(last) => self.other(last),
            None => self.allowed[0],
        }
    }

    fn render(&self, template: &str, speaker: usize) -> String {
        let topic = topic_phrase(self.book, &self.topic);
        let audience = strip_end(&self.brand.audience).to_owned();
        let other = self.hosts[self.other(speaker)].clone();
        let title = self.title.clone().unwrap_or_default();
        fill(
            template,
            &[
                ("t", &topic),
                ("other", &other),
                ("audience", &audience),
                ("title", &title),
            ],
        )
    }

    /// Whether every sentence of `item` can be said: no forbidden phrase, and no one addressed by name when
    /// only one host speaks here.
    fn usable(&self, item: &Item) -> bool {
        let speaker = self.next_speaker();
        item.sentences.iter().all(|s| {
            (self.allowed.len() > 1 || !s.contains("{other}"))
                && (self.title.is_some() || !s.contains("{title}"))
                && is_clean(&self.render(s, speaker), &self.brand.forbidden_phrases)
        })
    }

    fn item_words(&self, item: &Item) -> usize {
        item.sentences
            .iter()
            .map(|s| word_count(&self.render(s, self.next_speaker())))
            .sum()
    }

    fn open_turn(&mut self) -> usize {
        let speaker = self.next_speaker();
        self.turns.push(Turn {
            speaker,
            sentences: Vec::new(),
            facts: Vec::new(),
            open: true,
        });
        self.last_speaker = Some(speaker);
        self.turns.len() - 1
    }

    /// Adds one sentence, to the current line when it has room, else to a new line by the next speaker. With
    /// `lead`, a statement that starts a line may get a spoken opener ("Honestly, …") for variety.
    fn say(&mut self, template: &str, facts: &[String], new_line: bool, lead: bool) {
        let room = self.turns.last().is_some_and(|t| {
            t.open
                && t.sentences.len() < TURN_SENTENCES
                && t.sentences.iter().map(|s| word_count(s)).sum::<usize>() < TURN_WORDS
        });
        let index = if new_line || !room {
            self.open_turn()
        } else {
            self.turns.len() - 1
        };
        let speaker = self.turns[index].speaker;
        let mut text = self.render(template, speaker);
        if lead && self.turns[index].sentences.is_empty() && !text.ends_with('?') {
            let leads = self.book.leads;
            let opener = leads[(self.seed as usize + self.counter) % leads.len()];
            self.counter += 1;
            let led = format!("{opener}{}", self.book.in_sentence(&text));
            if !opener.is_empty() && is_clean(&led, &self.brand.forbidden_phrases) {
                text = led;
            }
        }
        self.words += word_count(&text);
        let turn = &mut self.turns[index];
        if text.ends_with('?') {
            // A question hands the floor to the next speaker.
            turn.open = false;
        }
        turn.sentences.push(text);
        for f in facts {
            if !turn.facts.contains(f) {
                turn.facts.push(f.clone());
            }
        }
    }

    /// A line of its own, said word for word.
    fn line(&mut self, speaker: usize, text: &str, facts: Vec<String>) {
        self.words += word_count(text);
        self.turns.push(Turn {
            speaker,
            sentences: vec![text.trim().to_owned()],
            facts,
            open: false,
        });
        self.last_speaker = Some(speaker);
    }

    fn place(&mut self, item: &Item, lead: bool) {
        for (i, sentence) in item.sentences.iter().enumerate() {
            let facts = if i == 0 { item.facts.clone() } else { Vec::new() };
            self.say(sentence, &facts, i > 0, lead && item.sentences.len() == 1);
        }
    }

    /// Places items in order while they fit under `target` words; returns how many were used or skipped.
    fn fill(&mut self, items: &[Item], target: usize) -> usize {
        let mut used = 0;
        for item in items {
            if !self.usable(item) {
                used += 1;
                continue;
            }
            if self.words + self.item_words(item) > target {
                break;
            }
            self.place(item, false);
            used += 1;
        }
        used
    }

    /// Endless conversation from the book's body talk until `target` words.
    fn fill_body(&mut self, target: usize) {
        let talk = self.book.body_talk;
        let mut skipped = 0;
        while self.words < target && skipped < talk.len() {
            let item = Item::of(talk[self.body_cursor % talk.len()]);
            if !self.usable(&item) {
                self.body_cursor += 1;
                skipped += 1;
                continue;
            }
            if self.words + self.item_words(&item) > target {
                break;
            }
            self.place(&item, true);
            self.body_cursor += 1;
            skipped = 0;
        }
    }

    /// Short sentences that bring the count as close to `target` as they can.
    fn top_up(&mut self, target: usize) {
        let mut replied = false;
        for _ in 0..4 {
            let gap = target.saturating_sub(self.words);
            if gap == 0 {
                break;
            }
            let best = self
                .book
                .top_ups
                .iter()
                .enumerate()
                .filter(|(i, s)| (!replied || *i >= self.book.replies) && is_clean(s, &self.brand.forbidden_phrases))
                .map(|(_, s)| s)
                .min_by_key(|s| (word_count(s).abs_diff(gap), word_count(s)))
                .copied();
            match best {
                // The first is a reply from the other host; any more follow on from it.
                Some(s) if word_count(s).abs_diff(gap) < gap => self.say(s, &[], !replied, false),
                _ => break,
            }
            replied = true;
        }
    }

    /// `template` rendered for `speaker` and said as a line of its own, when the show may say it.
    fn line_if_clean(&mut self, speaker: usize, template: &str, facts: Vec<String>) -> bool {
        let text = self.render(template, speaker);
        let clean = is_clean(&text, &self.brand.forbidden_phrases);
        if clean {
            self.line(speaker, &text, facts);
        }
        clean
    }

    /// An interview's question-and-answer pairs from the book until `target` words: the interviewer
    /// asks, the guest answers.
    fn fill_interview(&mut self, target: usize) {
        let (host, guest) = (self.allowed[0], self.allowed[1]);
        let pairs: Vec<&[&str]> = self
            .book
            .interview_talk
            .iter()
            .copied()
            .chain(
                self.book
                    .body_talk
                    .iter()
                    .copied()
                    .filter(|p| p.len() == 2 && p[0].ends_with('?')),
            )
            .collect();
        let mut skipped = 0;
        while self.words < target && skipped < pairs.len() {
            let pair = pairs[self.interview_cursor % pairs.len()];
            self.interview_cursor += 1;
            let item = Item::of(pair);
            if !self.usable(&item) {
                skipped += 1;
                continue;
            }
            if self.words + self.item_words(&item) > target {
                break;
            }
            let (question, answer) = (self.render(pair[0], host), self.render(pair[1], guest));
            self.line(host, &question, Vec::new());
            self.line(guest, &answer, Vec::new());
            skipped = 0;
        }
    }

    /// Closes the current segment's lines into a script segment.
    fn finish_segment(&mut self, id: String, title: String) {
        let lines = self
            .turns
            .drain(..)
            .enumerate()
            .map(|(i, t)| Line {
                id: format!("{id}-L{}", i + 1),
                speaker: self.hosts[t.speaker].clone(),
                text: t.sentences.join(" "),
                facts: t.facts,
                ..Default::default()
            })
            .collect();
        self.segments.push(ScriptSegment { id, title, lines });
    }
}

fn fact_line(lead: &str, statement: &str) -> String {
    let statement = statement.trim();
    let statement = if statement.ends_with(['.', '!', '?']) {
        statement.to_owned()
    } else {
        format!("{statement}.")
    };
    fill(lead, &[("fact", &statement), ("fact_lower", &lower_first(&statement))])
}

/// A fact as a host says it; one worded with a forbidden phrase is still cited, in words the show can say.
fn said_fact(book: &Phrasebook, lead: &str, id: &str, statement: &str, brand: &BrandVoice) -> String {
    let text = fact_line(lead, statement);
    if is_clean(&text, &brand.forbidden_phrases) {
        text
    } else {
        fill(book.fact_withheld, &[("id", id)])
    }
}

pub(crate) fn write(ctx: &Context) -> Result<Script, ProviderError> {
    let topic = ctx.text("topic")?;
    let brand: BrandVoice = ctx.get("brand")?;
    let plan: EpisodePlan = ctx.get("plan")?;
    let research: ResearchPackage = ctx.get("research")?;
    let feedback = ctx.optional_text("feedback")?;
    write_script(
        ctx.phrasebook()?,
        &topic,
        &brand,
        ctx.format()?,
        &plan,
        &research,
        feedback.as_deref(),
    )
}

pub(crate) fn write_script(
    book: &'static Phrasebook,
    topic: &str,
    brand: &BrandVoice,
    format: EpisodeFormat,
    plan: &EpisodePlan,
    research: &ResearchPackage,
    feedback: Option<&str>,
) -> Result<Script, ProviderError> {
    let hosts: Vec<String> = brand
        .hosts
        .iter()
        .map(|h| h.name.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    if hosts.is_empty() {
        return Err(ProviderError::invalid_request(
            "The show has no hosts to speak the script.",
        ));
    }
    if plan.segments.is_empty() {
        return Err(ProviderError::invalid_request("The plan has no segments to write."));
    }
    let planned = if plan.planned_seconds() > 0 {
        plan.planned_seconds()
    } else {
        plan.target_seconds.max(60)
    };
    let budgets: Vec<u32> = if plan.planned_seconds() > 0 {
        plan.segments.iter().map(|s| s.seconds).collect()
    } else {
        let n = plan.segments.len() as u32;
        (0..n).map(|i| planned / n + u32::from(i < planned % n)).collect()
    };
    let words_for = |seconds: u32| (seconds as f64 * WORDS_PER_MINUTE / 60.0).round() as usize;

    let mut w = Writer {
        book,
        brand,
        hosts: hosts.clone(),
        topic: topic.to_owned(),
        seed: stable_hash(topic),
        allowed: (0..hosts.len()).collect(),
        title: None,
        last_speaker: None,
        turns: Vec::new(),
        segments: Vec::new(),
        words: 0,
        body_cursor: stable_hash(topic) as usize % book.body_talk.len(),
        interview_cursor: 0,
        counter: 0,
    };
    let last = plan.segments.len() - 1;
    let body_titles: Vec<String> = plan.segments[1.min(last)..last.max(1)]
        .iter()
        .map(|s| book.in_sentence(&s.title))
        .collect();
    let mut seen_ids = HashSet::new();
    let mut cumulative_seconds = 0u32;
    let mut body_index = 0usize;

    for (i, segment) in plan.segments.iter().enumerate() {
        cumulative_seconds += budgets[i];
        let target = words_for(cumulative_seconds);
        w.allowed = allowed_speakers(&hosts, segment);
        w.title = None;
        let facts = planned_facts(segment, research);
        let is_intro = i == 0;
        let is_outro = i == last && last > 0;
        let is_body = !is_intro && !is_outro || last == 0;

        if is_intro {
            w.line(0, &brand.intro_line, Vec::new());
            let greeting = greeting(book, format, &hosts, &w.allowed, w.next_speaker());
            if is_clean(&w.render(&greeting, w.next_speaker()), &brand.forbidden_phrases) {
                w.say(&greeting, &[], true, false);
            }
            if format == EpisodeFormat::Debate && w.allowed.len() > 1 {
                let (first, second) = (w.allowed[0], w.allowed[1]);
                let sides = if w.next_speaker() == first {
                    fill(book.sides_by_for, &[("against", &hosts[second])])
                } else {
                    fill(book.sides_by_against, &[("for", &hosts[first])])
                };
                if is_clean(&w.render(&sides, w.next_speaker()), &brand.forbidden_phrases) {
                    w.say(&sides, &[], true, false);
                }
            }
            if feedback.is_some() {
                w.say(book.rewritten_notice, &[], true, false);
            }
            let sourced = research
                .facts
                .iter()
                .any(|f| f.sources.iter().any(|s| s.source_id.is_some()));
            if let Some(notice) = [
                if sourced {
                    book.sourced_notice
                } else {
                    book.rehearsal_notice
                },
                book.short_notice,
            ]
            .into_iter()
            .find(|n| is_clean(n, &brand.forbidden_phrases))
            {
                w.say(notice, &[], feedback.is_none(), false);
            }
            if !body_titles.is_empty() {
                let plan_line = fill(book.plan_line, &[("titles", &join_names(&body_titles, book.and))]);
                if is_clean(&plan_line, &brand.forbidden_phrases) {
                    w.say(&plan_line, &[], true, false);
                }
            }
        }
        let case_side = [book.case_for, book.case_against]
            .iter()
            .position(|c| format == EpisodeFormat::Debate && segment.title.trim() == *c);
        if is_body && !is_intro && format == EpisodeFormat::Interview && w.allowed.len() >= 2 {
            // The interviewer only asks; the guest answers with the facts.
            w.title = Some(book.in_sentence(strip_end(&segment.title)));
            let (host, guest) = (w.allowed[0], w.allowed[1]);
            let openers = book.interview_openers;
            let opener = openers[(body_index + w.seed as usize) % openers.len()];
            if !w.line_if_clean(host, opener, Vec::new()) {
                w.line(host, book.fallback_opener, Vec::new());
            }
            if facts.is_empty() {
                w.line(guest, book.guest_answer, Vec::new());
            }
            for (k, (id, statement)) in facts.iter().enumerate() {
                if k > 0 {
                    let follow = book.follow_ups[(w.seed as usize + body_index + k) % book.follow_ups.len()];
                    if !w.line_if_clean(host, follow, Vec::new()) {
                        w.line(host, book.fallback_follow_up, Vec::new());
                    }
                }
                let lead = book.fact_leads[(w.seed as usize + body_index * 2 + k) % book.fact_leads.len()];
                let text = said_fact(book, lead, id, statement, brand);
                w.line(guest, &text, vec![id.clone()]);
            }
            if !is_outro && last > 0 {
                w.fill_interview(target);
            }
            body_index += 1;
        } else if let (Some(side), true) = (case_side, is_body) {
            // One side of a debate makes its case alone; "the case for" is no subject to talk about.
            w.title = None;
            let speaker = w.next_speaker();
            if is_clean(&w.render(book.case_openers[side], speaker), &brand.forbidden_phrases) {
                w.say(book.case_openers[side], &[], true, false);
            }
            for (k, (id, statement)) in facts.iter().enumerate() {
                let leads = book.case_leads[side];
                let text = said_fact(book, leads[k % leads.len()], id, statement, brand);
                w.line(speaker, &text, vec![id.clone()]);
            }
            let talk: Vec<Item> = book.case_talk.iter().map(|s| Item::of(&[s])).collect();
            w.fill(&talk, target);
            w.fill_body(target);
            body_index += 1;
        } else if is_body {
            if !is_intro {
                w.title = Some(book.in_sentence(strip_end(&segment.title)));
                let opener = if body_index == 0 {
                    book.first_topic
                } else {
                    book.transitions[(body_index - 1 + w.seed as usize) % book.transitions.len()]
                };
                let opener = fill(opener, &[("title", &book.in_sentence(strip_end(&segment.title)))]);
                if is_clean(&opener, &brand.forbidden_phrases) {
                    w.say(&opener, &[], true, false);
                }
            }
            for (k, (id, statement)) in facts.iter().enumerate() {
                let lead = book.fact_leads[(w.seed as usize + body_index * 2 + k) % book.fact_leads.len()];
                let text = said_fact(book, lead, id, statement, brand);
                w.line(w.next_speaker(), &text, vec![id.clone()]);
                if format == EpisodeFormat::Debate && w.allowed.len() > 1 {
                    // In the cross-examination the other side answers every fact.
                    let reply = book.cross_replies[(w.seed as usize + body_index + k) % book.cross_replies.len()];
                    if is_clean(reply, &brand.forbidden_phrases) {
                        w.say(reply, &[], true, false);
                    }
                } else if k == 0 {
                    let follow = if facts.len() > 1 {
                        Item::of(&[book.follow_ups[(w.seed as usize + body_index) % book.follow_ups.len()]])
                    } else {
                        Item::of(&book.why_it_matters)
                    };
                    if w.usable(&follow) {
                        w.place(&follow, false);
                    }
                }
            }
            let angle_talk: Vec<Item> = book
                .angles
                .iter()
                .find(|a| a.title.eq_ignore_ascii_case(segment.title.trim()))
                .map(|a| a.talk.iter().map(|s| Item::of(&[s])).collect())
                .unwrap_or_default();
            if !is_outro && last > 0 {
                w.fill(&angle_talk, target);
                w.fill_body(target);
            }
            body_index += 1;
        }
        if is_intro && !is_body {
            let intro_items: Vec<Item> = book.intro_talk.iter().map(|t| Item::of(t)).collect();
            let used = w.fill(&intro_items, target);
            let count = body_titles.len();
            let previews: Vec<Item> = body_titles
                .iter()
                .enumerate()
                .map(|(k, title)| {
                    let previews = book.previews;
                    let template = if k + 1 == count && count > 1 {
                        previews[previews.len() - 1]
                    } else {
                        previews[k.min(previews.len() - 2)]
                    };
                    Item::of(&[&fill(template, &[("title", title)])])
                })
                .collect();
            if used == intro_items.len() {
                w.fill(&previews, target);
            }
            w.fill_body(target);
        }
        if i == last {
            w.title = None;
            let target = target.saturating_sub(word_count(&brand.outro_line));
            // Closing words are chosen first, from up to half the room left, so the recap and the
            // conversation before them leave space for at least "Until next time".
            let mut room = target.saturating_sub(w.words) / 2;
            let mut closers: Vec<Item> = Vec::new();
            for closer in book.closers {
                let item = Item::of(&[closer]);
                let words = w.item_words(&item);
                if w.usable(&item) && words <= room {
                    room -= words;
                    closers.insert(0, item);
                }
            }
            let reserved: usize = closers.iter().map(|c| w.item_words(c)).sum();
            let before_closers = target.saturating_sub(reserved);
            let mut items = vec![Item::of(&[book.wrap_up_opener])];
            items.extend(recaps(book, plan, research, brand));
            w.fill(&items, before_closers);
            w.fill_body(before_closers);
            w.top_up(before_closers);
            w.fill(&closers, target);
            w.line(0, &brand.outro_line, Vec::new());
        }
        // An interview's welcome ends on the guest, so the interviewer asks the first question.
        if is_intro
            && last > 0
            && format == EpisodeFormat::Interview
            && w.allowed.len() > 1
            && w.last_speaker == Some(w.allowed[0])
        {
            w.line_if_clean(w.allowed[1], book.guest_thanks, Vec::new());
        }
        let id = if segment.id.trim().is_empty() || !seen_ids.insert(segment.id.trim().to_owned()) {
            format!("S{}", i + 1)
        } else {
            segment.id.trim().to_owned()
        };
        w.finish_segment(id, segment.title.clone());
    }
    let title = if plan.title.trim().is_empty() {
        episode_title(topic)
    } else {
        plan.title.trim().to_owned()
    };
    Ok(Script {
        title,
        segments: w.segments,
    })
}

/// The first words after the intro line, said by `speaker`: an interview's guest thanks the host, anyone
/// else names who is here ("I'm Sam, here with Alex, and today we're digging into {t}.").
fn greeting(book: &Phrasebook, format: EpisodeFormat, hosts: &[String], allowed: &[usize], speaker: usize) -> String {
    if format == EpisodeFormat::Interview && allowed.len() > 1 && speaker == allowed[1] {
        return fill(
            book.greeting_guest,
            &[("host", &hosts[allowed[0]]), ("me", &hosts[speaker])],
        );
    }
    let others: Vec<String> = allowed
        .iter()
        .filter(|&&i| i != speaker)
        .map(|&i| hosts[i].clone())
        .collect();
    if others.is_empty() {
        fill(book.greeting_alone, &[("me", &hosts[speaker])])
    } else {
        fill(
            book.greeting_with,
            &[("me", &hosts[speaker]), ("others", &join_names(&others, book.and))],
        )
    }
}

/// The segment's speakers that are hosts of the show (all hosts when it names none).
fn allowed_speakers(hosts: &[String], segment: &PlannedSegment) -> Vec<usize> {
    let allowed: Vec<usize> = hosts
        .iter()
        .enumerate()
        .filter(|(_, h)| segment.speakers.iter().any(|s| s.trim().eq_ignore_ascii_case(h)))
        .map(|(i, _)| i)
        .collect();
    if allowed.is_empty() {
        (0..hosts.len()).collect()
    } else {
        allowed
    }
}

/// The segment's planned facts that exist in the research, with their statements.
fn planned_facts(segment: &PlannedSegment, research: &ResearchPackage) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    segment
        .facts
        .iter()
        .filter(|f| seen.insert(f.trim().to_owned()))
        .filter_map(|f| {
            research
                .fact(f.trim())
                .map(|fact| (fact.id.clone(), fact.statement.clone()))
        })
        .collect()
}

/// One recap per body segment: "Remember where it began? <its first fact>."
fn recaps(book: &Phrasebook, plan: &EpisodePlan, research: &ResearchPackage, brand: &BrandVoice) -> Vec<Item> {
    let n = plan.segments.len();
    if n < 3 {
        return Vec::new();
    }
    plan.segments[1..n - 1]
        .iter()
        .filter_map(|s| {
            let (id, statement) = planned_facts(s, research).into_iter().next()?;
            let text = fill(
                book.recap,
                &[
                    ("title", &book.in_sentence(strip_end(&s.title))),
                    ("fact", &fact_line("{fact}", &statement)),
                ],
            );
            is_clean(&text, &brand.forbidden_phrases).then(|| Item {
                sentences: vec![text],
                facts: vec![id],
            })
        })
        .collect()
}
