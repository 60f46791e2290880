//! Markdown for rule text: text that CommonMark, GitHub and kramdown (car.mitre.org's Jekyll)
//! render as that text, with no HTML, link, emphasis or block of its own.
//!
//! `<`, `>` and `&` become character references, and so do `{` and `}`: Jekyll runs Liquid
//! (`{{ … }}`, `{% … %}`) on a page before Markdown, and a backslash does not stop it. The other
//! characters with a meaning inline (`` \ ` * _ [ ] ~ | $ ``) are escaped with a backslash; the
//! blanks at a line's ends are dropped, and a character that would start a block at its start
//! (`# > - + = :`, `1.`, `1)`) is escaped too. Code blocks holding Liquid delimiters are wrapped
//! in `{% raw %}`, and code that could end that block is refused.

/// `text` as Markdown paragraph text; its line breaks (`\n`, `\r\n`, `\r`) stay line breaks.
pub fn text(text: &str) -> String {
    let lines: Vec<String> = text
        .split("\r\n")
        .flat_map(|l| l.split(['\r', '\n']))
        .map(line)
        .collect();
    lines.join("\n")
}

/// `text` as Markdown on one line (a heading, a list item, a table cell): line breaks become blanks.
pub fn inline(text: &str) -> String {
    line(&text.replace(['\r', '\n'], " "))
}

/// A link to `reference` when it is an http(s) URL, else the reference as [`inline`] text.
pub fn link(reference: &str) -> String {
    let scheme = ["http://", "https://"].into_iter().find(|s| {
        reference
            .get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    let plain = reference
        .chars()
        .all(|c| !(c.is_whitespace() || c.is_control()));
    match scheme {
        Some(_) if plain => format!("[{}]({})", inline(reference), destination(reference)),
        _ => inline(reference),
    }
}

/// `code` in a fenced code block: the fence is longer than any run of backticks in it. Code
/// holding `{{` or `{%` is wrapped in Liquid's `{% raw %}`; code that also holds `endraw` could
/// end that block early, and is refused.
pub fn code_block(code: &str) -> Result<String, String> {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let block = format!("{fence}\n{code}\n{fence}");
    if !(code.contains("{{") || code.contains("{%")) {
        return Ok(block);
    }
    if code.contains("endraw") {
        return Err(
            "a code block holding Liquid delimiters and `endraw` cannot be kept from Jekyll"
                .to_string(),
        );
    }
    Ok(format!("{{% raw %}}\n{block}\n{{% endraw %}}"))
}

/// One line: blanks at its ends dropped (trailing ones make a hard break), block starts and
/// inline syntax escaped.
fn line(line: &str) -> String {
    let line = line.trim_matches([' ', '\t']);
    let mut out = String::with_capacity(line.len() + 8);
    // `1.` / `1)` starts an ordered list.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let list = digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')'));
    for (i, c) in line.char_indices() {
        let block_start =
            (i == 0 && matches!(c, '#' | '>' | '-' | '+' | '=' | ':')) || (list && i == digits);
        match c {
            '<' => out.push_str("&lt;"),
            '>' if i > 0 => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '|' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if block_start => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A link destination: every character but letters, digits and `-._~:/?#@!$&*+,;=%`
/// percent-encoded.
fn destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_alphanumeric() || "-._~:/?#@!$&*+,;=%".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_markdown_are_escaped() {
        assert_eq!(
            text("<b>x</b> & [a](javascript:1) *e*"),
            "&lt;b&gt;x&lt;/b&gt; &amp; \\[a\\](javascript:1) \\*e\\*"
        );
        assert_eq!(text("a\r# h\n  > q\n1. x"), "a\n\\# h\n\\> q\n1\\. x");
        assert_eq!(inline("a\nb"), "a b");
    }

    #[test]
    fn only_http_references_are_links() {
        assert_eq!(
            link("https://e.org/a_(b)"),
            "[https://e.org/a\\_(b)](https://e.org/a_%28b%29)"
        );
        assert_eq!(link("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(link("https://e.org/ x"), "https://e.org/ x");
    }

    #[test]
    fn code_fences_outrun_backticks() {
        assert_eq!(code_block("a"), Ok("```\na\n```".to_string()));
        assert_eq!(
            code_block("a ```` b"),
            Ok("`````\na ```` b\n`````".to_string())
        );
    }

    #[test]
    fn liquid_never_runs() {
        assert_eq!(
            text("{{ site }} {% x %}"),
            "&#123;&#123; site &#125;&#125; &#123;% x %&#125;"
        );
        assert_eq!(
            code_block("a={{b}}"),
            Ok("{% raw %}\n```\na={{b}}\n```\n{% endraw %}".to_string())
        );
        assert!(code_block("{% endraw %}{{ site }}").is_err());
    }
}
