//! Accounts, for admins: who may do what, where; new accounts; disabling one.

use leptos::prelude::*;
use model::{AccountChange, NewAccount, Role, Scope, StaffAccount};
use quality_month_web::api::ClientError;
use quality_month_web::components::{Loader, PageHeading, SelectField, SendButton, TextField};

use super::{Refusal, fresh};
use crate::api;
use crate::app::Session;
use crate::i18n::use_staff_texts;

#[component]
pub fn Accounts() -> impl IntoView {
    let t = use_staff_texts();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().accounts_title, t.get().app_name)
    });
    let version = RwSignal::new(0u32);
    view! {
        <PageHeading>{move || t.get().accounts_title}</PageHeading>
        <Loader fetch=move || { version.track(); fresh(api::accounts()) }
            render={move |accounts: Vec<StaffAccount>| view! { <AccountList accounts version /> }} />
        <NewAccountForm version />
    }
}

#[component]
fn AccountList(accounts: Vec<StaffAccount>, version: RwSignal<u32>) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let me = session.me().map(|m| m.id);
    let change = Action::new_local(move |(id, disabled): &(i64, bool)| {
        let change = AccountChange {
            disabled: Some(*disabled),
            ..Default::default()
        };
        let id = *id;
        async move { api::change_account(id, &change).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = change.value().get() {
            version.update(|v| *v += 1)
        }
    });
    let refusal = Signal::derive(move || match change.value().get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    view! {
        <Refusal error=refusal />
        <div class="table-wrap">
            <table class="table">
                <thead><tr>
                    <th scope="col">{move || t.get().field_login}</th>
                    <th scope="col">{move || t.get().field_role}</th>
                    <th scope="col">{move || t.get().field_scopes}</th>
                    <th scope="col"><span class="visually-hidden">{move || t.get().disable}</span></th>
                </tr></thead>
                <tbody>
                    {accounts.into_iter().map(|a| {
                        let role = a.grant.role;
                        let scopes = a.grant.scopes.iter().map(Scope::to_string).collect::<Vec<_>>().join(" ");
                        let (id, disabled) = (a.id, a.disabled);
                        let login = a.login.clone();
                        view! {
                            <tr class:table__row--muted=disabled>
                                <th scope="row">{a.login.clone()}
                                    {disabled.then(|| view! { " " <span class="badge badge--muted">{move || t.get().disabled}</span> })}
                                </th>
                                <td>{move || (t.get().role_name)(role)}</td>
                                <td>{scopes}</td>
                                <td>{(Some(id) != me).then(|| view! {
                                    <button type="button" class="button button--small button--secondary"
                                        aria-label=move || format!("{} {}", if disabled { t.get().enable } else { t.get().disable }, login)
                                        on:click=move |_| { change.dispatch_local((id, !disabled)); }>
                                        {move || if disabled { t.get().enable } else { t.get().disable }}
                                    </button>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn NewAccountForm(version: RwSignal<u32>) -> impl IntoView {
    let t = use_staff_texts();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Organiser.as_str().to_string());
    let scopes = RwSignal::new(String::new());
    let scope_error = RwSignal::new(None::<&'static str>);
    let create = Action::new_local(move |a: &NewAccount| {
        let a = a.clone();
        async move { api::create_account(&a).await }
    });
    let pending = create.pending();
    let fields = Signal::derive(move || match create.value().get() {
        Some(Err(ClientError::Api { error, .. })) => error.fields,
        _ => Default::default(),
    });
    let error_of = move |f: &'static str| {
        Signal::derive(move || fields.get().get(f).map(|e| t.get().field_error(*e)))
    };
    let refusal = Signal::derive(move || match create.value().get() {
        Some(Err(e)) if !pending.get() && fields.get().is_empty() => Some(e),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            login.set(String::new());
            password.set(String::new());
            scopes.set(String::new());
            version.update(|v| *v += 1);
        }
    });
    let roles = Signal::derive(move || {
        Role::ALL
            .iter()
            .map(|r| (r.as_str().to_string(), (t.get().role_name)(*r).to_string()))
            .collect()
    });
    view! {
        <h2>{move || t.get().new_account}</h2>
        <form class="form" on:submit=move |ev| {
            ev.prevent_default();
            let parsed: Result<Vec<Scope>, _> = scopes.get_untracked().split_whitespace().map(Scope::parse).collect();
            let Ok(parsed) = parsed else {
                scope_error.set(Some(t.get_untracked().field_errors.invalid));
                return;
            };
            scope_error.set(None);
            if !pending.get_untracked() {
                create.dispatch_local(NewAccount {
                    login: login.get_untracked(),
                    password: password.get_untracked(),
                    role: Role::parse(&role.get_untracked()).unwrap_or(Role::Door),
                    scopes: parsed,
                });
            }
        }>
            <TextField id="new-login" label=Signal::derive(move || t.get().field_login) hint="" error=error_of("login") value=login />
            <TextField id="new-password" label=Signal::derive(move || t.get().field_password)
                hint=Signal::derive(move || t.get().field_new_password_hint) error=error_of("password")
                value=password input_type="password" autocomplete="new-password" maxlength=200 />
            <SelectField id="new-role" label=Signal::derive(move || t.get().field_role) value=role options=roles />
            <TextField id="new-scopes" label=Signal::derive(move || t.get().field_scopes)
                hint=Signal::derive(move || t.get().field_scopes_hint) error=scope_error value=scopes maxlength=200 />
            <Refusal error=refusal />
            <SendButton pending label=Signal::derive(move || t.get().create_account) />
        </form>
    }
}
