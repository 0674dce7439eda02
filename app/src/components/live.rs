//! Subscribes the lead store to the campaign's event stream. The browser's
//! `EventSource` reconnects by itself and sends `Last-Event-ID`, so a server restart
//! resumes exactly where it stopped.

use leptos::prelude::*;
use uuid::Uuid;

use super::leads::LeadStore;

/// Whether the stream is currently connected (for the "live" indicator).
pub fn subscribe(campaign: Uuid, since: i64, store: LeadStore) -> RwSignal<bool> {
    let connected = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let url = format!("/api/campaigns/{campaign}/events?since={since}");
        let Ok(es) = web_sys::EventSource::new(&url) else { return };
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                if let Some(data) = ev.data().as_string()
                    && let Ok(event) = serde_json::from_str::<crate::model::CampaignEvent>(&data)
                {
                    store.apply(event);
                }
            });
        let on_open = Closure::<dyn FnMut()>::new(move || connected.set(true));
        let on_error = Closure::<dyn FnMut()>::new(move || connected.set(false));
        es.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        es.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let keep = send_wrapper::SendWrapper::new((es, on_message, on_open, on_error));
        on_cleanup(move || keep.0.close());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (campaign, since, store);
    connected
}
