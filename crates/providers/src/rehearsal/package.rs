//! `package`: show notes from the plan, the script and the research: a title, a summary, chapters, a
//! citation for every fact the script uses, and three promo lines.

use showrunner_domain::artifacts::{
    ChapterMark, Citation, EpisodePlan, ResearchPackage, Script, ShowNotes, WORDS_PER_MINUTE,
};
use showrunner_domain::BrandVoice;

use super::context::Context;
use super::plan::episode_title;
use super::research::topic_phrase;
use super::text::{fill, is_clean, join_names, strip_end, word_count};
use crate::ProviderError;

/// Chapter starts estimated from the words before each segment (the stage sends the same estimate).
fn estimated_chapters(script: &Script) -> Vec<ChapterMark> {
    let mut words = 0usize;
    script
        .segments
        .iter()
        .map(|segment| {
            let start_ms = (words as f64 / WORDS_PER_MINUTE * 60_000.0) as u64;
            words += segment.lines.iter().map(|l| word_count(&l.text)).sum::<usize>();
            ChapterMark {
                title: segment.title.clone(),
                start_ms,
            }
        })
        .collect()
}

pub(crate) fn package(ctx: &Context) -> Result<ShowNotes, ProviderError> {
    let topic = ctx.text("topic")?;
    let brand: BrandVoice = ctx.get("brand")?;
    let research: ResearchPackage = ctx.get("research")?;
    let script: Script = ctx.get("script")?;
    let plan: Option<EpisodePlan> = ctx.optional("plan")?;
    let book = ctx.phrasebook()?;
    let chapters = match ctx.optional::<Vec<ChapterMark>>("chapters")? {
        Some(chapters) if !chapters.is_empty() => chapters,
        _ => estimated_chapters(&script),
    };

    let title = [plan.as_ref().map(|p| p.title.trim()), Some(script.title.trim())]
        .into_iter()
        .flatten()
        .find(|t| !t.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| episode_title(&topic));

    // Every fact the script cites, in order of first use; all facts when it cites none.
    let mut cited: Vec<&str> = Vec::new();
    for f in script.lines().flat_map(|l| l.facts.iter()) {
        if research.fact(f).is_some() && !cited.contains(&f.as_str()) {
            cited.push(f);
        }
    }
    if cited.is_empty() {
        cited = research.facts.iter().map(|f| f.id.as_str()).collect();
    }
    let citations = cited
        .iter()
        .filter_map(|id| research.fact(id))
        .map(|f| Citation {
            fact_id: f.id.clone(),
            statement: f.statement.clone(),
            sources: f.sources.clone(),
        })
        .collect();

    let t = topic_phrase(book, &topic);
    let hosts = join_names(&brand.host_names(), book.and);
    let parts: Vec<String> = script
        .segments
        .iter()
        .map(|s| s.title.trim())
        .filter(|s| !s.is_empty() && *s != book.welcome && *s != book.wrap_up)
        .map(|s| book.in_sentence(strip_end(s)))
        .collect();
    let show = brand.name.trim();
    let mut summary = fill(book.summary, &[("show", show), ("hosts", &hosts), ("t", &t)]);
    if !parts.is_empty() {
        summary.push_str(&fill(
            book.summary_covering,
            &[("parts", &join_names(&parts, book.and))],
        ));
    }
    summary.push_str(&fill(book.summary_cited, &[("count", &cited.len().to_string())]));

    let first_part = parts
        .first()
        .cloned()
        .unwrap_or_else(|| book.in_sentence(book.the_story));
    let minutes = (script.estimated_seconds() / 60.0).round().max(1.0).to_string();
    let audience = strip_end(&brand.audience);
    let candidates = book.promos.map(|promo| {
        fill(
            promo,
            &[
                ("show", show),
                ("title", &title),
                ("hosts", &hosts),
                ("first_part", &first_part),
                ("audience", audience),
                ("minutes", &minutes),
                ("t", &t),
            ],
        )
    });
    let promo: Vec<String> = candidates
        .into_iter()
        .filter(|p| is_clean(p, &brand.forbidden_phrases))
        .take(3)
        .collect();
    let summary = if is_clean(&summary, &brand.forbidden_phrases) {
        summary
    } else {
        book.summary_fallback.to_owned()
    };
    Ok(ShowNotes {
        title,
        summary,
        chapters,
        citations,
        promo,
    })
}
