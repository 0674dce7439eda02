//! Name resolution that refuses unsafe answers. It runs twice per request: once before the
//! request (to report a clear reason) and again inside reqwest's connector, so that a DNS
//! answer that changes in between (rebinding) still never reaches a private address.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use super::guard;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How names are resolved and which addresses are allowed despite being private.
#[derive(Debug, Default)]
pub(super) struct Net {
    /// Test-only fixed answers, keyed by lower-case host name.
    overrides: HashMap<String, Vec<SocketAddr>>,
    /// Test-only addresses allowed although `guard::check_ip` refuses them.
    allow: Vec<SocketAddr>,
    dns_timeout: Duration,
}

/// Why a host could not be used.
pub(super) enum Refusal {
    Unsafe(String),
    Unresolved(String),
}

/// The resolver refused an address; found again in reqwest's error chain to report Unsafe.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(super) struct Blocked(pub String);

impl Net {
    pub(super) fn new(
        resolve: Vec<(String, SocketAddr)>,
        allow: Vec<SocketAddr>,
        dns_timeout: Duration,
    ) -> Self {
        let mut overrides: HashMap<String, Vec<SocketAddr>> = HashMap::new();
        for (host, addr) in resolve {
            overrides.entry(normalize(&host)).or_default().push(addr);
        }
        Net { overrides, allow, dns_timeout }
    }

    /// Whether every address `url` would connect to is explicitly allowed, so that the
    /// address and port rules of `guard::check_url` do not apply (test fixtures only).
    pub(super) fn exempt(&self, url: &Url) -> bool {
        if self.allow.is_empty() {
            return false;
        }
        let port = url.port_or_known_default().unwrap_or(0);
        let targets: Vec<SocketAddr> = match url.host() {
            Some(Host::Ipv4(ip)) => vec![SocketAddr::new(ip.into(), port)],
            Some(Host::Ipv6(ip)) => vec![SocketAddr::new(ip.into(), port)],
            Some(Host::Domain(name)) => match self.overrides.get(&normalize(name)) {
                Some(addrs) => addrs.iter().map(|a| effective(*a, url)).collect(),
                None => return false,
            },
            None => return false,
        };
        targets.iter().all(|t| self.allow.contains(t))
    }

    /// Resolves the host of `url` (a domain) and refuses it if any answer is unsafe.
    pub(super) async fn vet_host(&self, host: &str, url: &Url) -> Result<(), Refusal> {
        let addrs = self.lookup(host).await.map_err(Refusal::Unresolved)?;
        for addr in addrs {
            let target = effective(addr, url);
            if self.allow.contains(&target) {
                continue;
            }
            guard::check_ip(target.ip()).map_err(|e| Refusal::Unsafe(format!("{host} resolves to {e}")))?;
        }
        Ok(())
    }

    /// Override answers as given, or DNS answers with port 0.
    async fn lookup(&self, host: &str) -> Result<Vec<SocketAddr>, String> {
        let host = normalize(host);
        if let Some(addrs) = self.overrides.get(&host) {
            return Ok(addrs.clone());
        }
        let answer =
            tokio::time::timeout(self.dns_timeout, tokio::net::lookup_host((host.as_str(), 0))).await;
        let addrs: Vec<SocketAddr> = match answer {
            Ok(Ok(addrs)) => addrs.collect(),
            // The OS wording ("Name or service not known") adds nothing for a person.
            Ok(Err(_)) => return Err(format!("could not resolve {host}")),
            Err(_) => return Err(format!("could not resolve {host} (DNS timed out)")),
        };
        if addrs.is_empty() {
            return Err(format!("could not resolve {host} (no addresses)"));
        }
        Ok(addrs)
    }

    /// The connector's view: it does not know the port, so only exact allowed override
    /// addresses pass besides public ones. `vet_host` has already checked the port.
    async fn screened(&self, host: &str) -> Result<Vec<SocketAddr>, BoxError> {
        let addrs = self.lookup(host).await?;
        for addr in &addrs {
            if !self.allow.contains(addr) {
                guard::check_ip(addr.ip()).map_err(|e| {
                    tracing::warn!(host, %addr, "refused to connect to an unsafe address");
                    // Not boxed here: `?` boxes it, and a double box would hide it from `downcast_ref`.
                    Blocked(format!("{host} resolves to {e}"))
                })?;
            }
        }
        Ok(addrs)
    }
}

/// The address hyper will actually dial for `addr` (as returned by a resolver) and `url`:
/// an explicit URL port wins, a resolver port of 0 takes the scheme default.
fn effective(mut addr: SocketAddr, url: &Url) -> SocketAddr {
    if url.port().is_some() || addr.port() == 0 {
        addr.set_port(url.port_or_known_default().unwrap_or(0));
    }
    addr
}

fn normalize(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// reqwest's hook into the connector.
pub(super) struct GuardedResolver(pub Arc<Net>);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let net = Arc::clone(&self.0);
        Box::pin(async move {
            let addrs = net.screened(name.as_str()).await?;
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}
