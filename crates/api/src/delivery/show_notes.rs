//! Show notes in Markdown and HTML: the summary, chapter timestamps, and numbered citations with links.
//! Everything a model or producer wrote is escaped for the format it lands in.

use std::fmt::Write as _;

use showrunner_domain::artifacts::Citation;

use super::chapters::Chapter;
use super::transcript::one_line;

pub struct Notes<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub chapters: &'a [Chapter],
    pub citations: &'a [Citation],
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
                let _ = write!(out, " — [{}](<{}>)", md(&s.title), md_url(&s.url));
            }
            out.push('\n');
        }
    }
    out
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
                        let _ = write!(out, " — <a href=\"{}\">{}</a>", html(href), html(&s.title));
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
                    },
                    Source {
                        title: "Bad".into(),
                        url: "javascript:alert(1)".into(),
                        publisher: "Ex".into(),
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
            draft: false,
        });
        assert!(md.starts_with("# \\# Not a heading\n"), "{md}");
        assert!(md.contains("\\*not bold\\*"), "{md}");
        assert!(md.contains("- 1:02:03 \\<b\\>Intro"), "{md}");
        assert!(md.contains("1\\. Lamps") || md.contains("1. Lamps"), "{md}");
        assert!(md.contains("(<https://example.org/a?b=1&c=2>)"), "{md}");
        assert!(!md.contains("DRAFT"));
    }
}
