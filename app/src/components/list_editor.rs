//! Editable lists of text (writing samples, hiring roles, tools): add, edit, remove.
//! Each item keeps its own signal and key, so typing never re-renders its neighbours.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct TextList {
    items: RwSignal<Vec<(u32, RwSignal<String>)>>,
    next: RwSignal<u32>,
}

impl TextList {
    pub fn new(values: Vec<String>) -> Self {
        let items: Vec<(u32, RwSignal<String>)> =
            values.into_iter().enumerate().map(|(i, v)| (i as u32, RwSignal::new(v))).collect();
        let next = items.len() as u32;
        TextList { items: RwSignal::new(items), next: RwSignal::new(next) }
    }

    pub fn push(&self, value: String) {
        let id = self.next.get_untracked();
        self.next.set(id + 1);
        self.items.update(|v| v.push((id, RwSignal::new(value))));
    }

    pub fn remove(&self, id: u32) {
        self.items.update(|v| v.retain(|(i, _)| *i != id));
    }

    /// The values, trimmed, empty ones left out.
    pub fn values(&self) -> Vec<String> {
        self.items.get().iter().map(|(_, s)| s.get().trim().to_string()).filter(|s| !s.is_empty()).collect()
    }

    pub fn len(&self) -> usize {
        self.items.with(Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[component]
pub fn ListEditor(
    list: TextList,
    /// Used for element ids and test ids, e.g. "sample".
    name: &'static str,
    #[prop(optional)] multiline: bool,
    #[prop(into)] placeholder: String,
    #[prop(into)] add_label: String,
    #[prop(default = 20)] max: usize,
) -> impl IntoView {
    let placeholder = StoredValue::new(placeholder);
    let full = move || list.len() >= max;
    view! {
        <div class="list-editor" data-list=name>
            <For each=move || list.items.get() key=|(id, _)| *id let:item>
                {
                    let (id, value) = item;
                    let field = if multiline {
                        view! {
                            <textarea
                                data-item=name
                                aria-label=name
                                placeholder=placeholder.get_value()
                                prop:value=move || value.get()
                                on:input=move |ev| value.set(event_target_value(&ev))
                            ></textarea>
                        }
                        .into_any()
                    } else {
                        view! {
                            <input
                                type="text"
                                data-item=name
                                aria-label=name
                                placeholder=placeholder.get_value()
                                prop:value=move || value.get()
                                on:input=move |ev| value.set(event_target_value(&ev))
                            />
                        }
                        .into_any()
                    };
                    view! {
                        <div class="list-row">
                            {field}
                            <button type="button" class="btn btn-ghost btn-sm" title="Remove" on:click=move |_| list.remove(id)>
                                "Remove"
                            </button>
                        </div>
                    }
                }
            </For>
            <button
                type="button"
                class="btn btn-sm"
                data-add=name
                disabled=full
                on:click=move |_| list.push(String::new())
            >
                {add_label}
            </button>
        </div>
    }
}
