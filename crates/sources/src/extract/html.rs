//! HTML: the page's readable part (its `article` or `main`, else the body) without navigation, scripts or
//! forms, turned into Markdown by dom_query and read as Markdown, so headings become sections.

use dom_query::Document as Html;

use crate::{Document, Format};

/// Elements that are never the page's content.
const CHROME: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "iframe", "button", "template",
    "head", "meta", "link",
];

pub(crate) fn read_html(html: &str) -> Document {
    let page = Html::from(html);
    let title = Some(super::fold_whitespace(&page.select("title").text())).filter(|t| !t.is_empty());
    let content = ["article", "main", "body"]
        .iter()
        .map(|sel| page.select_single(sel))
        .find(|s| s.exists());
    let markdown = match content.as_ref().and_then(|s| s.nodes().first().copied()) {
        Some(node) => node.md(Some(CHROME)).to_string(),
        None => page.md(Some(CHROME)).to_string(),
    };
    let mut document = super::markdown::read_as(&markdown, Format::Html);
    if title.is_some() {
        document.title = title;
    }
    document
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Location, Section};

    #[test]
    fn the_article_is_read_and_the_chrome_left_out() {
        let doc = read_html(
            "<html><head><title>Keepers | Coast Weekly</title><script>var x = 1;</script></head><body>\
             <nav><a href='/'>Home</a> Subscribe now</nav><article><h1>Keepers</h1><p>The lamp was lit at \
             dusk.</p><h2>Fog</h2><p>Fog signals sounded <b>every</b> minute.</p></article>\
             <footer>Copyright</footer></body></html>",
        );
        assert_eq!(doc.title.as_deref(), Some("Keepers | Coast Weekly"));
        assert_eq!(
            doc.sections,
            vec![
                Section {
                    location: Some(Location::Section("Keepers".into())),
                    text: "The lamp was lit at dusk.".into()
                },
                Section {
                    location: Some(Location::Section("Fog".into())),
                    text: "Fog signals sounded every minute.".into()
                },
            ]
        );
    }
}
