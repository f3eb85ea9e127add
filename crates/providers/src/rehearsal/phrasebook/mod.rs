//! Everything the rehearsal writer says, in each language it writes: one [`Phrasebook`] per
//! [`Language`], so research, plan, script and show notes are written in the episode's language while the
//! writer's logic (budgets, turns, citations, the brand's forbidden phrases) stays one.
//!
//! Placeholders in braces are filled by the writer: `{t}` the topic as it reads in a sentence, `{title}` a
//! segment's subject, `{other}` the host who speaks next, `{audience}` the show's audience, `{fact}` a fact's
//! statement (`{fact_lower}` with a lower-case first letter), `{q}` a research question, and the names given
//! with each field below.

mod de;
mod en;
mod es;
mod fr;
mod ru;

use showrunner_domain::Language;

use super::text::lower_first;

/// One way into a topic: the question it asks, the findings it yields and the segment it becomes.
pub(crate) struct Angle {
    pub title: &'static str,
    pub questions: [&'static str; 2],
    pub findings: [&'static str; 2],
    /// Sentences the hosts can say in this angle's segment.
    pub talk: &'static [&'static str],
}

/// The writer's words in one language. Lists may be of any length of at least one (two for `previews`).
pub(crate) struct Phrasebook {
    /// "and" between the last two names of a list.
    pub and: &'static str,
    /// Whether a title or topic takes a lower-case first letter inside a sentence ("how tides turn"); German
    /// capitalises its nouns, so its titles stay as written.
    pub lowercases_in_sentence: bool,

    // Research.
    pub angles: [Angle; 6],
    /// The two placeholder publishers every offline finding cites.
    pub placeholder_publishers: [&'static str; 2],
    /// A placeholder source's title: `{letter}`, `{angle}`, `{question}`, `{finding}`.
    pub placeholder_source: &'static str,
    /// Findings for a question that is none of the angles': `{t}`, `{q}`.
    pub generic_findings: [&'static str; 2],
    /// `{t}`.
    pub next_question: &'static str,
    /// `{t}`.
    pub hold_up_question: &'static str,
    pub sourced_uncertainty: &'static str,
    pub placeholder_uncertainties: [&'static str; 2],

    // Plan.
    pub welcome: &'static str,
    pub wrap_up: &'static str,
    /// A group of facts from none of the angles: `{n}`.
    pub part: &'static str,
    pub short_version: &'static str,
    pub the_story: &'static str,
    pub case_for: &'static str,
    pub case_against: &'static str,
    /// `{title}`.
    pub cross_examination: &'static str,
    pub closing_statements: &'static str,
    pub takeaway: &'static str,
    /// The body goal's citation: `{facts}`, appended to the goal as is (so it starts with its own separator).
    pub citing: &'static str,
    /// Welcome goals by format: `{host}`, `{guest}`, `{hosts}`, `{t}`, `{titles}`.
    pub goal_welcome_solo: &'static str,
    pub goal_welcome_interview: &'static str,
    pub goal_welcome_debate: &'static str,
    pub goal_welcome_brief: &'static str,
    pub goal_welcome_deep_dive: &'static str,
    /// Body goals: `{host}`, `{guest}`, `{title}`, `{t}`, `{cites}`.
    pub goal_interview: &'static str,
    pub goal_case_for: &'static str,
    pub goal_case_against: &'static str,
    pub goal_cross_examination: &'static str,
    pub goal_brief: &'static str,
    pub goal_conversation: &'static str,
    pub goal_cover: &'static str,
    /// Wrap-up goals: `{host}`, `{guest}`.
    pub goal_closing_statements: &'static str,
    pub goal_interview_close: &'static str,
    pub goal_takeaway: &'static str,
    pub goal_recap: &'static str,

    // Script.
    /// Conversation for any body segment: one sentence, or a question and its answer (by the next speaker).
    pub body_talk: &'static [&'static [&'static str]],
    /// Openers a statement may start with, for variety; "" most of the time. Joined to the sentence with its
    /// first letter lowered, so each ends with its own space.
    pub leads: &'static [&'static str],
    pub intro_talk: &'static [&'static [&'static str]],
    /// Closing words, most important first; said in reverse, so the first comes last.
    pub closers: &'static [&'static str],
    /// How the welcome previews each body segment (`{title}`); the last body segment gets the last one.
    pub previews: &'static [&'static str],
    /// Short sentences to land the total on the target; the first `replies` only make sense as a reply.
    pub top_ups: &'static [&'static str],
    pub replies: usize,
    pub rehearsal_notice: &'static str,
    pub sourced_notice: &'static str,
    /// Said when both notices use a forbidden phrase.
    pub short_notice: &'static str,
    pub rewritten_notice: &'static str,
    /// `{titles}`.
    pub plan_line: &'static str,
    /// The first body segment's opener: `{title}`.
    pub first_topic: &'static str,
    /// The later body segments' openers: `{title}`.
    pub transitions: &'static [&'static str],
    pub fact_leads: &'static [&'static str],
    pub follow_ups: &'static [&'static str],
    /// Said when no other follow-up can be.
    pub fallback_follow_up: &'static str,
    /// Said when a segment has one fact: a question and its answer.
    pub why_it_matters: [&'static str; 2],
    /// Said when an interviewer's opener cannot be.
    pub fallback_opener: &'static str,
    /// `{t}`.
    pub wrap_up_opener: &'static str,
    /// A fact worded with a forbidden phrase is still cited: `{id}`.
    pub fact_withheld: &'static str,
    /// "Remember {title}? {fact}".
    pub recap: &'static str,
    /// An interview guest's first words: `{host}`, `{me}`, and `{t}` left for the writer.
    pub greeting_guest: &'static str,
    /// `{me}`.
    pub greeting_alone: &'static str,
    /// `{me}`, `{others}`.
    pub greeting_with: &'static str,
    /// A debate's sides said by the side for (`{against}` names the other) or against (`{for}`).
    pub sides_by_for: &'static str,
    pub sides_by_against: &'static str,
    pub guest_thanks: &'static str,

    // Formats.
    /// An interview's interviewer opens each body segment with one of these questions.
    pub interview_openers: &'static [&'static str],
    /// An interview's own questions and answers.
    pub interview_talk: &'static [&'static [&'static str]],
    /// The guest's answer when a body segment has no planned fact.
    pub guest_answer: &'static str,
    /// A debate side's opener for its own case: for, against.
    pub case_openers: [&'static str; 2],
    /// How each side leads with a fact in its own case.
    pub case_leads: [&'static [&'static str]; 2],
    /// Said by one side alone, between its facts.
    pub case_talk: &'static [&'static str],
    /// The other side's reply to a fact in the cross-examination.
    pub cross_replies: &'static [&'static str],

    // Show notes.
    /// `{show}`, `{hosts}`, `{t}`.
    pub summary: &'static str,
    /// `{parts}`, appended to the summary as is.
    pub summary_covering: &'static str,
    /// `{count}`, appended to the summary as is.
    pub summary_cited: &'static str,
    /// Said when the summary uses a forbidden phrase.
    pub summary_fallback: &'static str,
    /// Promo lines, the first three the show can say: `{show}`, `{title}`, `{hosts}`, `{first_part}`,
    /// `{audience}`, `{minutes}`, `{t}`.
    pub promos: [&'static str; 5],
}

impl Phrasebook {
    /// `text` (a topic, a segment's title) as it reads inside a sentence of this language.
    pub fn in_sentence(&self, text: &str) -> String {
        if self.lowercases_in_sentence {
            lower_first(text)
        } else {
            text.to_owned()
        }
    }
}

/// The phrasebook for `language`.
pub(crate) fn phrasebook(language: Language) -> &'static Phrasebook {
    match language {
        Language::English => &en::BOOK,
        Language::German => &de::BOOK,
        Language::French => &fr::BOOK,
        Language::Spanish => &es::BOOK,
        Language::Russian => &ru::BOOK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every placeholder a field may use, by field; anything else in braces would be said aloud as is.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            found.push(&rest[open + 1..open + close]);
            rest = &rest[open + close + 1..];
        }
        found
    }

    #[test]
    fn every_book_has_what_the_writer_needs_and_only_known_placeholders() {
        const KNOWN: [&str; 24] = [
            "t",
            "title",
            "other",
            "audience",
            "fact",
            "fact_lower",
            "q",
            "letter",
            "angle",
            "question",
            "finding",
            "n",
            "facts",
            "host",
            "guest",
            "hosts",
            "titles",
            "cites",
            "id",
            "me",
            "others",
            "against",
            "for",
            "show",
        ];
        const MORE: [&str; 5] = ["parts", "count", "first_part", "minutes", "topic"];
        for language in Language::ALL {
            let book = phrasebook(language);
            assert!(book.previews.len() >= 2, "{language}: previews");
            assert!(
                book.replies < book.top_ups.len(),
                "{language}: top-ups beyond the replies"
            );
            for list in [
                book.leads,
                book.closers,
                book.transitions,
                book.fact_leads,
                book.follow_ups,
                book.interview_openers,
                book.case_talk,
                book.cross_replies,
                book.case_leads[0],
                book.case_leads[1],
            ] {
                assert!(!list.is_empty(), "{language}: an empty list");
            }
            assert!(book.body_talk.iter().all(|item| (1..=2).contains(&item.len())));
            assert!(book
                .interview_talk
                .iter()
                .all(|pair| pair.len() == 2 && pair[0].ends_with('?')));
            assert!(book.interview_openers.iter().all(|q| q.trim_end().ends_with('?')));
            let mut all: Vec<&str> = vec![book.placeholder_source, book.recap, book.greeting_guest, book.summary];
            all.extend(book.body_talk.iter().flat_map(|i| i.iter().copied()));
            all.extend(book.angles.iter().flat_map(|a| {
                a.questions
                    .iter()
                    .chain(a.findings.iter())
                    .chain(a.talk.iter())
                    .copied()
            }));
            all.extend(book.promos);
            for text in all {
                for p in placeholders(text) {
                    assert!(
                        KNOWN.contains(&p) || MORE.contains(&p),
                        "{language}: '{{{p}}}' in {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_books_are_in_their_own_languages() {
        // A word each book must use and the English one never does: a cheap guard against a copied book.
        for (language, word) in [
            (Language::German, "und"),
            (Language::French, "et"),
            (Language::Spanish, "y"),
            (Language::Russian, "и"),
        ] {
            let book = phrasebook(language);
            assert_eq!(book.and.trim(), word, "{language}");
            assert_ne!(book.welcome, en::BOOK.welcome, "{language}");
            assert_ne!(book.rehearsal_notice, en::BOOK.rehearsal_notice, "{language}");
        }
    }
}
