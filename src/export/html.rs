//! The lesson as one self-contained HTML page: every slide with its highlighted code, demos,
//! claims (with the numbers measured here, when given) and speaker notes. No scripts, no
//! fonts or images from elsewhere: it reads offline and prints one slide per page.

use std::fmt::Write as _;

use super::results::{Measured, Results};
use crate::claims::progress_log::ProgressLine;
use crate::lesson::{
    Align, Block, ClaimDirective, CodeBlock, Inline, Lesson, List, Slide, Table, TokenKind,
};

/// The page's styles: readable on screen and on paper, code in the terminal theme's spirit.
const STYLE: &str = include_str!("handout.css");

/// The whole page for `lesson`, with `results` beside the claims they measured.
#[must_use]
pub fn page(lesson: &Lesson, results: &Results) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = escape(&lesson.meta.display_title());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"lectern {}\">\n<title>{title}</title>\n\
         <style>\n{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION")
    );
    front_page(&mut out, lesson, results);
    for (i, slide) in lesson.slides.iter().enumerate() {
        slide_section(&mut out, i + 1, slide, results);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn front_page(out: &mut String, lesson: &Lesson, results: &Results) {
    let meta = &lesson.meta;
    let _ = write!(
        out,
        "<header class=\"cover\">\n<h1>{}</h1>\n",
        escape(&meta.display_title())
    );
    if let Some(subtitle) = &meta.subtitle {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    let facts: Vec<String> = [&meta.author, &meta.course, &meta.date]
        .into_iter()
        .flatten()
        .map(|fact| escape(fact))
        .collect();
    if !facts.is_empty() {
        let _ = writeln!(out, "<p class=\"facts\">{}</p>", facts.join(" · "));
    }
    let _ = writeln!(
        out,
        "<p class=\"source\">{}</p>",
        escape(&results.describe())
    );
    if let Some(summary) = results.predictions_summary() {
        let _ = writeln!(out, "<p class=\"source\">{}</p>", escape(&summary));
    }
    out.push_str("<nav><ol>\n");
    for (i, slide) in lesson.slides.iter().enumerate() {
        let _ = writeln!(
            out,
            "<li><a href=\"#slide-{}\">{}</a></li>",
            i + 1,
            escape(&slide_title(slide))
        );
    }
    out.push_str("</ol></nav>\n</header>\n");
}

fn slide_title(slide: &Slide) -> String {
    slide.title.clone().unwrap_or_else(|| "(untitled)".into())
}

fn slide_section(out: &mut String, number: usize, slide: &Slide, results: &Results) {
    let _ = write!(
        out,
        "<section class=\"slide\" id=\"slide-{number}\">\n\
         <p class=\"number\">Slide {number}</p>\n<h2>{}</h2>\n",
        escape(&slide_title(slide))
    );
    if let Some(subtitle) = &slide.subtitle {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    blocks(out, &slide.blocks);
    if !slide.demos.is_empty() {
        out.push_str("<div class=\"demos\"><h3>Live demos</h3><ul>\n");
        for demo in &slide.demos {
            let params: Vec<String> = demo
                .params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let _ = write!(out, "<li><code>{}</code>", escape(&demo.name));
            if let Some(title) = &demo.title {
                let _ = write!(out, " — {}", escape(title));
            }
            if !params.is_empty() {
                let _ = write!(
                    out,
                    " <span class=\"params\">{}</span>",
                    escape(&params.join(" "))
                );
            }
            out.push_str("</li>\n");
        }
        out.push_str(
            "</ul><p class=\"hint\">Run them in lectern on this slide (Enter), or \
                      headless: <code>lectern demo NAME</code>.</p></div>\n",
        );
    }
    if !slide.claims.is_empty() {
        out.push_str("<div class=\"claims\"><h3>Claims, checked on a machine</h3><ul>\n");
        for claim in &slide.claims {
            claim_item(out, number, claim, results);
        }
        out.push_str("</ul></div>\n");
    }
    if !slide.notes.is_empty() {
        out.push_str("<aside class=\"notes\"><h3>Speaker notes</h3>\n");
        blocks(out, &slide.notes);
        out.push_str("</aside>\n");
    }
    out.push_str("</section>\n");
}

/// A claim in the slide's words, then what each engine measured for it and how that
/// compares (never the result keys the lesson checks it with).
fn claim_item(out: &mut String, slide: usize, claim: &ClaimDirective, results: &Results) {
    let unit = claim.unit.as_deref().unwrap_or("");
    let _ = write!(out, "<li><p>{}</p>", escape(&claim.text));
    if let Some(question) = &claim.question
        && let Some(answer) = results.prediction(slide, &question.prompt)
    {
        prediction_line(out, &question.prompt, answer);
    }
    for line in results.class_for(slide, &claim.text) {
        let _ = write!(out, "<p class=\"class\">{}</p>", escape(line));
    }
    let measured = results.for_claim(slide, &claim.text);
    if measured.is_empty() {
        out.push_str("<p class=\"unmeasured\">Not measured for this handout.</p>");
    }
    for m in measured {
        measured_line(out, m, unit);
    }
    out.push_str("</li>\n");
}

/// The question, what the learner predicted and what their machine measured for it.
fn prediction_line(out: &mut String, prompt: &str, answer: &ProgressLine) {
    let outcome = match answer.outcome.as_str() {
        "close" => "close",
        "off" => "off",
        _ => "skipped",
    };
    let said = match (&answer.prediction, &answer.measured) {
        (Some(p), Some(m)) => format!("you predicted {p}; your machine measured {m}"),
        (Some(p), None) => format!("you predicted {p}"),
        (None, _) => "you skipped it".into(),
    };
    let _ = write!(
        out,
        "<p class=\"prediction {outcome}\">Question: {}<br>Your answer ({}): {} — \
         <strong>{outcome}</strong></p>",
        escape(prompt),
        escape(&answer.engine),
        escape(&said),
    );
}

fn measured_line(out: &mut String, m: &Measured, unit: &str) {
    let (class, mark) = match m.verdict.as_str() {
        "holds" => ("holds", "✓ holds"),
        "differs" => ("differs", "✗ differs"),
        "edge" => ("differs", "± edge: the runs disagreed"),
        _ => ("unmeasured", "· not measured"),
    };
    let value = m.value.as_deref().map_or_else(String::new, |v| {
        if unit.is_empty() {
            format!("{v}{} ", m.spread())
        } else {
            format!("{v} {unit}{} ", m.spread())
        }
    });
    let _ = write!(
        out,
        "<p class=\"measured {class}\">{} on {}: {}<strong>{mark}</strong>",
        if m.simulated { "Simulated" } else { "Measured" },
        escape(m.measured_on()),
        escape(&value),
    );
    if !m.detail.is_empty() {
        let _ = write!(
            out,
            " <span class=\"detail\">({})</span>",
            escape(&m.detail)
        );
    }
    out.push_str("</p>");
}

fn blocks(out: &mut String, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading { level, text } => {
                let h = (level + 2).min(6);
                let _ = writeln!(out, "<h{h}>{}</h{h}>", inline(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "<p>{}</p>", inline(text));
            }
            Block::List(list) => list_html(out, list),
            Block::Table(table) => table_html(out, table),
            Block::Code(code) => code_html(out, code),
            Block::Quote(inner) => {
                out.push_str("<blockquote>\n");
                self::blocks(out, inner);
                out.push_str("</blockquote>\n");
            }
            Block::Rule => out.push_str("<hr>\n"),
        }
    }
}

fn list_html(out: &mut String, list: &List) {
    match list.start {
        Some(1) => out.push_str("<ol>\n"),
        Some(start) => {
            let _ = writeln!(out, "<ol start=\"{start}\">");
        }
        None => out.push_str("<ul>\n"),
    }
    for item in &list.items {
        out.push_str("<li>");
        blocks(out, item);
        out.push_str("</li>\n");
    }
    out.push_str(if list.start.is_some() {
        "</ol>\n"
    } else {
        "</ul>\n"
    });
}

fn table_html(out: &mut String, table: &Table) {
    let align = |i: usize| match table.align.get(i) {
        Some(Align::Center) => " class=\"center\"",
        Some(Align::Right) => " class=\"right\"",
        _ => "",
    };
    out.push_str("<table>\n<thead><tr>");
    for (i, cell) in table.header.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", align(i), inline(cell));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", align(i), inline(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn code_html(out: &mut String, code: &CodeBlock) {
    let lang = code.lang.as_deref().unwrap_or("");
    let _ = write!(
        out,
        "<pre class=\"code\" data-lang=\"{}\"><code>",
        escape(lang)
    );
    for (i, line) in code.lines().iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for token in line {
            match token_class(token.kind) {
                Some(class) => {
                    let _ = write!(
                        out,
                        "<span class=\"{class}\">{}</span>",
                        escape(&token.text)
                    );
                }
                None => out.push_str(&escape(&token.text)),
            }
        }
    }
    out.push_str("</code></pre>\n");
}

fn token_class(kind: TokenKind) -> Option<&'static str> {
    Some(match kind {
        TokenKind::Plain => return None,
        TokenKind::Keyword => "kw",
        TokenKind::String => "str",
        TokenKind::Comment => "com",
        TokenKind::Number => "num",
        TokenKind::Function => "fn",
        TokenKind::Builtin => "bi",
        TokenKind::Constant => "con",
        TokenKind::Operator => "op",
        TokenKind::Type => "ty",
    })
}

fn inline(runs: &[Inline]) -> String {
    let mut out = String::new();
    for run in runs {
        let mut text = escape(&run.text).replace('\n', "<br>");
        let style = run.style;
        if style.code {
            text = format!("<code>{text}</code>");
        }
        if style.link {
            text = format!("<span class=\"link\">{text}</span>");
        }
        if style.strike {
            text = format!("<s>{text}</s>");
        }
        if style.italic {
            text = format!("<em>{text}</em>");
        }
        if style.bold {
            text = format!("<strong>{text}</strong>");
        }
        out.push_str(&text);
    }
    out
}

/// `text` safe inside HTML elements and quoted attributes.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters (escape sequences in a hostile lesson) are not text.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_lesson_is_text_on_the_page() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\" \u{1b}[2J"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; \u{fffd}[2J"
        );
    }

    #[test]
    fn every_slide_its_code_and_notes_are_on_the_page() {
        let lesson = crate::lesson::embedded().expect("the built-in lecture").0;
        let html = page(&lesson, &Results::default());
        assert_eq!(
            html.matches("<section class=\"slide\"").count(),
            lesson.slides.len()
        );
        assert_eq!(
            html.matches("<aside class=\"notes\">").count(),
            lesson.slides.iter().filter(|s| !s.notes.is_empty()).count()
        );
        assert!(
            html.contains("<span class=\"kw\">def</span>"),
            "highlighted Python"
        );
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "nothing fetched"
        );
        assert!(!html.contains("<script"), "no scripts");
    }

    #[test]
    fn a_learners_predictions_sit_beside_their_claims_with_a_summary() {
        let lesson = crate::lesson::embedded().expect("the built-in lecture").0;
        let line =
            |slide: usize, question: &str, prediction: Option<&str>, outcome: &str| ProgressLine {
                lesson: String::new(),
                slide,
                question: question.into(),
                prediction: prediction.map(Into::into),
                measured: prediction.map(|_| "<1 ms".into()),
                outcome: outcome.into(),
                engine: "python".into(),
                time: 0,
            };
        let spawn = "How long will spawn take to start one process here, in ms?";
        let results = Results::default().with_predictions(
            vec![
                line(3, spawn, Some("50 ms"), "close"),
                line(8, "not a question of this lesson", Some("9"), "off"),
            ],
            12,
        );
        let html = page(&lesson, &results);
        assert!(
            html.contains(&format!(
                "Question: {spawn}<br>Your answer (python): you predicted 50 ms; your machine \
                 measured &lt;1 ms — <strong>close</strong>"
            )),
            "{html}"
        );
        assert_eq!(html.matches("class=\"prediction").count(), 1);
        assert!(html.contains("Your predictions: 1 of 12 predicted close; slide 8"));
        // Without predictions, nothing of them.
        let plain = page(&lesson, &Results::default());
        assert!(!plain.contains("Your predictions") && !plain.contains("class=\"prediction"));
    }

    #[test]
    fn what_a_class_said_of_a_claim_is_under_it() {
        let lesson = crate::lesson::embedded().expect("the built-in lecture").0;
        let claim = "Higher chunksize, fewer IPC calls, faster for small uniform tasks";
        let results = Results::default().with_class(vec![(
            8,
            claim.into(),
            vec!["The class predicted (31): chunksize=100 24 · chunksize=1 7".into()],
        )]);
        let html = page(&lesson, &results);
        assert!(
            html.contains("<p class=\"class\">The class predicted (31): chunksize=100 24"),
            "{html}"
        );
        assert_eq!(html.matches("<p class=\"class\">").count(), 1);
    }
}
