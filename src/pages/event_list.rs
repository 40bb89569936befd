use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use model::{Category, Town};

use crate::api::{self, EventQuery};
use crate::app::paths;
use crate::components::{EventCard, LoadError, OfflineNote, PageHeading};
use crate::i18n::use_texts;
use crate::prefs::set_title;
use crate::today::today;

/// The "when" filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Any,
    ThisWeek,
    ThisMonth,
}

impl When {
    fn slug(self) -> &'static str {
        match self {
            When::Any => "",
            When::ThisWeek => "week",
            When::ThisMonth => "month",
        }
    }

    fn from_slug(s: &str) -> Self {
        match s {
            "week" => When::ThisWeek,
            "month" => When::ThisMonth,
            _ => When::Any,
        }
    }
}

/// The filters, as they stand in the URL (`?town=&kind=&when=`), so a filtered list can be
/// shared and survives a reload.
#[derive(Debug, Clone, PartialEq)]
struct Filters {
    town: Option<Town>,
    kind: Option<Category>,
    when: When,
}

impl Filters {
    fn query(&self) -> EventQuery {
        let today = today();
        let (from, to) = match self.when {
            When::Any => (None, None),
            When::ThisWeek => (Some(today), Some(today.week_start().add_days(6))),
            When::ThisMonth => (Some(today), Some(today.next_month_start().add_days(-1))),
        };
        EventQuery {
            town: self.town,
            category: self.kind,
            from,
            to,
        }
    }

    fn href(&self) -> String {
        paths::events_filtered(self.town, self.kind, self.when.slug())
    }

    fn is_empty(&self) -> bool {
        self.town.is_none() && self.kind.is_none() && self.when == When::Any
    }
}

#[component]
pub fn EventList() -> impl IntoView {
    let t = use_texts();
    Effect::new(move |_| set_title(t.get().events_title, t.get().app_name));
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        Filters {
            town: q.get("town").and_then(|s| Town::from_slug(&s)),
            kind: q.get("kind").and_then(|s| Category::from_slug(&s)),
            when: When::from_slug(&q.get("when").unwrap_or_default()),
        }
    });
    let events = LocalResource::new(move || {
        let q = filters.get().query();
        async move { api::events(&q).await }
    });
    let retry = Callback::new(move |_| events.refetch());
    let navigate = use_navigate();
    let go = move |f: Filters| {
        navigate(
            &f.href(),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        )
    };

    let on_town = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            go(Filters {
                town: Town::from_slug(&value),
                ..filters.get_untracked()
            })
        }
    };
    let on_kind = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            go(Filters {
                kind: Category::from_slug(&value),
                ..filters.get_untracked()
            })
        }
    };
    let on_when = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        go(Filters {
            when: When::from_slug(&value),
            ..filters.get_untracked()
        })
    };

    view! {
        <PageHeading>{move || t.get().events_title}</PageHeading>
        <form class="filters" aria-label=move || t.get().filters on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label class="field__label" for="filter-town">{move || t.get().filter_town}</label>
                <select id="filter-town" class="field__select" on:change=on_town>
                    <option value="" selected=move || filters.get().town.is_none()>{move || t.get().filter_all_towns}</option>
                    {Town::ALL.iter().map(|&town| view! {
                        <option value=town.slug() selected=move || filters.get().town == Some(town)>
                            {move || town.name(t.get().lang)}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="filter-kind">{move || t.get().filter_kind}</label>
                <select id="filter-kind" class="field__select" on:change=on_kind>
                    <option value="" selected=move || filters.get().kind.is_none()>{move || t.get().filter_all_kinds}</option>
                    {Category::ALL.iter().map(|&kind| view! {
                        <option value=kind.slug() selected=move || filters.get().kind == Some(kind)>
                            {move || kind.name(t.get().lang)}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="filter-when">{move || t.get().filter_when}</label>
                <select id="filter-when" class="field__select" on:change=on_when>
                    <option value="" selected=move || filters.get().when == When::Any>{move || t.get().when_any}</option>
                    <option value="week" selected=move || filters.get().when == When::ThisWeek>{move || t.get().when_week}</option>
                    <option value="month" selected=move || filters.get().when == When::ThisMonth>{move || t.get().when_month}</option>
                </select>
            </div>
        </form>
        <Subscribe town=Signal::derive(move || filters.get().town) kind=Signal::derive(move || filters.get().kind) />
        <Transition fallback=move || view! { <p class="loading">{t.get().loading}</p> }>
            <ErrorBoundary fallback=move |errors| view! { <LoadError errors retry /> }>
                {move || Suspend::new(async move {
                    events.await.map(|loaded| {
                        let note = loaded.kept_since.map(|kept_since| view! { <OfflineNote kept_since /> });
                        let list = loaded.value;
                        let count = list.len();
                        let body = if list.is_empty() {
                            let clear = (!filters.get_untracked().is_empty()).then(|| view! {
                                <a class="button button--secondary" href=paths::EVENTS>{t.get().clear_filters}</a>
                            });
                            view! {
                                <div class="empty">
                                    <h2>{move || t.get().empty_title}</h2>
                                    <p>{move || t.get().empty_hint}</p>
                                    {clear}
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <ul class="cards">
                                    {list.into_iter().map(|event| view! { <EventCard event /> }).collect_view()}
                                </ul>
                            }.into_any()
                        };
                        view! {
                            {note}
                            <p class="results-count" role="status">{move || (t.get().results_count)(count)}</p>
                            {body}
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// Subscribing to the list as it is filtered (town and kind; the "when" filter does not
/// apply to a feed that follows the campaign): `webcal://` opens the phone's calendar app,
/// and the `https://` address can be pasted where that does not work (Android). The
/// server paints the same panel first (`server/src/first_paint.rs`).
#[component]
fn Subscribe(town: Signal<Option<Town>>, kind: Signal<Option<Category>>) -> impl IntoView {
    let t = use_texts();
    let host = window().location().host().unwrap_or_default();
    let secure = window().location().protocol().is_ok_and(|p| p == "https:");
    let path = move || model::event::events_feed_path(town.get(), kind.get());
    let webcal = {
        let host = host.clone();
        move || format!("webcal://{host}{}", path())
    };
    let address = move || {
        let scheme = if secure { "https" } else { "http" };
        format!("{scheme}://{host}{}", path())
    };
    view! {
        <details class="subscribe">
            <summary>{move || t.get().remind.subscribe}</summary>
            <p>{move || t.get().feed_holds(town.get(), kind.get())}</p>
            <p><a class="button button--secondary" href=webcal>{move || t.get().remind.subscribe_open}</a></p>
            <div class="field">
                <label class="field__label" for="feed-address">{move || t.get().remind.feed_address}</label>
                <input id="feed-address" class="field__input" type="url" readonly
                    aria-describedby="feed-address-hint" prop:value=address />
                <p id="feed-address-hint" class="field__hint">{move || t.get().remind.subscribe_hint}</p>
            </div>
        </details>
    }
}
