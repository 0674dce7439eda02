use leptos::prelude::*;
use leptos_meta::Title;

/// What Cellstack stores, in plain words.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <Title text="Privacy" />
        <article class="prose">
            <h1>"What Cellstack stores"</h1>
            <p>"Cellstack runs on the server of whoever operates it. Everything below is stored in that server's PostgreSQL database and nowhere else."</p>
            <h2>"Your account"</h2>
            <ul>
                <li>"Your email address and a salted Argon2id hash of your password (never the password itself)."</li>
                <li>"Your sessions: a hash of the session cookie and when it was last used. Sessions end after 14 days without use, or when you sign out."</li>
                <li>"Failed sign-in attempts (the email tried and the address it came from), kept only for the throttling window, to slow down password guessing."</li>
            </ul>
            <h2>"Your work"</h2>
            <ul>
                <li>"Company profiles: the descriptions and writing samples you enter."</li>
                <li>"Campaigns: your ideal-customer description, personas and signal preferences; the companies you import, with every column of your file."</li>
                <li>"Research results: scores, signals, contacts and the sources they came from, and every version of each outreach draft."</li>
            </ul>
            <h2>"What leaves the server"</h2>
            <p>"Only what the operator configures: if an AI model or search provider is set up, the company data needed for research is sent to it; if website fetching is on, company websites are requested. With no keys configured, nothing is sent anywhere."</p>
            <h2>"Cookies and tracking"</h2>
            <p>"One cookie: the session cookie, set when you sign in. No analytics, no third-party scripts, fonts or images: every page loads only from this server."</p>
            <h2>"Your rights"</h2>
            <p>"On the Account page you can download all of your data as one JSON file, and delete your account, which removes everything you own at once."</p>
        </article>
    }
}
