//! robots.txt as RFC 9309 reads it: the group for our product token (else `*`), and the
//! longest matching Allow/Disallow rule wins, Allow on a tie.

/// Whether `agent` (a product token or a full User-Agent string) may fetch `path`
/// (path plus optional query) under the rules in `robots`.
pub fn allows(robots: &str, agent: &str, path: &str) -> bool {
    let path = if path.is_empty() { "/" } else { path };
    if path == "/robots.txt" {
        return true;
    }
    let token = product_token(agent);
    let groups = parse(robots);
    let specific: Vec<&Group> = groups.iter().filter(|g| g.agents.contains(&token)).collect();
    let chosen = if specific.is_empty() {
        groups.iter().filter(|g| g.agents.iter().any(|a| a == "*")).collect()
    } else {
        specific
    };
    // (pattern length, allow) of the best match so far.
    let mut best: Option<(usize, bool)> = None;
    for rule in chosen.iter().flat_map(|g| &g.rules) {
        if rule.pattern.is_empty() || !matches(&rule.pattern, path) {
            continue; // an empty Disallow allows everything, so it never wins
        }
        let candidate = (rule.pattern.len(), rule.allow);
        if best.is_none_or(|b| candidate > b) {
            best = Some(candidate);
        }
    }
    best.is_none_or(|(_, allow)| allow)
}

struct Group {
    agents: Vec<String>,
    rules: Vec<Rule>,
}

struct Rule {
    allow: bool,
    pattern: String,
}

/// "CellstackBot/1.0 (+https://…)" → "cellstackbot".
fn product_token(agent: &str) -> String {
    let token = agent.trim().split(|c: char| c == '/' || c.is_whitespace()).next().unwrap_or("");
    token.to_ascii_lowercase()
}

fn parse(robots: &str) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    // Consecutive user-agent lines share one group; a rule line closes the agent list.
    let mut collecting_agents = false;
    for line in robots.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let Some((key, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "user-agent" => {
                if !collecting_agents {
                    groups.push(Group { agents: Vec::new(), rules: Vec::new() });
                    collecting_agents = true;
                }
                if let Some(group) = groups.last_mut() {
                    group.agents.push(product_token(value));
                }
            }
            key @ ("allow" | "disallow") => {
                collecting_agents = false;
                if let Some(group) = groups.last_mut() {
                    group.rules.push(Rule { allow: key == "allow", pattern: value.to_string() });
                }
            }
            // Sitemap, Crawl-delay and unknown keys neither belong to nor end a group.
            _ => {}
        }
    }
    groups
}

/// Prefix match of `pattern` against `path`, where `*` matches any run of characters and a
/// trailing `$` anchors the end.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let p = pattern.as_bytes();
    let s = path.as_bytes();
    // Greedy wildcard matching with backtracking to the last '*': linear in practice.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi == p.len() {
            if !anchored || si == s.len() {
                return true;
            }
        } else if p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
            continue;
        } else if si < s.len() && p[pi] == s[si] {
            pi += 1;
            si += 1;
            continue;
        }
        // Mismatch (or anchored end not reached): let the last '*' swallow one more byte.
        match star {
            Some((sp, ss)) if ss < s.len() => {
                star = Some((sp, ss + 1));
                pi = sp + 1;
                si = ss + 1;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
#[path = "robots_tests.rs"]
mod tests;
