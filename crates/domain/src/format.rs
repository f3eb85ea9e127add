//! Episode formats: the shape an episode takes (who speaks, in what segments, for how long). A show keeps a
//! default; each episode may pick another. The plan and the writing prompts follow it, and the offline
//! writer builds each shape itself.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeFormat {
    /// The hosts explore the topic together, segment by segment.
    #[default]
    DeepDive,
    /// Two to five minutes: the headline facts and one takeaway.
    Brief,
    /// The first host interviews the second, who answers as the expert.
    Interview,
    /// The first two hosts take opposite sides and argue them out.
    Debate,
    /// The first host narrates alone.
    Solo,
}

/// Shortest and longest brief, in minutes.
pub const BRIEF_MINUTES: std::ops::RangeInclusive<u32> = 2..=5;
/// A brief's length when the producer gives none.
pub const BRIEF_DEFAULT_MINUTES: u32 = 4;

impl EpisodeFormat {
    pub const ALL: [EpisodeFormat; 5] = [
        EpisodeFormat::DeepDive,
        EpisodeFormat::Brief,
        EpisodeFormat::Interview,
        EpisodeFormat::Debate,
        EpisodeFormat::Solo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EpisodeFormat::DeepDive => "deep_dive",
            EpisodeFormat::Brief => "brief",
            EpisodeFormat::Interview => "interview",
            EpisodeFormat::Debate => "debate",
            EpisodeFormat::Solo => "solo",
        }
    }

    /// Also reads the labels and hyphens a producer types ("Deep dive", "deep-dive").
    pub fn parse(s: &str) -> Option<EpisodeFormat> {
        let key = |s: &str| s.trim().to_lowercase().replace(['-', ' '], "_");
        let typed = key(s);
        EpisodeFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == typed || key(f.label()) == typed)
    }

    pub fn label(self) -> &'static str {
        match self {
            EpisodeFormat::DeepDive => "Deep dive",
            EpisodeFormat::Brief => "Brief",
            EpisodeFormat::Interview => "Interview",
            EpisodeFormat::Debate => "Debate",
            EpisodeFormat::Solo => "Solo narration",
        }
    }

    /// The length an episode of this format gets when the producer names none (`usual` for most).
    pub fn default_minutes(self, usual: u32) -> u32 {
        match self {
            EpisodeFormat::Brief => BRIEF_DEFAULT_MINUTES,
            _ => usual,
        }
    }

    /// One sentence for the format picker.
    pub fn description(self) -> &'static str {
        match self {
            EpisodeFormat::DeepDive => "The hosts explore the topic together, angle by angle.",
            EpisodeFormat::Brief => "Two to five minutes: the facts that matter and one takeaway.",
            EpisodeFormat::Interview => "The first host asks; the second answers as the expert.",
            EpisodeFormat::Debate => "The first two hosts take opposite sides and argue it out.",
            EpisodeFormat::Solo => "The first host narrates alone.",
        }
    }

    /// The hosts who speak in this format, in order: the first alone for solo narration, the first two for an
    /// interview or a debate, every host otherwise.
    pub fn speakers(self, hosts: &[String]) -> &[String] {
        let n = match self {
            EpisodeFormat::Solo => 1,
            EpisodeFormat::Interview | EpisodeFormat::Debate => 2,
            EpisodeFormat::DeepDive | EpisodeFormat::Brief => hosts.len(),
        };
        &hosts[..n.min(hosts.len())]
    }

    /// How many hosts the format needs; a show with fewer cannot make it.
    pub fn hosts_needed(self) -> usize {
        match self {
            EpisodeFormat::Interview | EpisodeFormat::Debate => 2,
            _ => 1,
        }
    }

    /// Why an episode of `minutes` by `hosts` hosts cannot take this format, in a producer's words.
    pub fn problem(self, hosts: usize, minutes: u32) -> Option<String> {
        self.hosts_problem(hosts).or_else(|| self.length_problem(minutes))
    }

    /// Why a show with `hosts` hosts cannot make this format.
    pub fn hosts_problem(self, hosts: usize) -> Option<String> {
        (hosts < self.hosts_needed()).then(|| {
            format!(
                "{} needs {} hosts and the show has {hosts}: add a host or pick another format.",
                self.label(),
                self.hosts_needed()
            )
        })
    }

    /// Why an episode of `minutes` cannot take this format (a brief runs 2–5 minutes).
    pub fn length_problem(self, minutes: u32) -> Option<String> {
        (self == EpisodeFormat::Brief && !BRIEF_MINUTES.contains(&minutes)).then(|| {
            format!(
                "A brief runs {} to {} minutes, not {minutes}: change the length or pick another format.",
                BRIEF_MINUTES.start(),
                BRIEF_MINUTES.end()
            )
        })
    }

    /// What the plan and script prompts are told, with the hosts' names in their parts.
    pub fn guidance(self, hosts: &[String]) -> String {
        let host = |i: usize| hosts.get(i).map_or("the host", String::as_str);
        match self {
            EpisodeFormat::DeepDive => {
                "Deep dive: the hosts explore the topic together in conversation, one body segment per angle, \
                 each taking turns."
                    .to_owned()
            }
            EpisodeFormat::Brief => format!(
                "Brief: {} to {} minutes in all. An opening line, the two or three facts that matter most, and \
                 one takeaway; no digressions.",
                BRIEF_MINUTES.start(),
                BRIEF_MINUTES.end()
            ),
            EpisodeFormat::Interview => format!(
                "Interview: {} is the interviewer and only asks questions and short follow-ups; {} is the guest \
                 expert and answers with the facts. Each body segment is one question, asked then answered.",
                host(0),
                host(1)
            ),
            EpisodeFormat::Debate => format!(
                "Debate: {} argues for the motion and {} against it. Open with both sides stated, give each side \
                 a segment of its own (only that side speaks), cross-examine angle by angle, and close with each \
                 side's final word.",
                host(0),
                host(1)
            ),
            EpisodeFormat::Solo => format!(
                "Solo narration: {} speaks every line alone; no other host speaks or is addressed.",
                host(0)
            ),
        }
    }
}

/// Text that names no format, with the ones it could have been.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl std::fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = EpisodeFormat::ALL.iter().map(|f| f.as_str()).collect();
        write!(f, "'{}' is not a format: use one of {}", self.0.trim(), ids.join(", "))
    }
}

impl std::error::Error for UnknownFormat {}

impl std::str::FromStr for EpisodeFormat {
    type Err = UnknownFormat;

    /// [`EpisodeFormat::parse`], with the refusal typed.
    fn from_str(s: &str) -> Result<EpisodeFormat, UnknownFormat> {
        EpisodeFormat::parse(s).ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_reads_back_from_its_id_and_its_label() {
        for f in EpisodeFormat::ALL {
            assert_eq!(EpisodeFormat::parse(f.as_str()), Some(f));
            assert_eq!(EpisodeFormat::parse(f.label()), Some(f));
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
        }
        assert_eq!(EpisodeFormat::parse(" Deep-Dive "), Some(EpisodeFormat::DeepDive));
        assert_eq!(EpisodeFormat::parse("critique"), None);
        let refused = "critique".parse::<EpisodeFormat>().unwrap_err();
        assert_eq!(
            refused.to_string(),
            "'critique' is not a format: use one of deep_dive, brief, interview, debate, solo"
        );
        assert_eq!(EpisodeFormat::default(), EpisodeFormat::DeepDive);
    }

    proptest::proptest! {
        /// However a producer cases, spaces or hyphenates a format's id or label, it reads back as that format.
        #[test]
        fn a_format_typed_any_which_way_reads_back(
            which in 0..EpisodeFormat::ALL.len(),
            label in proptest::bool::ANY,
            upper in proptest::collection::vec(proptest::bool::ANY, 20),
            joiner in proptest::sample::select(vec!['_', ' ', '-']),
            pad in "[ \t]{0,3}",
        ) {
            let format = EpisodeFormat::ALL[which];
            let word = if label { format.label() } else { format.as_str() };
            let typed: String = word
                .chars()
                .zip(upper.iter().cycle())
                .map(|(c, up)| match c {
                    '_' | ' ' => joiner,
                    c if *up => c.to_ascii_uppercase(),
                    c => c,
                })
                .collect();
            proptest::prop_assert_eq!(EpisodeFormat::parse(&format!("{pad}{typed}{pad}")), Some(format));
        }

        /// Text that is no format's word never parses, and nothing panics.
        #[test]
        fn other_text_is_no_format(text in "\\PC{0,40}") {
            let parsed = EpisodeFormat::parse(&text);
            let known = EpisodeFormat::ALL.iter().any(|f| {
                let key = |s: &str| s.trim().to_lowercase().replace(['-', ' '], "_");
                key(&text) == f.as_str() || key(&text) == key(f.label())
            });
            proptest::prop_assert_eq!(parsed.is_some(), known);
        }
    }

    #[test]
    fn a_format_the_show_cannot_make_says_why() {
        assert!(EpisodeFormat::Debate.problem(1, 25).unwrap().contains("needs 2 hosts"));
        assert!(EpisodeFormat::Brief
            .problem(2, 25)
            .unwrap()
            .contains("2 to 5 minutes, not 25"));
        assert_eq!(EpisodeFormat::Brief.problem(1, 4), None);
        assert_eq!(EpisodeFormat::Solo.problem(3, 60), None);
    }

    #[test]
    fn the_guidance_names_each_hosts_part() {
        let hosts = ["Alex".to_owned(), "Sam".to_owned()];
        let debate = EpisodeFormat::Debate.guidance(&hosts);
        assert!(
            debate.contains("Alex argues for") && debate.contains("Sam against"),
            "{debate}"
        );
        let interview = EpisodeFormat::Interview.guidance(&hosts);
        assert!(interview.contains("Alex is the interviewer") && interview.contains("Sam is the guest"));
        assert!(EpisodeFormat::Solo
            .guidance(&hosts)
            .contains("Alex speaks every line alone"));
    }
}
