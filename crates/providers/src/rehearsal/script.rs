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
use super::format_talk::{
    CASE_LEADS, CASE_OPENERS, CASE_TALK, CROSS_REPLIES, GUEST_ANSWER, INTERVIEW_OPENERS, INTERVIEW_TALK,
};
use super::plan::{episode_title, CASE_AGAINST, CASE_FOR};
use super::research::{topic_phrase, ANGLES};
use super::text::{fill, is_clean, join_names, lower_first, stable_hash, strip_end, word_count};
use crate::ProviderError;

/// A line stops taking more sentences at this many words.
const TURN_WORDS: usize = 40;
const TURN_SENTENCES: usize = 3;

/// Conversation for any body segment: single sentences, or a question and its answer (said by the next
/// speaker). `{t}` is the topic, `{other}` the host who speaks next, `{audience}` the show's audience.
const BODY_TALK: &[&[&str]] = &[
    &["It's worth slowing down here, because this is where most of the story really happens."],
    &[
        "So how do we actually know that?",
        "Mostly from records kept at the time, and from people who studied them carefully afterwards.",
    ],
    &["What strikes me is how much of the story of {t} depends on ordinary, unglamorous work."],
    &["There's a simple version of this story, and then there's the version that holds up."],
    &[
        "Does that match what you expected going in, {other}?",
        "Not quite. I assumed it all happened much faster than it did.",
    ],
    &["That's the pattern we keep seeing: small changes that add up over years."],
    &["It's easy to forget that none of this was inevitable."],
    &[
        "Why do you think that part gets left out of the usual telling?",
        "Probably because it's less dramatic, but it's the part that explains the rest.",
    ],
    &["Think about what it would have been like to be there at the time."],
    &["This is a detail we'd want to double-check against a real source before it airs."],
    &["For {audience}, the useful takeaway is how the pieces fit together."],
    &[
        "Where would you start if you wanted to learn more about this?",
        "With the sources in the show notes, and then the references they point to.",
    ],
    &["I keep coming back to the people who did this day after day."],
    &["It also shows how one decision can shape everything that comes after it."],
    &["We should be careful not to claim more than the evidence supports."],
    &[
        "What would you say to someone who thinks this is all ancient history?",
        "That the same questions are still with us, just in different forms.",
    ],
    &["It's the kind of detail that changes how you see the whole story."],
    &["That's where the story of {t} gets genuinely interesting."],
    &[
        "What's the part of this that surprised you most, {other}?",
        "How long it took, and how many people it took to get there.",
    ],
    &["There's a lot of nuance here, and we'll only scratch the surface today."],
    &["The more closely you look, the more the small decisions matter."],
    &[
        "Is that the whole picture, though?",
        "No, and the complications are worth a look too.",
    ],
    &["A lot of this only looks obvious in hindsight."],
    &["It's a good example of practice running ahead of theory."],
    &["Let's keep that in mind, because it matters for everything else today."],
    &["If you've never thought about {t} before, this is the part that makes it click."],
    &["When it comes to {title}, the details matter more than the headline."],
    &["It's a reminder that good records are a gift to everyone who comes later."],
    &[
        "That's really the core of {title}, isn't it?",
        "It is, and it's easy to miss if you only know the headline version.",
    ],
    &["The interesting part is always in the details nobody bothered to write down."],
    &["What looks like one event is usually dozens of smaller ones."],
    &[
        "Do you think people at the time saw it that way?",
        "Some did, but most were just trying to solve the problem in front of them.",
    ],
    &["I didn't expect {title} to be the part I'd find most interesting."],
    &["Every answer here seems to open up another question."],
    &[
        "How would you sum up {title} in a sentence, {other}?",
        "Small, patient steps, taken by people who knew what was at stake.",
    ],
    &["That's exactly the kind of thing a real fact-check should confirm."],
    &["Of everything in {title}, this is the piece I'd want listeners to remember."],
    &[
        "What's the one thing you'd want a first-time listener to take away?",
        "That the story is bigger, and more human, than the headline version.",
    ],
    &["It's a good reminder to ask where a story comes from."],
    &["There's more to {title} than we can fit in one episode."],
    &["Context changes everything here."],
    &["And that's before we even get to the practical side of it."],
];

/// Openers a line may start with, for variety; empty most of the time.
const LEADS: &[&str] = &[
    "",
    "And ",
    "",
    "You know, ",
    "",
    "Honestly, ",
    "",
    "Right, and ",
    "",
    "To be fair, ",
    "",
    "See, ",
];

const INTRO_TALK: &[&[&str]] = &[
    &["The story of {t} is one of those subjects that seems simple until you look closely."],
    &[
        "{other}, what made you want to do this one?",
        "I kept running into it and realised I couldn't explain it properly.",
    ],
    &["We'll go step by step, and we'll flag anything we're unsure about."],
    &["Each part of today's episode builds on the one before."],
    &["By the end, you should be able to explain {t} to a friend."],
    &["If you're new to the show, welcome: we take one big question and follow it all the way through."],
];

/// Closing words, most important first: as many as the wrap-up has room for are said, in list order
/// reversed (so "Until next time" comes last).
const CLOSERS: &[&str] = &[
    "Until next time, stay curious.",
    "Thanks for all the good questions today, {other}.",
    "Remember, this was a rehearsal script: every fact in it is a placeholder until real research replaces it.",
    "Send us your questions about {t}, and we may pick them up in a future episode.",
    "If one idea sticks with you, let it be how much of this came down to people and patience.",
];

/// How the welcome previews each body segment, in order; the last body segment gets the last one.
const PREVIEWS: &[&str] = &[
    "We'll begin with {title}.",
    "From there, we'll get into {title}.",
    "After that comes {title}.",
    "Then we'll turn to {title}.",
    "We'll also look at {title}.",
    "And we'll finish on {title}.",
];

/// Short sentences to land the total on the target just before the outro line. The first [`REPLIES`] only
/// make sense as a reply, so they only open a line.
const REPLIES: usize = 4;
const TOP_UPS: &[&str] = &[
    "Exactly.",
    "That's right.",
    "Well said.",
    "I think that's fair.",
    "That's the heart of it.",
    "And that's worth remembering.",
    "That's a good way to put it, really.",
    "It's a story worth coming back to, I think.",
    "And we've only covered part of it today, of course.",
    "It's more interesting than it first sounds, and that's the point.",
];

/// Said in every rehearsal script: it is a placeholder written from templates.
pub(crate) const REHEARSAL_NOTICE: &str =
    "A quick note: this is a rehearsal script, written offline from templates, so every fact in it is a placeholder to check.";

/// Said instead when the research came from the producer's sources: the facts are real sentences, the
/// writing is still the rehearsal writer's.
pub(crate) const SOURCED_NOTICE: &str =
    "A quick note: this is a rehearsal script, written offline without a model; its facts are sentences from your own sources.";

const TRANSITIONS: &[&str] = &[
    "Next up: {title}.",
    "Let's move on to {title}.",
    "That brings us to {title}.",
    "Now for {title}.",
];
const FACT_LEADS: &[&str] = &[
    "Here's what our notes say: {fact}",
    "One finding stands out: {fact}",
    "According to the research, {fact_lower}",
    "The sources put it this way: {fact}",
    "Another point from the notes: {fact}",
];
const FOLLOW_UPS: &[&str] = &[
    "What else did the research turn up?",
    "And what do the sources add to that?",
    "Is there more to it than that?",
];

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
    /// Cursor into [`BODY_TALK`], shared by every segment so sentences do not repeat early.
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
        let topic = topic_phrase(&self.topic);
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
            let opener = LEADS[(self.seed as usize + self.counter) % LEADS.len()];
            self.counter += 1;
            let led = format!("{opener}{}", lower_first(&text));
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

    /// Endless conversation from [`BODY_TALK`] until `target` words.
    fn fill_body(&mut self, target: usize) {
        let mut skipped = 0;
        while self.words < target && skipped < BODY_TALK.len() {
            let item = Item::of(BODY_TALK[self.body_cursor % BODY_TALK.len()]);
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
            let best = TOP_UPS
                .iter()
                .enumerate()
                .filter(|(i, s)| (!replied || *i >= REPLIES) && is_clean(s, &self.brand.forbidden_phrases))
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

    /// An interview's question-and-answer pairs from [`BODY_TALK`] until `target` words: the interviewer
    /// asks, the guest answers.
    fn fill_interview(&mut self, target: usize) {
        let (host, guest) = (self.allowed[0], self.allowed[1]);
        let pairs: Vec<&[&str]> = INTERVIEW_TALK
            .iter()
            .copied()
            .chain(
                BODY_TALK
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
fn said_fact(lead: &str, id: &str, statement: &str, brand: &BrandVoice) -> String {
    let text = fact_line(lead, statement);
    if is_clean(&text, &brand.forbidden_phrases) {
        text
    } else {
        format!("Our notes have a finding on this, {id}, worth reading in full in the show notes.")
    }
}

pub(crate) fn write(ctx: &Context) -> Result<Script, ProviderError> {
    let topic = ctx.text("topic")?;
    let brand: BrandVoice = ctx.get("brand")?;
    let plan: EpisodePlan = ctx.get("plan")?;
    let research: ResearchPackage = ctx.get("research")?;
    let feedback = ctx.optional_text("feedback")?;
    write_script(&topic, &brand, ctx.format()?, &plan, &research, feedback.as_deref())
}

pub(crate) fn write_script(
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
        body_cursor: stable_hash(topic) as usize % BODY_TALK.len(),
        interview_cursor: 0,
        counter: 0,
    };
    let last = plan.segments.len() - 1;
    let body_titles: Vec<String> = plan.segments[1.min(last)..last.max(1)]
        .iter()
        .map(|s| lower_first(&s.title))
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
            let greeting = greeting(format, &hosts, &w.allowed, w.next_speaker());
            if is_clean(&w.render(&greeting, w.next_speaker()), &brand.forbidden_phrases) {
                w.say(&greeting, &[], true, false);
            }
            if format == EpisodeFormat::Debate && w.allowed.len() > 1 {
                let (first, second) = (w.allowed[0], w.allowed[1]);
                let sides = if w.next_speaker() == first {
                    format!(
                        "I'll argue for and {} against, and you can decide who makes the better case on {{t}}.",
                        hosts[second]
                    )
                } else {
                    format!(
                        "{} argues for and I argue against, and you can decide who makes the better case on {{t}}.",
                        hosts[first]
                    )
                };
                if is_clean(&w.render(&sides, w.next_speaker()), &brand.forbidden_phrases) {
                    w.say(&sides, &[], true, false);
                }
            }
            if feedback.is_some() {
                w.say(
                    "This version was rewritten after a note from our producer.",
                    &[],
                    true,
                    false,
                );
            }
            let sourced = research
                .facts
                .iter()
                .any(|f| f.sources.iter().any(|s| s.source_id.is_some()));
            if let Some(notice) = [
                if sourced { SOURCED_NOTICE } else { REHEARSAL_NOTICE },
                "This is a rehearsal script, written offline from templates.",
            ]
            .into_iter()
            .find(|n| is_clean(n, &brand.forbidden_phrases))
            {
                w.say(notice, &[], feedback.is_none(), false);
            }
            if !body_titles.is_empty() {
                let plan_line = format!("Here's the plan: {}, and then we'll wrap up.", join_names(&body_titles));
                if is_clean(&plan_line, &brand.forbidden_phrases) {
                    w.say(&plan_line, &[], true, false);
                }
            }
        }
        let case_side = [CASE_FOR, CASE_AGAINST]
            .iter()
            .position(|c| format == EpisodeFormat::Debate && segment.title.trim() == *c);
        if is_body && !is_intro && format == EpisodeFormat::Interview && w.allowed.len() >= 2 {
            // The interviewer only asks; the guest answers with the facts.
            w.title = Some(lower_first(strip_end(&segment.title)));
            let (host, guest) = (w.allowed[0], w.allowed[1]);
            let opener = INTERVIEW_OPENERS[(body_index + w.seed as usize) % INTERVIEW_OPENERS.len()];
            if !w.line_if_clean(host, opener, Vec::new()) {
                w.line(host, "Where does this part of the story start?", Vec::new());
            }
            if facts.is_empty() {
                w.line(guest, GUEST_ANSWER, Vec::new());
            }
            for (k, (id, statement)) in facts.iter().enumerate() {
                if k > 0 {
                    let follow = FOLLOW_UPS[(w.seed as usize + body_index + k) % FOLLOW_UPS.len()];
                    if !w.line_if_clean(host, follow, Vec::new()) {
                        w.line(host, "What else?", Vec::new());
                    }
                }
                let lead = FACT_LEADS[(w.seed as usize + body_index * 2 + k) % FACT_LEADS.len()];
                let text = said_fact(lead, id, statement, brand);
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
            if is_clean(&w.render(CASE_OPENERS[side], speaker), &brand.forbidden_phrases) {
                w.say(CASE_OPENERS[side], &[], true, false);
            }
            for (k, (id, statement)) in facts.iter().enumerate() {
                let leads = CASE_LEADS[side];
                let text = said_fact(leads[k % leads.len()], id, statement, brand);
                w.line(speaker, &text, vec![id.clone()]);
            }
            let talk: Vec<Item> = CASE_TALK.iter().map(|s| Item::of(&[s])).collect();
            w.fill(&talk, target);
            w.fill_body(target);
            body_index += 1;
        } else if is_body {
            if !is_intro {
                w.title = Some(lower_first(strip_end(&segment.title)));
                let opener = if body_index == 0 {
                    "Let's start with {title}.".to_owned()
                } else {
                    TRANSITIONS[(body_index - 1 + w.seed as usize) % TRANSITIONS.len()].to_owned()
                };
                let opener = fill(&opener, &[("title", &lower_first(strip_end(&segment.title)))]);
                if is_clean(&opener, &brand.forbidden_phrases) {
                    w.say(&opener, &[], true, false);
                }
            }
            for (k, (id, statement)) in facts.iter().enumerate() {
                let lead = FACT_LEADS[(w.seed as usize + body_index * 2 + k) % FACT_LEADS.len()];
                let text = said_fact(lead, id, statement, brand);
                w.line(w.next_speaker(), &text, vec![id.clone()]);
                if format == EpisodeFormat::Debate && w.allowed.len() > 1 {
                    // In the cross-examination the other side answers every fact.
                    let reply = CROSS_REPLIES[(w.seed as usize + body_index + k) % CROSS_REPLIES.len()];
                    if is_clean(reply, &brand.forbidden_phrases) {
                        w.say(reply, &[], true, false);
                    }
                } else if k == 0 {
                    let follow = if facts.len() > 1 {
                        Item::of(&[FOLLOW_UPS[(w.seed as usize + body_index) % FOLLOW_UPS.len()]])
                    } else {
                        Item::of(&[
                            "Why does that matter so much?",
                            "Because so much of what follows depends on it.",
                        ])
                    };
                    if w.usable(&follow) {
                        w.place(&follow, false);
                    }
                }
            }
            let angle_talk: Vec<Item> = ANGLES
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
            let intro_items: Vec<Item> = INTRO_TALK.iter().map(|t| Item::of(t)).collect();
            let used = w.fill(&intro_items, target);
            let count = body_titles.len();
            let previews: Vec<Item> = body_titles
                .iter()
                .enumerate()
                .map(|(k, title)| {
                    let template = if k + 1 == count && count > 1 {
                        PREVIEWS[PREVIEWS.len() - 1]
                    } else {
                        PREVIEWS[k.min(PREVIEWS.len() - 2)]
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
            for closer in CLOSERS {
                let item = Item::of(&[closer]);
                let words = w.item_words(&item);
                if w.usable(&item) && words <= room {
                    room -= words;
                    closers.insert(0, item);
                }
            }
            let reserved: usize = closers.iter().map(|c| w.item_words(c)).sum();
            let before_closers = target.saturating_sub(reserved);
            let mut items = vec![Item::of(&["That's our look at {t}."])];
            items.extend(recaps(plan, research, brand));
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
            w.line_if_clean(w.allowed[1], "Glad to be here.", Vec::new());
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
fn greeting(format: EpisodeFormat, hosts: &[String], allowed: &[usize], speaker: usize) -> String {
    if format == EpisodeFormat::Interview && allowed.len() > 1 && speaker == allowed[1] {
        return format!(
            "Thanks for having me, {}. I'm {}, and I've spent a long time with {{t}}.",
            hosts[allowed[0]], hosts[speaker]
        );
    }
    let others: Vec<String> = allowed
        .iter()
        .filter(|&&i| i != speaker)
        .map(|&i| hosts[i].clone())
        .collect();
    if others.is_empty() {
        format!("I'm {}, and today we're digging into {{t}}.", hosts[speaker])
    } else {
        format!(
            "I'm {}, here with {}, and today we're digging into {{t}}.",
            hosts[speaker],
            join_names(&others)
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
fn recaps(plan: &EpisodePlan, research: &ResearchPackage, brand: &BrandVoice) -> Vec<Item> {
    let n = plan.segments.len();
    if n < 3 {
        return Vec::new();
    }
    plan.segments[1..n - 1]
        .iter()
        .filter_map(|s| {
            let (id, statement) = planned_facts(s, research).into_iter().next()?;
            let text = format!(
                "Remember {}? {}",
                lower_first(strip_end(&s.title)),
                fact_line("{fact}", &statement)
            );
            is_clean(&text, &brand.forbidden_phrases).then(|| Item {
                sentences: vec![text],
                facts: vec![id],
            })
        })
        .collect()
}
