//! Inline SVG charts: the score histogram and signal counts. No chart service.

use leptos::prelude::*;

#[component]
pub fn ScoreHistogram(#[prop(into)] bins: Signal<[u32; 10]>) -> impl IntoView {
    let bars = move || {
        let b = bins.get();
        let max = b.iter().copied().max().unwrap_or(0).max(1) as f64;
        b.iter()
            .enumerate()
            .map(|(i, n)| {
                let h = (*n as f64 / max) * 80.0;
                let x = i as f64 * 28.0 + 4.0;
                let class = if i >= 7 { "bar hot" } else if i >= 4 { "bar warm" } else { "bar cold" };
                view! {
                    <g>
                        <title>{format!("{}–{}: {n}", i * 10, if i == 9 { 100 } else { i * 10 + 9 })}</title>
                        <rect class=class x=x y=90.0 - h width=22 height=h rx=2></rect>
                        <text x=x + 11.0 y=86.0 - h text-anchor="middle" class="bar-n">{(*n > 0).then(|| n.to_string())}</text>
                        <text x=x + 11.0 y=104 text-anchor="middle" class="axis">{(i * 10).to_string()}</text>
                    </g>
                }
            })
            .collect_view()
    };
    let empty = move || bins.with(|b| b.iter().all(|n| *n == 0));
    view! {
        <svg class="chart" viewBox="0 0 288 110" role="img" aria-label="Score distribution" data-testid="histogram">
            {bars}
            {move || empty().then(|| view! { <text x=144 y=50 text-anchor="middle" class="axis">"Scores appear as rows finish."</text> })}
        </svg>
    }
}

#[component]
pub fn SignalBars(#[prop(into)] counts: Signal<[u32; 3]>, #[prop(into)] total: Signal<u32>) -> impl IntoView {
    let rows = move || {
        let c = counts.get();
        let t = total.get().max(1) as f64;
        ["Funding", "Hiring", "Technology"]
            .iter()
            .zip(c)
            .enumerate()
            .map(|(i, (label, n))| {
                let w = (n as f64 / t) * 170.0;
                let y = i as f64 * 26.0 + 4.0;
                view! {
                    <g>
                        <text x=0 y=y + 13.0 class="axis">{*label}</text>
                        <rect class=format!("bar sig-{}", label.to_lowercase()) x=78 y=y width=w.max(1.0) height=16 rx=2></rect>
                        <text x=84.0 + w y=y + 13.0 class="bar-n">{n.to_string()}</text>
                    </g>
                }
            })
            .collect_view()
    };
    view! {
        <svg class="chart" viewBox="0 0 288 84" role="img" aria-label="Companies with each kind of signal" data-testid="signal-chart">{rows}</svg>
    }
}
