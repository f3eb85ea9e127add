//! What the offline writer says that belongs to one format: an interview's questions and answers, a debate
//! side's openers, leads and asides, and the cross-examination's replies. `{t}` is the topic, `{title}` the
//! segment's subject, `{fact}` a fact's statement.

/// An interview's interviewer opens each body segment with one of these; every one is a question.
pub(crate) const INTERVIEW_OPENERS: &[&str] = &[
    "Let's talk about {title}. Where does that part of the story start?",
    "Can you walk us through {title}?",
    "What should listeners understand first about {title}?",
    "How did you come to see {title} the way you do?",
];

/// An interview's own questions and answers, asked before the conversation's pairs from `BODY_TALK` so a
/// short interview does not repeat itself.
pub(crate) const INTERVIEW_TALK: &[&[&str]] = &[
    &[
        "What do most people get wrong about {title}?",
        "They think it was one big moment, when really it was a long run of small ones.",
    ],
    &[
        "How did you first get interested in {t}?",
        "Through one odd detail that didn't fit the usual story, and I kept pulling on it.",
    ],
    &[
        "Who were the people doing the actual work here?",
        "Mostly ordinary people whose names rarely made it into the records.",
    ],
    &[
        "Was there a turning point?",
        "A few, and none of them looked like one at the time.",
    ],
    &[
        "What's still debated about {title}?",
        "The timing, mostly, and how much credit each group deserves.",
    ],
    &[
        "If you could ask someone from back then one question, what would it be?",
        "What they worried about most, because that tells you what they knew.",
    ],
    &[
        "How reliable are the sources on this?",
        "Good on the broad outline, patchier on the details, so we say so when it matters.",
    ],
    &[
        "What changed because of it?",
        "More than you'd expect: habits, rules, and what people assumed was normal.",
    ],
    &[
        "Is there a detail you find yourself telling people at dinner?",
        "How much of it depended on patience rather than brilliance.",
    ],
    &[
        "What would you want a skeptic to look at first?",
        "The records from the time, before anyone knew how the story would end.",
    ],
    &[
        "How does {title} connect to the rest of the story?",
        "It's the hinge: what came before only makes sense in its light.",
    ],
    &[
        "What surprised you when you dug into {title}?",
        "How practical it all was; the grand explanations came later.",
    ],
];

/// The guest's answer when a body segment has no planned fact to give.
pub(crate) const GUEST_ANSWER: &str =
    "It's a bigger story than it looks, and most of it is about people doing patient work.";

/// A debate side's opener for its own case.
pub(crate) const CASE_OPENERS: [&str; 2] = [
    "Here's my case on {t}, and I'll make it plainly.",
    "I see {t} very differently, and here's why.",
];
/// How each side of a debate leads with a fact in its own case.
pub(crate) const CASE_LEADS: [&[&str]; 2] = [
    &[
        "My first piece of evidence: {fact}",
        "And there's more on my side: {fact}",
        "Look at the record: {fact}",
    ],
    &[
        "Consider this instead: {fact}",
        "The other side leaves out this: {fact}",
        "Here's what cuts against it: {fact}",
    ],
];
/// Said by one side alone, between its facts.
pub(crate) const CASE_TALK: &[&str] = &[
    "That's the heart of my argument, and I'll stand by it.",
    "Nothing about this is as settled as it sounds.",
    "If you weigh the evidence fairly, it points one way.",
    "That's where my case is strongest.",
    "I'd ask listeners to keep that in mind when they hear the other side.",
];
/// The other side's reply to a fact in the cross-examination.
pub(crate) const CROSS_REPLIES: &[&str] = &[
    "I'd read that differently.",
    "That cuts both ways, though.",
    "Fair, but it doesn't settle the question.",
    "That's exactly why I disagree.",
];
