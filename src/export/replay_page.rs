//! `lectern export --replay talk.cast`: one self-contained page that plays a recording offline —
//! the asciinema web player (vendored in `assets/replay/`, inlined), the recording itself, a
//! list of chapters from its markers that seek the player, the captions (`talk.vtt`) shown
//! under the player as it plays, and the lesson's title. Nothing is fetched.

use std::fmt::Write as _;

use super::html::escape;
use crate::record::Cue;
use crate::record::replay::Cast;

/// The player's script and styles, as the npm package ships them.
const PLAYER_JS: &str = include_str!("../../assets/replay/asciinema-player.min.js");
const PLAYER_CSS: &str = include_str!("../../assets/replay/asciinema-player.css");

/// The page's own styles.
const PAGE_CSS: &str = "body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;\
padding:0 1rem;color:#1b1b1b}h1{font-size:1.4rem}#caption{min-height:3em;font-size:1.1rem;\
background:#111;color:#f5f5f5;padding:.5em 1em;border-radius:4px}.chapters{columns:2}\
.chapter button{font:inherit;border:0;background:none;color:#0645ad;cursor:pointer;\
text-align:left;padding:.15em 0}.chapter button:hover{text-decoration:underline}\
.meta{color:#555}";

/// The page for `cast` (its text `cast_text`), with `cues` as its captions.
#[must_use]
pub fn page(cast: &Cast, cast_text: &str, cues: &[Cue]) -> String {
    let title = escape(cast.title.as_deref().unwrap_or("A lectern recording"));
    let mut out = String::with_capacity(PLAYER_JS.len() + cast_text.len() + 16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"lectern {}\">\n<title>{title}</title>\n\
         <style>\n{PLAYER_CSS}\n{PAGE_CSS}\n</style>\n</head>\n<body>\n<header><h1>{title}</h1>\
         <p class=\"meta\">A terminal recording, {} × {}, {} — played here by the asciinema \
         player, offline.</p></header>\n<main>\n<div id=\"player\"></div>\n",
        env!("CARGO_PKG_VERSION"),
        cast.width,
        cast.height,
        clock(cast.duration()),
    );
    if !cues.is_empty() {
        out.push_str("<p id=\"caption\" aria-live=\"polite\"></p>\n");
    }
    let markers = cast.markers();
    if !markers.is_empty() {
        out.push_str("<nav><h2>Chapters</h2>\n<ol class=\"chapters\">\n");
        for (time, label) in &markers {
            let shown = if label.is_empty() { "(marker)" } else { label };
            let _ = writeln!(
                out,
                "<li class=\"chapter\"><button type=\"button\" data-t=\"{time}\">{} · {}</button></li>",
                clock(*time),
                escape(shown)
            );
        }
        out.push_str("</ol></nav>\n");
    }
    out.push_str("</main>\n<script>\n");
    out.push_str(PLAYER_JS);
    out.push_str("\n</script>\n<script>\n");
    let cues_json: Vec<(f64, f64, &str)> = cues
        .iter()
        .map(|c| (c.start, c.end, c.text.as_str()))
        .collect();
    let _ = write!(
        out,
        "const cast = {};\nconst cues = {};\n",
        script_json(&cast_text),
        script_json(&cues_json)
    );
    // The recording's own size, loaded at once, its first seconds as the poster.
    let _ = writeln!(
        out,
        "const player = AsciinemaPlayer.create({{data: cast}}, document.getElementById('player'), \
         {{cols: {}, rows: {}, preload: true, poster: 'npt:0:2', fit: 'width', idleTimeLimit: 2}});",
        cast.width, cast.height
    );
    out.push_str(
        "document.querySelectorAll('.chapter button').forEach((b) => b.addEventListener('click', \
         () => { player.seek(Number(b.dataset.t)); player.play(); }));\n\
         const caption = document.getElementById('caption');\n\
         if (caption) setInterval(() => { const t = player.getCurrentTime() || 0; \
         const cue = cues.find(([s, e]) => t >= s && t < e); \
         caption.textContent = cue ? cue[2] : ''; }, 200);\n</script>\n</body>\n</html>\n",
    );
    out
}

/// `value` as JSON that is safe inside a `<script>` element (no `</` to end it early).
fn script_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace("</", "<\\/")
}

/// `m:ss` (or `h:mm:ss`).
fn clock(seconds: f64) -> String {
    let total = std::time::Duration::try_from_secs_f64(seconds)
        .unwrap_or_default()
        .as_secs();
    match total / 3600 {
        0 => format!("{}:{:02}", total / 60, total % 60),
        hours => format!("{hours}:{:02}:{:02}", total / 60 % 60, total % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_come_from_the_markers_and_nothing_can_end_the_script_early() {
        let text = "{\"version\":2,\"width\":80,\"height\":24,\"title\":\"T <b>\"}\n\
                    [0.5,\"m\",\"1: Start\"]\n[1.0,\"o\",\"</script>hi\"]\n[65.0,\"m\",\"2: Next\"]\n";
        let cast = Cast::parse("t", text).expect("reads");
        let cues = [Cue {
            start: 0.0,
            end: 1.0,
            text: "Say </script>".into(),
        }];
        let html = page(&cast, text, &cues);
        assert_eq!(html.matches("class=\"chapter\"").count(), 2);
        assert!(
            html.contains("data-t=\"65\">1:05 · 2: Next</button>"),
            "{html}"
        );
        assert!(html.contains("<title>T &lt;b&gt;</title>"));
        assert_eq!(html.matches("</script>").count(), 2, "only the page's own");
    }
}
