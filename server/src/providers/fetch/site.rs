//! A company site: robots.txt, the homepage, then /about and /careers (or /jobs).

use url::Url;

use super::{FetchOutcome, FetchedPage, Fetcher, SiteFetch, Want, body, guard, robots};

/// What robots.txt lets us do on one origin.
enum Rules {
    AllowAll,
    DisallowAll,
    Text(String),
}

impl Rules {
    fn allows(&self, agent: &str, url: &Url) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::DisallowAll => false,
            Rules::Text(text) => {
                let path = match url.query() {
                    Some(q) => format!("{}?{q}", url.path()),
                    None => url.path().to_string(),
                };
                robots::allows(text, agent, &path)
            }
        }
    }
}

pub(super) async fn fetch_site(f: &Fetcher, input: &str) -> SiteFetch {
    let mut site = SiteFetch::default();
    let start = start_url(f, input);
    // Offline screening first: an unsafe site costs no request at all.
    let home = match guard::check_url_except(&start, |u| f.net.exempt(u)) {
        Ok(url) => url,
        Err(e) => {
            site.unsafe_url = true;
            site.notes.push(format!("{start}: refused as unsafe ({e})"));
            return site;
        }
    };
    let (home_rules, robots_note) = match load_rules(f, &home).await {
        Ok(found) => found,
        // The homepage lives on the same host: report it now instead of waiting twice.
        Err(reason) => {
            site.unreachable = true;
            site.notes.push(format!("{home}: unreachable ({reason})"));
            return site;
        }
    };
    let mut base = home.clone();
    let home_outcome = if home_rules.allows(&f.config.user_agent, &home) {
        f.fetch(home.as_str()).await
    } else {
        FetchOutcome::Disallowed
    };
    match home_outcome {
        FetchOutcome::Page { url, title, text } => {
            base = Url::parse(&url).unwrap_or(base);
            site.pages.push(FetchedPage { url, title, text });
        }
        FetchOutcome::Unsafe(_) | FetchOutcome::Unreachable(_) => {
            site.unsafe_url = matches!(home_outcome, FetchOutcome::Unsafe(_));
            site.unreachable = !site.unsafe_url;
            site.notes.push(note(home.as_str(), &home_outcome));
            return site;
        }
        other => site.notes.push(note(home.as_str(), &other)),
    }
    site.notes.extend(robots_note);

    // A homepage that moved to another origin (example.com → www.example.com) is governed
    // by that origin's robots.txt.
    let rules = if base.origin() == home.origin() {
        home_rules
    } else {
        match load_rules(f, &base).await {
            Ok((rules, robots_note)) => {
                site.notes.extend(robots_note);
                rules
            }
            Err(reason) => {
                site.notes.push(format!(
                    "{}: robots.txt unreachable ({reason}); nothing more fetched",
                    base.origin().ascii_serialization()
                ));
                return site;
            }
        }
    };

    let about = subpage(f, &base, "/about", &rules);
    let careers = async {
        let careers = subpage(f, &base, "/careers", &rules).await;
        let jobs = match careers.1 {
            FetchOutcome::Status(404 | 410) => Some(subpage(f, &base, "/jobs", &rules).await),
            _ => None,
        };
        (careers, jobs)
    };
    let (about, (careers, jobs)) = futures::join!(about, careers);
    // A missing /careers is no problem when /jobs stands in for it.
    let jobs_found = matches!(jobs, Some((_, FetchOutcome::Page { .. })));
    let careers = if jobs_found { None } else { Some(careers) };
    for (url, outcome) in [Some(about), careers, jobs].into_iter().flatten() {
        match outcome {
            FetchOutcome::Page { url, title, text } => {
                // /about often redirects to the homepage: keep each page once.
                if !site.pages.iter().any(|p| p.url == url) {
                    site.pages.push(FetchedPage { url, title, text });
                }
            }
            other => site.notes.push(note(&url, &other)),
        }
    }
    site
}

/// "example.com" → "https://example.com"; full URLs are taken as given.
fn start_url(f: &Fetcher, input: &str) -> String {
    let input = input.trim();
    if input.contains("://") {
        input.to_string()
    } else {
        let scheme = if f.plain_http { "http" } else { "https" };
        format!("{scheme}://{}", input.trim_start_matches('/'))
    }
}

async fn subpage(f: &Fetcher, base: &Url, path: &str, rules: &Rules) -> (String, FetchOutcome) {
    let Ok(url) = base.join(path) else {
        return (path.to_string(), FetchOutcome::Unreachable("invalid page address".into()));
    };
    if !rules.allows(&f.config.user_agent, &url) {
        return (url.to_string(), FetchOutcome::Disallowed);
    }
    (url.to_string(), f.fetch(url.as_str()).await)
}

/// Fetches robots.txt for the origin of `url`: its rules plus a note if something was odd,
/// or why the host is unreachable. A 4xx means no rules and a 5xx means stay out (RFC 9309);
/// a server that answers but never delivers a file (redirect loop, ...) counts as no rules.
async fn load_rules(f: &Fetcher, url: &Url) -> Result<(Rules, Option<String>), String> {
    let Ok(robots_url) = url.join("/robots.txt") else { return Ok((Rules::AllowAll, None)) };
    let mut answered = false;
    let found = match f.get(robots_url.as_str(), Want::ROBOTS, &mut answered).await {
        Ok(body) => (Rules::Text(body::decode(&body.bytes, &body.content_type)), None),
        Err(FetchOutcome::Status(400..=499)) => (Rules::AllowAll, None),
        Err(FetchOutcome::Unreachable(reason)) if !answered => return Err(reason),
        Err(FetchOutcome::Status(code)) => (
            Rules::DisallowAll,
            Some(format!("{robots_url}: HTTP {code}; treated as disallowing everything")),
        ),
        Err(other) => (Rules::AllowAll, Some(format!("{}; ignored", note(robots_url.as_str(), &other)))),
    };
    Ok(found)
}

/// One short human line per problem.
fn note(url: &str, outcome: &FetchOutcome) -> String {
    let what = match outcome {
        FetchOutcome::Page { .. } => "fetched".to_string(),
        FetchOutcome::Unsafe(reason) => format!("refused as unsafe ({reason})"),
        FetchOutcome::Unreachable(reason) => format!("unreachable ({reason})"),
        FetchOutcome::NotHtml(kind) => format!("not an HTML page ({kind})"),
        FetchOutcome::Status(code) => format!("HTTP {code}"),
        FetchOutcome::TooLarge => "page too large".to_string(),
        FetchOutcome::Disallowed => "disallowed by robots.txt".to_string(),
    };
    format!("{url}: {what}")
}

#[cfg(test)]
#[path = "site_tests.rs"]
mod tests;
