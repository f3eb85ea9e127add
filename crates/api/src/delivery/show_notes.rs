//! Show notes in Markdown and HTML: the summary, chapter timestamps, and numbered citations with links.
//! Everything a model or producer wrote is escaped for the format it lands in.

use std::fmt::Write as _;

use showrunner_domain::artifacts::{Citation, Source};
use showrunner_domain::{ProducerSource, SourceKind};

use super::chapters::Chapter;
use super::transcript::one_line;

pub struct Notes<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub chapters: &'a [Chapter],
    pub citations: &'a [Citation],
    /// The producer's own sources, listed with their links (pages) or file names.
    pub sources: &'a [ProducerSource],
    pub draft: bool,
}

/// `1:02:03` or `02:03`, as podcast apps link timestamps in descriptions.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// Markdown text that renders as itself: punctuation Markdown reads as syntax is backslash-escaped.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if "\\`*_{}[]()<>#+-.!|&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link target Markdown cannot misread: in angle brackets, with the characters that would end it encoded.
fn md_url(url: &str) -> String {
    one_line(url)
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace(' ', "%20")
}

fn html(text: &str) -> String {
    quick_xml::escape::escape(super::rss::xml_chars(text).as_str()).into_owned()
}

/// Only http(s) links become links; anything else (`javascript:`) is shown as text.
fn safe_href(url: &str) -> Option<&str> {
    let u = url.trim();
    (u.starts_with("https://") || u.starts_with("http://")).then_some(u)
}

pub fn markdown(n: &Notes) -> String {
    let mut out = String::new();
    if n.draft {
        out.push_str("> **DRAFT** — not released; do not publish.\n\n");
    }
    let _ = writeln!(out, "# {}\n", md(n.title));
    let _ = writeln!(out, "{}\n", md(n.summary));
    if !n.chapters.is_empty() {
        out.push_str("## Chapters\n\n");
        for c in n.chapters {
            let _ = writeln!(out, "- {} {}", clock(c.start_ms), md(&c.title));
        }
        out.push('\n');
    }
    if !n.citations.is_empty() {
        out.push_str("## Sources\n\n");
        for (i, c) in n.citations.iter().enumerate() {
            let _ = write!(out, "{}. {}", i + 1, md(&c.statement));
            for s in &c.sources {
                match (s.source_id.is_some(), safe_href(&s.url)) {
                    // A producer's file or note has no address to link to: its name and place say it.
                    (true, None) => {
                        let _ = write!(out, " — {}", md(&cited_as(s)));
                    }
                    _ => {
                        let _ = write!(out, " — [{}](<{}>)", md(&cited_as(s)), md_url(&s.url));
                    }
                }
            }
            out.push('\n');
        }
    }
    if !n.sources.is_empty() {
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str("## Source material\n\n");
        for s in n.sources {
            match source_link(s) {
                Some(href) => {
                    let _ = writeln!(out, "- [{}](<{}>)", md(&s.name), md_url(href));
                }
                None => {
                    let _ = writeln!(out, "- {}", md(&source_label(s)));
                }
            }
        }
        out.push('\n');
    }
    out
}

/// A citation's title with its page or section: "keepers.pdf, p. 3".
fn cited_as(s: &Source) -> String {
    match &s.location {
        Some(location) => format!("{}, {location}", s.title),
        None => s.title.clone(),
    }
}

/// Only a web source links, and only over http(s).
fn source_link(s: &ProducerSource) -> Option<&str> {
    s.link().and_then(safe_href)
}

/// A file by its name (and its original file name when the two differ), a note as a note.
fn source_label(s: &ProducerSource) -> String {
    match s.kind {
        SourceKind::File if s.origin != s.name && !s.origin.is_empty() => format!("{} ({})", s.name, s.origin),
        SourceKind::Url => format!("{} ({})", s.name, s.origin),
        _ => s.name.clone(),
    }
}

pub fn html_page(n: &Notes) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
    let title = if n.draft {
        format!("DRAFT: {}", n.title)
    } else {
        n.title.to_owned()
    };
    let _ = writeln!(out, "<title>{}</title>\n</head>\n<body>", html(&title));
    if n.draft {
        out.push_str("<p><strong>DRAFT</strong> — not released; do not publish.</p>\n");
    }
    let _ = writeln!(out, "<h1>{}</h1>\n<p>{}</p>", html(n.title), html(n.summary));
    if !n.chapters.is_empty() {
        out.push_str("<h2>Chapters</h2>\n<ul>\n");
        for c in n.chapters {
            let _ = writeln!(out, "<li>{} {}</li>", clock(c.start_ms), html(&c.title));
        }
        out.push_str("</ul>\n");
    }
    if !n.citations.is_empty() {
        out.push_str("<h2>Sources</h2>\n<ol>\n");
        for c in n.citations {
            let _ = write!(out, "<li>{}", html(&c.statement));
            for s in &c.sources {
                match safe_href(&s.url) {
                    Some(href) => {
                        let _ = write!(out, " — <a href=\"{}\">{}</a>", html(href), html(&cited_as(s)));
                    }
                    None if s.source_id.is_some() => {
                        let _ = write!(out, " — {}", html(&cited_as(s)));
                    }
                    None => {
                        let _ = write!(out, " — {} ({})", html(&s.title), html(&s.url));
                    }
                }
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    if !n.sources.is_empty() {
        out.push_str("<h2>Source material</h2>\n<ul>\n");
        for s in n.sources {
            match source_link(s) {
                Some(href) => {
                    let _ = writeln!(out, "<li><a href=\"{}\">{}</a></li>", html(href), html(&s.name));
                }
                None => {
                    let _ = writeln!(out, "<li>{}</li>", html(&source_label(s)));
                }
            }
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use showrunner_domain::artifacts::Source;

    fn notes(draft: bool) -> (Vec<Chapter>, Vec<Citation>, bool) {
        (
            vec![Chapter {
                title: "<b>Intro</b> & more".into(),
                start_ms: 3_723_000,
                end_ms: 3_800_000,
            }],
            vec![Citation {
                fact_id: "F1".into(),
                statement: "Lamps <script>alert(1)</script> & lenses".into(),
                sources: vec![
                    Source {
                        title: "A \"quoted\" title".into(),
                        url: "https://example.org/a?b=1&c=2".into(),
                        publisher: "Ex".into(),
                        ..Source::default()
                    },
                    Source {
                        title: "Bad".into(),
                        url: "javascript:alert(1)".into(),
                        publisher: "Ex".into(),
                        ..Source::default()
                    },
                ],
            }],
            draft,
        )
    }

    #[test]
    fn html_escapes_every_producer_string_and_links_only_http() {
        let (chapters, citations, draft) = notes(true);
        let page = html_page(&Notes {
            title: "T & <i>",
            summary: "S",
            chapters: &chapters,
            citations: &citations,
            sources: &[],
            draft,
        });
        assert!(!page.contains("<script>"), "{page}");
        assert!(!page.contains("<b>Intro"), "{page}");
        assert!(
            page.contains("<li>1:02:03 &lt;b&gt;Intro&lt;/b&gt; &amp; more</li>"),
            "{page}"
        );
        assert!(page.contains("href=\"https://example.org/a?b=1&amp;c=2\""), "{page}");
        assert!(!page.contains("href=\"javascript"), "{page}");
        assert!(page.contains("<title>DRAFT: T &amp; &lt;i&gt;</title>"), "{page}");
        // The page is well-formed XML too.
        let mut reader = quick_xml::Reader::from_str(page.trim_start_matches("<!DOCTYPE html>\n"));
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{e}: {page}"),
            }
        }
    }

    #[test]
    fn markdown_numbers_citations_and_escapes_syntax() {
        let (chapters, citations, _) = notes(false);
        let md = markdown(&Notes {
            title: "# Not a heading",
            summary: "*not bold*",
            chapters: &chapters,
            citations: &citations,
            sources: &[],
            draft: false,
        });
        assert!(md.starts_with("# \\# Not a heading\n"), "{md}");
        assert!(md.contains("\\*not bold\\*"), "{md}");
        assert!(md.contains("- 1:02:03 \\<b\\>Intro"), "{md}");
        assert!(md.contains("1\\. Lamps") || md.contains("1. Lamps"), "{md}");
        assert!(md.contains("(<https://example.org/a?b=1&c=2>)"), "{md}");
        assert!(!md.contains("DRAFT"));
    }

    fn producer_source(kind: SourceKind, name: &str, origin: &str) -> ProducerSource {
        ProducerSource {
            id: showrunner_domain::SourceId::from(name),
            kind,
            name: name.into(),
            origin: origin.into(),
            format: "pdf".into(),
            fetched_at_ms: None,
            added_at_ms: 0,
            chars: 1,
            sections: 1,
            chunks: 1,
        }
    }

    #[test]
    fn the_producers_sources_are_listed_pages_linked_and_files_named() {
        let sources = [
            producer_source(SourceKind::File, "keepers --> <script>.pdf", "keepers --> <script>.pdf"),
            producer_source(
                SourceKind::Url,
                "Tides – Wikipedia",
                "https://en.wikipedia.org/wiki/Tide",
            ),
            producer_source(SourceKind::Url, "Odd", "javascript:alert(1)"),
        ];
        let cited = vec![Citation {
            fact_id: "F1".into(),
            statement: "The lamp burned whale oil.".into(),
            sources: vec![Source {
                title: "keepers.pdf".into(),
                url: "keepers.pdf".into(),
                publisher: "keepers.pdf".into(),
                source_id: Some("s1".into()),
                location: Some("p. 3".into()),
            }],
        }];
        let notes = Notes {
            title: "T",
            summary: "S",
            chapters: &[],
            citations: &cited,
            sources: &sources,
            draft: false,
        };
        let md = markdown(&notes);
        assert!(md.contains("## Source material"), "{md}");
        assert!(
            md.contains("- [Tides – Wikipedia](<https://en.wikipedia.org/wiki/Tide>)"),
            "{md}"
        );
        assert!(
            md.contains("keepers\\.pdf, p\\. 3"),
            "the citation names the page: {md}"
        );
        assert!(!md.contains("](<javascript:"), "{md}");
        let page = html_page(&notes);
        assert!(
            page.contains("<a href=\"https://en.wikipedia.org/wiki/Tide\">Tides – Wikipedia</a>"),
            "{page}"
        );
        assert!(page.contains("keepers --&gt; &lt;script&gt;.pdf"), "{page}");
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("keepers.pdf, p. 3"), "{page}");
    }
}
