//! Does an element hide its content from a human visitor? Hidden text is where prompt
//! injections live, so anything a person would not read is dropped with its descendants.
//! Only inline attributes are visible to us (no stylesheets), which is where injections go.

/// Classes that mean "screen readers only" in every common CSS framework.
const HIDING_CLASSES: [&str; 4] = ["sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text"];

/// Offsets at least this far (in px) push an element off the page.
const FAR_PX: f64 = 500.0;

/// `attrs` are (lower-case name, entity-decoded value) pairs of an element named `tag`.
pub(super) fn hides(tag: &str, attrs: &[(String, String)]) -> bool {
    let attr = |name: &str| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim());
    if attr("hidden").is_some() || attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return true;
    }
    if tag == "input" && attr("type").is_some_and(|v| v.eq_ignore_ascii_case("hidden")) {
        return true;
    }
    // A dialog is shown only when open (by script, or with the attribute).
    if tag == "dialog" && attr("open").is_none() {
        return true;
    }
    if attr("class").is_some_and(|c| c.split_ascii_whitespace().any(|c| HIDING_CLASSES.contains(&c))) {
        return true;
    }
    attr("style").is_some_and(style_hides)
}

/// Judges an inline `style` attribute.
pub(super) fn style_hides(style: &str) -> bool {
    let style = strip_comments(style).to_ascii_lowercase();
    // Legitimate inline styles have no CSS escapes; they only serve to dodge filters like this.
    if style.contains('\\') {
        return true;
    }
    let decls: Vec<(&str, &str)> = style
        .split(';')
        .filter_map(|d| d.split_once(':'))
        .map(|(p, v)| (p.trim(), v.trim().trim_end_matches("!important").trim()))
        .collect();
    let get = |name: &str| decls.iter().rev().find(|(p, _)| *p == name).map(|(_, v)| *v);
    let is = |name: &str, values: &[&str]| get(name).is_some_and(|v| values.contains(&v));

    if is("display", &["none"]) || is("visibility", &["hidden", "collapse"]) {
        return true;
    }
    if get("font-size").and_then(length).is_some_and(|(n, unit)| n <= 0.0 || (n < 1.0 && unit == "px")) {
        return true;
    }
    if get("opacity").and_then(length).is_some_and(|(n, _)| n <= 0.01) {
        return true;
    }
    if get("text-indent").is_some_and(far_negative) || get("transform").is_some_and(|t| t.contains("scale(0"))
    {
        return true;
    }
    let positioned = is("position", &["absolute", "fixed"]);
    if positioned && ["left", "top", "right", "bottom"].iter().any(|side| get(side).is_some_and(far_negative))
    {
        return true;
    }
    if get("clip").is_some_and(clip_hides) || get("clip-path").is_some_and(clip_path_hides) {
        return true;
    }
    let overflow_hidden = ["overflow", "overflow-x", "overflow-y"]
        .iter()
        .any(|p| get(p).is_some_and(|v| v.split_whitespace().any(|w| w == "hidden" || w == "clip")));
    let tiny = |n: f64, unit: &str| n <= 0.0 || (n <= 1.0 && unit == "px");
    let collapsed = ["width", "height", "max-width", "max-height"]
        .iter()
        .any(|p| get(p).and_then(length).is_some_and(|(n, u)| tiny(n, u)));
    if overflow_hidden && collapsed {
        return true;
    }
    // Text painted transparent, or in the background colour.
    if is("color", &["transparent", "rgba(0,0,0,0)", "rgba(0, 0, 0, 0)", "#0000", "#00000000"]) {
        return true;
    }
    let background = get("background-color").or_else(|| get("background"));
    matches!((get("color"), background), (Some(c), Some(b)) if c == b && !matches!(c, "inherit" | "initial"))
}

fn strip_comments(style: &str) -> String {
    let mut out = String::with_capacity(style.len());
    let mut rest = style;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..].find("*/").map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// A CSS number with its unit: "0", "-9999px", "0.5em", "0%".
fn length(value: &str) -> Option<(f64, &str)> {
    let value = value.trim();
    let end =
        value.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))).unwrap_or(value.len());
    let number = value[..end].parse::<f64>().ok()?;
    Some((number, value[end..].trim()))
}

fn far_negative(value: &str) -> bool {
    match length(value) {
        Some((n, "em" | "rem" | "ch")) => n <= -30.0,
        Some((n, "%" | "vw" | "vh")) => n <= -90.0,
        Some((n, _)) => n <= -FAR_PX,
        None => false,
    }
}

/// `rect(0 0 0 0)`, `rect(1px, 1px, 1px, 1px)`: the classic screen-reader-only clip.
fn clip_hides(value: &str) -> bool {
    let Some(inner) = value.strip_prefix("rect(") else { return false };
    let numbers: Vec<f64> = inner
        .split(|c: char| c == ',' || c == ')' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .filter_map(|p| length(p).map(|(n, _)| n))
        .collect();
    !numbers.is_empty() && numbers.iter().all(|n| n.abs() <= 1.0)
}

/// `inset(50%)` and beyond, or a zero-radius circle, leaves nothing to see.
fn clip_path_hides(value: &str) -> bool {
    if let Some(inner) = value.strip_prefix("inset(") {
        return length(inner.split([' ', ')']).next().unwrap_or(""))
            .is_some_and(|(n, unit)| unit == "%" && n >= 50.0);
    }
    value.starts_with("circle(0") && !value.starts_with("circle(0.")
}
