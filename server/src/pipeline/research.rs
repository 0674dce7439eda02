//! The research step: gathers what later steps may cite. The file's own cells always;
//! the company's website when fetching is on (homepage, /about, /careers); Exa search
//! results when a key is set. A site that cannot be reached is noted, never fatal; a
//! search that fails is an error (retried), which is not the same as "found nothing".

use app::import::Website;
use app::research::{Page, Source};
use sqlx::PgPool;

use super::queue::Task;
use super::steps::{Inputs, Output, StepError, Usage};
use crate::providers::exa::{Category, Found, SearchRequest};
use crate::providers::fetch::{self, SiteFetch};
use crate::providers::{Providers, cache, limits};

/// Characters of text kept per search result.
const SEARCH_TEXT_CHARS: u32 = 3_000;
const SEARCH_RESULTS: u32 = 3;

pub async fn run(
    p: &Providers,
    pool: &PgPool,
    task: &Task,
    inp: &Inputs,
    usage: &mut Usage,
) -> Result<Output, StepError> {
    let mut sources: Vec<Source> = inp
        .company
        .attributes
        .iter()
        .map(|c| Source::Cell { column: c.column.clone(), value: c.value.clone() })
        .collect();
    let mut pages: Vec<Page> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    usage.provider = "research".into();
    usage.prompt_version = "research.v1".into();
    let domain = match &inp.company.website {
        Website::Domain { domain } => Some(domain.clone()),
        Website::Invalid { reason, .. } => {
            notes.push(format!("Website not usable ({reason}); nothing fetched."));
            None
        }
        Website::Missing => {
            notes.push("No website given.".into());
            None
        }
    };
    if let Some(domain) = &domain {
        match &p.fetcher {
            None => notes.push(format!("{domain} was not fetched (website fetching is off).")),
            Some(fetcher) => {
                let permit = limits::acquire(pool, "fetch", &p.limits.fetch).await?;
                let site: SiteFetch = fetcher.fetch_site(domain).await;
                permit.release(pool).await;
                if site.pages.is_empty() && site.notes.is_empty() {
                    notes.push(format!("{domain}: no readable pages."));
                }
                notes.extend(site.notes);
                for page in site.pages {
                    add_page(&mut sources, &mut pages, page.url, page.title, page.text);
                }
            }
        }
    }
    // Without a domain to hold search to, its pages could be about any company of that
    // name: none of them may become this company's sources.
    let exa = match (&p.exa, &domain) {
        (Some(_), None) => {
            notes.push("Not searched: without a website, results could be about another company.".into());
            None
        }
        (exa, _) => exa.as_ref(),
    };
    if let (Some(exa), Some(domain)) = (exa, &domain) {
        let request = SearchRequest {
            query: format!("{} company", inp.company.name),
            category: Some(Category::Company),
            include_domains: vec![domain.clone()],
            num_results: SEARCH_RESULTS,
            text_max_chars: SEARCH_TEXT_CHARS,
        };
        let (found, cached) = search(p, pool, task, exa, &request).await?;
        usage.provider = "exa".into();
        usage.cached = cached;
        if !cached {
            usage.cost_usd += if found.cost_usd > 0.0 { found.cost_usd } else { p.prices.search_call };
        }
        if found.hits.is_empty() {
            notes.push("Search found no pages about this company.".into());
        }
        for hit in found.hits {
            if !on_domain(&hit.url, domain) {
                notes.push(format!("Search result {} is not on {domain}; left out.", hit.url));
                continue;
            }
            // Search extracts get the same cleaning as fetched pages: invisible characters
            // are a favourite way to smuggle instructions to the model.
            let text = hit.text.map(|t| fetch::plain_text(&t, SEARCH_TEXT_CHARS as usize));
            match text.filter(|t| !t.trim().is_empty()) {
                Some(text) => add_page(&mut sources, &mut pages, hit.url, hit.title, text),
                None => notes.push(format!("Search found {} but no text for it.", hit.url)),
            }
        }
    }
    let fetched = pages.len();
    let note = if notes.is_empty() {
        format!("Researched from the file's columns and {fetched} page(s).")
    } else {
        notes.join(" ")
    };
    Ok(Output::Research { sources, pages, note })
}

/// `url`'s host is `domain` or one of its subdomains (search was asked for that domain
/// only; a result elsewhere is about someone else).
fn on_domain(url: &str, domain: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else { return false };
    let Some(host) = u.host_str() else { return false };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.to_ascii_lowercase();
    host == domain || host.strip_suffix(&domain).is_some_and(|rest| rest.ends_with('.'))
}

fn add_page(
    sources: &mut Vec<Source>,
    pages: &mut Vec<Page>,
    url: String,
    title: Option<String>,
    text: String,
) {
    // The same page found twice (fetched, then by search as `…/` or `www.…`): the first
    // copy (the fetched one, whose hidden text was stripped) is kept.
    if pages.iter().any(|p| same_page(&p.url, &url)) {
        return;
    }
    let text = match title.filter(|t| !t.trim().is_empty()) {
        Some(t) => format!("{t}\n{text}"),
        None => text,
    };
    sources.push(Source::Url { url: url.clone() });
    pages.push(Page { url, text });
}

/// Whether two URLs name the same page: scheme, `www.`, a trailing slash, the fragment
/// and letter case of the host do not matter.
fn same_page(a: &str, b: &str) -> bool {
    fn key(u: &str) -> Option<(String, String, Option<String>)> {
        let u = url::Url::parse(u).ok()?;
        let host = u.host_str()?.trim_start_matches("www.").to_string();
        Some((host, u.path().trim_end_matches('/').to_string(), u.query().map(str::to_string)))
    }
    match (key(a), key(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// One Exa search through the cache and the shared limits. `true` when cached.
async fn search(
    p: &Providers,
    pool: &PgPool,
    task: &Task,
    exa: &crate::providers::exa::ExaClient,
    request: &SearchRequest,
) -> Result<(Found, bool), StepError> {
    let key = cache::key(
        "exa/search",
        &serde_json::json!({ "q": request.query, "domains": request.include_domains,
                             "n": request.num_results, "chars": request.text_max_chars }),
    );
    if let Some(hit) = cache::get(pool, task.owner_id, &key, p.cache_ttl).await
        && let Ok(found) = serde_json::from_value::<Found>(hit)
    {
        return Ok((found, true));
    }
    let permit = limits::acquire(pool, "search", &p.limits.search).await?;
    let found = exa.search(request).await;
    permit.release(pool).await;
    let found = found?;
    if let Ok(value) = serde_json::to_value(&found) {
        cache::put(pool, task.owner_id, &key, "exa", &value).await;
    }
    Ok((found, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_page_under_another_spelling_is_kept_once() {
        assert!(same_page("https://coho.example", "https://coho.example/"));
        assert!(same_page("http://www.Coho.example/about/", "https://coho.example/about#team"));
        assert!(!same_page("https://coho.example/about", "https://coho.example/careers"));
        assert!(!same_page("https://coho.example/?p=1", "https://coho.example/?p=2"));
        let (mut sources, mut pages) = (vec![], vec![]);
        add_page(&mut sources, &mut pages, "https://coho.example/".into(), None, "fetched".into());
        add_page(&mut sources, &mut pages, "https://www.coho.example".into(), None, "from search".into());
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].text, "fetched");
        assert_eq!(sources.len(), 1);
    }

    #[test]
    fn search_results_count_only_on_the_company_domain() {
        assert!(on_domain("https://coho.example/about", "coho.example"));
        assert!(on_domain("https://www.Coho.example./", "coho.example"));
        assert!(!on_domain("https://notcoho.example/", "coho.example"));
        assert!(!on_domain("https://coho.example.evil.test/", "coho.example"));
        assert!(!on_domain("not a url", "coho.example"));
    }
}
